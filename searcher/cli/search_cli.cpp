#include "search_cli.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "icd/json.hpp"
#include "icd/searcher.hpp"

namespace icd::cli {

namespace po = boost::program_options;

namespace {

constexpr std::string_view kProgram = "icd-search";
constexpr std::size_t kMaxLimit = 1000;

struct Options {
    std::string index;
    std::size_t limit = 10;
    std::size_t offset = 0;
    bool billable_only = false;
    std::size_t per_category = 4;
    std::string chapter;
    bool json = false;
    bool batch = false;
    std::string show;
    bool info = false;
    bool explain = false;
    std::string color = "auto";
    std::vector<std::string> words;
};

struct Style {
    std::string hi_on;
    std::string hi_off;
    std::string dim_on;
    std::string dim_off;
};

std::string render_snippet(const Hit& hit, const Style& style) {
    std::string out;
    std::size_t pos = 0;
    for (const auto& h : hit.highlights) {
        if (h.begin < pos || h.end > hit.snippet.size()) continue;
        out.append(hit.snippet, pos, h.begin - pos);
        out += style.hi_on;
        out.append(hit.snippet, h.begin, h.end - h.begin);
        out += style.hi_off;
        pos = h.end;
    }
    out.append(hit.snippet, pos, std::string::npos);
    return out;
}

void print_table(const SearchResults& r, const Style& style) {
    if (r.truncated) std::cout << "(query cut to " << r.query.size() << " bytes)\n";
    if (!r.note.empty()) std::cout << r.note << '\n';
    if (!r.corrected.empty()) std::cout << "Showing results for \"" << r.corrected << "\" (you typed \"" << r.query << "\")\n";
    if (!r.suggestion.empty()) std::cout << "Did you mean \"" << r.suggestion << "\"?\n";
    if (r.hits.empty()) {
        std::cout << "No codes found for \"" << r.query << "\".\n";
        return;
    }
    std::cout << "Results " << r.offset + 1 << "-" << r.offset + r.hits.size() << " of about "
              << with_commas(r.total) << " for \"" << (r.corrected.empty() ? r.query : r.corrected) << "\"\n";
    for (const auto& e : r.expansions) std::cout << "  also searched: " << e << '\n';
    std::cout << '\n';
    std::cout << "   #  Code      Bill Title\n";
    for (const auto& h : r.hits) {
        char head[64];
        std::snprintf(head, sizeof head, "%4u  %-9s %-4s ", h.rank, h.code.c_str(), h.billable ? "yes" : "-");
        std::cout << head << h.title << '\n';
        if (r.mode == QueryMode::text && !h.snippet.empty() && h.snippet_field != "title") {
            std::cout << std::string(20, ' ') << style.dim_on << h.snippet_field << ": " << style.dim_off
                      << render_snippet(h, style) << '\n';
        }
    }
}

void print_detail(const CodeDetail& d) {
    std::cout << d.code << "  " << d.title << '\n';
    std::cout << "  billable: " << (d.billable ? "yes" : "no (header: use a code below it)") << '\n';
    if (!d.chapter.empty()) std::cout << "  chapter " << d.chapter << ": " << d.chapter_title << '\n';
    if (!d.section.empty()) std::cout << "  section " << d.section << ": " << d.section_title << '\n';
    if (d.parent) std::cout << "  parent: " << d.parent->code << "  " << d.parent->title << '\n';
    if (!d.seventh_character.empty()) std::cout << "  7th character: " << d.seventh_character << '\n';
    if (!d.inclusion_terms.empty()) {
        std::cout << "  inclusion terms:\n";
        for (const auto& t : d.inclusion_terms) std::cout << "    " << t << '\n';
    }
    if (!d.notes.empty()) {
        std::cout << "  notes:\n";
        for (const auto& n : d.notes) {
            std::cout << "    " << note_kind_name(n.kind) << " (" << n.from << "): " << n.text << '\n';
        }
    }
    if (!d.index_terms.empty()) {
        std::cout << "  alphabetic index:\n";
        for (const auto& t : d.index_terms) std::cout << "    " << t << '\n';
    }
    if (!d.children.empty()) {
        std::cout << "  codes below:\n";
        for (const auto& c : d.children) {
            std::cout << "    " << c.code << (c.billable ? "  " : " -") << "  " << c.title << '\n';
        }
    }
    if (d.article) {
        std::cout << "  article (" << d.article->file << "):\n    " << d.article->description << '\n';
    }
}

int run_batch(const Searcher& searcher, const SearchOptions& opt) {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto r = searcher.search(line, opt);
        std::cout << (r ? json::batch_line(*r) : json::batch_error_line(line, r.error())) << '\n' << std::flush;
    }
    return 0;
}

Result<Options> parse(int argc, char** argv, bool& help, bool& version) {
    Options o;
    po::options_description visible("Options");
    visible.add_options()
        ("index,i", po::value(&o.index), "index directory (default: $ICD_INDEX, else ./icd10cm.index)")
        ("limit,n", po::value(&o.limit)->default_value(10), "number of results (at most 1000)")
        ("offset", po::value(&o.offset)->default_value(0), "skip this many results (paging)")
        ("billable-only,b", po::bool_switch(&o.billable_only), "only billable codes")
        ("chapter", po::value(&o.chapter), "only codes in this chapter (1-22)")
        ("per-category", po::value(&o.per_category)->default_value(4),
         "at most this many results from one 3-character category (0: no limit)")
        ("json", po::bool_switch(&o.json), "JSON output (format icd-search/1, docs/JSON.md)")
        ("batch", po::bool_switch(&o.batch), "read queries from stdin, write one JSON object per line")
        ("show", po::value(&o.show), "show one code: title, notes, parent, children, article")
        ("info", po::bool_switch(&o.info), "show what the index holds")
        ("explain", po::bool_switch(&o.explain), "print the Xapian query the words become, then the results")
        ("color", po::value(&o.color)->default_value("auto"), "highlight matches: auto, always, never")
        ("help,h", "show this help")
        ("version", "show the version");
    po::options_description hidden;
    hidden.add_options()("query", po::value(&o.words));
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description pos;
    pos.add("query", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return make_error(Errc::usage, e.what());
    }
    if (vm.count("help")) {
        help = true;
        std::cout << "Usage: icd-search [options] QUERY...\n"
                     "       icd-search --batch [options] < queries.txt\n"
                     "       icd-search --show CODE\n\n"
                     "Search ICD-10-CM codes by words, abbreviations or code.\n\n"
                  << visible
                  << "\nExit codes: 0 ok (also when nothing matched), 2 usage, 3 index missing or\n"
                     "unreadable, 8 --show of an unknown code, 70 internal error.\n";
        return o;
    }
    if (vm.count("version")) {
        version = true;
        return o;
    }
    if (o.limit > kMaxLimit) return make_error(Errc::usage, "--limit must be at most 1000");
    if (o.color != "auto" && o.color != "always" && o.color != "never") {
        return make_error(Errc::usage, "--color must be auto, always or never");
    }
    if (!o.chapter.empty()) {
        try {
            std::size_t used = 0;
            const int ch = std::stoi(o.chapter, &used);
            if (used != o.chapter.size() || ch < 1 || ch > 22) throw std::out_of_range("chapter");
        } catch (const std::exception&) {
            return make_error(Errc::usage, "--chapter must be a chapter number from 1 to 22");
        }
    }
    const int modes = (o.batch ? 1 : 0) + (o.show.empty() ? 0 : 1) + (o.info ? 1 : 0);
    if (modes > 1) return make_error(Errc::usage, "--batch, --show and --info cannot be combined");
    if (modes == 0 && o.words.empty()) return make_error(Errc::usage, "no query given");
    if (modes == 1 && !o.words.empty()) return make_error(Errc::usage, "unexpected query words with --batch/--show/--info");
    if (o.index.empty()) o.index = default_index_path().string();
    return o;
}

}  // namespace

