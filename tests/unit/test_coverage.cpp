// Corpus coverage: which categories have articles, full articles, words,
// chapters, the full-article list.
#define BOOST_TEST_MODULE coverage
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "icd/indexer/coverage.hpp"
#include "test_support.hpp"

using namespace icd::indexer;

namespace {

OrderEntry entry(const std::string& key, bool billable = false) {
    OrderEntry e;
    e.key = key;
    e.billable = billable;
    e.long_title = "title of " + key;
    return e;
}

icd::Article category_article(const std::string& code, bool full) {
    icd::Article a;
    a.code = code;
    a.description = "one two three";                // 3 words
    a.also_known_as = {"four five"};                 // 2
    a.subcodes = {{code + ".0", "t", "six seven"}};  // 2
    if (full) {
        a.key_points = {"a b"};
        a.clinical_scenarios = {"c d"};
        a.specialties = {{"Family medicine", "e", "f", "g"}};
        a.use_when = {"h"};
        a.faqs = {{"i?", "j"}};
    }
    return a;
}

LoadedSources sources() {
    LoadedSources s;
    s.order = {entry("A00"), entry("A000", true), entry("A01"), entry("B00"), entry("M62"), entry("M6256"),
               entry("M62561", true), entry("QA0")};
    s.tabular.chapters = {{"1", "Certain infectious and parasitic diseases (A00-B99)", {}},
                          {"13", "Diseases of the musculoskeletal system and connective tissue (M00-M99)", {}},
                          {"17", "Congenital malformations (Q00-Q99)", {}}};
    s.articles = {category_article("A00", true), category_article("M62", false)};
    icd::Article code;
    code.code = "M62.561";
    code.description = "a b c d e";
    code.related_cpt = {{"97110", "exercise", "n"}};
    s.articles.push_back(code);
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_article_has_every_full_section) {
    BOOST_TEST(is_full_article(category_article("A00", true)));
    BOOST_TEST(!is_full_article(category_article("A00", false)));
    auto a = category_article("A00", true);
    a.faqs.clear();
    BOOST_TEST(!is_full_article(a));
}

BOOST_AUTO_TEST_CASE(words_count_every_text_of_the_article) {
    BOOST_TEST(article_words(category_article("A00", false)) == 7U);
    // + a b, c d, (Family medicine e f g), h, (i? j)
    BOOST_TEST(article_words(category_article("A00", true)) == 7U + 2 + 2 + 5 + 1 + 2);
}

BOOST_AUTO_TEST_CASE(coverage_counts_categories_chapters_and_the_list) {
    const Coverage c = corpus_coverage(sources(), {"A00", "M62", "a00"});
    BOOST_TEST(c.categories == 5U);  // A00 A01 B00 M62 QA0
    BOOST_TEST(c.with_article == 2U);
    BOOST_TEST(c.full == 1U);
    BOOST_TEST(c.code_articles == 1U);
    BOOST_TEST(c.articles == 3U);
    BOOST_TEST(c.with_cpt == 1U);
    BOOST_TEST(c.codes_named == 2U);
    BOOST_TEST(c.listed == 2U);  // duplicates counted once
    BOOST_TEST(c.listed_full == 1U);
    BOOST_TEST(c.listed_not_full == std::vector<std::string>{"M62"});
    BOOST_TEST(c.missing == (std::vector<std::string>{"A01", "B00", "QA0"}));
    BOOST_TEST(c.words_full.count == 1U);
    BOOST_TEST(c.words_category.median == 7U);
    BOOST_TEST(c.words_code.total == 6U);  // description and the CPT note
    BOOST_REQUIRE(c.chapters.size() == 3U);
    BOOST_TEST(c.chapters[0].range == "A00-B99");
    BOOST_TEST(c.chapters[0].title == "Certain infectious and parasitic diseases");
    BOOST_TEST(c.chapters[0].categories == 3U);
    BOOST_TEST(c.chapters[0].with_article == 1U);
    BOOST_TEST(c.chapters[0].full == 1U);
    // QA0 sorts after Q99 but belongs to chapter 17.
    BOOST_TEST(c.chapters[2].categories == 1U);

    const std::string md = coverage_markdown(c);
    BOOST_TEST(md.find("| categories with an article | 2 (40.0%) |") != std::string::npos, md);
    BOOST_TEST(md.find("| categories listed for a full article that have one | 1 of 2 |") != std::string::npos, md);
    BOOST_TEST(md.find("Categories without an article (3): A01 B00 QA0") != std::string::npos, md);
    BOOST_TEST(md.find("| 13 Diseases of the musculoskeletal system and connective tissue | M00-M99 | 1 | 1 | 0 |") !=
                   std::string::npos,
               md);
}

BOOST_AUTO_TEST_CASE(a_category_list_names_the_line_of_a_bad_token) {
    icd::test::TempDir dir;
    const auto good = dir / "good.txt";
    std::ofstream(good) << "# comment\nA00 m62  # trailing comment\n\nZ3A\n";
    auto list = read_category_list(good);
    BOOST_REQUIRE(list.has_value());
    BOOST_TEST(*list == (std::vector<std::string>{"A00", "M62", "Z3A"}));

    const auto bad = dir / "bad.txt";
    std::ofstream(bad) << "A00\nM62 M62.5\n";
    auto err = read_category_list(bad);
    BOOST_REQUIRE(!err.has_value());
    BOOST_TEST(err.error().code == icd::Errc::source_invalid);
    BOOST_TEST(err.error().message == bad.string() + ":2: 'M62.5' is not a 3-character ICD-10-CM category");
    BOOST_TEST(!read_category_list(dir / "missing.txt").has_value());
}
