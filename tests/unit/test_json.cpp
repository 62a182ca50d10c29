// The JSON output formats: versioned, complete, always valid JSON.
#define BOOST_TEST_MODULE json_output
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include "icd/json.hpp"

using nlohmann::json;

namespace {
icd::SearchResults sample() {
    icd::SearchResults r;
    r.query = "hip fracture";
    r.mode = icd::QueryMode::text;
    r.total = 1;
    icd::Hit h;
    h.rank = 1;
    h.code = "S72.00";
    h.title = "Fracture of unspecified part of neck of femur";
    h.billable = false;
    h.score = 1.23456;
    h.snippet = "Fracture of hip <NOS> & more";
    h.highlights = {{0, 8}, {12, 15}};
    h.snippet_field = "inclusion";
    h.matched_fields = {"title", "inclusion"};
    r.hits.push_back(h);
    return r;
}
}  // namespace

BOOST_AUTO_TEST_CASE(search_results_carry_the_format_version_and_every_hit_field) {
    const json j = json::parse(icd::json::search_results(sample()));
    BOOST_TEST(j["format"] == "icd-search/1");
    BOOST_TEST(j["query"] == "hip fracture");
    BOOST_TEST(j["mode"] == "text");
    BOOST_TEST(j["total"] == 1);
    const json& h = j["results"][0];
    BOOST_TEST(h["code"] == "S72.00");
    BOOST_TEST(h["billable"] == false);
    BOOST_TEST(h["score"].get<double>() == 1.235);
    BOOST_TEST(h["snippet"] == "Fracture of hip <NOS> & more");
    BOOST_TEST(h["matched_fields"].size() == 2U);
    BOOST_TEST(!j.contains("truncated"));
}

BOOST_AUTO_TEST_CASE(snippet_html_escapes_text_and_marks_highlights) {
    BOOST_TEST(icd::json::snippet_html(sample().hits[0]) ==
               "<mark>Fracture</mark> of <mark>hip</mark> &lt;NOS&gt; &amp; more");
}

BOOST_AUTO_TEST_CASE(batch_lines_are_single_line_objects) {
    const std::string line = icd::json::batch_line(sample());
    BOOST_TEST(line.find('\n') == std::string::npos);
    const json j = json::parse(line);
    BOOST_TEST(j["query"] == "hip fracture");
    BOOST_TEST(j["results"][0]["code"] == "S72.00");

    const std::string err = icd::json::batch_error_line("q", icd::make_error(icd::Errc::index_unavailable, "gone", "rebuild"));
    const json e = json::parse(err);
    BOOST_TEST(e["results"].empty());
    BOOST_TEST(e["error"]["code"] == "index_unavailable");
    BOOST_TEST(e["error"]["hint"] == "rebuild");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_still_produces_valid_json) {
    auto r = sample();
    r.query = "bad \xff\xfe bytes";
    const json j = json::parse(icd::json::batch_line(r));
    BOOST_TEST(j["query"].get<std::string>().find("bad ") == 0U);
}

BOOST_AUTO_TEST_CASE(code_detail_is_versioned) {
    icd::CodeDetail d;
    d.code = "M61.20";
    d.title = "Paralytic calcification and ossification of muscle, unspecified site";
    d.billable = true;
    d.parent = icd::CodeSummary{"M61.2", "Paralytic calcification and ossification of muscle", false};
    d.notes = {{icd::NoteKind::excludes1, "dermatopolymyositis (M33.-)", "M60-M63"}};
    const json j = json::parse(icd::json::code_detail(d));
    BOOST_TEST(j["format"] == "icd-code/1");
    BOOST_TEST(j["parent"]["code"] == "M61.2");
    BOOST_TEST(j["notes"][0]["kind"] == "excludes1");
    BOOST_TEST(j["notes"][0]["from"] == "M60-M63");
    BOOST_TEST(j["article"].is_null());
}
