// The order file (icd10cm_order_YYYY.txt): every code and header of the
// release, one per line, in Tabular order. Fixed-width columns (0-based,
// from the official icd10OrderFiles.pdf):
//   [0,5)  order number     [6,13) code, no dot, left-aligned
//   [14]   1 billable, 0 header
//   [16,76) short title     [77,)  long title
// Lines end in CRLF in the official files; LF is accepted too.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "icd/result.hpp"

namespace icd::indexer {

struct OrderEntry {
    unsigned order = 0;
    std::string key;          // "M62561"
    bool billable = false;
    std::string short_title;
    std::string long_title;
    std::size_t line = 0;     // 1-based line in the file
};

// Lines that could not be read, when the caller asked to go on (--keep-going).
struct SkippedLines {
    std::vector<std::string> messages;     // "FILE:LINE: reason"
    std::vector<std::string> codes;        // keys readable on those lines: keep what the index has for them
};

// Parses the whole file. The first malformed line fails the parse with
// Errc::source_invalid and a message "FILE:LINE: reason" (duplicate codes
// are malformed too) -- unless `skipped` is given: then malformed lines are
// recorded there and left out.
Result<std::vector<OrderEntry>> parse_order_file(std::istream& in, const std::string& name,
                                                 SkippedLines* skipped = nullptr);
Result<std::vector<OrderEntry>> read_order_file(const std::filesystem::path& path, SkippedLines* skipped = nullptr);

// Lookup of order-file entries by key. Holds pointers into `entries`, which
// must outlive it.
class CodeTable {
public:
    explicit CodeTable(const std::vector<OrderEntry>& entries);
    const OrderEntry* find(std::string_view key) const;
    bool contains(std::string_view key) const { return find(key) != nullptr; }
    std::size_t size() const { return by_key_.size(); }

private:
    std::unordered_map<std::string_view, const OrderEntry*> by_key_;
};

}  // namespace icd::indexer
