// A problem found in a source file that does not stop the run by itself
// (an article whose title disagrees with the official one, an index entry
// pointing at a code the order file does not have, ...).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace icd::indexer {

struct Diagnostic {
    std::string file;        // path as given
    std::size_t line = 0;    // 1-based; 0 when not known
    std::string field;       // JSON path or XML element ("related_icd10cm[2].code"); may be empty
    std::string message;

    // "file:line: field 'x': message"
    std::string str() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace icd::indexer
