// The Alphabetic Index reader: term paths with nonessential modifiers, code
// references of every kind, cross-references, errors with file and line.
#define BOOST_TEST_MODULE alpha_index
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include "icd/indexer/alpha_index.hpp"

using icd::indexer::parse_alpha_index;

namespace {
const char* kXml = R"(<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index>
  <version>2023</version>
  <letter>
    <title>C</title>
    <mainTerm>
      <title>Calcification</title>
      <term level="1">
        <title>muscle</title>
        <code>M61.9</code>
        <term level="2">
          <title>due to paralysis</title>
          <code>M61.2-</code>
        </term>
      </term>
    </mainTerm>
  </letter>
  <letter>
    <title>S</title>
    <mainTerm>
      <title>Stroke<nemod>(apoplectic) (brain)</nemod></title>
      <see>Infarct, brain</see>
      <term level="1">
        <title>heat</title>
        <code>T67.01</code>
      </term>
    </mainTerm>
    <mainTerm>
      <title>Amyloid heart<nemod>(disease)</nemod></title>
      <code>E85.4</code>
      <manif>I43</manif>
    </mainTerm>
  </letter>
</ICD10CM.index>
)";
}  // namespace

BOOST_AUTO_TEST_CASE(builds_term_paths_with_nonessential_modifiers) {
    auto r = parse_alpha_index(kXml, "idx.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->version == "2023");
    BOOST_TEST_REQUIRE(r->entries.size() == 5U);
    BOOST_TEST(r->entries[0].path_text() == "Calcification > muscle");
    BOOST_TEST(r->entries[0].code == "M61.9");
    BOOST_TEST(r->entries[1].path_text() == "Calcification > muscle > due to paralysis");
    BOOST_TEST(r->entries[1].code == "M61.2-");
    BOOST_TEST(r->entries[2].path_text() == "Stroke (apoplectic) (brain) > heat");
    BOOST_TEST(r->entries[2].line == 23U);
}

BOOST_AUTO_TEST_CASE(manifestation_codes_are_flagged) {
    auto r = parse_alpha_index(kXml, "idx.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->entries[3].code == "E85.4");
    BOOST_TEST(!r->entries[3].manifestation);
    BOOST_TEST(r->entries[4].code == "I43");
    BOOST_TEST(r->entries[4].manifestation);
}

BOOST_AUTO_TEST_CASE(keeps_see_cross_references) {
    auto r = parse_alpha_index(kXml, "idx.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(r->cross_references.size() == 1U);
    BOOST_TEST(r->cross_references[0].target == "Infarct, brain");
    BOOST_TEST(!r->cross_references[0].see_also);
    BOOST_TEST(r->cross_references[0].path.front() == "Stroke (apoplectic) (brain)");
}

BOOST_AUTO_TEST_CASE(truncated_xml_fails_with_file_and_line) {
    const std::string xml(kXml);
    auto r = parse_alpha_index(xml.substr(0, xml.find("<title>heat")), "idx.xml");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().code == icd::Errc::source_invalid);
    BOOST_TEST(r.error().message.find("idx.xml:") == 0U);
    BOOST_TEST(r.error().message.find("malformed XML") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reads_the_bundled_test_release) {
    auto r = icd::indexer::read_alpha_index(ICD_TEST_DATA_DIR "/release/icd10cm_index_2023.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->entries.size() == 83U);
}
