// Article reader and validator: format errors name file, line or field;
// content problems (unknown code, wrong title, missing related codes) are
// diagnostics naming the file and field.
#define BOOST_TEST_MODULE article
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "icd/indexer/article.hpp"
#include "test_support.hpp"

using icd::indexer::parse_article;
using icd::indexer::validate_article;

namespace {

const char* kGood = R"({
  "format": "icd-article/1",
  "code": "M62.561",
  "title": "Muscle wasting and atrophy, not elsewhere classified, right lower leg",
  "description": "Loss of muscle bulk in the right calf.",
  "also_known_as": ["right calf atrophy"],
  "key_points": ["Side decides the code."],
  "clinical_scenarios": ["After a cast."],
  "specialties": [{"name": "Physical therapy", "documentation_requirements": "Girth of both calves.",
                   "common_scenarios": "After immobilization.", "billing_considerations": "Match the side."}],
  "coding_guidelines": {"use_when": ["Atrophy of the right lower leg."], "do_not_use_when": ["Back spasm: M62.830."]},
  "subcodes": [],
  "presentation": ["The right calf looks thinner than the left."],
  "causes": ["Weeks in a cast."],
  "related_icd10cm": [{"code": "M62.830", "title": "Muscle spasm of back", "note": "A different condition."}],
  "related_cpt": [{"code": "97110", "title": "Therapeutic exercise", "note": "Strengthening."}],
  "faqs": [{"question": "Is this a back spasm code?", "answer": "No."}],
  "sources": ["order file"],
  "reviewed": "2026-11-22"
})";

std::vector<icd::indexer::OrderEntry> release() {
    std::istringstream in(
        icd::test::order_line(1, "M62561", true, "x", "Muscle wasting and atrophy, not elsewhere classified, right lower leg") +
        icd::test::order_line(2, "M62830", true, "x", "Muscle spasm of back") +
        icd::test::order_line(3, "G245", true, "x", "Blepharospasm"));
    return *icd::indexer::parse_order_file(in, "order.txt");
}

std::string with(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    BOOST_TEST_REQUIRE(pos != std::string::npos);
    return text.replace(pos, from.size(), to);
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_every_section) {
    auto a = parse_article(kGood, "a.json");
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(a->file == "a.json");
    BOOST_TEST(a->code == "M62.561");
    BOOST_TEST(a->also_known_as.size() == 1U);
    BOOST_TEST_REQUIRE(a->specialties.size() == 1U);
    BOOST_TEST(a->specialties[0].documentation == "Girth of both calves.");
    BOOST_TEST(a->specialties[0].billing == "Match the side.");
    BOOST_TEST(a->use_when.size() == 1U);
    BOOST_TEST(a->do_not_use_when.size() == 1U);
    BOOST_TEST(a->related_icd10cm[0].code == "M62.830");
    BOOST_TEST(a->related_cpt[0].code == "97110");
    BOOST_TEST(a->faqs[0].answer == "No.");
}

