#include "icd/index_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "icd/schema.hpp"
#include "xapian_error.hpp"

namespace icd {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kGenPrefix = "gen-";
constexpr std::string_view kStagingPrefix = ".staging-";
constexpr const char* kLockFile = ".lock";

std::string gen_name(std::uint64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "gen-%06llu", static_cast<unsigned long long>(n));
    return buf;
}

std::optional<std::uint64_t> parse_gen_name(std::string_view name) {
    if (!name.starts_with(kGenPrefix)) return std::nullopt;
    name.remove_prefix(kGenPrefix.size());
    std::uint64_t n = 0;
    auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
    if (ec != std::errc{} || p != name.data() + name.size() || name.empty()) return std::nullopt;
    return n;
}

std::string errno_text(int err) { return std::strerror(err); }

// fsync a directory so that renames inside it are durable.
Result<void> sync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return make_error(Errc::io, "cannot open directory " + dir.string() + ": " + errno_text(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return make_error(Errc::io, "cannot sync directory " + dir.string() + ": " + errno_text(err));
    return {};
}

Result<void> write_file_durably(const fs::path& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return make_error(Errc::io, "cannot write " + path.string() + ": " + errno_text(errno));
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            return make_error(Errc::io, "cannot write " + path.string() + ": " + errno_text(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        return make_error(Errc::io, "cannot sync " + path.string() + ": " + errno_text(err));
    }
    if (::close(fd) != 0) return make_error(Errc::io, "cannot close " + path.string() + ": " + errno_text(errno));
    return {};
}

bool is_store_entry(const std::string& name) {
    return name == kStubFile || name == kLockFile || name == std::string(kStubFile) + ".tmp" ||
           parse_gen_name(name).has_value() || name.starts_with(kStagingPrefix);
}

}  // namespace

std::optional<Generation> read_live_generation(const fs::path& dir) {
    std::ifstream in(dir / kStubFile);
    if (!in) return std::nullopt;
    std::string backend, name;
    in >> backend >> name;
    auto n = parse_gen_name(name);
    if (!n) return std::nullopt;
    return Generation{*n, dir / name, true};
}

// ---- IndexLock --------------------------------------------------------------

IndexLock::IndexLock(IndexLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
IndexLock& IndexLock::operator=(IndexLock&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}
IndexLock::~IndexLock() {
    if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

// ---- Staging ----------------------------------------------------------------

Staging::Staging(Staging&& o) noexcept : path_(std::move(o.path_)), number_(o.number_) { o.path_.clear(); }
Staging& Staging::operator=(Staging&& o) noexcept {
    if (this != &o) {
        path_ = std::move(o.path_);
        number_ = o.number_;
        o.path_.clear();
    }
    return *this;
}
Staging::~Staging() {
    if (!path_.empty()) {
        std::error_code ec;
        fs::remove_all(path_, ec);  // best effort; remove_stale_staging() retries next run
    }
}

// ---- IndexStore -------------------------------------------------------------

Result<IndexStore> IndexStore::open(const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        if (!fs::create_directories(dir, ec) && ec) {
            return make_error(Errc::io, "cannot create index directory " + dir.string() + ": " + ec.message());
        }
        return IndexStore(dir);
    }
    if (!fs::is_directory(dir, ec)) {
        return make_error(Errc::io, "index path " + dir.string() + " exists and is not a directory",
                          "choose another --index path");
    }
    if (fs::exists(dir / "iamglass", ec) || fs::exists(dir / "iamchert", ec)) {
        return make_error(Errc::io, dir.string() + " is a plain Xapian database, not an index directory",
                          "choose a new --index path; icd-index manages generations inside it");
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!is_store_entry(name)) {
            return make_error(Errc::io,
                              "refusing to write into " + dir.string() + ": it is not an index directory (found " +
                                  name + ")",
                              "choose an empty or new --index path");
        }
    }
    if (ec) return make_error(Errc::io, "cannot read directory " + dir.string() + ": " + ec.message());
    return IndexStore(dir);
}

Result<IndexLock> IndexStore::lock() const {
    const fs::path path = dir_ / kLockFile;
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return make_error(Errc::io, "cannot open lock file " + path.string() + ": " + errno_text(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) {
            return make_error(Errc::locked, "another icd-index run is writing " + dir_.string(),
                              "wait for it to finish; a killed run releases the lock by itself");
        }
        return make_error(Errc::io, "cannot lock " + path.string() + ": " + errno_text(err));
    }
    return IndexLock(fd);
}

std::optional<Generation> IndexStore::live() const { return read_live_generation(dir_); }

std::vector<Generation> IndexStore::generations() const {
    std::vector<Generation> out;
    const auto live_gen = live();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (!entry.is_directory()) continue;
        if (auto n = parse_gen_name(entry.path().filename().string())) {
            out.push_back({*n, entry.path(), live_gen && live_gen->number == *n});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
    return out;
}

void IndexStore::remove_stale_staging() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().filename().string().starts_with(kStagingPrefix)) {
            std::error_code rm;
            fs::remove_all(entry.path(), rm);
        }
    }
    fs::remove(dir_ / (std::string(kStubFile) + ".tmp"), ec);
}

