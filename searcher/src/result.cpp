#include "icd/result.hpp"

namespace icd {

const char* errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::usage: return "usage";
        case Errc::index_unavailable: return "index_unavailable";
        case Errc::source_invalid: return "source_invalid";
        case Errc::validation: return "validation";
        case Errc::io: return "io";
        case Errc::locked: return "locked";
        case Errc::not_found: return "not_found";
        case Errc::internal: return "internal";
    }
    return "internal";
}

std::string Error::describe() const {
    if (hint.empty()) return message;
    return message + " (" + hint + ")";
}

Error make_error(Errc code, std::string message, std::string hint) {
    return Error{code, std::move(message), std::move(hint)};
}

}  // namespace icd
