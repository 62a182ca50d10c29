// Tests on the official ICD-10-CM release (configured with ICD10CM_RELEASE or
// ICD10CM_ORDER/TABULAR/INDEX, see README). ctest builds the full index once
// (fixture "release_index") and runs these against it. A configured release
// that cannot be read fails here loudly; it is never skipped.
#define BOOST_TEST_MODULE release
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "icd/index_store.hpp"
#include "icd/searcher.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using icd::test::run;
using icd::test::shell_quote;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    BOOST_TEST_REQUIRE(v != nullptr, name << " is not set: run these tests through ctest");
    return v;
}

const fs::path& index_path() {
    static const fs::path p = env("ICD_RELEASE_INDEX");
    return p;
}

// icd-index source arguments: the configured release, with one file replaced.
struct Sources {
    std::string order = env("ICD_RELEASE_ORDER");
    std::string tabular = env("ICD_RELEASE_TABULAR");
    std::string alpha = env("ICD_RELEASE_ALPHA");
    std::string articles = ICD_SOURCE_DIR "/corpus/articles";
    std::string args() const {
        return "--order " + shell_quote(order) + " --tabular " + shell_quote(tabular) + " --alphabetic-index " +
               shell_quote(alpha) + " --articles " + shell_quote(articles);
    }
};

const icd::Searcher& searcher() {
    static icd::Searcher s = [] {
        auto r = icd::Searcher::open(index_path());
        BOOST_TEST_REQUIRE(r.has_value(), "cannot open the release index: " << (r ? "" : r.error().describe()));
        return std::move(*r);
    }();
    return s;
}

std::vector<std::string> top_codes(const std::string& q, std::size_t n) {
    icd::SearchOptions opt;
    opt.limit = n;
    auto r = searcher().search(q, opt);
    BOOST_TEST_REQUIRE(r.has_value());
    std::vector<std::string> out;
    for (const auto& h : r->hits) out.push_back(h.code);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_configured_release_files_are_readable) {
    for (const char* var : {"ICD_RELEASE_ORDER", "ICD_RELEASE_TABULAR", "ICD_RELEASE_ALPHA"}) {
        const fs::path p = env(var);
        std::ifstream in(p);
        BOOST_TEST_REQUIRE(in.good(), var << "=" << p << " is configured but cannot be read");
    }
}

BOOST_AUTO_TEST_CASE(every_order_file_line_is_one_document) {
    std::ifstream in(env("ICD_RELEASE_ORDER"));
    std::size_t lines = 0;
    for (std::string l; std::getline(in, l);) {
        if (l.find_first_not_of(" \r") != std::string::npos) ++lines;
    }
    BOOST_TEST(lines > 90000U);
    BOOST_TEST(searcher().info()->doc_count == lines);
}

BOOST_AUTO_TEST_CASE(a_full_code_comes_first) {
    for (const char* q : {"M62.561", "m62561"}) {
        BOOST_TEST_CONTEXT(q) { BOOST_TEST(top_codes(q, 1).at(0) == "M62.561"); }
    }
    BOOST_TEST(top_codes("m6220", 1).at(0) == "M62.20");
    BOOST_TEST(top_codes("T78.40XA", 1).at(0) == "T78.40XA");
}

BOOST_AUTO_TEST_CASE(a_category_comes_first_then_its_children) {
    const auto g24 = top_codes("g24", 5);
    BOOST_TEST_REQUIRE(g24.size() == 5U);
    BOOST_TEST(g24[0] == "G24");
    for (const auto& c : g24) BOOST_TEST(c.rfind("G24", 0) == 0U);
    BOOST_TEST(top_codes("M62.5", 1).at(0) == "M62.5");
}

BOOST_AUTO_TEST_CASE(calcium_deposits_after_stroke_finds_paralytic_calcification_in_the_top_3) {
    const auto top = top_codes("calcium deposits after stroke", 3);
    const bool found = std::any_of(top.begin(), top.end(), [](const std::string& c) { return c.rfind("M61.2", 0) == 0; });
    BOOST_TEST(found, "top 3: " << (top.empty() ? "" : top[0]) << " " << (top.size() > 1 ? top[1] : "") << " "
                                << (top.size() > 2 ? top[2] : ""));
}

