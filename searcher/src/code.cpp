#include "icd/code.hpp"

#include <cctype>

namespace icd {

namespace {
bool is_alnum(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) noexcept {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_alpha(char c) noexcept {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
// A letter, then two letters or digits of which at least one is a digit
// (A00, F32, and since FY2026 QA0), so that "CHF" or "AAA" never looks like
// a code.
bool category_shaped(std::string_view key) noexcept {
    return key.size() >= 3 && is_alpha(key[0]) && is_alnum(key[1]) && is_alnum(key[2]) &&
           (is_digit(key[1]) || is_digit(key[2]));
}
std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}
}  // namespace

std::optional<std::string> code_key(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.back() == '-') text.remove_suffix(1);
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);  // "M62.-"
    if (text.size() < 3 || text.size() > 8) return std::nullopt;
    std::string key;
    key.reserve(7);
    bool seen_dot = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            // Only one dot, and only after the category (position 3).
            if (seen_dot || key.size() != 3) return std::nullopt;
            seen_dot = true;
            continue;
        }
        if (!is_alnum(c)) return std::nullopt;
        key.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (key.size() < 3 || key.size() > 7) return std::nullopt;
    if (!category_shaped(key)) return std::nullopt;
    return key;
}

std::string display_code(std::string_view key) {
    std::string out(key.substr(0, 3));
    if (key.size() > 3) {
        out.push_back('.');
        out.append(key.substr(3));
    }
    return out;
}

std::string parent_key(std::string_view key) {
    if (key.size() <= 3) return {};
    return std::string(key.substr(0, key.size() - 1));
}

bool is_key(std::string_view key) noexcept {
    if (key.size() < 3 || key.size() > 7) return false;
    for (char c : key) {
        if (!(is_digit(c) || (c >= 'A' && c <= 'Z'))) return false;
    }
    return category_shaped(key);
}

}  // namespace icd
