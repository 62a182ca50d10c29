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
    // Index what is valid and list what was skipped: unreadable articles,
    // thesaurus lines, order-file lines (an update keeps what the index has
    // for their codes) and optional tables. The order file, Tabular List and
    // Alphabetic Index themselves must still be readable XML/text.
    bool keep_going = false;
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
    Diagnostics skipped;      // what --keep-going left out, with the reason
    std::size_t pruned = 0;   // old generations removed
    std::vector<std::pair<std::string, double>> stage_seconds;  // where the time went
    bool published = false;   // a new generation went live (an update with no change publishes none)

    // Updates only (a build lists every code as added).
    std::vector<std::string> added;      // codes new to the index
    std::vector<std::string> updated;    // codes whose title or billable flag changed
    std::vector<std::string> refreshed;  // codes whose other indexed content changed (short title,
                                         // inherited titles, index or table entries, article)
    std::vector<std::string> deleted;    // codes gone from the release
    std::vector<std::string> unchanged;
    std::vector<std::string> kept;       // codes on unreadable order-file lines, left as they were
    bool synonyms_changed = false;       // thesaurus, cross-references or group notes changed
    std::string full_rebuild_reason;     // why an update rebuilt everything, if it did
    double seconds = 0;
    long peak_rss_kb = 0;
};

// Errc::source_invalid (a malformed source, naming file and line/field),
// Errc::validation (--strict and there were diagnostics), Errc::locked,
// Errc::io. On any error the live index is unchanged.
Result<BuildSummary> build_index(const BuildOptions& options);

// Brings an existing index up to date with the sources, touching only what
// changed: documents whose content hash differs are replaced, new codes are
// added, codes gone from the release are deleted; synonyms and spelling data
// are reloaded when anything changed. With no change nothing is written and
// no generation is published. An index without a live generation, or of
// another schema version, is rebuilt in full (full_rebuild_reason says
// why). Same errors and guarantees as build_index.
Result<BuildSummary> update_index(const BuildOptions& options);

// The JSON report of a build or update (format icd-index-report/1).
std::string report_json(const BuildOptions& options, const BuildSummary& summary);

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
    Diagnostics skipped;                 // --keep-going
    std::vector<std::string> kept_codes; // keys on skipped order-file lines
};
Result<LoadedSources> load_sources(const BuildOptions& options);

// "sources" metadata: file names, fiscal years and article count.
std::string describe_sources(const BuildOptions& options, std::size_t articles);

}  // namespace icd::indexer
