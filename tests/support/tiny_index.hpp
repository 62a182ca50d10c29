// Builds small indexes from inline records, through the same IndexStore and
// IndexWriter path the indexer uses.
#pragma once

#include <boost/test/unit_test.hpp>

#include <vector>

#include "icd/index_store.hpp"
#include "icd/index_writer.hpp"
#include "icd/record.hpp"
#include "test_support.hpp"

namespace icd::test {

struct Synonym {
    std::string phrase;
    std::string expansion;
    IndexWriter::SynonymOrigin origin = IndexWriter::SynonymOrigin::curated;
};

// Publishes `records` (and synonyms, and spelling data built from them) as a
// new generation of the index directory `dir`.
inline Generation publish(const std::filesystem::path& dir, const std::vector<CodeRecord>& records,
                          const std::vector<Synonym>& synonyms = {}) {
    auto store = IndexStore::open(dir);
    BOOST_TEST_REQUIRE(store.has_value());
    auto staging = store->stage(false);
    BOOST_TEST_REQUIRE(staging.has_value());
    auto writer = IndexWriter::create(staging->path());
    BOOST_TEST_REQUIRE(writer.has_value());
    for (const auto& r : records) BOOST_TEST_REQUIRE(writer->put(r).has_value());
    BOOST_TEST_REQUIRE(writer->commit().has_value());
    for (const auto& s : synonyms) BOOST_TEST_REQUIRE(writer->add_synonym(s.phrase, s.expansion, s.origin).has_value());
    BOOST_TEST_REQUIRE(writer->commit().has_value());
    BOOST_TEST_REQUIRE(writer->build_spelling().has_value());
    BOOST_TEST_REQUIRE(writer->close().has_value());
    auto gen = store->publish(std::move(*staging), static_cast<std::uint32_t>(records.size()));
    BOOST_TEST_REQUIRE(gen.has_value());
    return *gen;
}

// A small slice of chapter 13 and 19 with the shapes that matter: headers
// and billable leaves, inclusion terms, index terms, notes, an article, an
// extended code with a 7th character.
inline std::vector<CodeRecord> sample_records() {
    std::vector<CodeRecord> v;
    auto m61 = record("M61", "Calcification and ossification of muscle", false, 1);
    m61.section = "M60-M63";
    m61.section_title = "Disorders of muscles (M60-M63)";
    v.push_back(m61);
    auto m612 = record("M612", "Paralytic calcification and ossification of muscle", false, 2, "M61");
    m612.index_terms = {"Myositis > ossificans or ossifying (circumscripta) > in (due to) > quadriplegia or paraplegia"};
    m612.notes = {{NoteKind::excludes1, "myositis ossificans traumatica (M61.0-)", "M61.2"}};
    v.push_back(m612);
    auto m6120 = record("M6120", "Paralytic calcification and ossification of muscle, unspecified site", true, 3, "M612");
    m6120.context = {"Paralytic calcification and ossification of muscle", "Calcification and ossification of muscle"};
    Article a;
    a.file = "M61.20.json";
    a.code = "M61.20";
    a.title = m6120.title;
    a.description = "Calcium deposits in muscle of a limb paralyzed after a stroke or spinal cord injury.";
    a.also_known_as = {"neurogenic heterotopic ossification"};
    m6120.article = a;
    v.push_back(m6120);
    v.push_back(record("M62", "Other disorders of muscle", false, 4));
    v.push_back(record("M625", "Muscle wasting and atrophy, not elsewhere classified", false, 5, "M62"));
    v.push_back(record("M6256", "Muscle wasting and atrophy, not elsewhere classified, lower leg", false, 6, "M625"));
    v.push_back(record("M62561", "Muscle wasting and atrophy, not elsewhere classified, right lower leg", true, 7, "M6256"));
    v.push_back(record("M62562", "Muscle wasting and atrophy, not elsewhere classified, left lower leg", true, 8, "M6256"));
    auto spasm = record("M62830", "Muscle spasm of back", true, 9, "M62");
    spasm.inclusion_terms = {"Back muscle spasm"};
    v.push_back(spasm);
    auto s72 = record("S7200", "Fracture of unspecified part of neck of femur", false, 10, "", "19");
    s72.inclusion_terms = {"Fracture of hip NOS", "Fracture of neck of femur NOS"};
    v.push_back(s72);
    auto s72a = record("S72001A", "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",
                       true, 11, "S7200", "19");
    s72a.seventh_character = "A: initial encounter for closed fracture";
    v.push_back(s72a);
    v.push_back(record("I10", "Essential (primary) hypertension", true, 12, "", "9"));
    return v;
}

}  // namespace icd::test
