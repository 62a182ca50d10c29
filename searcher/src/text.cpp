#include "text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace icd::detail {

std::vector<std::string> words(std::string_view text) {
    // One generator per thread, reused: building one costs more than
    // splitting a short phrase.
    thread_local Xapian::TermGenerator tg = [] {
        Xapian::TermGenerator g;
        g.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
        return g;
    }();
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(std::string(text));
    std::vector<std::pair<Xapian::termpos, std::string>> at;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) at.emplace_back(*p, *t);
    }
    std::sort(at.begin(), at.end());
    std::vector<std::string> out;
    out.reserve(at.size());
    for (auto& [pos, w] : at) out.push_back(std::move(w));
    return out;
}

std::string synonym_key(const std::vector<std::string>& ws, const Xapian::Stem& stem) {
    std::string key;
    for (const auto& w : ws) {
        if (!key.empty()) key.push_back(' ');
        key += stem(w);
    }
    return key;
}

namespace {

// Comma components that only qualify a title and are left out of its key.
bool is_qualifier(const std::string& component) {
    static const std::array<std::string_view, 8> kQualifiers{
        "unspecified", "nos", "nec", "not elsewhere classified", "site not specified", "unspecified site",
        "not otherwise specified", "(manifestation code)"};
    std::string c;
    for (char ch : component) c.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    while (!c.empty() && c.front() == ' ') c.erase(c.begin());
    while (!c.empty() && c.back() == ' ') c.pop_back();
    return c.empty() || std::find(kQualifiers.begin(), kQualifiers.end(), c) != kQualifiers.end();
}

std::string strip_modifiers(std::string_view phrase) {
    std::string out;
    int depth = 0;
    for (char c : phrase) {
        if (c == '(' || c == '[') {
            ++depth;
        } else if ((c == ')' || c == ']') && depth > 0) {
            --depth;
        } else if (depth == 0) {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::string> split(const std::string& text, std::string_view sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = text.find(sep, start);
        out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) break;
        start = at + sep.size();
    }
    return out;
}

// Words split at "with"/"without" into segments; each segment's stems
// sorted (a stem already used in an earlier segment is dropped), so that
// order matters across "with" but not within a segment: "panic disorder
// without agoraphobia" differs from "agoraphobia without panic disorder".
std::string key_of(const std::vector<std::string>& ws, const Xapian::Stem& stem) {
    std::set<std::string> used;
    std::set<std::string> segment;
    std::string key;
    auto flush = [&] {
        for (const auto& s : segment) {
            if (!key.empty()) key.push_back(' ');
            key += s;
        }
        segment.clear();
    };
    for (const auto& w : ws) {
        if (w == "with" || w == "without") {
            flush();
            if (!key.empty()) key += ' ' + w;
            continue;
        }
        if (w == "nos" || w == "nec" || is_stopword(w)) continue;
        const std::string s = stem(w);
        if (used.insert(s).second) segment.insert(s);
    }
    flush();
    // A trailing "with"/"without" has nothing after it.
    for (const char* tail : {" with", " without"}) {
        if (key.ends_with(tail)) key.resize(key.size() - std::string_view(tail).size());
    }
    return key;
}

}  // namespace

const std::vector<std::string>& stopwords() {
    static const std::vector<std::string> kStopwords{
        "a",  "an",  "and", "the",  "of", "in", "on",   "at",   "to", "for", "by",   "or",
        "is", "are", "was", "were", "be", "been", "i", "my", "me", "it", "this", "that"};
    return kStopwords;
}

bool is_stopword(std::string_view word) noexcept {
    const auto& s = stopwords();
    return std::find(s.begin(), s.end(), word) != s.end();
}

std::vector<std::string> entry_keys(std::string_view phrase, const Xapian::Stem& stem) {
    const std::string plain = strip_modifiers(phrase);
    // Components: path levels, then comma parts of each level.
    std::vector<std::vector<std::string>> levels;  // level -> its comma parts (qualifiers dropped)
    for (const auto& level : split(plain, ">")) {
        std::vector<std::string> parts;
        for (const auto& part : split(level, ",")) {
            if (!is_qualifier(part)) parts.push_back(part);
        }
        if (!parts.empty()) levels.push_back(std::move(parts));
    }
    std::vector<std::string> keys;
    auto add = [&](const std::vector<std::string>& texts) {
        std::vector<std::string> ws;
        for (const auto& t : texts) {
            for (auto& w : words(t)) ws.push_back(std::move(w));
        }
        std::string key = key_of(ws, stem);
        if (!key.empty() && key.size() < 200 && std::find(keys.begin(), keys.end(), key) == keys.end()) {
            keys.push_back(std::move(key));
        }
    };
    std::vector<std::string> all;
    for (const auto& parts : levels) all.insert(all.end(), parts.begin(), parts.end());
    add(all);
    // One alternative per level with commas, while the product stays small.
    std::size_t product = 1;
    for (const auto& parts : levels) product *= parts.size();
    if (product > 1 && product <= 8) {
        for (std::size_t n = 0; n < product; ++n) {
            std::vector<std::string> pick;
            std::size_t rest = n;
            for (const auto& parts : levels) {
                pick.push_back(parts[rest % parts.size()]);
                rest /= parts.size();
            }
            add(pick);
        }
    }
    return keys;
}

std::string anagram_key(std::string_view word) {
    std::string key(word);
    std::sort(key.begin(), key.end());
    return key;
}

std::string query_entry_key(const std::vector<std::string>& ws, const Xapian::Stem& stem) { return key_of(ws, stem); }

}  // namespace icd::detail