Result<Staging> IndexStore::stage(bool copy_live) const {
    std::uint64_t next = 1;
    for (const auto& g : generations()) next = std::max(next, g.number + 1);
    const fs::path path =
        dir_ / (std::string(kStagingPrefix) + gen_name(next) + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(path, ec);
    Staging staging(path, next);
    if (copy_live) {
        const auto gen = live();
        if (!gen) return make_error(Errc::index_unavailable, dir_.string() + " has no live generation to update",
                                    "run icd-index build first");
        fs::copy(gen->path, path, fs::copy_options::recursive, ec);
        if (ec) {
            return make_error(Errc::io, "cannot copy " + gen->path.string() + " to " + path.string() + ": " +
                                            ec.message());
        }
    }
    return staging;
}

Result<void> IndexStore::point_stub_at(const Generation& gen) const {
    const fs::path tmp = dir_ / (std::string(kStubFile) + ".tmp");
    const std::string content = "auto " + gen.path.filename().string() + "\n";
    if (auto r = write_file_durably(tmp, content); !r) return r;
    std::error_code ec;
    fs::rename(tmp, dir_ / kStubFile, ec);
    if (ec) return make_error(Errc::io, "cannot publish " + gen.path.string() + ": " + ec.message());
    return sync_dir(dir_);
}

Result<Generation> IndexStore::publish(Staging&& staging_in, std::uint32_t expected_docs) const {
    Staging staging = std::move(staging_in);  // both removed on every early return
    Staging compacted(staging.path().string() + "-compact", staging.number());
    auto verified = detail::xapian_try(
        [&]() -> Result<void> {
            // Compaction rewrites the B-trees full and in order: the
            // generation readers get is a third smaller and faster to search.
            Xapian::Database(staging.path().string()).compact(compacted.path().string());
            Xapian::Database db(compacted.path().string());
            const std::string version = db.get_metadata(std::string(schema::kMetaSchemaVersion));
            if (version != std::to_string(schema::kVersion)) {
                return make_error(Errc::internal, "new generation has schema version '" + version + "', expected " +
                                                      std::to_string(schema::kVersion));
            }
            if (db.get_doccount() == 0 || db.get_doccount() != expected_docs) {
                return make_error(Errc::internal, "new generation has " + std::to_string(db.get_doccount()) +
                                                      " documents, expected " + std::to_string(expected_docs));
            }
            return {};
        },
        "verify new generation " + staging.path().string());
    if (!verified) return std::move(verified).error();

    Generation gen{compacted.number(), dir_ / gen_name(compacted.number()), true};
    std::error_code ec;
    fs::rename(compacted.path(), gen.path, ec);
    if (ec) return make_error(Errc::io, "cannot move new generation into place: " + ec.message());
    compacted.path_.clear();  // now owned by the store
    if (auto r = sync_dir(dir_); !r) return std::move(r).error();
    if (auto r = point_stub_at(gen); !r) return std::move(r).error();
    return gen;
}

Result<Generation> IndexStore::rollback() const {
    const auto current = live();
    if (!current) return make_error(Errc::index_unavailable, dir_.string() + " has no live generation");
    std::optional<Generation> previous;
    for (const auto& g : generations()) {
        if (g.number < current->number) previous = g;
    }
    if (!previous) {
        return make_error(Errc::not_found, "no generation older than " + current->path.filename().string() +
                                               " in " + dir_.string());
    }
    previous->live = true;
    if (auto r = point_stub_at(*previous); !r) return std::move(r).error();
    return *previous;
}

std::size_t IndexStore::prune(std::size_t keep) const {
    auto gens = generations();
    std::size_t removed = 0;
    std::size_t remaining = gens.size();
    for (const auto& g : gens) {  // oldest first
        if (remaining <= std::max<std::size_t>(keep, 1)) break;
        if (g.live) continue;
        std::error_code ec;
        fs::remove_all(g.path, ec);
        if (!ec) {
            ++removed;
            --remaining;
        }
    }
    return removed;
}

}  // namespace icd
