// Query handling: a table of input -> the Xapian query it becomes, plus the
// rules for code-shaped input, truncation and odd input.
#define BOOST_TEST_MODULE query
#include <boost/test/unit_test.hpp>

#include "query.hpp"
#include "tiny_index.hpp"

using icd::QueryMode;
using icd::SearchOptions;
using icd::detail::QueryBuilder;
using icd::detail::truncate_query;

namespace {

struct Fixture {
    icd::test::TempDir dir;
    Xapian::Database db;
    QueryBuilder builder;
    Fixture() {
        icd::test::publish(dir / "index", icd::test::sample_records());
        db = Xapian::Database((dir / "index").string());
    }
    std::string describe(const std::string& text, const SearchOptions& opt = {}) {
        return QueryBuilder::apply_filters(builder.build(text, db).query, opt).get_description();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(text_and_field_queries, Fixture) {
    const std::pair<const char*, const char*> table[] = {
        {"heart attack", "Query((Zheart@1 OR Zattack@2))"},
        {"pain in the back", "Query((Zpain@1 OR Zback@4))"},
        {"without fracture", "Query((Zwithout@1 OR Zfractur@2))"},
        {"\"heart failure\"", "Query((heart@1 PHRASE 2 failure@2))"},
        {"title:fracture", "Query(ZXTfractur@1)"},
        {"aka:ossification", "Query(ZXWossif@1)"},
        {"muscle -spasm", "Query((Zmuscl@1 AND_NOT Zspasm@2))"},
        {"under:m62 atrophy", "Query((Zatrophi@1 FILTER XP:M62))"},
        {"parent:M62.56 muscle", "Query((Zmuscl@1 FILTER XU:M6256))"},
        {"billable:yes muscle", "Query((Zmuscl@1 FILTER XB1))"},
        {"chapter:13 muscle", "Query((Zmuscl@1 FILTER XJ13))"},
        {"section:m60-m63 muscle", "Query((Zmuscl@1 FILTER XQ:M60-M63))"},
    };
    for (const auto& [in, expected] : table) {
        BOOST_TEST_CONTEXT(in) { BOOST_TEST(describe(in) == expected); }
    }
}

BOOST_FIXTURE_TEST_CASE(code_shaped_queries_become_code_prefix_lookups, Fixture) {
    const std::pair<const char*, const char*> table[] = {
        {"M62.561", "Query(XP:M62561)"},
        {"m62561", "Query(XP:M62561)"},
        {"M62.5", "Query(XP:M625)"},
        {"m62", "Query(XP:M62)"},
        {"M62.569", "Query(XP:M6256)"},  // nearest existing prefix
        {"S72.001A", "Query(XP:S72001A)"},
    };
    for (const auto& [in, expected] : table) {
        BOOST_TEST_CONTEXT(in) {
            auto built = builder.build(in, db);
            BOOST_TEST(built.mode == QueryMode::code);
            BOOST_TEST(built.sort_by_code);
            BOOST_TEST(built.query.get_description() == expected);
        }
    }
    // A code shape with no code under it at all is searched as text.
    auto built = builder.build("B12", db);
    BOOST_TEST(built.mode == QueryMode::text);
    BOOST_TEST(built.query.get_description() == "Query(Zb12@1)");
}

BOOST_FIXTURE_TEST_CASE(filters_wrap_the_query, Fixture) {
    SearchOptions opt;
    opt.billable_only = true;
    opt.chapter = "13";
    BOOST_TEST(describe("muscle", opt) == "Query(((Zmuscl@1 FILTER XB1) FILTER XJ13))");
}

BOOST_FIXTURE_TEST_CASE(syntax_errors_fall_back_to_the_words, Fixture) {
    const std::pair<const char*, const char*> table[] = {
        {"AND", "Query(and@1)"},
        {"muscle AND", "Query(Zmuscl@1)"},
        {"\"unbalanced", "Query(unbalanced@1)"},
        {"(", "Query()"},
        {"-", "Query()"},
    };
    for (const auto& [in, expected] : table) {
        BOOST_TEST_CONTEXT(in) { BOOST_TEST(describe(in) == expected); }
    }
    BOOST_TEST(builder.build("*", db).mode == QueryMode::empty);
    BOOST_TEST(builder.build("", db).mode == QueryMode::empty);
}

BOOST_AUTO_TEST_CASE(truncation_cuts_at_a_word_boundary_and_never_inside_utf8) {
    bool truncated = false;
    BOOST_TEST(truncate_query("short", 1024, truncated) == "short");
    BOOST_TEST(!truncated);
    BOOST_TEST(truncate_query("alpha beta gamma", 12, truncated) == "alpha beta");
    BOOST_TEST(truncated);
    // "é" is two bytes; a cut after its first byte backs up before it.
    const std::string word = "abc\xc3\xa9";
    const std::string cut = truncate_query(word, 4, truncated);
    BOOST_TEST(cut == "abc");
}

namespace {
struct SynonymFixture {
    icd::test::TempDir dir;
    Xapian::Database db;
    QueryBuilder builder;
    SynonymFixture() {
        using Origin = icd::IndexWriter::SynonymOrigin;
        auto records = icd::test::sample_records();
        records.push_back(icd::test::record("I2190", "Acute myocardial infarction, unspecified", true, 20));
        icd::test::publish(dir / "index", records,
                           {{"heart attack", "acute myocardial infarction", Origin::curated},
                            {"broken", "fracture", Origin::curated},
                            {"metastatic to", "secondary malignant neoplasm of", Origin::curated}});
        db = Xapian::Database((dir / "index").string());
    }
    std::string describe(const std::string& text) { return builder.build(text, db).query.get_description(); }
};
}  // namespace

BOOST_FIXTURE_TEST_CASE(a_matched_phrase_becomes_one_concept_with_its_expansions, SynonymFixture) {
    const std::pair<const char*, const char*> table[] = {
        // The expansion reading "acute myocardial infarction" is the exact
        // title key of I21.90, hence the X0 term.
        {"heart attack",
         "Query((((Zheart AND Zattack) SYNONYM (Zacut AND Zmyocardi AND Zinfarct)) OR 2 * X0acut infarct myocardi OR "
         "0.050000000000000002776 * (Zheart@1 OR Zattack@2)))"},
        {"broken hip",
         "Query((((Zbroken SYNONYM Zfractur) OR Zhip@1) OR 2 * X0fractur hip OR "
         "0.050000000000000002776 * (Zbroken@1 OR Zhip@2)))"},
        {"metastatic to bone",
         "Query((((Zmetastat AND Zbone) SYNONYM (Zsecondari AND Zmalign AND Zneoplasm AND Zbone)) OR "
         "0.050000000000000002776 * (Zmetastat@1 OR Zbone@3)))"},
    };
    for (const auto& [in, expected] : table) {
        BOOST_TEST_CONTEXT(in) { BOOST_TEST(describe(in) == expected); }
    }
    BOOST_TEST(builder.build("heart attack", db).expansions.front() == "heart attack -> acute myocardial infarction");
}

BOOST_FIXTURE_TEST_CASE(an_exact_entry_adds_its_key_term, SynonymFixture) {
    // "Fracture of hip NOS" (an inclusion term of S72.00) has the key
    // "fractur hip"; so has "hip fracture".
    BOOST_TEST(describe("hip fracture") == "Query(((Zhip@1 OR Zfractur@2) OR 2 * X0fractur hip))");
    BOOST_TEST(describe("fracture of hip") == "Query(((Zfractur@1 OR Zhip@3) OR 2 * X0fractur hip))");
}

BOOST_FIXTURE_TEST_CASE(spelling_is_corrected_only_for_unknown_words, SynonymFixture) {
    auto built = builder.build("fractrue of hip", db);
    BOOST_TEST(built.corrected == "fracture of hip");
    BOOST_TEST(builder.build("fracture of hip", db).corrected.empty());
    // Syntax queries are parsed as written.
    BOOST_TEST(builder.build("title:fractrue", db).corrected.empty());
}

BOOST_AUTO_TEST_CASE(query_syntax_is_recognised) {
    for (const char* q : {"\"heart failure\"", "title:fracture", "muscle -spasm", "+hip fracture", "heart AND failure",
                          "fract*", "(hip)"}) {
        BOOST_TEST_CONTEXT(q) { BOOST_TEST(icd::detail::has_query_syntax(q)); }
    }
    for (const char* q : {"heart failure", "IBS-D", "h/o MI", "non-pressure ulcer", "and or not", "-"}) {
        BOOST_TEST_CONTEXT(q) { BOOST_TEST(!icd::detail::has_query_syntax(q)); }
    }
}