BOOST_AUTO_TEST_CASE(invalid_json_names_file_line_and_column) {
    auto a = parse_article(with(kGood, "\"title\": \"Muscle", "\"title\": Muscle"), "a.json");
    BOOST_TEST_REQUIRE(!a.has_value());
    BOOST_TEST(a.error().code == icd::Errc::source_invalid);
    BOOST_TEST(a.error().message.find("a.json:4:") == 0U);
    BOOST_TEST(a.error().message.find("invalid JSON") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(structural_errors_name_the_field) {
    struct Case {
        std::string text;
        std::string field;
    };
    const Case cases[] = {
        {with(kGood, "\"format\": \"icd-article/1\"", "\"format\": \"icd-article/9\""), "field 'format'"},
        {with(kGood, "\"code\": \"M62.561\"", "\"code\": \"spasm\""), "field 'code'"},
        {with(kGood, "\"description\": \"Loss of muscle bulk in the right calf.\"", "\"description\": 3"),
         "field 'description' expected a string"},
        {with(kGood, "\"answer\": \"No.\"", "\"answer\": [\"No.\"]"), "field 'faqs[0].answer' expected a string"},
        {with(kGood, "\"faqs\"", "\"faq\""), "field 'faq' unknown field"},
        {with(kGood, "\"note\": \"Strengthening.\"", "\"notes\": \"x\""), "field 'related_cpt[0].notes' unknown field"},
        {with(kGood, "\"title\": \"Muscle spasm of back\", ", ""), "field 'related_icd10cm[0].title' is required"},
        {with(kGood, "\"subcodes\": []", "\"subcodes\": [{\"code\": \"M62.561\", \"title\": \"x\"}]"),
         "field 'subcodes[0].when' is required"},
        {with(kGood, "\"key_points\": [\"Side decides the code.\"]", "\"key_points\": [1]"), "field 'key_points[0]'"},
        {"[]", "field '(document)' expected an object"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.field) {
            auto a = parse_article(c.text, "a.json");
            BOOST_TEST_REQUIRE(!a.has_value());
            BOOST_TEST(a.error().message.find("a.json: " + c.field) == 0U);
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_required_fields_are_errors) {
    for (const char* field : {"format", "code", "title", "description"}) {
        BOOST_TEST_CONTEXT(field) {
            auto doc = nlohmann::json::parse(kGood);
            doc.erase(field);
            auto a = parse_article(doc.dump(), "a.json");
            BOOST_TEST_REQUIRE(!a.has_value());
            BOOST_TEST(a.error().message == "a.json: field '" + std::string(field) + "' is required");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_valid_article_has_no_diagnostics) {
    const auto order = release();
    const icd::indexer::CodeTable codes(order);
    auto a = parse_article(kGood, "a.json");
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(validate_article(*a, codes).empty());
}

BOOST_AUTO_TEST_CASE(validation_names_file_and_field_of_each_problem) {
    const auto order = release();
    const icd::indexer::CodeTable codes(order);
    struct Case {
        std::string text;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {with(kGood, "\"code\": \"M62.561\"", "\"code\": \"M62.569\""),
         {"a.json: field 'code': M62.569 is not a code of this release; the article is not attached"}},
        {with(kGood, "right lower leg\",\n  \"description\"", "right lower leg, unilateral\",\n  \"description\""),
         {"a.json: field 'title': 'Muscle wasting and atrophy, not elsewhere classified, right lower leg, unilateral' is "
          "not the official title of M62.561 ('Muscle wasting and atrophy, not elsewhere classified, right lower "
          "leg'); the official title is shown"}},
        // A related code that does not exist; the text still names M62.830,
        // which is now declared nowhere.
        {with(kGood, "{\"code\": \"M62.830\"", "{\"code\": \"M62.83X\""),
         {"a.json: field 'related_icd10cm[0].code': M62.83X is not a code of this release",
          "a.json: field 'coding_guidelines.do_not_use_when[0]': mentions M62.830 without declaring it (with its "
          "official title) in related_icd10cm or subcodes"}},
        // A code used for something its official title does not say.
        {with(kGood, "\"title\": \"Muscle spasm of back\"", "\"title\": \"Low back pain\""),
         {"a.json: field 'related_icd10cm[0].title': 'Low back pain' is not the official title of M62.830 ('Muscle "
          "spasm of back')"}},
        {with(kGood, "{\"code\": \"97110\"", "{\"code\": \"9711\""),
         {"a.json: field 'related_cpt[0].code': '9711' is not a CPT code (5 digits, or 4 digits and F, T or U)"}},
        {with(kGood, "\"Side decides the code.\"", "\"Botox injections (G24.59) help.\""),
         {"a.json: field 'key_points[0]': mentions G24.59, which is not a code of this release"}},
        {with(kGood, "\"Side decides the code.\"", "\"Blepharospasm is G24.5.\""),
         {"a.json: field 'key_points[0]': mentions G24.5 without declaring it (with its official title) in "
          "related_icd10cm or subcodes"}},
        {with(kGood, "\"subcodes\": []", "\"subcodes\": [{\"code\": \"G24.5\", \"title\": \"Blepharospasm\", \"when\": \"eyelids\"}]"),
         {"a.json: field 'subcodes[0].code': G24.5 is not below M62.561"}},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.expected.front()) {
            auto a = parse_article(c.text, "a.json");
            BOOST_TEST_REQUIRE(a.has_value());
            std::vector<std::string> got;
            for (const auto& d : validate_article(*a, codes)) got.push_back(d.str());
            BOOST_TEST(got == c.expected, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(titles_compare_without_case_and_spacing) {
    BOOST_TEST(icd::indexer::same_title("Dystonia, unspecified", "dystonia,  Unspecified"));
    BOOST_TEST(!icd::indexer::same_title("Dystonia, unspecified", "Dystonia"));
}

BOOST_AUTO_TEST_CASE(reads_a_directory_in_name_order_and_stops_at_a_bad_file) {
    icd::test::TempDir dir;
    icd::test::write_file(dir / "b.json", with(kGood, "M62.561\"", "M62.830\""));
    icd::test::write_file(dir / "a.json", kGood);
    icd::test::write_file(dir / "notes.txt", "ignored");
    auto all = icd::indexer::read_articles(dir.path());
    BOOST_TEST_REQUIRE(all.has_value());
    BOOST_TEST_REQUIRE(all->size() == 2U);
    BOOST_TEST((*all)[0].code == "M62.561");
    icd::test::write_file(dir / "c.json", "{ \"format\": ");
    auto bad = icd::indexer::read_articles(dir.path());
    BOOST_TEST_REQUIRE(!bad.has_value());
    BOOST_TEST(bad.error().message.find((dir / "c.json").string()) == 0U);
}

// The bundled articles are checked against the bundled test release, which
// holds every code they mention.
BOOST_AUTO_TEST_CASE(the_seed_articles_are_valid_against_the_test_release) {
    auto order = icd::indexer::read_order_file(ICD_TEST_DATA_DIR "/release/icd10cm_order_2026.txt");
    BOOST_TEST_REQUIRE(order.has_value());
    const icd::indexer::CodeTable codes(*order);
    // (Every article is validated against the full release by the release
    // tests, with --strict; the test release holds what these four mention.)
    for (const char* code : icd::test::kSeedArticles) {
        BOOST_TEST_CONTEXT(code) {
            auto a = icd::indexer::read_article(icd::test::corpus_article(code));
            BOOST_TEST_REQUIRE(a.has_value());
            for (const auto& d : validate_article(*a, codes)) BOOST_ERROR(d.str());
        }
    }
}

// corpus/article.schema.json and the reader agree: every property of the
// schema is accepted, the schema's required fields are the reader's.
BOOST_AUTO_TEST_CASE(the_json_schema_matches_the_reader) {
    const auto schema = nlohmann::json::parse(icd::test::read_file(ICD_SOURCE_DIR "/corpus/article.schema.json"));
    const auto good = nlohmann::json::parse(kGood);
    for (const auto& [key, spec] : schema["properties"].items()) {
        BOOST_TEST_CONTEXT(key) { BOOST_TEST(good.contains(key), "the test article lacks schema field " << key); }
    }
    for (const auto& [key, value] : good.items()) {
        BOOST_TEST_CONTEXT(key) { BOOST_TEST(schema["properties"].contains(key)); }
    }
    std::vector<std::string> required = schema["required"];
    for (const auto& [key, value] : good.items()) {
        auto doc = good;
        doc.erase(key);
        const bool is_required = std::find(required.begin(), required.end(), key) != required.end();
        BOOST_TEST_CONTEXT(key) { BOOST_TEST(parse_article(doc.dump(), "a.json").has_value() == !is_required); }
    }
}
