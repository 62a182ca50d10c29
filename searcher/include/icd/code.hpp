// ICD-10-CM code spelling.
//
// A code has a "key" (upper case, no dot: "M62561", the form of the order
// file and of every index term) and a "display" form (dot after the third
// character: "M62.561", the form of the Tabular List and of all output).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace icd {

// Upper-cases and removes one dot and surrounding white space. Returns
// nullopt unless the result is code-shaped: a letter, two letters or digits
// of which at least one is a digit, then at most four letters or digits
// ("M62561", "F32A", "Z3A32", "T7840XA", "QA0010"). A trailing "-" (Alphabetic Index notation for "and its
// subdivisions") is accepted and dropped. Cheap; allocates only the result.
std::optional<std::string> code_key(std::string_view text);

// "M62561" -> "M62.561", "I10" -> "I10". Input must be a key.
std::string display_code(std::string_view key);

// The key of the parent code by spelling ("M62561" -> "M6256"); empty for a
// three-character category. The order file decides whether it exists.
std::string parent_key(std::string_view key);

// True when every character is valid in a key (letters upper case, digits).
bool is_key(std::string_view key) noexcept;

}  // namespace icd
