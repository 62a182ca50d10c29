#include "index_cli.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "icd/code.hpp"
#include "icd/index_store.hpp"
#include "icd/indexer/build.hpp"
#include "icd/indexer/coverage.hpp"

namespace icd::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using indexer::BuildOptions;

namespace {

constexpr std::string_view kProgram = "icd-index";

constexpr const char* kUsage =
    "Usage: icd-index build    --release DIR | --order F --tabular F --alphabetic-index F\n"
    "                          [--drug-table F] [--neoplasm-table F] [--external-cause-index F]\n"
    "                          [--articles DIR] [--thesaurus F] --index DIR [--strict] [--keep N]\n"
    "       icd-index update   (same options as build): only what changed, publishes only on change\n"
    "       icd-index validate (same sources, writes nothing)\n"
    "       icd-index coverage (same sources) [--full-list F]: corpus coverage as Markdown\n"
    "       icd-index rollback --index DIR\n"
    "       icd-index --help | --version\n";

constexpr const char* kExitCodes =
    "\nExit codes: 0 ok, 2 usage, 3 index unavailable, 4 a source file is invalid,\n"
    "5 article validation failed under --strict, 6 cannot write the index,\n"
    "7 another run holds the index lock, 8 nothing to roll back to, 70 internal error.\n";

struct SourceArgs {
    std::string release, order, tabular, alphabetic_index, drug, neoplasm, external, articles, thesaurus;
};

void add_source_options(po::options_description& d, SourceArgs& s) {
    d.add_options()
        ("release", po::value(&s.release), "directory holding the official release files (searched two levels deep)")
        ("order", po::value(&s.order), "order file (icd10cm_order_YYYY.txt); overrides --release")
        ("tabular", po::value(&s.tabular), "Tabular List XML; overrides --release")
        ("alphabetic-index", po::value(&s.alphabetic_index), "Alphabetic Index XML; overrides --release")
        ("drug-table", po::value(&s.drug), "Table of Drugs and Chemicals XML (optional); overrides --release")
        ("neoplasm-table", po::value(&s.neoplasm), "Neoplasm Table XML (optional); overrides --release")
        ("external-cause-index", po::value(&s.external), "External Cause of Injuries Index XML (optional); overrides --release")
        ("articles", po::value(&s.articles), "directory of code articles (*.json)")
        ("thesaurus", po::value(&s.thesaurus), "lay-term and abbreviation thesaurus (corpus/thesaurus.txt)");
}

Result<indexer::ReleaseFiles> resolve_release(const SourceArgs& s) {
    indexer::ReleaseFiles files;
    if (!s.release.empty()) {
        const bool all_explicit = !s.order.empty() && !s.tabular.empty() && !s.alphabetic_index.empty();
        if (!all_explicit) {
            auto found = indexer::locate_release(s.release);
            if (!found) return found;
            files = *found;
        }
    }
    if (!s.order.empty()) files.order = s.order;
    if (!s.tabular.empty()) files.tabular = s.tabular;
    if (!s.alphabetic_index.empty()) files.alphabetic_index = s.alphabetic_index;
    if (!s.drug.empty()) files.drug_table = s.drug;
    if (!s.neoplasm.empty()) files.neoplasm_table = s.neoplasm;
    if (!s.external.empty()) files.external_cause = s.external;
    std::string missing;
    if (files.order.empty()) missing += " --order";
    if (files.tabular.empty()) missing += " --tabular";
    if (files.alphabetic_index.empty()) missing += " --alphabetic-index";
    if (!missing.empty()) return make_error(Errc::usage, "no release given: use --release DIR or" + missing);
    return files;
}

// Progress on a terminal: one line rewritten in place. Silent otherwise.
indexer::ProgressFn make_progress(bool enabled) {
    if (!enabled) return {};
    return [](std::string_view stage, std::size_t done, std::size_t total) {
        if (total > 0) {
            std::fprintf(stderr, "\r\x1b[K%.*s %s/%s (%zu%%)", static_cast<int>(stage.size()), stage.data(),
                         with_commas(done).c_str(), with_commas(total).c_str(), done * 100 / total);
        } else {
            std::fprintf(stderr, "\r\x1b[K%.*s...", static_cast<int>(stage.size()), stage.data());
        }
        std::fflush(stderr);
    };
}

void clear_progress(bool enabled) {
    if (enabled) std::fprintf(stderr, "\r\x1b[K");
}

void print_examples(const std::vector<indexer::Unresolved>& list, bool verbose) {
    const std::size_t n = verbose ? list.size() : std::min<std::size_t>(list.size(), 5);
    for (std::size_t i = 0; i < n; ++i) std::cout << "      " << list[i].code << "  (" << list[i].where << ")\n";
    if (n < list.size()) std::cout << "      ... " << list.size() - n << " more (--verbose lists all)\n";
}

void print_references(const indexer::ReferenceStats& r, bool verbose) {
    std::cout << with_commas(r.references) << " code references, " << with_commas(r.attached) << " attached to "
              << with_commas(r.codes) << " codes (+" << with_commas(r.to_descendants) << " to codes below them); "
              << with_commas(r.unresolved.size()) << " to codes not in the order file\n";
    print_examples(r.unresolved, verbose);
}

// The first 10 warnings, or all with --verbose: a partial release (the
// bundled test release) leaves most articles unattached, and a screenful of
// the same warning helps nobody.
void print_warnings(const indexer::Diagnostics& warnings, bool verbose) {
    const std::size_t n = verbose ? warnings.size() : std::min<std::size_t>(warnings.size(), 10);
    for (std::size_t i = 0; i < n; ++i) std::cerr << kProgram << ": warning: " << warnings[i].str() << '\n';
    if (n < warnings.size()) {
        std::cerr << kProgram << ": warning: ... " << warnings.size() - n << " more (--verbose lists all)\n";
    }
}

void print_summary(const BuildOptions& o, const indexer::BuildSummary& s, bool verbose) {
    const auto& a = s.assembly;
    std::cout << "Indexed " << with_commas(s.codes) << " codes (" << with_commas(a.billable) << " billable) into "
              << s.index.string() << ", generation " << s.generation << " (live)\n";
    std::cout << "  order file        " << o.release.order.string() << '\n';
    std::cout << "  tabular           " << o.release.tabular.string() << ": " << with_commas(a.tabular_codes)
              << " codes; " << with_commas(a.tabular_not_in_order.size()) << " not in the order file\n";
    print_examples(a.tabular_not_in_order, verbose);
    std::cout << "  alphabetic index  " << o.release.alphabetic_index.string() << ": ";
    print_references(a.index, verbose);
    if (a.tables.references > 0) {
        std::cout << "  tables            ";
        for (const auto* p : {&o.release.drug_table, &o.release.neoplasm_table, &o.release.external_cause}) {
            if (!p->empty()) std::cout << p->filename().string() << ' ';
        }
        std::cout << ": ";
        print_references(a.tables, verbose);
    }
    std::cout << "  synonyms          " << with_commas(s.synonyms_curated) << " from the thesaurus, "
              << with_commas(s.synonyms_cross_references) << " from index cross-references";
    if (!s.unmatched_expansions.empty()) {
        std::cout << "; " << s.unmatched_expansions.size() << " thesaurus expansion(s) match no code of this release"
                  << (verbose ? ":" : " (--verbose lists them)");
    }
    std::cout << '\n';
    if (verbose) {
        for (const auto& d : s.unmatched_expansions) std::cout << "      " << d.str() << '\n';
    }
    if (o.articles) {
        std::cout << "  articles          " << o.articles->string() << ": " << a.articles << " read, "
                  << a.articles_attached << " attached\n";
    } else {
        std::cout << "  articles          none (no --articles)\n";
    }
    std::cout << "  warnings          " << s.warnings.size() << '\n';
    char line[128];
    std::snprintf(line, sizeof line, "  time              %.1f s, peak memory %ld MB\n", s.seconds, s.peak_rss_kb / 1024);
    std::cout << line;
    if (verbose) {
        for (const auto& [stage, secs] : s.stage_seconds) {
            std::snprintf(line, sizeof line, "      %-28s %6.1f s\n", stage.c_str(), secs);
            std::cout << line;
        }
    }
    if (s.pruned > 0) std::cout << "  removed           " << s.pruned << " old generation(s)\n";
}

struct Parsed {
    po::variables_map vm;
    bool help = false;
};

Result<Parsed> parse_command(const std::vector<std::string>& args, const po::options_description& d) {
    Parsed p;
    try {
        po::store(po::command_line_parser(args).options(d).run(), p.vm);
        po::notify(p.vm);
    } catch (const po::error& e) {
        return make_error(Errc::usage, e.what());
    }
    p.help = p.vm.count("help") > 0;
    return p;
}

enum class Command { build, update, validate, coverage };

// One line per stage on stderr, for logs: "icd-index: stage: publishing".
indexer::ProgressFn stage_logger(indexer::ProgressFn next) {
    return [next = std::move(next), last = std::string()](std::string_view stage, std::size_t done,
                                                           std::size_t total) mutable {
        if (stage != last) {
            last = std::string(stage);
            std::cerr << kProgram << ": stage: " << last << std::endl;
        }
        if (next) next(stage, done, total);
    };
}

// The update summary as key=value pairs on one line, for logs and monitors.
void print_update_kv(const indexer::BuildSummary& s) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", s.seconds);
    std::cout << "result=" << (s.published ? "updated" : "unchanged") << " generation=" << s.generation
              << " added=" << s.added.size() << " updated=" << s.updated.size() << " refreshed=" << s.refreshed.size()
              << " deleted=" << s.deleted.size() << " unchanged=" << s.unchanged.size() << " kept=" << s.kept.size()
              << " skipped=" << s.skipped.size() << " warnings=" << s.warnings.size()
              << " synonyms=" << (s.synonyms_changed ? "reloaded" : "same")
              << " full_rebuild=" << (s.full_rebuild_reason.empty() ? "no" : "yes") << " seconds=" << secs << '\n';
}

