#include "icd/schema.hpp"

#include <cctype>


namespace icd::schema {

namespace {
constexpr bool text_fields_in_enum_order() {
    for (std::size_t i = 0; i < kTextFields.size(); ++i) {
        if (static_cast<std::size_t>(kTextFields[i].field) != i) return false;
    }
    return true;
}
static_assert(text_fields_in_enum_order(), "kTextFields must list fields in TextField order");
}  // namespace

const TextFieldSpec& spec(TextField field) noexcept {
    return kTextFields[static_cast<std::size_t>(field)];
}

std::optional<TextField> text_field_by_name(std::string_view name) noexcept {
    for (const auto& f : kTextFields) {
        if (f.name == name) return f.field;
    }
    return std::nullopt;
}

std::string term(std::string_view prefix, std::string_view value) {
    std::string t(prefix);
    if (!value.empty() && std::isupper(static_cast<unsigned char>(value.front()))) t.push_back(':');
    t.append(value);
    return t;
}

}  // namespace icd::schema
