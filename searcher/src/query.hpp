// Turning what a user typed into a Xapian query. Internal to the core
// library; one QueryBuilder per search session (QueryParser is not
// thread-safe).
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

#include "icd/searcher.hpp"

namespace icd::detail {

struct BuiltQuery {
    QueryMode mode = QueryMode::empty;
    Xapian::Query query;          // what must match (filters not applied)
    bool sort_by_code = false;    // code mode: list in code order, not by score
    std::string note;             // e.g. "no code M62.569; showing codes under M62.56"
};

// Cuts `query` to at most `max_bytes` bytes, at a word boundary when there
// is one, never inside a UTF-8 sequence. Sets `truncated` when it cut.
std::string truncate_query(std::string_view query, std::size_t max_bytes, bool& truncated);

class QueryBuilder {
public:
    QueryBuilder();

    // Builds the query for `text` against `db` (used to check which codes
    // exist and to expand wildcards). Never throws for any input text;
    // may throw Xapian::Error for a broken database.
    BuiltQuery build(std::string_view text, const Xapian::Database& db);

    // `query` restricted by the options' filters (billable, chapter).
    static Xapian::Query apply_filters(const Xapian::Query& query, const SearchOptions& options);

    const Xapian::Stem& stemmer() const { return stemmer_; }

private:
    BuiltQuery build_code(const std::string& key, const Xapian::Database& db) const;
    Xapian::Query parse_text(const std::string& text, const Xapian::Database& db);

    Xapian::Stem stemmer_;
    Xapian::SimpleStopper stopper_;
    Xapian::QueryParser parser_;
};

}  // namespace icd::detail
