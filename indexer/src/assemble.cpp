#include "icd/indexer/assemble.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <string_view>
#include <unordered_set>

#include "icd/code.hpp"

namespace icd::indexer {

namespace {

// Nearest code listed in the tabular: the key itself, else its longest
// listed prefix (T78.40XA -> T78.40).
const TabularCode* tabular_node(const Tabular& tab, const std::string& key, bool& exact) {
    exact = false;
    for (std::size_t n = key.size(); n >= 3; --n) {
        auto it = tab.codes.find(key.substr(0, n));
        if (it != tab.codes.end()) {
            exact = n == key.size();
            return &it->second;
        }
    }
    return nullptr;
}

// The <sevenChrDef> in force for `node`: its own or its nearest ancestor's.
const std::map<char, std::string>* seventh_defs(const Tabular& tab, const TabularCode* node) {
    while (node != nullptr) {
        if (!node->seventh_chars.empty()) return &node->seventh_chars;
        if (node->parent.empty()) return nullptr;
        auto it = tab.codes.find(node->parent);
        node = it == tab.codes.end() ? nullptr : &it->second;
    }
    return nullptr;
}

// Nearest ancestor present in the order file (placeholder "X"s are skipped
// because codes like T78.40X do not exist).
std::string order_parent(const CodeTable& codes, const std::string& key) {
    for (std::size_t n = key.size() - 1; n >= 3; --n) {
        if (codes.contains(std::string_view(key).substr(0, n))) return key.substr(0, n);
    }
    return {};
}

}  // namespace

Assembly assemble(const AssembleSources& src) {
    Assembly out;
    const CodeTable codes(src.order);
    const Tabular& tab = src.tabular;

    std::unordered_map<std::string, std::string> section_titles;
    for (const auto& s : tab.sections) {
        section_titles[s.id] = s.title;
        if (!s.notes.empty()) out.section_notes.push_back({s.id, s.notes});
    }
    std::unordered_map<std::string, std::string> chapter_titles;
    for (const auto& c : tab.chapters) {
        chapter_titles[c.number] = c.title;
        if (!c.notes.empty()) out.chapter_notes.push_back({c.number, c.notes});
    }

    out.tabular_codes = tab.codes.size();
    for (const auto& [key, node] : tab.codes) {
        if (!codes.contains(key)) {
            out.tabular_not_in_order.push_back({display_code(key), src.tabular_name + ":" + std::to_string(node.line)});
        }
    }
    std::sort(out.tabular_not_in_order.begin(), out.tabular_not_in_order.end(),
              [](const auto& a, const auto& b) { return a.code < b.code; });

    // Keys in sorted order: the codes below K are the keys after K that
    // start with K.
    std::vector<std::string_view> sorted;
    sorted.reserve(src.order.size());
    for (const auto& e : src.order) sorted.emplace_back(e.key);
    std::sort(sorted.begin(), sorted.end());
    auto for_each_below = [&](const std::string& key, auto&& fn) {
        for (auto it = std::upper_bound(sorted.begin(), sorted.end(), std::string_view(key));
             it != sorted.end() && it->starts_with(key); ++it) {
            fn(std::string(*it));
        }
    };

    std::unordered_map<std::string, std::vector<std::string>> index_paths, above_paths, table_paths, entry_phrases;
    auto add_unique = [](std::vector<std::string>& v, const std::string& text) {
        if (std::find(v.begin(), v.end(), text) == v.end()) v.push_back(text);
    };
    // Attaches every entry of `index` to its code (into `own`) and, for a
    // "-" or header reference, to the codes below it (into `below`).
    auto attach = [&](const AlphaIndex& index, const std::string& name, ReferenceStats& stats,
                      std::unordered_map<std::string, std::vector<std::string>>& own,
                      std::unordered_map<std::string, std::vector<std::string>>& below) {
        std::unordered_set<std::string> codes_hit;
        stats.references += index.entries.size();
        for (const auto& e : index.entries) {
            auto key = code_key(e.code);
            const OrderEntry* entry = key ? codes.find(*key) : nullptr;
            if (entry == nullptr) {
                stats.unresolved.push_back({e.code, name + ":" + std::to_string(e.line)});
                continue;
            }
            ++stats.attached;
            std::string text = e.path_text();
            if (e.manifestation) text += " (manifestation code)";
            // The column a table entry falls back to when the record does
            // not say: poisoning of unknown intent is coded as accidental
            // (Guidelines I.C.19.e.5(b)); a neoplasm not stated as secondary
            // is the primary one. "tylenol poisoning" is then an exact entry.
            std::string fallback;
            if (e.column.starts_with("Poisoning Accidental")) fallback = "Poisoning";
            if (e.column == "Malignant Primary") fallback = "Malignant";
            if (!fallback.empty()) {
                IndexEntry shorter = e;
                shorter.column = fallback;
                fallback = shorter.path_text();
            }
            auto attach_to = [&](const std::string& k, std::vector<std::string>& into) {
                add_unique(into, text);
                if (!fallback.empty()) add_unique(entry_phrases[k], fallback);
            };
            attach_to(*key, own[*key]);
            codes_hit.insert(*key);
            if (e.code.ends_with('-') || !entry->billable) {
                for_each_below(*key, [&](const std::string& k) {
                    attach_to(k, below[k]);
                    ++stats.to_descendants;
                });
            }
        }
        stats.codes += codes_hit.size();
    };
    attach(src.index, src.index_name, out.index, index_paths, above_paths);
    for (const auto& t : src.tables) {
        if (t.index != nullptr) attach(*t.index, t.name, out.tables, table_paths, table_paths);
    }

    // Articles by code key.
    out.articles = src.articles.size();
    std::unordered_map<std::string, const Article*> articles;
    for (const auto& a : src.articles) {
        auto key = code_key(a.code);
        if (!key || !codes.contains(*key)) continue;  // reported by validate_article
        auto [it, inserted] = articles.emplace(*key, &a);
        if (!inserted) {
            out.diagnostics.push_back(
                {a.file, 0, "code", "a second article for " + a.code + " (the first is " + it->second->file + "); ignored"});
        }
    }

    // Category articles reach every code below the category; a category
    // article's subcode notes reach the subcode and every code below it.
    std::unordered_map<std::string, std::shared_ptr<const Article>> category_articles;
    std::unordered_map<std::string, std::vector<std::string>> subcode_notes;
    for (const auto& [key, article] : articles) {
        if (key.size() == 3) category_articles.emplace(key, std::make_shared<const Article>(*article));
        for (const auto& sub : article->subcodes) {
            auto k = code_key(sub.code);
            if (!k || !codes.contains(*k)) continue;  // reported by validate_article
            add_unique(subcode_notes[*k], sub.when);
            for_each_below(*k, [&](const std::string& below) { add_unique(subcode_notes[below], sub.when); });
        }
    }

    out.records.reserve(src.order.size());
    for (const auto& e : src.order) {
        CodeRecord r;
        r.key = e.key;
        r.title = e.long_title;
        r.short_title = e.short_title;
        r.billable = e.billable;
        r.order = e.order;
        if (e.billable) ++out.billable;
        r.parent = order_parent(codes, e.key);

        bool exact = false;
        const TabularCode* node = tabular_node(tab, e.key, exact);
        if (node != nullptr) {
            r.chapter = node->chapter;
            r.chapter_title = chapter_titles[node->chapter];
            r.section = node->section;
            r.section_title = section_titles[node->section];
            if (exact) {
                r.inclusion_terms = node->inclusion_terms;
                r.notes = node->notes;
            } else if (e.key.size() == 7) {
                // A 7th-character extension of `node` shares its inclusion terms.
                if (const auto* defs = seventh_defs(tab, node)) {
                    if (auto d = defs->find(e.key[6]); d != defs->end()) {
                        r.seventh_character = std::string(1, e.key[6]) + ": " + d->second;
                        r.inclusion_terms = node->inclusion_terms;
                    }
                }
            }
        } else {
            ++out.codes_without_tabular;
        }

        // Inherited context: every ancestor's title and inclusion terms
        // (E05.0's "Graves' disease" describes E05.00 too), then the section.
        for (std::string up = r.parent; !up.empty(); up = order_parent(codes, up)) {
            r.context.push_back(codes.find(up)->long_title);
            if (auto t = tab.codes.find(up); t != tab.codes.end()) {
                r.context.insert(r.context.end(), t->second.inclusion_terms.begin(), t->second.inclusion_terms.end());
            }
        }
        if (!r.section_title.empty()) r.context.push_back(r.section_title);

        if (auto it = index_paths.find(e.key); it != index_paths.end()) r.index_terms = std::move(it->second);
        if (auto it = above_paths.find(e.key); it != above_paths.end()) r.index_above = std::move(it->second);
        if (auto it = table_paths.find(e.key); it != table_paths.end()) r.table_terms = std::move(it->second);
        if (auto it = entry_phrases.find(e.key); it != entry_phrases.end()) r.entry_phrases = std::move(it->second);
        if (auto it = articles.find(e.key); it != articles.end()) {
            r.article = *it->second;
            ++out.articles_attached;
        }
        if (e.key.size() > 3) {
            if (auto it = category_articles.find(e.key.substr(0, 3)); it != category_articles.end()) {
                r.category_article = it->second;
            }
        }
        if (auto it = subcode_notes.find(e.key); it != subcode_notes.end()) r.subcode_notes = it->second;
        out.records.push_back(std::move(r));
    }
    return out;
}

namespace {

// "Infarct, infarction (acute) NEC" -> {"Infarct", "infarction"}: the
// nonessential modifiers in parentheses and NEC/NOS are dropped, commas
// separate alternatives.
std::vector<std::string> alternatives(const std::string& title) {
    std::string plain;
    int depth = 0;
    for (char c : title) {
        if (c == '(' || c == '[') ++depth;
        else if ((c == ')' || c == ']') && depth > 0) --depth;
        else if (depth == 0) plain.push_back(c);
    }
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= plain.size()) {
        const std::size_t comma = plain.find(',', start);
        std::string item = plain.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        for (const char* filler : {" NEC", " NOS"}) {
            if (item.ends_with(filler)) item.resize(item.size() - 4);
        }
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

}  // namespace

std::vector<CrossReferencePhrase> cross_reference_phrases(const AlphaIndex& index) {
    std::vector<CrossReferencePhrase> out;
    for (const auto& x : index.cross_references) {
        if (x.path.empty() || x.path.size() > 2) continue;
        if (x.target == "condition" || x.target.starts_with("condition") || x.target.starts_with("category")) continue;
        // "Calcification, by site": the "by site" part is an instruction to
        // the coder, not words of the condition.
        std::string target;
        for (const auto& part : alternatives(x.target)) {
            if (part.starts_with("by ")) continue;
            if (!target.empty()) target += ", ";
            target += part;
        }
        if (target.empty()) continue;
        // A main term's comma parts are inflections or fragments ("Attack,
        // attacks"; "Sudeck's atrophy, disease, or osteoporosis"): only the
        // first is a phrase on its own. A subterm's are alternatives
        // ("calcareous, calcium").
        const auto mains = alternatives(x.path[0]);
        if (mains.empty()) continue;
        const std::string& m = mains.front();
        if (x.path.size() == 1) {
            out.push_back({m, target, x.see_also});
            continue;
        }
        for (const auto& sub : alternatives(x.path[1])) {
            out.push_back({m + " " + sub, target, x.see_also});
            out.push_back({sub + " " + m, target, x.see_also});
        }
    }
    return out;
}

}  // namespace icd::indexer
