// An index directory with atomically published generations.
//
// Layout of an index directory DIR:
//   DIR/XAPIANDB        Xapian stub file naming the live generation
//                       ("glass gen-000003"); readers open DIR itself
//   DIR/gen-NNNNNN/     complete, verified Xapian databases
//   DIR/.staging-*/     a generation being built (never read by searchers)
//   DIR/.lock           flock()ed by the one process allowed to write
//
// A generation becomes live only by rename(2) of a fully written stub file
// over XAPIANDB, after the database has been committed, closed, reopened and
// checked. A reader therefore always opens a complete generation, and a run
// that fails or is killed at any point leaves the previous one live.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "icd/result.hpp"

namespace icd {

struct Generation {
    std::uint64_t number = 0;
    std::filesystem::path path;
    bool live = false;
};

// Exclusive write lock on an index directory, released on destruction or
// when the process dies (flock), so a killed run never leaves a stale lock.
class IndexLock {
public:
    IndexLock(IndexLock&&) noexcept;
    IndexLock& operator=(IndexLock&&) noexcept;
    ~IndexLock();

private:
    friend class IndexStore;
    explicit IndexLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// A generation directory being written. Discarded (removed) on destruction
// unless published.
class Staging {
public:
    Staging(Staging&&) noexcept;
    Staging& operator=(Staging&&) noexcept;
    ~Staging();
    const std::filesystem::path& path() const { return path_; }
    std::uint64_t number() const { return number_; }

private:
    friend class IndexStore;
    Staging(std::filesystem::path path, std::uint64_t number) : path_(std::move(path)), number_(number) {}
    std::filesystem::path path_;
    std::uint64_t number_ = 0;
};

class IndexStore {
public:
    // Opens DIR, creating it when missing. Refuses (Errc::io) a directory
    // that has other content and is not an index store, so that a typo in
    // --index never turns someone's files into an index.
    static Result<IndexStore> open(const std::filesystem::path& dir);

    // Non-blocking exclusive lock; Errc::locked when another process has it.
    Result<IndexLock> lock() const;

    // The live generation, or nullopt for a store nothing was published in.
    std::optional<Generation> live() const;
    // All complete generations, oldest first.
    std::vector<Generation> generations() const;

    // Removes staging directories left by killed runs. Call with the lock.
    void remove_stale_staging() const;

    // A fresh staging directory for the next generation. With
    // `copy_live`, it starts as a copy of the live generation's files (for
    // incremental updates); otherwise it does not exist yet and IndexWriter
    // creates the database.
    Result<Staging> stage(bool copy_live) const;

    // Compacts the (closed) database in `staging` into a new directory,
    // verifies the result (it opens, carries our schema version, and has
    // `expected_docs` documents), moves it to gen-NNNNNN and makes it live.
    // On failure the live generation is unchanged and the staging
    // directories are removed. Cost: one pass over the database (about a
    // second for the full release).
    Result<Generation> publish(Staging&& staging, std::uint32_t expected_docs) const;

    // Makes the newest generation older than the live one live again.
    Result<Generation> rollback() const;

    // Deletes the oldest complete generations so that at most `keep` remain
    // (the live one is never deleted). Returns how many were removed.
    std::size_t prune(std::size_t keep) const;

    const std::filesystem::path& dir() const { return dir_; }

private:
    explicit IndexStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
    Result<void> point_stub_at(const Generation& gen) const;
    std::filesystem::path dir_;
};

// Name of the stub file inside an index directory.
inline constexpr const char* kStubFile = "XAPIANDB";

// Reads the live generation of DIR from its stub, or nullopt when DIR has no
// stub (it may still be a plain Xapian database).
std::optional<Generation> read_live_generation(const std::filesystem::path& dir);

}  // namespace icd
