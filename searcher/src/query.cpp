#include "query.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "icd/code.hpp"
#include "icd/schema.hpp"
#include "text.hpp"

namespace icd::detail {

namespace {

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

Ranking ranking_from_env() {
    Ranking r;
    const char* env = std::getenv("ICD_RANKING");
    if (env == nullptr) return r;
    std::istringstream in(env);
    for (std::string item; std::getline(in, item, ',');) {
        const auto eq = item.find('=');
        if (eq == std::string::npos) continue;
        const std::string name = item.substr(0, eq);
        double value = 0;
        try {
            value = std::stod(item.substr(eq + 1));
        } catch (const std::exception&) {
            continue;
        }
        if (name == "k1") r.bm25_k1 = value;
        else if (name == "b") r.bm25_b = value;
        else if (name == "entry") r.entry_boost = value;
        else if (name == "partial") r.partial_entry_scale = value;
        else if (name == "loose") r.loose_scale = value;
        else if (name == "category") r.category_scale = value;
    }
    return r;
}

bool has_query_syntax(std::string_view text) {
    for (char c : text) {
        if (c == '"' || c == '(' || c == ')' || c == ':' || c == '*') return true;
    }
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
        std::size_t j = i;
        while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])) == 0) ++j;
        const std::string_view token = text.substr(i, j - i);
        if (token.size() > 1 && (token[0] == '+' || token[0] == '-')) return true;
        if (token == "AND" || token == "OR" || token == "NOT" || token == "XOR" || token == "NEAR") return true;
        i = j;
    }
    return false;
}

QueryBuilder::QueryBuilder(Ranking ranking) : ranking_(ranking), stemmer_("english") {

    for (const auto& w : stopwords()) stopper_.add(w);
    parser_.set_stemmer(stemmer_);
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser_.set_stopper(&stopper_);
    parser_.set_default_op(Xapian::Query::OP_OR);
    parser_.set_max_expansion(200, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    for (const auto& f : schema::kTextFields) {
        if (!f.prefix.empty()) parser_.add_prefix(std::string(f.name), std::string(f.prefix));
    }
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

Xapian::Query QueryBuilder::parse(const std::string& text, unsigned flags, const std::string& prefix) {
    try {
        return parser_.parse_query(text, flags, prefix);
    } catch (const Xapian::QueryParserError&) {
        // Unbalanced quotes, a lone "AND", ...: search the words alone.
    }
    std::string plain;
    plain.reserve(text.size());
    for (char c : text) plain.push_back(is_word_byte(static_cast<unsigned char>(c)) ? c : ' ');
    try {
        return parser_.parse_query(plain, 0, prefix);
    } catch (const Xapian::QueryParserError&) {
        return Xapian::Query();
    }
}

namespace {
// Frequency of `word` in the spelling table (0 when absent). Xapian 1.4 has
// no direct call for it; a seek in the spelling list is one B-tree lookup.
Xapian::doccount spelling_frequency(const Xapian::Database& db, const std::string& word) {
    auto it = db.spellings_begin();
    it.skip_to(word);
    return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}
}  // namespace

QueryBuilder::Fix QueryBuilder::spelling_fix(const std::string& word, const Xapian::Database& db) const {
    if (spelling_frequency(db, word) > 0) return {};
    const std::string stem = stemmer_(word);
    if (db.synonyms_begin(stem) != db.synonyms_end(stem)) return {};  // a thesaurus or index phrase
    // Prefer a word with exactly the typed letters (swapped letters are the
    // commonest typo), then Xapian's suggestion: one edit for short words,
    // two for longer ones.
    std::string fix;
    Xapian::doccount best = 0;
    std::istringstream anagrams(db.get_metadata(std::string(schema::kMetaAnagram) + anagram_key(word)));
    for (std::string candidate; anagrams >> candidate;) {
        const Xapian::doccount f = spelling_frequency(db, candidate);
        if (candidate != word && f > best) {
            fix = candidate;
            best = f;
        }
    }
    if (fix.empty()) fix = db.get_spelling_suggestion(word, word.size() <= 5 ? 1 : 2);
    // A change of first letter changes the word, not its spelling
    // ("acalculous" is not a typo of "calculous").
    if (fix.empty() || fix == word || fix[0] != word[0]) return {};
    // A word unknown as written but known through its stem ("deposits" ~
    // "deposit") is searched as typed; a close spelling that is far more
    // common is applied ("prostrate" shares its stem with "prostration",
    // but "prostate" is what is meant), a merely more common one offered.
    const Xapian::doccount stem_freq = db.get_termfreq("Z" + stem);
    if (stem_freq == 0) return {fix, true};
    const Xapian::doccount fix_freq = spelling_frequency(db, fix);
    if (fix_freq >= 5 * stem_freq) return {fix, true};
    if (fix_freq > stem_freq) return {fix, false};
    return {};
}

std::string QueryBuilder::correct_spelling(const std::string& text, const Xapian::Database& db,
                                           BuiltQuery& out) const {
    std::string lower;
    lower.reserve(text.size());
    for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string corrected, suggested;
    std::size_t done = 0, done_suggested = 0;  // bytes of `text` copied so far
    bool applied = false, offered = false;
    for (const auto& w : words(text)) {
        const std::size_t at = lower.find(w, std::max(done, done_suggested));
        if (at == std::string::npos) continue;
        const bool letters = std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; });
        if (!letters || w.size() < 4) continue;
        const Fix fix = spelling_fix(w, db);
        if (fix.word.empty()) continue;
        // The suggestion carries every correction; the applied text only
        // the confident ones.
        suggested.append(text, done_suggested, at - done_suggested);
        suggested += fix.word;
        done_suggested = at + w.size();
        offered = true;
        if (fix.apply) {
            corrected.append(text, done, at - done);
            corrected += fix.word;
            done = at + w.size();
            applied = true;
        }
    }
    if (applied) {
        corrected.append(text, done, std::string::npos);
        out.corrected = corrected;
    }
    if (offered) {
        suggested.append(text, done_suggested, std::string::npos);
        if (suggested != out.corrected) out.suggestion = suggested;
    }
    return applied ? corrected : text;
}

