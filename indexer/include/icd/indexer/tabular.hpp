// The Tabular List XML (icd10cm_tabular_YYYY.xml): chapters, sections and
// nested <diag> codes with their inclusion terms and instructional notes.
// 7th-character codes are not listed; they come from <sevenChrDef>.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "icd/record.hpp"
#include "icd/result.hpp"

namespace icd::indexer {

struct TabularChapter {
    std::string number;   // "13"
    std::string title;    // "Diseases of the musculoskeletal system and connective tissue (M00-M99)"
    std::vector<Note> notes;
};

struct TabularSection {
    std::string id;       // "M60-M63"
    std::string title;
    std::string chapter;
    std::vector<Note> notes;
};

struct TabularCode {
    std::string key;      // "M6256"
    std::string title;    // <desc>
    std::string parent;   // key of the enclosing <diag>; empty for a category
    std::string chapter;
    std::string section;
    std::vector<std::string> inclusion_terms;
    std::vector<Note> notes;                    // every note kind except inclusion terms
    std::map<char, std::string> seventh_chars;  // own <sevenChrDef>: 'A' -> "initial encounter ..."
    std::size_t line = 0;
};

struct Tabular {
    std::string version;  // <version>
    std::vector<TabularChapter> chapters;
    std::vector<TabularSection> sections;
    std::unordered_map<std::string, TabularCode> codes;  // by key
};

// Errc::source_invalid with "FILE:LINE: reason" for malformed XML (including
// a truncated file) or a <diag> without a valid code.
Result<Tabular> parse_tabular(std::string_view xml, const std::string& name);
Result<Tabular> read_tabular(const std::filesystem::path& path);

}  // namespace icd::indexer
