// Helpers shared by the command-line programs (icd-search, icd-index).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "icd/result.hpp"

namespace icd::cli {

// --index default: $ICD_INDEX when set, else ./icd10cm.index.
std::filesystem::path default_index_path();

// Prints "<program>: error: <message>" and, if any, "<program>: hint: <hint>"
// to stderr. Returns the documented exit code for the error.
int report(std::string_view program, const Error& error);

// Exit code for a usage error, after printing the message and a pointer to --help.
int usage_error(std::string_view program, const std::string& message);

bool is_terminal(int fd);

// "12,345"
std::string with_commas(std::uint64_t n);

}  // namespace icd::cli
