#include "icd/indexer/order_file.hpp"

#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <unordered_set>

#include "icd/code.hpp"

namespace icd::indexer {

namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

Error line_error(const std::string& name, std::size_t line, const std::string& reason) {
    return make_error(Errc::source_invalid, name + ":" + std::to_string(line) + ": " + reason,
                      "the order file must be the official fixed-width icd10cm_order_YYYY.txt");
}

}  // namespace

Result<std::vector<OrderEntry>> parse_order_file(std::istream& in, const std::string& name, SkippedLines* skipped) {
    std::vector<OrderEntry> out;
    out.reserve(100000);
    std::unordered_set<std::string> seen;
    std::string raw;
    std::size_t line_no = 0;
    while (std::getline(in, raw)) {
        ++line_no;
        std::string_view line(raw);
        // A malformed line fails the parse, or with `skipped` is recorded
        // (with its code, if that much is readable) and left out.
        auto bad = [&](const std::string& reason) -> std::optional<Error> {
            Error e = line_error(name, line_no, reason);
            if (skipped == nullptr) return e;
            skipped->messages.push_back(e.message);
            if (line.size() >= 13) {
                if (auto k = code_key(trim(line.substr(6, 7)))) skipped->codes.push_back(*k);
            }
            return std::nullopt;
        };
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim(line).empty()) continue;  // tolerate blank lines (e.g. at the end)
        if (line.size() < 17) {
            if (auto err = bad("line is too short for the order-file layout (" +
                                                 std::to_string(line.size()) + " characters)")) return *err;
            continue;
        }
        OrderEntry e;
        e.line = line_no;
        const std::string_view number = line.substr(0, 5);
        auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), e.order);
        if (ec != std::errc{} || p != number.data() + number.size()) {
            if (auto err = bad("order number '" + std::string(number) + "' in columns 1-5 is not a number")) return *err;
            continue;
        }
        const std::string code = trim(line.substr(6, 7));
        auto key = code_key(code);
        if (!key || code.find('.') != std::string::npos) {
            if (auto err = bad("'" + code + "' in columns 7-13 is not an ICD-10-CM code")) return *err;
            continue;
        }
        e.key = *key;
        const char flag = line[14];
        if (flag != '0' && flag != '1') {
            if (auto err = bad(std::string("billable flag in column 15 is '") + flag + "', expected 0 or 1")) return *err;
            continue;
        }
        e.billable = flag == '1';
        e.short_title = trim(line.substr(16, 60));
        e.long_title = line.size() > 77 ? trim(line.substr(77)) : std::string();
        if (e.long_title.empty()) {
            if (auto err = bad("no long title (expected from column 78)")) return *err;
            continue;
        }
        if (!seen.insert(e.key).second) {
            if (auto err = bad("code " + display_code(e.key) + " appears twice")) return *err;
            continue;
        }
        out.push_back(std::move(e));
    }
    if (in.bad()) return make_error(Errc::source_invalid, name + ": read error");
    if (out.empty()) return make_error(Errc::source_invalid, name + ": no codes in the order file");
    return out;
}

Result<std::vector<OrderEntry>> read_order_file(const std::filesystem::path& path, SkippedLines* skipped) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::source_invalid, path.string() + ": cannot open order file");
    return parse_order_file(in, path.string(), skipped);
}

CodeTable::CodeTable(const std::vector<OrderEntry>& entries) {
    by_key_.reserve(entries.size());
    for (const auto& e : entries) by_key_.emplace(e.key, &e);
}

const OrderEntry* CodeTable::find(std::string_view key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : it->second;
}

}  // namespace icd::indexer
