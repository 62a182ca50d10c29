// Errors as values at the API boundary.
//
// Every fallible public function returns Result<T>: either a value or an
// Error carrying a machine-readable code, a one-line message and an optional
// hint telling the user what to do about it. Exceptions from Xapian, the XML
// parser or the filesystem are converted to Error in one place per module and
// never cross the public API.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace icd {

// The numeric values are the documented process exit codes of icd-index and
// icd-search (see docs/CLI.md); keep them stable.
enum class Errc : int {
    usage = 2,            // bad command-line options or API arguments
    index_unavailable = 3,// index missing, unreadable, corrupt or wrong format
    source_invalid = 4,   // a release file or article is malformed
    validation = 5,       // article validation failed under --strict
    io = 6,               // cannot write or publish the index
    locked = 7,           // another indexing run holds the lock
    not_found = 8,        // a looked-up code does not exist
    internal = 70,        // a bug: an unexpected exception
};

// Short stable name of an error code ("source_invalid"), used in JSON output.
const char* errc_name(Errc code) noexcept;

struct Error {
    Errc code = Errc::internal;
    std::string message;  // one line, names the file/field/option and the reason
    std::string hint;     // what to do about it; may be empty

    // "message (hint)" when there is a hint, else the message.
    std::string describe() const;
};

Error make_error(Errc code, std::string message, std::string hint = {});

// A value of type T or an Error. Deliberately small: has_value(), value(),
// error(), operator*, operator->, explicit bool. Accessing the wrong
// alternative is a programming error (asserted).
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}   // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}// NOLINT

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(v_); }
    const T& value() const& { assert(has_value()); return std::get<0>(v_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const& { assert(!has_value()); return std::get<1>(v_); }
    Error&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    const Error& error() const& { assert(!ok_); return error_; }
    Error&& error() && { assert(!ok_); return std::move(error_); }

private:
    Error error_;
    bool ok_ = true;
};

}  // namespace icd
