#include "xml_util.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace icd::indexer::detail {

LineIndex::LineIndex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') newlines_.push_back(i);
    }
}

std::size_t LineIndex::line_of(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    const auto it = std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<std::size_t>(offset));
    return static_cast<std::size_t>(it - newlines_.begin()) + 1;
}

Result<std::string> read_file(const std::filesystem::path& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::source_invalid, path.string() + ": cannot open " + what);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return make_error(Errc::source_invalid, path.string() + ": read error");
    return ss.str();
}

Result<void> load_xml(pugi::xml_document& doc, std::string_view xml, const std::string& name,
                      const LineIndex& lines, const char* root) {
    const pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
        return make_error(Errc::source_invalid,
                          name + ":" + std::to_string(lines.line_of(r.offset)) + ": malformed XML: " + r.description(),
                          "is the file complete? compare its size with the official release");
    }
    if (std::string_view(doc.document_element().name()) != root) {
        return make_error(Errc::source_invalid, name + ": root element is <" +
                                                    std::string(doc.document_element().name()) + ">, expected <" +
                                                    root + ">");
    }
    return {};
}

std::string squeeze(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            space = !out.empty();
        } else {
            if (space) out.push_back(' ');
            space = false;
            out.push_back(c);
        }
    }
    return out;
}

std::string all_text(const pugi::xml_node& node) {
    std::string raw;
    for (const pugi::xml_node& n : node.children()) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
            raw += n.value();
        } else if (n.type() == pugi::node_element) {
            raw += ' ';
            raw += all_text(n);
            raw += ' ';
        }
    }
    return squeeze(raw);
}

}  // namespace icd::indexer::detail
