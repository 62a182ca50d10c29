// The Tabular List reader: hierarchy, inclusion terms, notes, 7th
// characters, and errors that name the file and line.
#define BOOST_TEST_MODULE tabular
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include "icd/indexer/tabular.hpp"

using icd::NoteKind;
using icd::indexer::parse_tabular;

namespace {
const char* kXml = R"(<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2023</version>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning (S00-T88)</desc>
    <notes><note>Use secondary code(s) from Chapter 20</note></notes>
    <section id="S70-S79">
      <desc>Injuries to the hip and thigh (S70-S79)</desc>
      <excludes2><note>burns and corrosions (T20-T32)</note></excludes2>
      <diag>
        <name>S72</name>
        <desc>Fracture of femur</desc>
        <excludes1><note>traumatic amputation of hip and thigh (S78.-)</note></excludes1>
        <sevenChrNote><note>The appropriate 7th character is to be added to all codes from category S72</note></sevenChrNote>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="B">initial encounter for open fracture type I or II</extension>
          <note>initial encounter for open fracture NOS</note>
          <extension char="S">sequela</extension>
        </sevenChrDef>
        <diag>
          <name>S72.00</name>
          <desc>Fracture of unspecified part of neck of femur</desc>
          <inclusionTerm>
            <note>Fracture of hip NOS</note>
            <note>Fracture of neck of femur NOS</note>
          </inclusionTerm>
          <diag>
            <name>S72.001</name>
            <desc>Fracture of unspecified part of neck of right femur</desc>
          </diag>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
)";
}  // namespace

BOOST_AUTO_TEST_CASE(reads_chapters_sections_and_nested_codes) {
    auto r = parse_tabular(kXml, "tab.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->version == "2023");
    BOOST_TEST_REQUIRE(r->chapters.size() == 1U);
    BOOST_TEST(r->chapters[0].number == "19");
    BOOST_TEST(r->chapters[0].notes.size() == 1U);
    BOOST_TEST_REQUIRE(r->sections.size() == 1U);
    BOOST_TEST(r->sections[0].id == "S70-S79");
    BOOST_TEST(r->sections[0].notes.front().kind == NoteKind::excludes2);
    BOOST_TEST(r->codes.size() == 3U);
    const auto& leaf = r->codes.at("S72001");
    BOOST_TEST(leaf.parent == "S7200");
    BOOST_TEST(leaf.chapter == "19");
    BOOST_TEST(leaf.section == "S70-S79");
    BOOST_TEST(leaf.title == "Fracture of unspecified part of neck of right femur");
}

BOOST_AUTO_TEST_CASE(keeps_inclusion_terms_and_notes_with_their_kind) {
    auto r = parse_tabular(kXml, "tab.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    const auto& s7200 = r->codes.at("S7200");
    BOOST_TEST(s7200.inclusion_terms.size() == 2U);
    BOOST_TEST(s7200.inclusion_terms[0] == "Fracture of hip NOS");
    const auto& s72 = r->codes.at("S72");
    BOOST_TEST_REQUIRE(s72.notes.size() == 2U);
    BOOST_TEST(s72.notes[0].kind == NoteKind::excludes1);
    BOOST_TEST(s72.notes[0].text == "traumatic amputation of hip and thigh (S78.-)");
    BOOST_TEST(s72.notes[0].from == "S72");
    BOOST_TEST(s72.notes[1].kind == NoteKind::seventh_character);
}

BOOST_AUTO_TEST_CASE(reads_seventh_character_definitions_with_their_notes) {
    auto r = parse_tabular(kXml, "tab.xml");
    BOOST_TEST_REQUIRE(r.has_value());
    const auto& defs = r->codes.at("S72").seventh_chars;
    BOOST_TEST_REQUIRE(defs.size() == 3U);
    BOOST_TEST(defs.at('A') == "initial encounter for closed fracture");
    BOOST_TEST(defs.at('B') == "initial encounter for open fracture type I or II (initial encounter for open fracture NOS)");
    BOOST_TEST(defs.at('S') == "sequela");
}

BOOST_AUTO_TEST_CASE(truncated_xml_fails_with_file_and_line) {
    const std::string xml(kXml);
    auto r = parse_tabular(xml.substr(0, xml.find("<diag>\n            <name>S72.001")), "tab.xml");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().code == icd::Errc::source_invalid);
    BOOST_TEST(r.error().message.find("tab.xml:") == 0U);
    BOOST_TEST(r.error().message.find("malformed XML") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_diag_without_a_valid_code_names_its_line) {
    std::string xml(kXml);
    xml.replace(xml.find("<name>S72.00</name>"), 19, "<name>S7x.0?</name>");
    auto r = parse_tabular(xml, "tab.xml");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message.find("tab.xml:22: ") == 0U);
    BOOST_TEST(r.error().message.find("S7x.0?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_wrong_root_element_is_refused) {
    auto r = parse_tabular("<ICD10CM.index><version>2023</version></ICD10CM.index>", "x.xml");
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().message.find("expected <ICD10CM.tabular>") != std::string::npos);
}