namespace {
int run_search(int argc, char** argv);
}  // namespace

int search_main(int argc, char** argv) {
    try {
        return run_search(argc, argv);
    } catch (const std::exception& e) {
        return report(kProgram, make_error(Errc::internal, std::string("unexpected error: ") + e.what()));
    }
}

namespace {

int run_search(int argc, char** argv) {
    bool help = false;
    bool version = false;
    auto parsed = parse(argc, argv, help, version);
    if (!parsed) return usage_error(kProgram, parsed.error().message);
    if (help) return 0;
    if (version) {
        std::cout << "icd-search " << ICD_VERSION << '\n';
        return 0;
    }
    const Options& o = *parsed;

    auto searcher = Searcher::open(o.index);
    if (!searcher) return report(kProgram, searcher.error());

    SearchOptions opt;
    opt.limit = o.limit;
    opt.offset = o.offset;
    opt.billable_only = o.billable_only;
    opt.per_category = o.per_category;
    opt.chapter = o.chapter;

    if (o.batch) return run_batch(*searcher, opt);

    if (!o.show.empty()) {
        auto detail = searcher->lookup(o.show);
        if (!detail) return report(kProgram, detail.error());
        if (o.json) {
            std::cout << json::code_detail(*detail) << '\n';
        } else {
            print_detail(*detail);
        }
        return 0;
    }

    if (o.info) {
        auto info = searcher->info();
        if (!info) return report(kProgram, info.error());
        std::cout << "index: " << info->path.string() << '\n'
                  << "generation: " << (info->generation ? std::to_string(*info->generation) : "-") << '\n'
                  << "codes: " << with_commas(info->doc_count) << '\n'
                  << "schema version: " << info->schema_version << '\n'
                  << "built: " << info->built_at << '\n'
                  << "sources: " << info->sources << '\n';
        return 0;
    }

    std::string query;
    for (const auto& w : o.words) {
        if (!query.empty()) query.push_back(' ');
        query += w;
    }
    if (o.explain) {
        auto described = searcher->explain(query, opt);
        if (!described) return report(kProgram, described.error());
        std::cout << *described << "\n\n";
    }
    auto results = searcher->search(query, opt);
    if (!results) return report(kProgram, results.error());
    if (o.json) {
        std::cout << json::search_results(*results) << '\n';
        return 0;
    }
    const bool color = o.color == "always" || (o.color == "auto" && is_terminal(1));
    const Style style = color ? Style{"\x1b[1;33m", "\x1b[0m", "\x1b[2m", "\x1b[0m"} : Style{"*", "*", "", ""};
    print_table(*results, style);
    return 0;
}

}  // namespace

}  // namespace icd::cli
