// The one place where Xapian exceptions become icd::Error values.
#pragma once

#include <xapian.h>

#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "icd/result.hpp"

namespace icd::detail {

// Maps the Xapian exception being handled to an Error, adding a hint for the
// cases a user can act on. Call only inside a catch (const Xapian::Error&)
// handler. `what` names the operation and its object ("open index /var/icd").
Error current_xapian_error(const std::string& what);

// Runs f() and converts any exception into an Error. f returns Result<T>.
template <typename F>
auto xapian_try(F&& f, const std::string& what) -> decltype(f()) {
    try {
        return std::forward<F>(f)();
    } catch (const Xapian::Error&) {
        return current_xapian_error(what);
    } catch (const std::bad_alloc&) {
        return make_error(Errc::internal, what + ": out of memory");
    } catch (const std::exception& e) {
        return make_error(Errc::internal, what + ": " + e.what());
    }
}

}  // namespace icd::detail
