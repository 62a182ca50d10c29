#include "icd/indexer/diagnostic.hpp"

namespace icd::indexer {

std::string Diagnostic::str() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
    if (!field.empty()) out += "field '" + field + "': ";
    out += message;
    return out;
}

}  // namespace icd::indexer
