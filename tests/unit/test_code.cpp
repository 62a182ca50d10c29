// Code spelling: keys, display forms, code-shaped text.
#define BOOST_TEST_MODULE code
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include "icd/code.hpp"

using icd::code_key;

BOOST_AUTO_TEST_CASE(keys_accept_every_spelling_of_a_code) {
    const std::pair<const char*, const char*> cases[] = {
        {"M62.561", "M62561"}, {"m62561", "M62561"}, {" M62.5 ", "M625"}, {"g24", "G24"},
        {"f32a", "F32A"},      {"Z3A.32", "Z3A32"},   {"T78.40XA", "T7840XA"}, {"M61.2-", "M612"},
        {"M62.-", "M62"},      {"QA0", "QA0"},        {"qa0.010", "QA0010"},
    };
    for (const auto& [in, key] : cases) {
        BOOST_TEST_CONTEXT(in) {
            auto k = code_key(in);
            BOOST_TEST_REQUIRE(k.has_value());
            BOOST_TEST(*k == key);
        }
    }
}

BOOST_AUTO_TEST_CASE(words_and_malformed_codes_are_not_codes) {
    for (const char* in : {"CHF", "AAA", "UTI", "heart attack", "M6", "12345", "M62..5", "M6.25", "M62.56123",
                           "", " ", "M62 561", "é12", "M62.5*"}) {
        BOOST_TEST_CONTEXT(in) { BOOST_TEST(!code_key(in).has_value()); }
    }
}

BOOST_AUTO_TEST_CASE(display_form_puts_the_dot_after_the_category) {
    BOOST_TEST(icd::display_code("M62561") == "M62.561");
    BOOST_TEST(icd::display_code("I10") == "I10");
    BOOST_TEST(icd::display_code("F32A") == "F32.A");
    BOOST_TEST(icd::display_code("T7840XA") == "T78.40XA");
}

BOOST_AUTO_TEST_CASE(parent_by_spelling_drops_the_last_character) {
    BOOST_TEST(icd::parent_key("M62561") == "M6256");
    BOOST_TEST(icd::parent_key("M62") == "");
}

BOOST_AUTO_TEST_CASE(is_key_requires_the_canonical_form) {
    BOOST_TEST(icd::is_key("M62561"));
    BOOST_TEST(!icd::is_key("m62561"));
    BOOST_TEST(!icd::is_key("M62.561"));
    BOOST_TEST(!icd::is_key("CHF"));
}
