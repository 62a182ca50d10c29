#include "common.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace icd::cli {

std::filesystem::path default_index_path() {
    if (const char* env = std::getenv("ICD_INDEX"); env != nullptr && *env != '\0') return env;
    return "icd10cm.index";
}

int report(std::string_view program, const Error& error) {
    std::cerr << program << ": error: " << error.message << '\n';
    if (!error.hint.empty()) std::cerr << program << ": hint: " << error.hint << '\n';
    return static_cast<int>(error.code);
}

int usage_error(std::string_view program, const std::string& message) {
    std::cerr << program << ": error: " << message << '\n'
              << program << ": hint: see " << program << " --help\n";
    return static_cast<int>(Errc::usage);
}

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

std::string with_commas(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    const std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && i >= lead && (i - lead) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

}  // namespace icd::cli
