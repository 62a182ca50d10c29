// The thesaurus reader: terms and expansions, comments, and errors that name
// the file and line.
#define BOOST_TEST_MODULE thesaurus
#include <boost/test/unit_test.hpp>

#include "icd/indexer/thesaurus.hpp"
#include "test_support.hpp"

using icd::indexer::parse_thesaurus;

BOOST_AUTO_TEST_CASE(reads_terms_and_expansions) {
    auto r = parse_thesaurus("# comment\n\nheart attack | MI = acute myocardial infarction\r\n"
                             "CHF = congestive heart failure |  heart failure \n",
                             "t.txt");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(r->size() == 2U);
    const auto& e = (*r)[0];
    BOOST_TEST(e.line == 3U);
    BOOST_TEST((e.terms == std::vector<std::string>{"heart attack", "MI"}));
    BOOST_TEST((e.expansions == std::vector<std::string>{"acute myocardial infarction"}));
    BOOST_TEST(((*r)[1].expansions == std::vector<std::string>{"congestive heart failure", "heart failure"}));
}

BOOST_AUTO_TEST_CASE(malformed_lines_name_file_and_line) {
    const std::pair<const char*, const char*> cases[] = {
        {"ok = fine\nno equals sign\n", "t.txt:2: no '='"},
        {"a = b = c\n", "t.txt:1: more than one '='"},
        {" = expansion\n", "t.txt:1: no term before '='"},
        {"term = | \n", "t.txt:1: no expansion after '='"},
    };
    for (const auto& [text, message] : cases) {
        BOOST_TEST_CONTEXT(text) {
            auto r = parse_thesaurus(text, "t.txt");
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error().code == icd::Errc::source_invalid);
            BOOST_TEST(r.error().message.find(message) == 0U, r.error().message);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_bundled_thesaurus_parses) {
    auto r = icd::indexer::read_thesaurus(ICD_SOURCE_DIR "/corpus/thesaurus.txt");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->size() > 200U);
}