std::vector<QueryBuilder::Span> QueryBuilder::match_synonyms(const std::vector<std::string>& ws,
                                                             const Xapian::Database& db) const {
    std::vector<std::string> stems;
    for (const auto& w : ws) stems.push_back(stemmer_(w));
    std::vector<bool> used(ws.size(), false);
    std::vector<Span> spans;
    constexpr std::size_t kMaxPhrase = 5;
    constexpr std::size_t kMaxValues = 8;
    auto lookup = [&](const std::string& key) {
        std::vector<std::string> values;
        for (auto v = db.synonyms_begin(key); v != db.synonyms_end(key) && values.size() < kMaxValues; ++v) {
            const std::string value = *v;
            if (value.size() > 1) values.push_back(value.substr(1));  // drop the origin mark
        }
        return values;
    };
    // Longest phrases first, so "ibs d" wins over "ibs".
    for (std::size_t len = std::min(kMaxPhrase, ws.size()); len >= 1; --len) {
        for (std::size_t i = 0; i + len <= ws.size(); ++i) {
            const auto b = used.begin() + static_cast<std::ptrdiff_t>(i);
            if (std::any_of(b, b + static_cast<std::ptrdiff_t>(len), [](bool u) { return u; })) continue;
            std::string key;
            for (std::size_t k = i; k < i + len; ++k) key += (k > i ? " " : "") + stems[k];
            auto values = lookup(key);
            // Two words the release writes as one ("bed wetting": Bedwetting).
            if (values.empty() && len == 2) values = lookup(stemmer_(ws[i] + ws[i + 1]));
            if (values.empty()) continue;
            std::fill(b, b + static_cast<std::ptrdiff_t>(len), true);
            spans.push_back({i, i + len, std::move(values)});
        }
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    // An expansion ending in "of" ("metastatic to" -> "secondary malignant
    // neoplasm of") takes the next word with it ("... of bone"), so the
    // concept binds to its site instead of floating free.
    for (std::size_t k = 0; k < spans.size(); ++k) {
        Span& sp = spans[k];
        const bool next_free = sp.end < ws.size() && (k + 1 == spans.size() || spans[k + 1].begin > sp.end);
        if (!next_free || is_stopword(ws[sp.end])) continue;
        if (std::all_of(sp.expansions.begin(), sp.expansions.end(), [](const std::string& e) { return e.ends_with(" of"); })) {
            for (auto& e : sp.expansions) e += " " + ws[sp.end];
            ++sp.end;
        }
    }
    return spans;
}

Xapian::Query QueryBuilder::all_words(const std::vector<std::string>& ws, const std::string& prefix) const {
    std::vector<Xapian::Query> terms;
    for (const auto& w : ws) {
        if (is_stopword(w)) continue;
        // As QueryParser's STEM_SOME does: words stemmed ("Z" prefix),
        // numbers and codes as written.
        const bool word = std::isalpha(static_cast<unsigned char>(w[0])) != 0;
        terms.emplace_back(word ? "Z" + prefix + stemmer_(w) : prefix + w);
    }
    if (terms.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

Xapian::Query QueryBuilder::plain_query(const std::vector<std::string>& ws, const std::vector<Span>& spans,
                                        const std::string& prefix) {
    std::vector<Xapian::Query> parts;
    auto add_words = [&](std::size_t from, std::size_t to) {
        if (from >= to) return;
        std::string text;
        for (std::size_t i = from; i < to; ++i) text += (i > from ? " " : "") + ws[i];
        Xapian::Query q = parse(text, Xapian::QueryParser::FLAG_DEFAULT, prefix);
        if (!q.empty()) parts.push_back(q);
    };
    std::size_t at = 0;
    for (const auto& span : spans) {
        add_words(at, span.begin);
        // The phrase as typed and its expansions are one concept: weighted
        // as a single term, so neither a rare lay word ("broken") nor a
        // long expansion counts more than the concept itself.
        std::vector<Xapian::Query> alternatives;
        const std::vector<std::string> typed(ws.begin() + static_cast<std::ptrdiff_t>(span.begin),
                                             ws.begin() + static_cast<std::ptrdiff_t>(span.end));
        alternatives.push_back(all_words(typed, prefix));
        for (const auto& e : span.expansions) alternatives.push_back(all_words(words(e), prefix));
        std::erase_if(alternatives, [](const Xapian::Query& q) { return q.empty(); });
        if (!alternatives.empty()) {
            parts.emplace_back(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
        }
        at = span.end;
    }
    add_words(at, ws.size());
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

Xapian::Query QueryBuilder::exact_entries(const std::vector<std::string>& ws, const std::vector<Span>& spans,
                                          const Xapian::Database& db) const {
    // Every combination of typed phrase / expansion per span, bounded.
    constexpr std::size_t kMaxReadings = 16;
    std::vector<std::vector<std::string>> readings{{}};
    std::size_t at = 0;
    auto append = [](std::vector<std::vector<std::string>>& rs, const std::vector<std::string>& more) {
        for (auto& r : rs) r.insert(r.end(), more.begin(), more.end());
    };
    for (const auto& span : spans) {
        append(readings, {ws.begin() + static_cast<std::ptrdiff_t>(at), ws.begin() + static_cast<std::ptrdiff_t>(span.begin)});
        std::vector<std::vector<std::string>> choices{
            {ws.begin() + static_cast<std::ptrdiff_t>(span.begin), ws.begin() + static_cast<std::ptrdiff_t>(span.end)}};
        for (const auto& e : span.expansions) choices.push_back(words(e));
        std::vector<std::vector<std::string>> next;
        for (const auto& r : readings) {
            for (const auto& c : choices) {
                if (next.size() >= kMaxReadings) break;
                auto combined = r;
                combined.insert(combined.end(), c.begin(), c.end());
                next.push_back(std::move(combined));
            }
        }
        readings = std::move(next);
        at = span.end;
    }
    append(readings, {ws.begin() + static_cast<std::ptrdiff_t>(at), ws.end()});

    std::vector<Xapian::Query> whole, partial;
    std::vector<std::string> seen;
    auto lookup = [&](const std::vector<std::string>& reading, std::vector<Xapian::Query>& into) {
        const std::string key = query_entry_key(reading, stemmer_);
        if (key.empty()) return;
        const std::string term = std::string(schema::kEntryKey.prefix) + key;
        if (std::find(seen.begin(), seen.end(), term) != seen.end()) return;
        seen.push_back(term);
        if (db.term_exists(term)) into.emplace_back(term);
    };
    for (const auto& r : readings) lookup(r, whole);
    // A query made only of matched phrases names several concepts, each of
    // which may be an entry: "breast cancer metastatic to bone" names
    // "Neoplasm, breast, malignant" and "secondary malignant neoplasm of
    // bone". (When other words remain, they make the query more specific
    // than any one phrase, and a phrase's entry must not outrank codes that
    // match those words too.)
    std::size_t covered = 0;
    for (const auto& span : spans) covered += span.end - span.begin;
    std::size_t content_words = 0;
    for (const auto& w : ws) content_words += is_stopword(w) ? 0U : 1U;
    if (spans.size() > 1 && covered >= content_words) {
        for (const auto& span : spans) {
            lookup({ws.begin() + static_cast<std::ptrdiff_t>(span.begin), ws.begin() + static_cast<std::ptrdiff_t>(span.end)},
                   partial);
            for (const auto& e : span.expansions) lookup(words(e), partial);
        }
    }
    std::vector<Xapian::Query> parts;
    if (!whole.empty()) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, whole.begin(), whole.end()),
                           ranking_.entry_boost);
    }
    if (!partial.empty()) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(Xapian::Query::OP_OR, partial.begin(), partial.end()),
                           ranking_.entry_boost * ranking_.partial_entry_scale);
    }
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

BuiltQuery QueryBuilder::build(std::string_view text, const Xapian::Database& db) {
    BuiltQuery out;
    if (auto key = code_key(text)) {
        out = build_code(*key, db);
        if (out.mode == QueryMode::code) return out;
    }
    const std::string raw(text);
    if (has_query_syntax(raw)) {
        out.query = parse(raw, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
    } else {
        const std::string searched = correct_spelling(raw, db, out);
        const std::vector<std::string> ws = words(searched);
        const std::vector<Span> spans = match_synonyms(ws, db);
        for (const auto& span : spans) {
            std::string phrase;
            for (std::size_t i = span.begin; i < span.end; ++i) phrase += (i > span.begin ? " " : "") + ws[i];
            for (const auto& e : span.expansions) out.expansions.push_back(phrase + " -> " + e);
        }
        std::vector<Xapian::Query> parts{plain_query(ws, spans), exact_entries(ws, spans, db)};
        // A category's article describes the whole category: it is evidence
        // for the codes below it, but weaker than their own text, or a word
        // of the article ("muscle wasting" in M62's) would lift every
        // sibling to the level of the code it names.
        const std::string prefix(schema::spec(schema::TextField::category).prefix);
        if (ranking_.category_scale > 0 && db.allterms_begin("Z" + prefix) != db.allterms_end("Z" + prefix)) {
            Xapian::Query category = plain_query(ws, spans, prefix);
            if (!category.empty()) {
                parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, category, ranking_.category_scale);
            }
        }
        // Concepts match all their words; the words one by one, weighted
        // down, keep every code that shares a word with the query in the
        // results (below the concept matches), so a query never comes back
        // empty just because no code holds a whole phrase.
        if (!spans.empty()) {
            parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, parse(searched, Xapian::QueryParser::FLAG_DEFAULT),
                               ranking_.loose_scale);
        }
        std::erase_if(parts, [](const Xapian::Query& q) { return q.empty(); });
        out.query = parts.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    }
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
