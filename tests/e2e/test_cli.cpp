// End-to-end tests of the two executables: exit codes, error lines, table,
// JSON and batch output. Run by ctest against the freshly built binaries.
#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "test_support.hpp"

namespace fs = std::filesystem;
using icd::test::run;
using icd::test::shell_quote;
using nlohmann::json;

namespace {

const std::string kIndexBin = ICD_INDEX_BIN;
const std::string kSearchBin = ICD_SEARCH_BIN;
const fs::path kRelease = ICD_TEST_DATA_DIR "/release";
// The four seed articles, copied: everything they mention is in the test
// release, so the expectations below do not move as the corpus grows.
const fs::path& seed_articles() {
    static const icd::test::TempDir dir;
    static const bool copied = [] {
        icd::test::copy_articles(dir.path(), icd::test::kSeedArticles);
        return true;
    }();
    (void)copied;
    return dir.path();
}
const fs::path kArticles = seed_articles();
const fs::path kThesaurus = ICD_SOURCE_DIR "/corpus/thesaurus.txt";

// One index for the whole program, built with the real icd-index.
struct Built {
    icd::test::TempDir dir;
    fs::path index;
    std::string build_output;
    Built() : index(dir / "index") {
        auto r = run(kIndexBin + " build --release " + shell_quote(kRelease.string()) + " --articles " +
                     shell_quote(kArticles.string()) + " --thesaurus " + shell_quote(kThesaurus.string()) +
                     " --index " + shell_quote(index.string()));
        if (r.status != 0) throw std::runtime_error("icd-index build failed: " + r.out);
        build_output = r.out;
    }
};
const Built& built() {
    static const Built b;
    return b;
}

std::string search(const std::string& args) {
    return kSearchBin + " --index " + shell_quote(built().index.string()) + " " + args;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(index_build_prints_a_summary) {
    const std::string& out = built().build_output;
    BOOST_TEST(out.find("Indexed 138 codes (71 billable)") != std::string::npos);
    BOOST_TEST(out.find("1 not in the order file") != std::string::npos);
    BOOST_TEST(out.find("M62.82") != std::string::npos);
    BOOST_TEST(out.find("E34.828") != std::string::npos);
    BOOST_TEST(out.find("4 read, 4 attached") != std::string::npos);
    BOOST_TEST(fs::exists(built().index / "XAPIANDB"));
}

BOOST_AUTO_TEST_CASE(index_errors_have_documented_exit_codes_and_one_line_messages) {
    icd::test::TempDir dir;
    struct Case {
        std::string args;
        int status;
        std::string message;
    };
    const Case cases[] = {
        {"", 2, "icd-index: error: no command given"},
        {"frobnicate", 2, "icd-index: error: unknown command 'frobnicate'"},
        {"build --index " + (dir / "i").string(), 2, "icd-index: error: no release given"},
        {"build --release /nonexistent --index " + (dir / "i").string(), 4,
         "icd-index: error: /nonexistent: release directory does not exist"},
        {"build --release " + kRelease.string() + " --index " + (dir / "i").string() + " --keep 0", 2,
         "icd-index: error: --keep must be at least 1"},
        {"build --release " + kRelease.string() + " --bogus", 2, "icd-index: error: unrecognised option '--bogus'"},
        {"rollback --index " + (dir / "none").string(), 3, "icd-index: error: no index directory at"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.args) {
            auto r = run(kIndexBin + " " + c.args + " 2>&1 >/dev/null");
            BOOST_TEST(r.status == c.status);
            BOOST_TEST(r.out.find(c.message) == 0U, r.out);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_bad_order_file_exits_4_naming_file_and_line_and_keeps_the_index) {
    icd::test::TempDir dir;
    fs::copy(kRelease, dir / "release", fs::copy_options::recursive);
    const auto index = (dir / "index").string();
    BOOST_TEST_REQUIRE(run(kIndexBin + " build --release " + (dir / "release").string() + " --index " + index).status == 0);
    std::string order = icd::test::read_file(dir / "release/icd10cm_order_2026.txt");
    order.insert(0, "xxxxx\r\n");
    icd::test::write_file(dir / "release/icd10cm_order_2026.txt", order);
    auto r = run(kIndexBin + " build --release " + (dir / "release").string() + " --index " + index + " 2>&1");
    BOOST_TEST(r.status == 4);
    BOOST_TEST(r.out.find("icd10cm_order_2026.txt:1: line is too short") != std::string::npos, r.out);
    auto s = run(kSearchBin + " --index " + index + " --json dystonia");
    BOOST_TEST(s.status == 0);
    BOOST_TEST(!json::parse(s.out)["results"].empty());
}

BOOST_AUTO_TEST_CASE(rollback_returns_to_the_previous_generation) {
    icd::test::TempDir dir;
    const std::string build = kIndexBin + " build --release " + kRelease.string() + " --index " + (dir / "i").string();
    BOOST_TEST_REQUIRE(run(build).status == 0);
    BOOST_TEST_REQUIRE(run(build).status == 0);
    auto r = run(kIndexBin + " rollback --index " + (dir / "i").string());
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("from generation 2 to generation 1") != std::string::npos);
    auto none = run(kIndexBin + " rollback --index " + (dir / "i").string() + " 2>&1");
    BOOST_TEST(none.status == 8);
    BOOST_TEST(none.out.find("icd-index: error: no generation older than gen-000001") == 0U, none.out);
}

BOOST_AUTO_TEST_CASE(update_prints_one_line_and_writes_a_report) {
    icd::test::TempDir dir;
    const std::string base = kIndexBin + " update --release " + kRelease.string() + " --index " + (dir / "i").string();
    auto first = run(base);
    BOOST_TEST(first.status == 0);
    BOOST_TEST(first.out.find("Full rebuild: the index has no live generation yet\nUpdated ") == 0U, first.out);
    auto second = run(base + " --report " + (dir / "r.json").string());
    BOOST_TEST(second.status == 0);
    BOOST_TEST(second.out.find("No change in ") == 0U, second.out);
    BOOST_TEST(second.out.find(" 138 unchanged,") != std::string::npos, second.out);
    const json report = json::parse(icd::test::read_file(dir / "r.json"));
    BOOST_TEST(report["format"] == "icd-index-report/1");
    BOOST_TEST(report["unchanged"].size() == 138U);
    auto kv = run(base + " --log-line");
    BOOST_TEST(kv.out.find("result=unchanged generation=1 added=0 updated=0 refreshed=0 deleted=0 unchanged=138") == 0U,
               kv.out);
}

BOOST_AUTO_TEST_CASE(a_second_run_exits_7_at_once_while_the_lock_is_held) {
    icd::test::TempDir dir;
    const std::string index = (dir / "i").string();
    BOOST_TEST_REQUIRE(run(kIndexBin + " build --release " + kRelease.string() + " --index " + index).status == 0);
    // flock(1) holds the index lock the way a running icd-index does.
    auto r = run("flock " + shell_quote(index + "/.lock") + " " + kIndexBin + " update --release " +
                 kRelease.string() + " --index " + index + " 2>&1");
    BOOST_TEST(r.status == 7);
    BOOST_TEST(r.out.find("icd-index: error: another icd-index run is writing " + index) == 0U, r.out);
}

BOOST_AUTO_TEST_CASE(nightly_reindex_logs_one_line_and_passes_the_exit_code_on) {
    icd::test::TempDir dir;
    const std::string env = "ICD_BIN=" + shell_quote(kIndexBin) + " ICD_INDEX=" + shell_quote((dir / "i").string()) +
                            " ICD10CM_RELEASE=" + shell_quote(kRelease.string()) + " ";
    const std::string script = shell_quote(ICD_SOURCE_DIR "/scripts/nightly-reindex");
    auto first = run(env + script + " 2>&1");
    BOOST_TEST(first.status == 0);
    BOOST_TEST(std::regex_search(first.out, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S+ icd-nightly\[\d+\]: result=updated generation=1 added=138 .* exit=0\n$)")),
               first.out);
    auto second = run(env + script + " 2>&1");
    BOOST_TEST(second.out.find("result=unchanged generation=1") != std::string::npos, second.out);
    auto locked = run("flock " + shell_quote((dir / "i/.lock").string()) + " env " + env + script + " 2>&1");
    BOOST_TEST(locked.status == 7);
    BOOST_TEST(locked.out.find("result=locked exit=7 reason=\"another icd-index run is writing") != std::string::npos,
               locked.out);
    auto bad = run("ICD_BIN=" + shell_quote(kIndexBin) + " ICD_INDEX=" + shell_quote((dir / "i").string()) +
                   " ICD10CM_RELEASE=/nonexistent " + script + " 2>&1");
    BOOST_TEST(bad.status == 4);
    BOOST_TEST(bad.out.find("result=invalid exit=4 reason=\"/nonexistent: release directory does not exist\"") !=
                   std::string::npos,
               bad.out);
}

BOOST_AUTO_TEST_CASE(validate_checks_sources_without_writing) {
    auto r = run(kIndexBin + " validate --strict --release " + kRelease.string() + " --articles " + kArticles.string());
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("Sources are valid: 138 codes") == 0U);
}

BOOST_AUTO_TEST_CASE(coverage_reports_the_corpus_against_the_release) {
    icd::test::TempDir dir;
    const fs::path list = dir / "full.txt";
    std::ofstream(list) << "# categories\nM62 G24\n";
    auto r = run(kIndexBin + " coverage --strict --release " + kRelease.string() + " --articles " +
                 kArticles.string() + " --full-list " + shell_quote(list.string()));
    BOOST_TEST(r.status == 0, r.out);
    BOOST_TEST(r.out.find("| categories (3-character codes) in the order file | 24 |") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("| categories with an article | 0 (0.0%) |") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("| articles on codes below a category | 4 |") != std::string::npos, r.out);
    BOOST_TEST(r.out.find("| categories listed for a full article that have one | 0 of 2 |") != std::string::npos);
    BOOST_TEST(r.out.find("Listed for a full article but without one (2): M62 G24") != std::string::npos);

    std::ofstream(list) << "M62\nfoo\n";
    auto bad = run(kIndexBin + " coverage --release " + kRelease.string() + " --full-list " + shell_quote(list.string()) + " 2>&1");
    BOOST_TEST(bad.status == 4);
    BOOST_TEST(bad.out.find(list.string() + ":2: 'foo' is not a 3-character ICD-10-CM category") != std::string::npos,
               bad.out);
}

BOOST_AUTO_TEST_CASE(search_errors_have_documented_exit_codes) {
    struct Case {
        std::string command;
        int status;
        std::string message;
    };
    const Case cases[] = {
        {kSearchBin + " --index /nonexistent heart", 3, "icd-search: error: no index at /nonexistent"},
        {search(""), 2, "icd-search: error: no query given"},
        {search("--limit abc heart"), 2, "icd-search: error: the argument ('abc') for option '--limit' is invalid"},
        {search("--limit 5000 heart"), 2, "icd-search: error: --limit must be at most 1000"},
        {search("--chapter 99 heart"), 2, "icd-search: error: --chapter must be a chapter number from 1 to 22"},
        {search("--frobnicate heart"), 2, "icd-search: error: unrecognised option '--frobnicate'"},
        {search("--show X99.99"), 8, "icd-search: error: no code X99.99 in this index"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.command) {
            auto r = run(c.command + " 2>&1 >/dev/null");
            BOOST_TEST(r.status == c.status);
            BOOST_TEST(r.out.find(c.message) == 0U, r.out);
        }
    }
}

BOOST_AUTO_TEST_CASE(table_output_matches_the_golden_file) {
    auto r = run(search("--color never M62.5"));
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out == icd::test::read_file(ICD_SOURCE_DIR "/tests/e2e/golden/search_M62.5.txt"));
}

BOOST_AUTO_TEST_CASE(text_queries_show_a_highlighted_snippet) {
    auto r = run(search("--color never calcium deposits after stroke"));
    BOOST_TEST(r.status == 0);
    const auto out = lines(r.out);
    const auto first = std::find_if(out.begin(), out.end(), [](const std::string& l) { return l.starts_with("   1  "); });
    BOOST_TEST_REQUIRE((first != out.end()));
    BOOST_TEST(first->find("M61.20") != std::string::npos);
    // Matched words are marked *like this* when not on a terminal.
    BOOST_TEST(std::regex_search(r.out, std::regex(R"(\*(calcium|calcification|stroke|deposits)\*)", std::regex::icase)));
}

BOOST_AUTO_TEST_CASE(misspellings_and_lay_terms_are_explained) {
    auto r = run(search("--color never hypertention"));
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("Showing results for \"hypertension\" (you typed \"hypertention\")") == 0U, r.out);
    auto lay = run(search("--color never tylenol overdose"));
    BOOST_TEST(lay.out.find("also searched: tylenol -> acetaminophen") != std::string::npos, lay.out);
    const auto out = lines(lay.out);
    const auto first = std::find_if(out.begin(), out.end(), [](const std::string& l) { return l.starts_with("   1  "); });
    BOOST_TEST_REQUIRE((first != out.end()));
    BOOST_TEST(first->find("T39.1X1") != std::string::npos);
    const json j = json::parse(run(search("--json diabetis type 2")).out);
    BOOST_TEST(j["corrected_query"] == "diabetes type 2");
    BOOST_TEST(j["results"][0]["code"].get<std::string>().rfind("E11", 0) == 0U);
}

