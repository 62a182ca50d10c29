// The Alphabetic Index XML (icd10cm_index_YYYY.xml): main terms and nested
// subterms, each optionally pointing at a code (<code>, <subcat>, <seecat>,
// or a manifestation <manif>) or at another term (<see>, <seeAlso>).
//
// The same reader reads the External Cause of Injuries Index (same layout)
// and the Table of Drugs and Chemicals and the Neoplasm Table, whose terms
// carry <cell col="N"> codes under the column headings of <indexHeading>.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "icd/result.hpp"

namespace icd::indexer {

// One code reference: the path of terms leading to it.
struct IndexEntry {
    std::vector<std::string> path;  // {"Calcification", "muscle", "paralytic"}; nonessential modifiers kept in parentheses
    std::string code;               // as written, may end in "-" ("M61.2-")
    bool manifestation = false;     // from <manif>: code the manifestation second
    std::string column;             // table column heading ("Malignant Secondary"); empty in the index
    std::size_t line = 0;

    // "Calcification > muscle > paralytic"; table entries end with their
    // column: "Neoplasm, neoplastic > bone > Malignant Secondary".
    std::string path_text() const;
};

// A cross-reference: "Deposit > calcareous, calcium" -- see --> "Calcification".
struct CrossReference {
    std::vector<std::string> path;
    std::string target;             // "Calcification" or "Infarct, brain"
    bool see_also = false;
    std::size_t line = 0;
};

struct AlphaIndex {
    std::string version;
    std::vector<IndexEntry> entries;
    std::vector<CrossReference> cross_references;
};

// Errc::source_invalid with "FILE:LINE: reason" for malformed XML.
Result<AlphaIndex> parse_alpha_index(std::string_view xml, const std::string& name);
Result<AlphaIndex> read_alpha_index(const std::filesystem::path& path);

}  // namespace icd::indexer
