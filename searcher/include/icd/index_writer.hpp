// Writing documents into one index generation.
//
// An IndexWriter owns a Xapian database that no reader can see yet (a
// staging directory of an IndexStore). It turns CodeRecords into documents
// following the schema table. Nothing is visible to searchers until
// IndexStore::publish() has committed, verified and published the generation.
//
// Not thread-safe: one writer, one thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "icd/record.hpp"
#include "icd/result.hpp"

namespace icd {

class IndexWriter {
public:
    // Creates a new, empty database at `dir` (which must not exist yet), or
    // opens an existing one when `open_existing` (incremental update of a
    // copied generation).
    static Result<IndexWriter> create(const std::filesystem::path& dir, bool open_existing = false);

    IndexWriter(IndexWriter&&) noexcept;
    IndexWriter& operator=(IndexWriter&&) noexcept;
    ~IndexWriter();  // does not commit: an uncommitted generation is discarded

    // Adds the document for `record`, replacing any document with the same
    // code. Cost: one document build; Xapian batches writes in memory.
    Result<void> put(const CodeRecord& record);
    // Deletes the document of `key` (no-op when absent).
    Result<void> remove(std::string_view key);

    // Content hash that put() would store for `record` (stable across runs
    // and machines; changes whenever anything indexed for the code changes).
    // The record's order number is not part of it: a new release renumbers
    // every line, and that alone is no reason to rewrite a document.
    static std::string content_hash(const CodeRecord& record);
    // Hash of the code's own official data (long title, billable flag): an
    // update tells "the code changed" from "what it inherits changed".
    static std::string own_hash(const CodeRecord& record);
    // Hash stored for `key`, or nullopt when the code has no document.
    Result<std::optional<std::string>> stored_hash(std::string_view key) const;
    // Keys of all documents, in key order.
    Result<std::vector<std::string>> keys() const;

    // Queries that contain `phrase` (matched word by word after stemming, so
    // "calcium deposits" matches "calcium deposit") also search `expansion`.
    // Stored in Xapian's synonym table. Phrases or expansions longer than a
    // Xapian term allows are ignored (returns false).
    enum class SynonymOrigin { curated, see, see_also };
    Result<bool> add_synonym(std::string_view phrase, std::string_view expansion, SynonymOrigin origin);

    // Number of documents whose official text contains every word of `text`
    // (stemmed). Sees only committed documents: call after commit().
    Result<std::size_t> count_matches(std::string_view text) const;

    // Fills the spelling table from the committed vocabulary (every plain
    // word with its document frequency) plus the words of synonym phrases.
    // Call once, after the last put() and a commit().
    Result<void> build_spelling();

    // Removes every synonym and spelling entry, before an update loads them
    // again (cost: one pass over both tables).
    Result<void> clear_synonyms_and_spelling();

    Result<void> set_metadata(std::string_view key, std::string_view value);
    // Notes written on a section ("M60-M63") or chapter ("13") rather than on
    // a code; the searcher shows them with every code below.
    Result<void> put_section_notes(std::string_view section, const std::vector<Note>& notes);
    Result<void> put_chapter_notes(std::string_view chapter, const std::vector<Note>& notes);
    std::uint32_t doc_count() const;

    // Makes everything written so far durable. Call before publishing: the
    // destructor never commits (it would have to swallow errors).
    Result<void> commit();
    // Commits and closes; the writer is unusable afterwards.
    Result<void> close();

    const std::filesystem::path& path() const;

private:
    struct Impl;
    explicit IndexWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// What a published database holds, as far as an update needs to know.
struct StoredState {
    struct Doc {
        std::string hash;      // content hash
        std::string own_hash;  // hash of the code's own official data
    };
    std::unordered_map<std::string, Doc> docs;  // by code key
    std::string global_hash;                    // synonyms and group notes
    int schema_version = 0;
};
// Reads it with one pass over three value streams (about a second for the
// full release). Errc::index_unavailable when the database cannot be read.
Result<StoredState> read_stored_state(const std::filesystem::path& db);

}  // namespace icd