BOOST_AUTO_TEST_CASE(extended_codes_carry_their_seventh_character) {
    auto d = searcher().lookup("S72.001A");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->seventh_character == "A: initial encounter for closed fracture");
    BOOST_TEST(d->parent->code == "S72.001");
}

BOOST_AUTO_TEST_CASE(the_articles_are_attached_with_the_official_title) {
    auto d = searcher().lookup("M62.561");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->title == "Muscle wasting and atrophy, not elsewhere classified, right lower leg");
    BOOST_TEST_REQUIRE(d->article.has_value());
    BOOST_TEST(!d->notes.empty());
}

// Malformed inputs made from the real files: the documented exit code, the
// file and line in the message, and the live index untouched.
BOOST_AUTO_TEST_CASE(malformed_real_inputs_fail_and_leave_the_index_untouched) {
    const std::string stub_before = icd::test::read_file(index_path() / icd::kStubFile);
    const auto gen_before = icd::read_live_generation(index_path())->number;
    icd::test::TempDir dir;

    const std::string tabular = icd::test::read_file(env("ICD_RELEASE_TABULAR"));
    icd::test::write_file(dir / "truncated_tabular.xml", tabular.substr(0, tabular.size() * 2 / 3));
    std::string order = icd::test::read_file(env("ICD_RELEASE_ORDER"));
    const auto pos = order.find('\n', order.size() / 2) + 1;
    order.insert(pos, "12345 M62.561 1 a code with a dot is not the order-file layout\r\n");
    icd::test::write_file(dir / "bad_order.txt", order);
    fs::create_directories(dir / "articles");
    icd::test::write_file(dir / "articles/broken.json", "{\"format\": \"icd-article/1\", \"code\": }");

    const std::string base = std::string(ICD_INDEX_BIN) + " build --quiet --index " + shell_quote(index_path().string());
    struct Case {
        std::string args;
        std::string message;
    };
    Sources truncated, bad_order, broken;
    truncated.tabular = (dir / "truncated_tabular.xml").string();
    bad_order.order = (dir / "bad_order.txt").string();
    broken.articles = (dir / "articles").string();
    const Case cases[] = {
        {truncated.args(), "truncated_tabular.xml:"},
        {bad_order.args(), "bad_order.txt:"},
        {broken.args(), "broken.json:1:"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.message) {
            auto r = run(base + " " + c.args + " 2>&1");
            BOOST_TEST(r.status == 4, r.out);
            BOOST_TEST(r.out.find(c.message) != std::string::npos, r.out);
            BOOST_TEST(icd::test::read_file(index_path() / icd::kStubFile) == stub_before);
            BOOST_TEST(icd::read_live_generation(index_path())->number == gen_before);
            BOOST_TEST(top_codes("M62.561", 1).at(0) == "M62.561");
        }
    }
}

// README.md shows the corpus coverage report (scripts/corpus-coverage
// --readme); it must be the report of the corpus as committed.
BOOST_AUTO_TEST_CASE(readme_shows_the_current_corpus_coverage) {
    const Sources s;
    auto r = run(ICD_INDEX_BIN " coverage --strict " + s.args() + " --thesaurus " +
                 shell_quote(ICD_SOURCE_DIR "/corpus/thesaurus.txt") + " --full-list " +
                 shell_quote(ICD_SOURCE_DIR "/corpus/common-categories.txt"));
    BOOST_TEST_REQUIRE(r.status == 0, r.out);
    const std::string readme = icd::test::read_file(ICD_SOURCE_DIR "/README.md");
    const std::string begin = "<!-- corpus-coverage:begin -->\n", end = "<!-- corpus-coverage:end -->";
    const auto b = readme.find(begin), e = readme.find(end);
    BOOST_TEST_REQUIRE((b != std::string::npos && e != std::string::npos && b < e), "README.md has no coverage block");
    BOOST_TEST(readme.substr(b + begin.size(), e - b - begin.size()) == r.out,
               "README.md's corpus coverage is stale: run scripts/corpus-coverage --readme");
}
