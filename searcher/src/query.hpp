// Turning what a user typed into a Xapian query. Internal to the core
// library; one QueryBuilder per search session (QueryParser is not
// thread-safe).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "icd/searcher.hpp"

namespace icd::detail {

// Ranking knobs, tuned on the dev queries with icd-eval (docs/RELEVANCE.md).
struct Ranking {
    double entry_boost = 2.0;       // weight of an exact index entry, inclusion term or title match
    double partial_entry_scale = 0.5;  // ... relative weight when one phrase of the query is an entry
    double loose_scale = 0.05;      // weight of the query's words one by one, beside its concepts
    double category_scale = 0.5;    // weight of matches in the category's article (codes below it)
    double bm25_k1 = 1.0;           // Xapian's defaults to start from
    double bm25_b = 0.5;
};

// The defaults, overridden for tuning experiments by the environment
// variable ICD_RANKING="k1=1,b=0.5,entry=2,partial=0.5,loose=0.05,category=0.5"
// (read once, when a Searcher opens; unknown names are ignored).
Ranking ranking_from_env();

struct BuiltQuery {
    QueryMode mode = QueryMode::empty;
    Xapian::Query query;          // what must match (filters not applied)
    bool sort_by_code = false;    // code mode: list in code order, not by score
    std::string note;             // e.g. "no code M62.569; showing codes under M62.56"
    std::string corrected;        // the spelling-corrected query searched instead, if any
    std::string suggestion;       // a correction offered but not applied ("did you mean")
    std::vector<std::string> expansions;  // "chf -> heart failure", for display
};

// Cuts `query` to at most `max_bytes` bytes, at a word boundary when there
// is one, never inside a UTF-8 sequence. Sets `truncated` when it cut.
std::string truncate_query(std::string_view query, std::size_t max_bytes, bool& truncated);

// True when the text uses query syntax (quotes, field:, +/- operators,
// AND/OR/NOT, wildcards, parentheses): such queries are parsed as written,
// without spelling correction or synonym expansion.
bool has_query_syntax(std::string_view text);

class QueryBuilder {
public:
    explicit QueryBuilder(Ranking ranking = {});

    // Builds the query for `text` against `db` (used to check which codes
    // and words exist, for spelling and synonyms). Never throws for any input
    // text; may throw Xapian::Error for a broken database.
    BuiltQuery build(std::string_view text, const Xapian::Database& db);

    // `query` restricted by the options' filters (billable, chapter).
    static Xapian::Query apply_filters(const Xapian::Query& query, const SearchOptions& options);

    const Xapian::Stem& stemmer() const { return stemmer_; }
    const Ranking& ranking() const { return ranking_; }

private:
    BuiltQuery build_code(const std::string& key, const Xapian::Database& db) const;
    // QueryParser, falling back to the bare words on a syntax error.
    Xapian::Query parse(const std::string& text, unsigned flags, const std::string& prefix = {});
    // A correction of one word: applied, or only offered ("did you mean").
    struct Fix {
        std::string word;   // empty: the word is fine as typed
        bool apply = false;
    };
    Fix spelling_fix(const std::string& word, const Xapian::Database& db) const;
    std::string correct_spelling(const std::string& text, const Xapian::Database& db, BuiltQuery& out) const;
    // A run of the query's words that matched a synonym phrase, with the
    // expansions found for it.
    struct Span {
        std::size_t begin = 0, end = 0;    // word positions [begin, end)
        std::vector<std::string> expansions;
    };
    std::vector<Span> match_synonyms(const std::vector<std::string>& words, const Xapian::Database& db) const;
    // All words of a phrase, stemmed as the parser would, stopwords left out.
    // `prefix`: the field searched (empty: the plain-search fields).
    Xapian::Query all_words(const std::vector<std::string>& words, const std::string& prefix = {}) const;
    // The plain-text query: unmatched words as parsed, each matched phrase as
    // one concept (OP_SYNONYM of the phrase and its expansions).
    Xapian::Query plain_query(const std::vector<std::string>& words, const std::vector<Span>& spans,
                              const std::string& prefix = {});
    // Boosts codes with an exact entry (index entry, inclusion term, title)
    // equal to a reading of the query: as typed, or with matched phrases
    // replaced by expansions (at most 16 readings).
    Xapian::Query exact_entries(const std::vector<std::string>& words, const std::vector<Span>& spans,
                                const Xapian::Database& db) const;

    Ranking ranking_;
    Xapian::Stem stemmer_;
    Xapian::SimpleStopper stopper_;
    Xapian::QueryParser parser_;
};

}  // namespace icd::detail
