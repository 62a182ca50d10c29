#include "icd/indexer/alpha_index.hpp"

#include <map>

#include "xml_util.hpp"

namespace icd::indexer {

namespace {

using detail::all_text;
using detail::LineIndex;

struct Walker {
    const LineIndex& lines;
    AlphaIndex& index;
    std::map<std::string, std::string> headings;  // column number -> heading (tables)
    std::vector<std::string> path;

    void term(const pugi::xml_node& node) {
        path.push_back(all_text(node.child("title")));
        const std::size_t line = lines.line_of(node.offset_debug());
        for (const pugi::xml_node& child : node.children()) {
            const std::string_view name = child.name();
            const bool code = name == "code" || name == "subcat" || name == "seecat";
            if (code || name == "manif") {
                std::string c = all_text(child);
                if (!c.empty()) index.entries.push_back({path, std::move(c), name == "manif", {}, line});
            } else if (name == "see" || name == "seeAlso") {
                std::string target = all_text(child);
                if (!target.empty()) index.cross_references.push_back({path, std::move(target), name == "seeAlso", line});
            } else if (name == "cell") {
                std::string c = all_text(child);
                const std::string col = child.attribute("col").value();
                // "-" and "--" mark an empty cell.
                if (!c.empty() && c.find_first_not_of('-') != std::string::npos) {
                    auto h = headings.find(col);
                    index.entries.push_back(
                        {path, std::move(c), false, h == headings.end() ? "column " + col : h->second, line});
                }
            } else if (name == "term") {
                term(child);
            }
        }
        path.pop_back();
    }
};

}  // namespace

std::string IndexEntry::path_text() const {
    std::string out;
    for (const auto& p : path) {
        if (!out.empty()) out += " > ";
        out += p;
    }
    if (!column.empty()) out += " > " + column;
    return out;
}

Result<AlphaIndex> parse_alpha_index(std::string_view xml, const std::string& name) {
    const LineIndex lines(xml);
    pugi::xml_document doc;
    if (auto r = detail::load_xml(doc, xml, name, lines, "ICD10CM.index"); !r) return std::move(r).error();
    const pugi::xml_node root = doc.document_element();
    AlphaIndex index;
    index.version = all_text(root.child("version"));
    index.entries.reserve(70000);
    Walker walker{lines, index, {}, {}};
    for (const pugi::xml_node& head : root.child("indexHeading").children("head")) {
        walker.headings[head.attribute("col").value()] = all_text(head);
    }
    for (const pugi::xml_node& letter : root.children("letter")) {
        for (const pugi::xml_node& main : letter.children("mainTerm")) walker.term(main);
    }
    if (index.entries.empty()) return make_error(Errc::source_invalid, name + ": no code references in the index");
    return index;
}

Result<AlphaIndex> read_alpha_index(const std::filesystem::path& path) {
    auto text = detail::read_file(path, "Alphabetic Index XML");
    if (!text) return std::move(text).error();
    return parse_alpha_index(*text, path.string());
}

}  // namespace icd::indexer
