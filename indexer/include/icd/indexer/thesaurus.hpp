// The lay-term and abbreviation thesaurus (corpus/thesaurus.txt): what users
// type, mapped to the words the official release uses. Loaded into the
// index as Xapian synonyms; the format is documented in corpus/README.md.
//
//   # comment
//   heart attack | MI = myocardial infarction
//   CHF = congestive heart failure | heart failure
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "icd/indexer/diagnostic.hpp"
#include "icd/result.hpp"

namespace icd::indexer {

struct ThesaurusEntry {
    std::vector<std::string> terms;       // what users type
    std::vector<std::string> expansions;  // official wording searched as well
    std::size_t line = 0;
};

// Errc::source_invalid "FILE:LINE: reason" for a malformed line, unless
// `skipped` is given: then malformed lines are recorded there and left out.
Result<std::vector<ThesaurusEntry>> parse_thesaurus(const std::string& text, const std::string& name,
                                                    Diagnostics* skipped = nullptr);
Result<std::vector<ThesaurusEntry>> read_thesaurus(const std::filesystem::path& path, Diagnostics* skipped = nullptr);

}  // namespace icd::indexer
