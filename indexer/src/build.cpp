#include "icd/indexer/build.hpp"

#include <sys/resource.h>

#include <chrono>
#include <ctime>

#include "icd/index_store.hpp"
#include "icd/index_writer.hpp"
#include "icd/indexer/article.hpp"
#include "icd/schema.hpp"

namespace icd::indexer {

namespace fs = std::filesystem;

namespace {

void report(const ProgressFn& fn, std::string_view stage, std::size_t done, std::size_t total) {
    if (fn) fn(stage, done, total);
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

long peak_rss_kb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

std::string describe_file(const char* what, const fs::path& p) {
    std::string s = std::string(what) + "=" + p.filename().string();
    if (auto y = release_year(p)) s += " (FY" + std::to_string(*y) + ")";
    return s;
}

}  // namespace

std::string describe_sources(const BuildOptions& o, std::size_t articles) {
    return describe_file("order", o.release.order) + "; " + describe_file("tabular", o.release.tabular) + "; " +
           describe_file("index", o.release.alphabetic_index) + "; articles=" + std::to_string(articles);
}

Result<LoadedSources> load_sources(const BuildOptions& o) {
    LoadedSources s;
    report(o.progress, "reading order file", 0, 0);
    auto order = read_order_file(o.release.order);
    if (!order) return std::move(order).error();
    s.order = std::move(*order);

    report(o.progress, "reading Tabular List", 0, 0);
    auto tabular = read_tabular(o.release.tabular);
    if (!tabular) return std::move(tabular).error();
    s.tabular = std::move(*tabular);

    report(o.progress, "reading Alphabetic Index", 0, 0);
    auto alpha = read_alpha_index(o.release.alphabetic_index);
    if (!alpha) return std::move(alpha).error();
    s.alpha = std::move(*alpha);

    if (o.articles) {
        report(o.progress, "reading articles", 0, 0);
        auto articles = read_articles(*o.articles);
        if (!articles) return std::move(articles).error();
        s.articles = std::move(*articles);
        const CodeTable codes(s.order);
        for (const auto& a : s.articles) {
            auto d = validate_article(a, codes);
            s.warnings.insert(s.warnings.end(), d.begin(), d.end());
        }
    }
    return s;
}

Result<BuildSummary> build_index(const BuildOptions& o) {
    const auto start = std::chrono::steady_clock::now();

    // Lock first so that a second run fails at once, before any reading.
    auto store = IndexStore::open(o.index);
    if (!store) return std::move(store).error();
    auto lock = store->lock();
    if (!lock) return std::move(lock).error();
    store->remove_stale_staging();

    auto sources = load_sources(o);
    if (!sources) return std::move(sources).error();

    report(o.progress, "assembling records", 0, 0);
    Assembly assembly = assemble({sources->order, sources->tabular, o.release.tabular.string(), sources->alpha,
                                  o.release.alphabetic_index.string(), sources->articles});
    BuildSummary summary;
    summary.warnings = std::move(sources->warnings);
    summary.warnings.insert(summary.warnings.end(), assembly.diagnostics.begin(), assembly.diagnostics.end());
    if (o.strict && !summary.warnings.empty()) {
        return make_error(Errc::validation,
                          std::to_string(summary.warnings.size()) + " article problem(s) under --strict; first: " +
                              summary.warnings.front().str(),
                          "fix the articles or run without --strict");
    }

    auto staging = store->stage(false);
    if (!staging) return std::move(staging).error();
    auto writer = IndexWriter::create(staging->path());
    if (!writer) return std::move(writer).error();
    const std::size_t total = assembly.records.size();
    for (std::size_t i = 0; i < total; ++i) {
        if (auto r = writer->put(assembly.records[i]); !r) return std::move(r).error();
        if ((i + 1) % 1000 == 0 || i + 1 == total) report(o.progress, "indexing codes", i + 1, total);
    }
    for (const auto& g : assembly.section_notes) {
        if (auto r = writer->put_section_notes(g.id, g.notes); !r) return std::move(r).error();
    }
    for (const auto& g : assembly.chapter_notes) {
        if (auto r = writer->put_chapter_notes(g.id, g.notes); !r) return std::move(r).error();
    }
    for (const auto& [key, value] :
         {std::pair{schema::kMetaBuiltAt, utc_now()},
          std::pair{schema::kMetaSources, describe_sources(o, sources->articles.size())},
          std::pair{schema::kMetaCodeCount, std::to_string(total)}}) {
        if (auto r = writer->set_metadata(key, value); !r) return std::move(r).error();
    }
    report(o.progress, "committing", 0, 0);
    if (auto r = writer->close(); !r) return std::move(r).error();

    report(o.progress, "publishing", 0, 0);
    auto gen = store->publish(std::move(*staging), static_cast<std::uint32_t>(total));
    if (!gen) return std::move(gen).error();
    summary.pruned = store->prune(o.keep);

    summary.generation = gen->number;
    summary.index = o.index;
    summary.codes = total;
    assembly.records.clear();
    assembly.records.shrink_to_fit();
    summary.assembly = std::move(assembly);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    summary.peak_rss_kb = peak_rss_kb();
    return summary;
}

}  // namespace icd::indexer
