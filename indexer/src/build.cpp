#include "icd/indexer/build.hpp"

#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <tuple>

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

constexpr std::size_t kMaxDocsForOneWordCrossReference = 3;

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
    std::string s = describe_file("order", o.release.order) + "; " + describe_file("tabular", o.release.tabular) +
                    "; " + describe_file("index", o.release.alphabetic_index);
    if (!o.release.drug_table.empty()) s += "; " + describe_file("drug", o.release.drug_table);
    if (!o.release.neoplasm_table.empty()) s += "; " + describe_file("neoplasm", o.release.neoplasm_table);
    if (!o.release.external_cause.empty()) s += "; " + describe_file("eindex", o.release.external_cause);
    return s + "; articles=" + std::to_string(articles);
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

    for (auto [path, into, what] : {std::tuple{&o.release.drug_table, &s.drug, "Table of Drugs and Chemicals"},
                                     std::tuple{&o.release.neoplasm_table, &s.neoplasm, "Neoplasm Table"},
                                     std::tuple{&o.release.external_cause, &s.external, "External Cause Index"}}) {
        if (path->empty()) continue;
        report(o.progress, std::string("reading ") + what, 0, 0);
        auto table = read_alpha_index(*path);
        if (!table) return std::move(table).error();
        *into = std::move(*table);
    }

    if (o.thesaurus) {
        report(o.progress, "reading thesaurus", 0, 0);
        auto thesaurus = read_thesaurus(*o.thesaurus);
        if (!thesaurus) return std::move(thesaurus).error();
        s.thesaurus = std::move(*thesaurus);
    }

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

Result<BuildSummary> build_index(const BuildOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    BuildSummary summary;
    // Time each stage, then pass the progress on.
    BuildOptions o = options;
    auto stage_start = start;
    o.progress = [&summary, &stage_start, forward = options.progress](std::string_view stage, std::size_t done,
                                                                      std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (summary.stage_seconds.empty() || summary.stage_seconds.back().first != stage) {
            if (!summary.stage_seconds.empty()) {
                summary.stage_seconds.back().second = std::chrono::duration<double>(now - stage_start).count();
            }
            summary.stage_seconds.emplace_back(std::string(stage), 0.0);
            stage_start = now;
        }
        if (forward) forward(stage, done, total);
    };

    // Lock first so that a second run fails at once, before any reading.
    auto store = IndexStore::open(o.index);
    if (!store) return std::move(store).error();
    auto lock = store->lock();
    if (!lock) return std::move(lock).error();
    store->remove_stale_staging();

    auto sources = load_sources(o);
    if (!sources) return std::move(sources).error();

    report(o.progress, "assembling records", 0, 0);
    AssembleSources inputs{sources->order,   sources->tabular, o.release.tabular.string(), sources->alpha,
                           o.release.alphabetic_index.string(), sources->articles};
    for (auto [table, path] : {std::pair{&sources->drug, &o.release.drug_table},
                               std::pair{&sources->neoplasm, &o.release.neoplasm_table},
                               std::pair{&sources->external, &o.release.external_cause}}) {
        if (*table) inputs.tables.push_back({&**table, path->string()});
    }
    Assembly assembly = assemble(inputs);
    summary.warnings = std::move(sources->warnings);
    summary.warnings.insert(summary.warnings.end(), assembly.diagnostics.begin(), assembly.diagnostics.end());
    auto strict_failure = [&]() -> std::optional<Error> {
        const std::size_t n = summary.warnings.size() + summary.unmatched_expansions.size();
        if (!o.strict || n == 0) return std::nullopt;
        const auto& first = summary.warnings.empty() ? summary.unmatched_expansions.front() : summary.warnings.front();
        return make_error(Errc::validation,
                          std::to_string(n) + " corpus problem(s) under --strict; first: " + first.str(),
                          "fix the articles or the thesaurus, or run without --strict");
    };
    if (auto e = strict_failure()) return *e;

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
    if (auto r = writer->commit(); !r) return std::move(r).error();

    // Synonyms: the thesaurus and the Alphabetic Index cross-references.
    report(o.progress, "loading synonyms", 0, 0);
    for (const auto& e : sources->thesaurus) {
        for (const auto& term : e.terms) {
            for (const auto& expansion : e.expansions) {
                auto added = writer->add_synonym(term, expansion, IndexWriter::SynonymOrigin::curated);
                if (!added) return std::move(added).error();
                if (*added) ++summary.synonyms_curated;
            }
        }
    }
    std::vector<CrossReferencePhrase> phrases = cross_reference_phrases(sources->alpha);
    if (sources->external) {
        auto more = cross_reference_phrases(*sources->external);
        phrases.insert(phrases.end(), more.begin(), more.end());
    }
    for (const auto& p : phrases) {
        // A one-word cross-reference from a word the release itself uses
        // for codes ("Leg", "Disease") would expand every query with that
        // word; the ones worth having are words the release does not use
        // ("Hives", "Shingles").
        if (p.phrase.find(' ') == std::string::npos) {
            auto n = writer->count_matches(p.phrase);
            if (!n) return std::move(n).error();
            if (*n > kMaxDocsForOneWordCrossReference) continue;
        }
        auto added = writer->add_synonym(p.phrase, p.target,
                                         p.see_also ? IndexWriter::SynonymOrigin::see_also : IndexWriter::SynonymOrigin::see);
        if (!added) return std::move(added).error();
        if (*added) ++summary.synonyms_cross_references;
    }
    if (auto r = writer->commit(); !r) return std::move(r).error();
    // A thesaurus expansion that no code's official text contains is dead.
    const std::string thesaurus_name = o.thesaurus ? o.thesaurus->string() : std::string();
    for (const auto& e : sources->thesaurus) {
        for (const auto& expansion : e.expansions) {
            auto n = writer->count_matches(expansion);
            if (!n) return std::move(n).error();
            if (*n == 0) {
                summary.unmatched_expansions.push_back(
                    {thesaurus_name, e.line, "", "expansion '" + expansion + "' matches no code's official text"});
            }
        }
    }
    if (auto e = strict_failure()) return *e;
    report(o.progress, "building spelling data", 0, 0);
    if (auto r = writer->build_spelling(); !r) return std::move(r).error();
    if (auto r = writer->close(); !r) return std::move(r).error();

    report(o.progress, "publishing", 0, 0);
    auto gen = store->publish(std::move(*staging), static_cast<std::uint32_t>(total));
    if (!gen) return std::move(gen).error();
    report(o.progress, "pruning old generations", 0, 0);
    summary.pruned = store->prune(o.keep);

    summary.generation = gen->number;
    summary.index = o.index;
    summary.codes = total;
    assembly.records.clear();
    assembly.records.shrink_to_fit();
    summary.assembly = std::move(assembly);
    const auto end = std::chrono::steady_clock::now();
    summary.seconds = std::chrono::duration<double>(end - start).count();
    if (!summary.stage_seconds.empty()) {
        summary.stage_seconds.back().second = std::chrono::duration<double>(end - stage_start).count();
    }
    summary.peak_rss_kb = peak_rss_kb();
    return summary;
}

}  // namespace icd::indexer
