// A full index build: read every source, check it, assemble one record per
// code, write a new generation and publish it atomically.
//
// All sources are read and checked before the index directory is touched
// (apart from taking its lock), and the new generation only becomes live
// after it was written, closed, reopened and counted. A failed or killed run
// therefore leaves the previously published index serving unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "icd/indexer/assemble.hpp"
#include "icd/indexer/release.hpp"
#include "icd/indexer/thesaurus.hpp"
#include "icd/result.hpp"

namespace icd::indexer {

// Reports progress: stage name, items done, items in total (0 if unknown).
using ProgressFn = std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

struct BuildOptions {
    ReleaseFiles release;
    std::optional<std::filesystem::path> articles;  // directory of *.json articles
    std::optional<std::filesystem::path> thesaurus; // lay terms and abbreviations (corpus/thesaurus.txt)
    std::filesystem::path index;                    // index directory
    bool strict = false;                            // article diagnostics are errors
    std::size_t keep = 2;                           // generations to keep (live included)
    ProgressFn progress;                            // may be empty
};

struct BuildSummary {
    std::uint64_t generation = 0;
    std::filesystem::path index;
    std::size_t codes = 0;
    Assembly assembly;        // counts and lists from assemble(); records cleared
    Diagnostics warnings;     // article and assembly diagnostics
    // Thesaurus expansions that no code's official text contains: harmless
    // but dead; usually because the release is partial (the bundled test
    // release) or the wording changed. Errors under --strict.
    Diagnostics unmatched_expansions;
    std::size_t synonyms_curated = 0;           // thesaurus phrases loaded
    std::size_t synonyms_cross_references = 0;  // Alphabetic Index "see"/"see also" phrases loaded
    std::size_t pruned = 0;   // old generations removed
    std::vector<std::pair<std::string, double>> stage_seconds;  // where the time went
    double seconds = 0;
    long peak_rss_kb = 0;
};

// Errc::source_invalid (a malformed source, naming file and line/field),
// Errc::validation (--strict and there were diagnostics), Errc::locked,
// Errc::io. On any error the live index is unchanged.
Result<BuildSummary> build_index(const BuildOptions& options);

// The reading and checking part of build_index, shared with `icd-index
// validate`: reads all sources and validates the articles.
struct LoadedSources {
    std::vector<OrderEntry> order;
    Tabular tabular;
    AlphaIndex alpha;
    std::optional<AlphaIndex> drug, neoplasm, external;  // when given
    std::vector<Article> articles;
    std::vector<ThesaurusEntry> thesaurus;
    Diagnostics warnings;
};
Result<LoadedSources> load_sources(const BuildOptions& options);

// "sources" metadata: file names, fiscal years and article count.
std::string describe_sources(const BuildOptions& options, std::size_t articles);

}  // namespace icd::indexer