BOOST_AUTO_TEST_CASE(a_malformed_thesaurus_exits_4_naming_file_and_line) {
    icd::test::TempDir dir;
    icd::test::write_file(dir / "thesaurus.txt", "heart attack = myocardial infarction\nno equals sign here\n");
    auto r = run(kIndexBin + " build --release " + kRelease.string() + " --thesaurus " +
                 (dir / "thesaurus.txt").string() + " --index " + (dir / "i").string() + " 2>&1");
    BOOST_TEST(r.status == 4);
    BOOST_TEST(r.out.find("thesaurus.txt:2: no '=' between terms and expansions") != std::string::npos, r.out);
    BOOST_TEST(!fs::exists(dir / "i" / "XAPIANDB"));
}

BOOST_AUTO_TEST_CASE(json_output_is_versioned_and_complete) {
    auto r = run(search("--json --limit 3 --billable-only dystonia"));
    BOOST_TEST(r.status == 0);
    const json j = json::parse(r.out);
    BOOST_TEST(j["format"] == "icd-search/1");
    BOOST_TEST(j["mode"] == "text");
    BOOST_TEST_REQUIRE(!j["results"].empty());
    BOOST_TEST(j["results"].size() <= 3U);
    for (const auto& h : j["results"]) {
        BOOST_TEST(h["billable"] == true);
        for (const char* key : {"code", "title", "score", "snippet", "matched_fields"}) BOOST_TEST(h.contains(key));
    }
}

