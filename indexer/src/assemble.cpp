#include "icd/indexer/assemble.hpp"

#include <algorithm>
#include <unordered_map>
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

    // Alphabetic Index paths by code key.
    std::unordered_map<std::string, std::vector<std::string>> index_paths;
    out.index_references = src.index.entries.size();
    for (const auto& e : src.index.entries) {
        auto key = code_key(e.code);
        if (!key || !codes.contains(*key)) {
            out.index_unresolved.push_back({e.code, src.index_name + ":" + std::to_string(e.line)});
            continue;
        }
        ++out.index_attached;
        std::string text = e.path_text();
        if (e.manifestation) text += " (manifestation code)";
        auto& paths = index_paths[*key];
        if (std::find(paths.begin(), paths.end(), text) == paths.end()) paths.push_back(std::move(text));
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

        // Inherited context: the titles of every ancestor, then the section.
        for (std::string up = r.parent; !up.empty(); up = order_parent(codes, up)) {
            r.context.push_back(codes.find(up)->long_title);
        }
        if (!r.section_title.empty()) r.context.push_back(r.section_title);

        if (auto it = index_paths.find(e.key); it != index_paths.end()) {
            r.index_terms = std::move(it->second);
            ++out.codes_with_index_terms;
        }
        if (auto it = articles.find(e.key); it != articles.end()) {
            r.article = *it->second;
            ++out.articles_attached;
        }
        out.records.push_back(std::move(r));
    }
    return out;
}

}  // namespace icd::indexer
