#include "icd/indexer/build.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <tuple>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "icd/index_store.hpp"
#include "icd/index_writer.hpp"
#include "icd/code.hpp"
#include "icd/hash.hpp"
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
    SkippedLines skipped_lines;
    auto order = read_order_file(o.release.order, o.keep_going ? &skipped_lines : nullptr);
    if (!order) return std::move(order).error();
    s.order = std::move(*order);
    for (const auto& m : skipped_lines.messages) s.skipped.push_back({"", 0, "", "skipped: " + m});
    s.kept_codes = std::move(skipped_lines.codes);

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
        if (table) {
            *into = std::move(*table);
        } else if (o.keep_going) {
            s.skipped.push_back({path->string(), 0, "", "skipped: " + table.error().message});
        } else {
            return std::move(table).error();
        }
    }

    if (o.thesaurus) {
        report(o.progress, "reading thesaurus", 0, 0);
        auto thesaurus = read_thesaurus(*o.thesaurus, o.keep_going ? &s.skipped : nullptr);
        if (!thesaurus) return std::move(thesaurus).error();
        s.thesaurus = std::move(*thesaurus);
    }

    if (o.articles) {
        report(o.progress, "reading articles", 0, 0);
        auto articles = read_articles(*o.articles, o.keep_going ? &s.skipped : nullptr);
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

namespace {

struct SynonymSpec {
    std::string phrase;
    std::string expansion;
    IndexWriter::SynonymOrigin origin;
};

// Everything a build or an update writes, read and checked, before the
// index is touched.
struct Prepared {
    LoadedSources sources;
    Assembly assembly;
    std::vector<SynonymSpec> synonyms;  // thesaurus, then cross-reference phrases
    std::string global_hash;            // of the synonyms, group notes and sources
};


Result<Prepared> prepare(const BuildOptions& o, BuildSummary& summary) {
    auto sources = load_sources(o);
    if (!sources) return std::move(sources).error();
    Prepared p{std::move(*sources), {}, {}, {}};

    report(o.progress, "assembling records", 0, 0);
    AssembleSources inputs{p.sources.order,   p.sources.tabular, o.release.tabular.string(), p.sources.alpha,
                           o.release.alphabetic_index.string(), p.sources.articles};
    for (auto [table, path] : {std::pair{&p.sources.drug, &o.release.drug_table},
                               std::pair{&p.sources.neoplasm, &o.release.neoplasm_table},
                               std::pair{&p.sources.external, &o.release.external_cause}}) {
        if (*table) inputs.tables.push_back({&**table, path->string()});
    }
    p.assembly = assemble(inputs);
    summary.warnings = p.sources.warnings;
    summary.warnings.insert(summary.warnings.end(), p.assembly.diagnostics.begin(), p.assembly.diagnostics.end());
    summary.skipped = p.sources.skipped;
    if (o.strict && !summary.warnings.empty()) {
        return make_error(Errc::validation,
                          std::to_string(summary.warnings.size()) + " corpus problem(s) under --strict; first: " +
                              summary.warnings.front().str(),
                          "fix the articles or the thesaurus, or run without --strict");
    }

    for (const auto& e : p.sources.thesaurus) {
        for (const auto& term : e.terms) {
            for (const auto& expansion : e.expansions) {
                p.synonyms.push_back({term, expansion, IndexWriter::SynonymOrigin::curated});
            }
        }
    }
    std::vector<CrossReferencePhrase> phrases = cross_reference_phrases(p.sources.alpha);
    if (p.sources.external) {
        auto more = cross_reference_phrases(*p.sources.external);
        phrases.insert(phrases.end(), more.begin(), more.end());
    }
    for (auto& x : phrases) {
        p.synonyms.push_back({std::move(x.phrase), std::move(x.target),
                              x.see_also ? IndexWriter::SynonymOrigin::see_also : IndexWriter::SynonymOrigin::see});
    }

    ContentHash h;
    h.add(std::to_string(schema::kVersion));
    h.add(describe_sources(o, p.sources.articles.size()));
    for (const auto& syn : p.synonyms) {
        h.add(syn.phrase);
        h.add(syn.expansion);
        h.add(std::to_string(static_cast<int>(syn.origin)));
    }
    for (const auto* groups : {&p.assembly.section_notes, &p.assembly.chapter_notes}) {
        for (const auto& g : *groups) {
            h.add(g.id);
            for (const auto& n : g.notes) h.add(n.text);
        }
    }
    p.global_hash = h.hex();
    return p;
}

// Loads the synonyms into a writer whose documents are committed (a
// one-word cross-reference is kept only for a word the release hardly uses,
// which needs the documents), checks the thesaurus expansions, fills the
// spelling table and the metadata, and closes the writer.
Result<void> finish(IndexWriter& writer, const Prepared& p, const BuildOptions& o, BuildSummary& summary) {
    report(o.progress, "loading synonyms", 0, 0);
    for (const auto& syn : p.synonyms) {
        // A one-word cross-reference from a word the release itself uses
        // for codes ("Leg", "Disease") would expand every query with that
        // word; the ones worth having are words the release does not use
        // ("Hives", "Shingles").
        if (syn.origin != IndexWriter::SynonymOrigin::curated && syn.phrase.find(' ') == std::string::npos) {
            auto n = writer.count_matches(syn.phrase);
            if (!n) return std::move(n).error();
            if (*n > kMaxDocsForOneWordCrossReference) continue;
        }
        auto added = writer.add_synonym(syn.phrase, syn.expansion, syn.origin);
        if (!added) return std::move(added).error();
        if (!*added) continue;
        ++(syn.origin == IndexWriter::SynonymOrigin::curated ? summary.synonyms_curated
                                                              : summary.synonyms_cross_references);
    }
    if (auto r = writer.commit(); !r) return r;

    // A thesaurus expansion that no code's official text contains is dead.
    const std::string thesaurus_name = o.thesaurus ? o.thesaurus->string() : std::string();
    for (const auto& e : p.sources.thesaurus) {
        for (const auto& expansion : e.expansions) {
            auto n = writer.count_matches(expansion);
            if (!n) return std::move(n).error();
            if (*n == 0) {
                summary.unmatched_expansions.push_back(
                    {thesaurus_name, e.line, "", "expansion '" + expansion + "' matches no code's official text"});
            }
        }
    }
    if (o.strict && !summary.unmatched_expansions.empty()) {
        return make_error(Errc::validation,
                          std::to_string(summary.unmatched_expansions.size()) +
                              " corpus problem(s) under --strict; first: " + summary.unmatched_expansions.front().str(),
                          "fix the thesaurus, or run without --strict");
    }

    report(o.progress, "building spelling data", 0, 0);
    if (auto r = writer.build_spelling(); !r) return r;
    for (const auto& g : p.assembly.section_notes) {
        if (auto r = writer.put_section_notes(g.id, g.notes); !r) return r;
    }
    for (const auto& g : p.assembly.chapter_notes) {
        if (auto r = writer.put_chapter_notes(g.id, g.notes); !r) return r;
    }
    for (const auto& [key, value] :
         {std::pair{schema::kMetaBuiltAt, utc_now()},
          std::pair{schema::kMetaSources, describe_sources(o, p.sources.articles.size())},
          std::pair{schema::kMetaCodeCount, std::to_string(writer.doc_count())},
          std::pair{schema::kMetaGlobalHash, p.global_hash}}) {
        if (auto r = writer.set_metadata(key, value); !r) return r;
    }
    report(o.progress, "committing", 0, 0);
    return writer.close();
}

Result<Generation> publish_and_prune(const IndexStore& store, Staging&& staging, std::uint32_t docs,
                                     const BuildOptions& o, BuildSummary& summary) {
    report(o.progress, "publishing", 0, 0);
    auto gen = store.publish(std::move(staging), docs);
    if (!gen) return gen;
    report(o.progress, "pruning old generations", 0, 0);
    summary.pruned = store.prune(o.keep);
    summary.published = true;
    summary.generation = gen->number;
    return gen;
}

// Times each stage, passes progress on, and fills in the common figures.
class Run {
public:
    explicit Run(const BuildOptions& options) : options_(options), start_(std::chrono::steady_clock::now()) {
        opts_ = options;
        opts_.progress = [this](std::string_view stage, std::size_t done, std::size_t total) {
            const auto now = std::chrono::steady_clock::now();
            auto& stages = summary.stage_seconds;
            if (stages.empty() || stages.back().first != stage) {
                if (!stages.empty()) stages.back().second = std::chrono::duration<double>(now - stage_start_).count();
                stages.emplace_back(std::string(stage), 0.0);
                stage_start_ = now;
            }
            if (options_.progress) options_.progress(stage, done, total);
        };
    }
    const BuildOptions& options() const { return opts_; }
    BuildSummary done() {
        const auto end = std::chrono::steady_clock::now();
        summary.seconds = std::chrono::duration<double>(end - start_).count();
        if (!summary.stage_seconds.empty()) {
            summary.stage_seconds.back().second = std::chrono::duration<double>(end - stage_start_).count();
        }
        summary.index = options_.index;
        summary.peak_rss_kb = peak_rss_kb();
        return std::move(summary);
    }
    BuildSummary summary;

private:
    const BuildOptions& options_;
    BuildOptions opts_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point stage_start_ = start_;
};

// The full build, with the store locked by the caller.
Result<void> full_build(const IndexStore& store, const BuildOptions& o, BuildSummary& summary) {
    auto prepared = prepare(o, summary);
    if (!prepared) return std::move(prepared).error();
    Prepared& p = *prepared;

    auto staging = store.stage(false);
    if (!staging) return std::move(staging).error();
    auto writer = IndexWriter::create(staging->path());
    if (!writer) return std::move(writer).error();
    const std::size_t total = p.assembly.records.size();
    for (std::size_t i = 0; i < total; ++i) {
        if (auto r = writer->put(p.assembly.records[i]); !r) return r;
        summary.added.push_back(display_code(p.assembly.records[i].key));
        if ((i + 1) % 1000 == 0 || i + 1 == total) report(o.progress, "indexing codes", i + 1, total);
    }
    report(o.progress, "committing", 0, 0);
    if (auto r = writer->commit(); !r) return r;
    if (auto r = finish(*writer, p, o, summary); !r) return r;

    auto gen = publish_and_prune(store, std::move(*staging), static_cast<std::uint32_t>(total), o, summary);
    if (!gen) return std::move(gen).error();
    summary.codes = total;
    summary.synonyms_changed = true;
    p.assembly.records.clear();
    summary.assembly = std::move(p.assembly);
    return {};
}

}  // namespace

Result<BuildSummary> build_index(const BuildOptions& options) {
    Run run(options);
    const BuildOptions& o = run.options();
    // Lock first so that a second run fails at once, before any reading.
    auto store = IndexStore::open(o.index);
    if (!store) return std::move(store).error();
    auto lock = store->lock();
    if (!lock) return std::move(lock).error();
    store->remove_stale_staging();
    if (auto r = full_build(*store, o, run.summary); !r) return std::move(r).error();
    return run.done();
}

Result<BuildSummary> update_index(const BuildOptions& options) {
    Run run(options);
    const BuildOptions& o = run.options();
    BuildSummary& summary = run.summary;
    auto store = IndexStore::open(o.index);
    if (!store) return std::move(store).error();
    auto lock = store->lock();
    if (!lock) return std::move(lock).error();
    store->remove_stale_staging();

    const auto live = store->live();
    std::optional<StoredState> stored;
    if (!live) {
        summary.full_rebuild_reason = "the index has no live generation yet";
    } else {
        report(o.progress, "reading the live index", 0, 0);
        auto st = read_stored_state(live->path);
        if (!st) return std::move(st).error();
        if (st->schema_version != schema::kVersion) {
            summary.full_rebuild_reason = "the live index has schema version " + std::to_string(st->schema_version) +
                                          ", this indexer writes " + std::to_string(schema::kVersion);
        } else {
            stored = std::move(*st);
        }
    }
    if (!stored) {
        if (auto r = full_build(*store, o, summary); !r) return std::move(r).error();
        return run.done();
    }

    auto prepared = prepare(o, summary);
    if (!prepared) return std::move(prepared).error();
    Prepared& p = *prepared;

    // What changed: compare every record's hashes with the live index.
    report(o.progress, "comparing with the live index", 0, 0);
    std::unordered_set<std::string> kept(p.sources.kept_codes.begin(), p.sources.kept_codes.end());
    std::unordered_set<std::string> in_release;
    std::vector<const CodeRecord*> to_write;
    for (const auto& r : p.assembly.records) {
        in_release.insert(r.key);
        kept.erase(r.key);  // a readable line of the same code wins
        const std::string code = display_code(r.key);
        auto it = stored->docs.find(r.key);
        if (it == stored->docs.end()) {
            summary.added.push_back(code);
            to_write.push_back(&r);
        } else if (it->second.hash != IndexWriter::content_hash(r)) {
            (it->second.own_hash != IndexWriter::own_hash(r) ? summary.updated : summary.refreshed).push_back(code);
            to_write.push_back(&r);
        } else {
            summary.unchanged.push_back(code);
        }
    }
    std::vector<std::string> to_delete;
    for (const auto& [key, doc] : stored->docs) {
        if (in_release.count(key)) continue;
        if (kept.count(key)) {
            summary.kept.push_back(display_code(key));  // its line was unreadable: leave it
        } else {
            to_delete.push_back(key);
        }
    }
    std::sort(to_delete.begin(), to_delete.end());
    for (const auto& k : to_delete) summary.deleted.push_back(display_code(k));
    std::sort(summary.kept.begin(), summary.kept.end());
    summary.synonyms_changed = stored->global_hash != p.global_hash;
    summary.codes = p.assembly.records.size() + summary.kept.size();

    if (to_write.empty() && to_delete.empty() && !summary.synonyms_changed) {
        summary.generation = live->number;  // nothing to do: the live generation stays
        p.assembly.records.clear();
        summary.assembly = std::move(p.assembly);
        return run.done();
    }

    report(o.progress, "copying the live generation", 0, 0);
    auto staging = store->stage(true);
    if (!staging) return std::move(staging).error();
    auto writer = IndexWriter::create(staging->path(), true);
    if (!writer) return std::move(writer).error();
    for (std::size_t i = 0; i < to_write.size(); ++i) {
        if (auto r = writer->put(*to_write[i]); !r) return std::move(r).error();
        if ((i + 1) % 1000 == 0 || i + 1 == to_write.size()) report(o.progress, "indexing codes", i + 1, to_write.size());
    }
    for (const auto& k : to_delete) {
        if (auto r = writer->remove(k); !r) return std::move(r).error();
    }
    report(o.progress, "committing", 0, 0);
    if (auto r = writer->commit(); !r) return std::move(r).error();
    // The vocabulary (spelling) and the one-word cross-references depend on
    // the documents: reload both from scratch.
    if (auto r = writer->clear_synonyms_and_spelling(); !r) return std::move(r).error();
    if (auto r = finish(*writer, p, o, summary); !r) return std::move(r).error();

    auto gen = publish_and_prune(*store, std::move(*staging), static_cast<std::uint32_t>(summary.codes), o, summary);
    if (!gen) return std::move(gen).error();
    p.assembly.records.clear();
    summary.assembly = std::move(p.assembly);
    return run.done();
}

std::string report_json(const BuildOptions& o, const BuildSummary& s) {
    auto diagnostics = [](const Diagnostics& ds) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& d : ds) {
            a.push_back({{"file", d.file}, {"line", d.line}, {"field", d.field}, {"message", d.message}});
        }
        return a;
    };
    nlohmann::json j{{"format", "icd-index-report/1"},
                     {"index", o.index.string()},
                     {"published", s.published},
                     {"generation", s.generation},
                     {"codes", s.codes},
                     {"added", s.added},
                     {"updated", s.updated},
                     {"refreshed", s.refreshed},
                     {"deleted", s.deleted},
                     {"unchanged", s.unchanged},
                     {"kept", s.kept},
                     {"synonyms_changed", s.synonyms_changed},
                     {"full_rebuild_reason", s.full_rebuild_reason},
                     {"warnings", diagnostics(s.warnings)},
                     {"skipped", diagnostics(s.skipped)},
                     {"seconds", std::round(s.seconds * 100) / 100}};
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace icd::indexer