BOOST_AUTO_TEST_CASE(show_prints_notes_parent_and_children) {
    auto r = run(search("--show m61.2"));
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out.find("M61.2  Paralytic calcification and ossification of muscle") == 0U);
    BOOST_TEST(r.out.find("parent: M61  Calcification and ossification of muscle") != std::string::npos);
    BOOST_TEST(r.out.find("M61.20    Paralytic calcification and ossification of muscle, unspecified site") !=
               std::string::npos);
    BOOST_TEST(r.out.find("excludes1") != std::string::npos);
    auto j = run(search("--show M61.20 --json"));
    BOOST_TEST(json::parse(j.out)["article"]["code"] == "M61.20");
}

BOOST_AUTO_TEST_CASE(batch_answers_every_line_in_order_even_odd_ones) {
    icd::test::TempDir dir;
    const std::vector<std::string> queries{
        "M62.561", "calcium deposits after stroke", "\"unbalanced quote", "(paren", "*", "-", "", "AND",
        "a \"quoted\" \\ backslash", std::string(10 * 1024, 'w'), "\xff\xfe bad utf8", "m6220", "g24"};
    std::string input;
    for (const auto& q : queries) input += q + "\n";
    icd::test::write_file(dir / "queries.txt", input);
    auto r = run(search("--batch --limit 3 < " + shell_quote((dir / "queries.txt").string())));
    BOOST_TEST(r.status == 0);
    const auto out = lines(r.out);
    BOOST_TEST_REQUIRE(out.size() == queries.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        BOOST_TEST_CONTEXT("line " << i + 1) {
            const json j = json::parse(out[i]);
            BOOST_TEST(j.contains("query"));
            BOOST_TEST(j["results"].is_array());
            BOOST_TEST(j["results"].size() <= 3U);
            BOOST_TEST(!j.contains("error"));
        }
    }
    BOOST_TEST(json::parse(out[0])["results"][0]["code"] == "M62.561");
    BOOST_TEST(json::parse(out[1])["results"][0]["code"] == "M61.20");
    BOOST_TEST(json::parse(out[6])["results"].empty());
    BOOST_TEST(json::parse(out[9])["truncated"] == true);
    BOOST_TEST(json::parse(out[12])["results"][0]["code"] == "G24");
}

BOOST_AUTO_TEST_CASE(help_and_version_exit_0) {
    BOOST_TEST(run(kSearchBin + " --help").status == 0);
    BOOST_TEST(run(kSearchBin + " --version").out.find("icd-search ") == 0U);
    BOOST_TEST(run(kIndexBin + " --help").status == 0);
    BOOST_TEST(run(kIndexBin + " build --help").out.find("Usage: icd-index build") == 0U);
}
