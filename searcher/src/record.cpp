#include "icd/record.hpp"

#include <array>
#include <utility>

namespace icd {

namespace {
constexpr std::array<std::pair<NoteKind, std::string_view>, 8> kNoteKinds{{
    {NoteKind::includes, "includes"},
    {NoteKind::excludes1, "excludes1"},
    {NoteKind::excludes2, "excludes2"},
    {NoteKind::code_first, "code_first"},
    {NoteKind::use_additional_code, "use_additional_code"},
    {NoteKind::code_also, "code_also"},
    {NoteKind::note, "note"},
    {NoteKind::seventh_character, "seventh_character"},
}};
}  // namespace

const char* note_kind_name(NoteKind kind) noexcept {
    for (const auto& [k, name] : kNoteKinds) {
        if (k == kind) return name.data();
    }
    return "note";
}

std::optional<NoteKind> note_kind_from_name(std::string_view name) noexcept {
    for (const auto& [k, n] : kNoteKinds) {
        if (n == name) return k;
    }
    return std::nullopt;
}

}  // namespace icd
