// Searching an ICD-10-CM index.
//
// Thread-safety: one Searcher may be shared by any number of threads. Each
// call borrows a private Xapian session (database handle, query parser,
// enquire) from an internal pool, so calls run in parallel without locks
// held during the search; the pool grows to the peak number of concurrent
// callers.
//
// Freshness: before each call the Searcher checks (one stat(2)) whether a
// newer generation was published in the index directory and, if so, reopens
// the session it uses. A Xapian DatabaseModifiedError during a search is
// answered the same way, once, in one place. The optional result cache
// (SearcherConfig) is keyed by generation too, so it never serves results
// of a replaced generation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icd/record.hpp"
#include "icd/result.hpp"

namespace icd {

struct SearchOptions {
    std::size_t limit = 10;         // hits to return (0 allowed: count only)
    std::size_t offset = 0;         // hits to skip (paging)
    bool billable_only = false;     // only codes valid for HIPAA claims
    std::string chapter;            // only codes in this chapter ("13"); empty = all
    std::size_t snippet_bytes = 180;// target snippet length
    // Free-text results show at most this many codes of one category
    // (M62, S72...), so that one family of siblings (right, left,
    // unspecified...) does not fill the page; 0 shows all. Code-shaped
    // queries always list every code.
    std::size_t per_category = 4;
    // Queries longer than this are cut at a word boundary before parsing;
    // SearchResults::truncated says so.
    std::size_t max_query_bytes = 1024;
};

struct Highlight {
    std::size_t begin = 0;  // byte offsets into Hit::snippet
    std::size_t end = 0;
};

struct Hit {
    unsigned rank = 0;              // 1-based, counting the offset
    std::string code;               // display form ("M62.561")
    std::string title;              // official long title
    bool billable = false;
    double score = 0.0;             // relevance weight; 0 for code lookups
    std::string snippet;            // plain text, why it matched
    std::vector<Highlight> highlights;
    std::string snippet_field;      // schema field name the snippet is from
    std::vector<std::string> matched_fields;  // schema field names
    std::string chapter;
};

enum class QueryMode {
    empty,   // nothing searchable in the query
    code,    // the query was a code or code prefix
    text,    // free text
};
const char* query_mode_name(QueryMode mode) noexcept;

struct SearchResults {
    std::string query;              // as searched (after truncation)
    QueryMode mode = QueryMode::empty;
    std::size_t total = 0;          // estimated number of matching codes
    std::size_t offset = 0;
    std::vector<Hit> hits;
    bool truncated = false;         // the query was cut to max_query_bytes
    std::string note;               // human-readable remark, e.g. nearest code used
    // Spelling: `corrected` is what was searched instead of `query` when the
    // query had words the index does not know ("showing results for");
    // `suggestion` is a correction offered but not applied ("did you mean").
    std::string corrected;
    std::string suggestion;
    // Lay terms, abbreviations and Alphabetic Index cross-references that
    // widened the search, as "phrase -> expansion".
    std::vector<std::string> expansions;
};

struct CodeSummary {
    std::string code;   // display form
    std::string title;
    bool billable = false;
};

struct CodeDetail {
    std::string code;
    std::string title;
    std::string short_title;
    bool billable = false;
    std::string chapter;
    std::string chapter_title;
    std::string section;
    std::string section_title;
    std::optional<CodeSummary> parent;
    std::vector<CodeSummary> children;
    std::vector<std::string> inclusion_terms;
    std::vector<std::string> index_terms;
    std::vector<Note> notes;              // own notes, then inherited ones
    std::string seventh_character;
    std::optional<Article> article;           // the code's own article
    std::optional<Article> category_article;  // its category's article, for a code below a category
    std::vector<std::string> subcode_notes;   // what the category article says about this code
};

struct IndexInfo {
    std::filesystem::path path;
    std::optional<std::uint64_t> generation;  // nullopt for a plain database
    std::uint32_t doc_count = 0;
    int schema_version = 0;
    std::string built_at;
    std::string sources;
};

struct SearcherConfig {
    // Search results kept in memory, keyed by query text and options, for
    // the live generation only (a publish makes every entry stale). Worth it
    // for services: type-ahead and help-desk traffic repeats queries. About
    // 2-5 KB per entry; 0 disables the cache. Plain databases (no index
    // directory, hence no generation) are never cached.
    std::size_t cache_entries = 0;
};

struct CacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
    std::size_t capacity = 0;
};

class Searcher {
public:
    // Opens the index at `index` (an index directory or a plain Xapian
    // database). Errc::index_unavailable with a hint when it is missing,
    // unreadable or of another schema version.
    static Result<Searcher> open(const std::filesystem::path& index, const SearcherConfig& config = {});

    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    ~Searcher();

    // Ranked codes for a free-text or code-shaped query. Never fails on odd
    // input (unbalanced quotes, lone operators, huge or invalid UTF-8 text):
    // such queries are searched as plain words. Errors are for a broken
    // index only.
    Result<SearchResults> search(std::string_view query, const SearchOptions& options = {}) const;

    // Everything known about one code (any spelling: "m62561", "M62.561").
    // Errc::not_found when the index has no such code.
    Result<CodeDetail> lookup(std::string_view code) const;

    Result<IndexInfo> info() const;

    // Result cache counters (all zero without a cache).
    CacheStats cache_stats() const;

    // The Xapian query a text would run, as Xapian describes it. For tests
    // and debugging; the format is Xapian's and may change with it.
    Result<std::string> explain(std::string_view query, const SearchOptions& options = {}) const;

private:
    struct Impl;
    explicit Searcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace icd