void print_update(const BuildOptions& o, const indexer::BuildSummary& s) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f s", s.seconds);
    if (!s.full_rebuild_reason.empty()) std::cout << "Full rebuild: " << s.full_rebuild_reason << '\n';
    if (s.published) {
        std::cout << "Updated " << o.index.string() << ", generation " << s.generation << " (live): ";
    } else {
        std::cout << "No change in " << o.index.string() << ", generation " << s.generation << " stays live: ";
    }
    std::cout << s.added.size() << " added, " << s.updated.size() << " updated, " << s.refreshed.size()
              << " refreshed, " << s.deleted.size() << " deleted, " << s.unchanged.size() << " unchanged, "
              << s.kept.size() << " kept, " << s.skipped.size() << " skipped, " << s.warnings.size()
              << " warnings, " << (s.synonyms_changed ? "synonyms reloaded, " : "") << secs << '\n';
}

int cmd_build(const std::vector<std::string>& args, Command command) {
    SourceArgs src;
    std::string index, report_file;
    bool strict = false, quiet = false, verbose = false, keep_going = false, stages = false, log_line = false;
    std::string full_list;
    std::size_t keep = 2;
    const char* title = command == Command::validate   ? "validate options"
                        : command == Command::coverage ? "coverage options"
                        : command == Command::update   ? "update options"
                                                       : "build options";
    po::options_description d(title);
    add_source_options(d, src);
    const bool writes = command == Command::build || command == Command::update;
    if (command == Command::coverage) {
        d.add_options()("full-list", po::value(&full_list),
                        "categories that should have full articles (corpus/common-categories.txt)");
    }
    if (writes) {
        d.add_options()
            ("index,i", po::value(&index), "index directory to publish into (default: $ICD_INDEX, else ./icd10cm.index)")
            ("keep", po::value(&keep)->default_value(2), "generations to keep, the live one included (at least 1)")
            ("report", po::value(&report_file), "write a JSON report (codes added, updated, deleted...) to this file")
            ("stages", po::bool_switch(&stages), "log each stage on stderr (for cron logs)")
            ("log-line", po::bool_switch(&log_line), "update: print the summary as one key=value line (for logs)")
            ("quiet,q", po::bool_switch(&quiet), "no progress display");
    }
    d.add_options()
        ("strict", po::bool_switch(&strict), "article and thesaurus problems are errors (exit 5), not warnings")
        ("keep-going", po::bool_switch(&keep_going), "skip unreadable articles, thesaurus lines, order-file lines and tables, and list them")
        ("verbose,v", po::bool_switch(&verbose), "list every unresolved reference and warning, and the time of each stage")
        ("help,h", "show this help");
    auto parsed = parse_command(args, d);
    if (!parsed) return usage_error(kProgram, parsed.error().message);
    if (parsed->help) {
        std::cout << kUsage << '\n' << d << kExitCodes;
        return 0;
    }
    if (keep < 1) return usage_error(kProgram, "--keep must be at least 1");
    auto release = resolve_release(src);
    if (!release) {
        if (release.error().code == Errc::usage) return usage_error(kProgram, release.error().message);
        return report(kProgram, release.error());
    }
    BuildOptions o;
    o.release = *release;
    if (!src.articles.empty()) o.articles = fs::path(src.articles);
    if (!src.thesaurus.empty()) o.thesaurus = fs::path(src.thesaurus);
    o.index = index.empty() ? default_index_path() : fs::path(index);
    o.strict = strict;
    o.keep_going = keep_going;
    o.keep = keep;
    const bool progress = !quiet && !stages && is_terminal(2);
    o.progress = make_progress(progress);
    if (stages) o.progress = stage_logger(std::move(o.progress));

    if (command == Command::coverage) {
        std::vector<std::string> listed;
        if (!full_list.empty()) {
            auto l = indexer::read_category_list(full_list);
            if (!l) return report(kProgram, l.error());
            listed = std::move(*l);
        }
        auto loaded = indexer::load_sources(o);
        clear_progress(progress);
        if (!loaded) return report(kProgram, loaded.error());
        print_warnings(loaded->warnings, verbose);
        std::cout << indexer::coverage_markdown(indexer::corpus_coverage(*loaded, listed));
        if (strict && !loaded->warnings.empty()) {
            return report(kProgram, make_error(Errc::validation, std::to_string(loaded->warnings.size()) +
                                                                     " corpus problem(s) under --strict"));
        }
        return 0;
    }
    if (command == Command::validate) {
        auto loaded = indexer::load_sources(o);
        clear_progress(progress);
        if (!loaded) return report(kProgram, loaded.error());
        print_warnings(loaded->warnings, verbose);
        print_warnings(loaded->skipped, verbose);
        std::cout << "Sources are valid: " << with_commas(loaded->order.size()) << " codes, "
                  << with_commas(loaded->tabular.codes.size()) << " tabular codes, "
                  << with_commas(loaded->alpha.entries.size()) << " index references, " << loaded->articles.size()
                  << " articles, " << loaded->thesaurus.size() << " thesaurus entries, " << loaded->warnings.size()
                  << " warning(s)\n";
        if (strict && !loaded->warnings.empty()) {
            return report(kProgram, make_error(Errc::validation, std::to_string(loaded->warnings.size()) +
                                                                     " corpus problem(s) under --strict"));
        }
        return 0;
    }

    auto summary = command == Command::update ? indexer::update_index(o) : indexer::build_index(o);
    clear_progress(progress);
    if (!summary) return report(kProgram, summary.error());
    print_warnings(summary->warnings, verbose);
    print_warnings(summary->skipped, verbose);
    if (!report_file.empty()) {
        std::ofstream out(report_file);
        out << indexer::report_json(o, *summary) << '\n';
        if (!out) return report(kProgram, make_error(Errc::io, "cannot write report " + report_file));
    }
    if (command == Command::update) {
        if (log_line) {
            print_update_kv(*summary);
        } else {
            print_update(o, *summary);
        }
        if (verbose) print_summary(o, *summary, verbose);
    } else {
        print_summary(o, *summary, verbose);
    }
    return 0;
}

