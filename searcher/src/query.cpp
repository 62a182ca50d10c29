#include "query.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "icd/code.hpp"
#include "icd/schema.hpp"

namespace icd::detail {

namespace {

// Function words that carry no meaning in a diagnosis query. Deliberately
// short: "with", "without", "no", "not", "due", "after" and "following"
// decide between ICD-10-CM codes and are kept.
constexpr std::array<const char*, 24> kStopwords{
    "a",  "an", "and",  "the",  "of",   "in",   "on",    "at",    "to",   "for", "by",   "or",
    "is", "are", "was", "were", "be",   "been", "i",     "my",    "me",   "it",  "this", "that"};

// Boolean field whose value is a code or code prefix in any spelling.
class CodeField : public Xapian::FieldProcessor {
public:
    explicit CodeField(std::string_view prefix) : prefix_(prefix) {}
    Xapian::Query operator()(const std::string& value) override {
        if (auto key = code_key(value)) return Xapian::Query(schema::term(prefix_, *key));
        return Xapian::Query::MatchNothing;
    }

private:
    std::string prefix_;
};

// billable:yes / billable:no (also 1/0, true/false).
class BillableField : public Xapian::FieldProcessor {
public:
    Xapian::Query operator()(const std::string& value) override {
        std::string v;
        for (char c : value) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        const std::string prefix(schema::kBillable.prefix);
        if (v == "1" || v == "yes" || v == "true" || v == "y") return Xapian::Query(prefix + "1");
        if (v == "0" || v == "no" || v == "false" || v == "n") return Xapian::Query(prefix + "0");
        return Xapian::Query::MatchNothing;
    }
};

// section:m60-m63 -> XQ:M60-M63
class SectionField : public Xapian::FieldProcessor {
public:
    Xapian::Query operator()(const std::string& value) override {
        std::string v;
        for (char c : value) v.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        return Xapian::Query(schema::term(schema::kSection.prefix, v));
    }
};

bool is_word_byte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80 || c == '\''; }

}  // namespace

std::string truncate_query(std::string_view query, std::size_t max_bytes, bool& truncated) {
    truncated = false;
    if (query.size() <= max_bytes) return std::string(query);
    truncated = true;
    std::size_t cut = max_bytes;
    // Never split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(query[cut]) & 0xC0) == 0x80) --cut;
    // Prefer a word boundary within the last 64 bytes.
    for (std::size_t i = cut; i > 0 && cut - i < 64; --i) {
        if (std::isspace(static_cast<unsigned char>(query[i])) != 0) {
            cut = i;
            break;
        }
    }
    return std::string(query.substr(0, cut));
}

QueryBuilder::QueryBuilder() : stemmer_("english") {
    for (const char* w : kStopwords) stopper_.add(w);
    parser_.set_stemmer(stemmer_);
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_stopper(&stopper_);
    parser_.set_default_op(Xapian::Query::OP_OR);
    parser_.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const auto& f : schema::kTextFields) parser_.add_prefix(std::string(f.name), std::string(f.prefix));
    // The parser keeps these alive through its reference-counted pointers.
    parser_.add_boolean_prefix(std::string(schema::kCodePrefix.name),
                               (new CodeField(schema::kCodePrefix.prefix))->release());
    parser_.add_boolean_prefix(std::string(schema::kParent.name), (new CodeField(schema::kParent.prefix))->release());
    parser_.add_boolean_prefix(std::string(schema::kBillable.name), (new BillableField)->release());
    parser_.add_boolean_prefix(std::string(schema::kSection.name), (new SectionField)->release());
    parser_.add_boolean_prefix(std::string(schema::kChapter.name), std::string(schema::kChapter.prefix));
}

BuiltQuery QueryBuilder::build_code(const std::string& key, const Xapian::Database& db) const {
    BuiltQuery out;
    out.mode = QueryMode::code;
    out.sort_by_code = true;
    // Longest prefix of the key that some code starts with: "M62.569" (no
    // such code) still lists what is under M62.56.
    for (std::size_t n = key.size(); n >= 3; --n) {
        const std::string term = schema::term(schema::kCodePrefix.prefix, key.substr(0, n));
        if (db.term_exists(term)) {
            out.query = Xapian::Query(term);
            if (n < key.size()) {
                out.note = "no code " + display_code(key) + "; showing codes under " + display_code(key.substr(0, n));
            }
            return out;
        }
    }
    out.mode = QueryMode::empty;
    return out;
}

Xapian::Query QueryBuilder::parse_text(const std::string& text, const Xapian::Database& db) {
    parser_.set_database(db);
    try {
        return parser_.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
    } catch (const Xapian::QueryParserError&) {
        // Unbalanced quotes, a lone "AND", ...: search the words alone.
    }
    std::string words;
    words.reserve(text.size());
    for (char c : text) words.push_back(is_word_byte(static_cast<unsigned char>(c)) ? c : ' ');
    try {
        return parser_.parse_query(words, 0);
    } catch (const Xapian::QueryParserError&) {
        return Xapian::Query();
    }
}

BuiltQuery QueryBuilder::build(std::string_view text, const Xapian::Database& db) {
    BuiltQuery out;
    if (auto key = code_key(text)) {
        out = build_code(*key, db);
        if (out.mode == QueryMode::code) return out;
    }
    out.query = parse_text(std::string(text), db);
    out.mode = out.query.empty() ? QueryMode::empty : QueryMode::text;
    return out;
}

Xapian::Query QueryBuilder::apply_filters(const Xapian::Query& query, const SearchOptions& options) {
    Xapian::Query q = query;
    if (options.billable_only) {
        q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(schema::term(schema::kBillable.prefix, "1")));
    }
    if (!options.chapter.empty()) {
        q = Xapian::Query(Xapian::Query::OP_FILTER, q,
                          Xapian::Query(schema::term(schema::kChapter.prefix, options.chapter)));
    }
    return q;
}

}  // namespace icd::detail
