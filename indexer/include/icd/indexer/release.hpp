// Finding the official release files in a directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "icd/result.hpp"

namespace icd::indexer {

struct ReleaseFiles {
    std::filesystem::path order;             // icd10cm_order_YYYY.txt
    std::filesystem::path tabular;           // icd10cm_tabular_YYYY.xml
    std::filesystem::path alphabetic_index;  // icd10cm_index_YYYY.xml
    // Optional (empty when absent): the Table of Drugs and Chemicals, the
    // Neoplasm Table and the External Cause of Injuries Index.
    std::filesystem::path drug_table;        // icd10cm_drug_YYYY.xml
    std::filesystem::path neoplasm_table;    // icd10cm_neoplasm_YYYY.xml
    std::filesystem::path external_cause;    // icd10cm_eindex_YYYY.xml
};

// Looks in `dir` and its subdirectories (two levels, so a tree with one
// folder per fiscal year works) for the files by their official names, in
// either spelling (icd10cm_order_2026.txt, icd10cm-order-2023.txt; case
// ignored). Where several years are present, the newest of each kind wins,
// so the FY2026 order file combines with the FY2023 tabular and index. The
// three tables are optional and found by their CDC names
// (icd10cm_drug_2025.xml) or the "icd-10-cm-drug-2025.xml" spelling.
// Errc::source_invalid naming what is missing.
Result<ReleaseFiles> locate_release(const std::filesystem::path& dir);

// Fiscal year from an official file name, e.g. 2026.
std::optional<int> release_year(const std::filesystem::path& file);

}  // namespace icd::indexer
