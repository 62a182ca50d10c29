#include "xapian_error.hpp"

namespace icd::detail {

namespace {
std::string describe(const Xapian::Error& e, const std::string& what) {
    std::string msg = what + ": " + e.get_type() + ": " + e.get_msg();
    if (const char* errno_text = e.get_error_string(); errno_text != nullptr && *errno_text != '\0') {
        msg += " (";
        msg += errno_text;
        msg += ")";
    }
    return msg;
}
}  // namespace

Error current_xapian_error(const std::string& what) {
    // Xapian::Error is not polymorphic in 1.4, so classify by rethrowing.
    try {
        throw;
    } catch (const Xapian::DatabaseLockError& e) {
        return make_error(Errc::locked, describe(e, what), "is another indexer writing this index?");
    } catch (const Xapian::DatabaseNotFoundError& e) {
        return make_error(Errc::index_unavailable, describe(e, what),
                          "build one with: icd-index build --release DIR --index PATH");
    } catch (const Xapian::DatabaseVersionError& e) {
        return make_error(Errc::index_unavailable, describe(e, what),
                          "rebuild the index with this version of icd-index");
    } catch (const Xapian::DatabaseOpeningError& e) {
        return make_error(Errc::index_unavailable, describe(e, what),
                          "build one with: icd-index build --release DIR --index PATH");
    } catch (const Xapian::DatabaseCorruptError& e) {
        return make_error(Errc::index_unavailable, describe(e, what),
                          "roll back with icd-index rollback, or rebuild the index");
    } catch (const Xapian::DatabaseCreateError& e) {
        return make_error(Errc::io, describe(e, what), "check that the directory is writable");
    } catch (const Xapian::DatabaseError& e) {
        return make_error(Errc::io, describe(e, what));
    } catch (const Xapian::Error& e) {
        return make_error(Errc::internal, describe(e, what));
    }
}

}  // namespace icd::detail
