// The order-file reader: fixed-width layout, CRLF, and errors that name the
// file and line.
#define BOOST_TEST_MODULE order_file
#include <boost/test/unit_test.hpp>

#include <sstream>

#include "icd/indexer/order_file.hpp"
#include "test_support.hpp"

using icd::indexer::parse_order_file;
using icd::test::order_line;

namespace {
icd::Result<std::vector<icd::indexer::OrderEntry>> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_order_file(in, "order.txt");
}
}  // namespace

BOOST_AUTO_TEST_CASE(reads_codes_flags_and_both_titles) {
    const std::string text = order_line(1, "M62", false, "Other disorders of muscle", "Other disorders of muscle") +
                             order_line(2, "M62561", true, "Muscle wasting and atrophy, NEC, right lower leg",
                                        "Muscle wasting and atrophy, not elsewhere classified, right lower leg");
    auto r = parse(text);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(r->size() == 2U);
    const auto& e = (*r)[1];
    BOOST_TEST(e.order == 2U);
    BOOST_TEST(e.key == "M62561");
    BOOST_TEST(e.billable);
    BOOST_TEST(e.short_title == "Muscle wasting and atrophy, NEC, right lower leg");
    BOOST_TEST(e.long_title == "Muscle wasting and atrophy, not elsewhere classified, right lower leg");
    BOOST_TEST(e.line == 2U);
    BOOST_TEST(!(*r)[0].billable);
}

BOOST_AUTO_TEST_CASE(accepts_lf_line_ends_and_blank_lines) {
    std::string text = order_line(1, "I10", true, "Essential (primary) hypertension", "Essential (primary) hypertension");
    text.erase(text.find('\r'), 1);
    auto r = parse(text + "\n\n");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->size() == 1U);
    BOOST_TEST(r->front().long_title == "Essential (primary) hypertension");
}

BOOST_AUTO_TEST_CASE(malformed_lines_fail_with_file_line_and_reason) {
    const std::string good = order_line(1, "I10", true, "Essential hypertension", "Essential (primary) hypertension");
    struct Case {
        std::string line;
        std::string reason;
    };
    const Case cases[] = {
        {"garbage\r\n", "too short"},
        {"0000x I10     1 Essential hypertension                                       Essential\r\n", "not a number"},
        {"00002 I-10    1 Essential hypertension                                       Essential\r\n", "not an ICD-10-CM code"},
        {"00002 I10     7 Essential hypertension                                       Essential\r\n", "billable flag"},
        {"00002 I11     1 Hypertensive heart disease\r\n", "no long title"},
        {order_line(2, "I10", true, "again", "Essential (primary) hypertension"), "appears twice"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.line) {
            auto r = parse(good + c.line);
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error().code == icd::Errc::source_invalid);
            BOOST_TEST(r.error().message.find("order.txt:2: ") == 0U);
            BOOST_TEST(r.error().message.find(c.reason) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_an_error) {
    auto r = parse("");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message.find("no codes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_named) {
    auto r = icd::indexer::read_order_file("/nonexistent/icd10cm_order_2026.txt");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message.find("/nonexistent/icd10cm_order_2026.txt") == 0U);
}

BOOST_AUTO_TEST_CASE(code_table_finds_entries_by_key) {
    auto r = parse(order_line(1, "I10", true, "Essential hypertension", "Essential (primary) hypertension"));
    BOOST_TEST_REQUIRE(r.has_value());
    const icd::indexer::CodeTable table(*r);
    BOOST_TEST(table.size() == 1U);
    BOOST_TEST(table.contains("I10"));
    BOOST_TEST(!table.contains("I11"));
    BOOST_TEST(table.find("I10")->long_title == "Essential (primary) hypertension");
}

BOOST_AUTO_TEST_CASE(reads_the_bundled_test_release) {
    auto r = icd::indexer::read_order_file(ICD_TEST_DATA_DIR "/release/icd10cm_order_2026.txt");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->size() == 138U);
}