int cmd_rollback(const std::vector<std::string>& args) {
    std::string index;
    po::options_description d("rollback options");
    d.add_options()
        ("index,i", po::value(&index), "index directory (default: $ICD_INDEX, else ./icd10cm.index)")
        ("help,h", "show this help");
    auto parsed = parse_command(args, d);
    if (!parsed) return usage_error(kProgram, parsed.error().message);
    if (parsed->help) {
        std::cout << kUsage << '\n' << d << kExitCodes;
        return 0;
    }
    const fs::path dir = index.empty() ? default_index_path() : fs::path(index);
    if (!fs::exists(dir / kStubFile)) {
        return report(kProgram, make_error(Errc::index_unavailable, "no index directory at " + dir.string()));
    }
    auto store = IndexStore::open(dir);
    if (!store) return report(kProgram, store.error());
    auto lock = store->lock();
    if (!lock) return report(kProgram, lock.error());
    const auto before = store->live();
    auto gen = store->rollback();
    if (!gen) return report(kProgram, gen.error());
    std::cout << "Rolled back " << dir.string() << " from generation " << (before ? before->number : 0)
              << " to generation " << gen->number << '\n';
    return 0;
}

}  // namespace

int index_main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error(kProgram, "no command given (build, update, validate, coverage or rollback)");
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage << kExitCodes;
        return 0;
    }
    if (command == "--version") {
        std::cout << "icd-index " << ICD_VERSION << '\n';
        return 0;
    }
    try {
        if (command == "build") return cmd_build(args, Command::build);
        if (command == "update") return cmd_build(args, Command::update);
        if (command == "validate") return cmd_build(args, Command::validate);
        if (command == "coverage") return cmd_build(args, Command::coverage);
        if (command == "rollback") return cmd_rollback(args);
    } catch (const std::exception& e) {
        return report(kProgram, make_error(Errc::internal, std::string("unexpected error: ") + e.what()));
    }
    return usage_error(kProgram, "unknown command '" + command + "' (build, update, validate, coverage or rollback)");
}

}  // namespace icd::cli
