// Helpers for the release XML readers (pugixml).
#pragma once

#include <pugixml.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "icd/result.hpp"

namespace icd::indexer::detail {

// Maps byte offsets of a buffer to 1-based line numbers.
class LineIndex {
public:
    explicit LineIndex(std::string_view text);
    std::size_t line_of(std::ptrdiff_t offset) const;

private:
    std::vector<std::size_t> newlines_;
};

// Reads a whole file; Errc::source_invalid naming the file when it cannot.
Result<std::string> read_file(const std::filesystem::path& path, const char* what);

// Parses `xml`, requiring root element `root`. Errors name file and line.
Result<void> load_xml(pugi::xml_document& doc, std::string_view xml, const std::string& name,
                      const LineIndex& lines, const char* root);

// All text inside `node`, including that of children such as <nemod>, with
// runs of white space collapsed to one space and trimmed.
std::string all_text(const pugi::xml_node& node);

// Collapses white space runs and trims.
std::string squeeze(std::string_view text);

}  // namespace icd::indexer::detail
