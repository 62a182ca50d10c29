#include "icd/indexer/tabular.hpp"

#include <array>
#include <utility>

#include "icd/code.hpp"
#include "xml_util.hpp"

namespace icd::indexer {

namespace {

using detail::all_text;
using detail::LineIndex;

constexpr std::array<std::pair<const char*, NoteKind>, 8> kNoteElements{{
    {"includes", NoteKind::includes},
    {"excludes1", NoteKind::excludes1},
    {"excludes2", NoteKind::excludes2},
    {"codeFirst", NoteKind::code_first},
    {"useAdditionalCode", NoteKind::use_additional_code},
    {"codeAlso", NoteKind::code_also},
    {"notes", NoteKind::note},
    {"sevenChrNote", NoteKind::seventh_character},
}};

// Notes written directly on `node` (not on its nested codes).
std::vector<Note> own_notes(const pugi::xml_node& node, const std::string& from) {
    std::vector<Note> out;
    for (const auto& [element, kind] : kNoteElements) {
        for (const pugi::xml_node& group : node.children(element)) {
            for (const pugi::xml_node& note : group.children("note")) {
                std::string text = all_text(note);
                if (!text.empty()) out.push_back({kind, std::move(text), from});
            }
        }
    }
    return out;
}

// <sevenChrDef><extension char="A">initial encounter ...</extension><note>...</note>
// A <note> after an extension qualifies that extension ("open fracture NOS").
std::map<char, std::string> seventh_chars(const pugi::xml_node& node) {
    std::map<char, std::string> out;
    for (const pugi::xml_node& def : node.children("sevenChrDef")) {
        char last = 0;
        for (const pugi::xml_node& child : def.children()) {
            const std::string_view name = child.name();
            if (name == "extension") {
                const std::string ch = child.attribute("char").value();
                if (ch.size() != 1) continue;
                last = ch[0];
                out[last] = all_text(child);
            } else if (name == "note" && last != 0) {
                out[last] += " (" + all_text(child) + ")";
            }
        }
    }
    return out;
}

struct Walker {
    const std::string& name;
    const LineIndex& lines;
    Tabular& tab;

    Result<void> diag(const pugi::xml_node& node, const std::string& parent, const std::string& chapter,
                      const std::string& section) {
        const std::size_t line = lines.line_of(node.offset_debug());
        const std::string code = all_text(node.child("name"));
        auto key = code_key(code);
        if (!key) {
            return make_error(Errc::source_invalid,
                              name + ":" + std::to_string(line) + ": <diag> has invalid code <name>'" + code + "'");
        }
        TabularCode c;
        c.key = *key;
        c.title = all_text(node.child("desc"));
        if (c.title.empty()) {
            return make_error(Errc::source_invalid,
                              name + ":" + std::to_string(line) + ": <diag> " + code + " has no <desc>");
        }
        c.parent = parent;
        c.chapter = chapter;
        c.section = section;
        c.line = line;
        for (const pugi::xml_node& group : node.children("inclusionTerm")) {
            for (const pugi::xml_node& note : group.children("note")) {
                if (std::string text = all_text(note); !text.empty()) c.inclusion_terms.push_back(std::move(text));
            }
        }
        c.notes = own_notes(node, c.key);
        c.seventh_chars = seventh_chars(node);
        const std::string k = c.key;
        if (!tab.codes.emplace(k, std::move(c)).second) {
            return make_error(Errc::source_invalid,
                              name + ":" + std::to_string(line) + ": code " + code + " appears twice");
        }
        for (const pugi::xml_node& child : node.children("diag")) {
            if (auto r = diag(child, k, chapter, section); !r) return r;
        }
        return {};
    }
};

}  // namespace

Result<Tabular> parse_tabular(std::string_view xml, const std::string& name) {
    const LineIndex lines(xml);
    pugi::xml_document doc;
    if (auto r = detail::load_xml(doc, xml, name, lines, "ICD10CM.tabular"); !r) return std::move(r).error();
    const pugi::xml_node root = doc.document_element();
    Tabular tab;
    tab.version = all_text(root.child("version"));
    tab.codes.reserve(50000);
    Walker walker{name, lines, tab};
    for (const pugi::xml_node& ch : root.children("chapter")) {
        TabularChapter chapter{all_text(ch.child("name")), all_text(ch.child("desc")), {}};
        if (chapter.number.empty()) {
            return make_error(Errc::source_invalid, name + ":" + std::to_string(lines.line_of(ch.offset_debug())) +
                                                        ": <chapter> without <name>");
        }
        chapter.notes = own_notes(ch, "chapter " + chapter.number);
        for (const pugi::xml_node& sec : ch.children("section")) {
            TabularSection section{sec.attribute("id").value(), all_text(sec.child("desc")), chapter.number, {}};
            section.notes = own_notes(sec, section.id);
            for (const pugi::xml_node& d : sec.children("diag")) {
                if (auto r = walker.diag(d, "", chapter.number, section.id); !r) return std::move(r).error();
            }
            tab.sections.push_back(std::move(section));
        }
        tab.chapters.push_back(std::move(chapter));
    }
    if (tab.codes.empty()) return make_error(Errc::source_invalid, name + ": no <diag> codes in the Tabular List");
    return tab;
}

Result<Tabular> read_tabular(const std::filesystem::path& path) {
    auto text = detail::read_file(path, "Tabular List XML");
    if (!text) return std::move(text).error();
    return parse_tabular(*text, path.string());
}

}  // namespace icd::indexer
