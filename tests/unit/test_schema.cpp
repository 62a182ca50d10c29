// The schema table: prefixes follow Omega's conventions, nothing collides,
// and docs/SCHEMA.md documents exactly what the table says.
#define BOOST_TEST_MODULE schema
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "icd/schema.hpp"
#include "test_support.hpp"

namespace schema = icd::schema;

namespace {
std::vector<std::string> all_prefixes() {
    std::vector<std::string> out;
    for (const auto& f : schema::kTextFields) {
        if (!f.prefix.empty()) out.emplace_back(f.prefix);
    }
    for (const auto& b : schema::kBooleanTerms) out.emplace_back(b.prefix);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(unique_id_uses_Q_and_custom_prefixes_start_with_X) {
    BOOST_TEST(schema::kIdTerm.prefix == "Q");
    for (const auto& p : all_prefixes()) {
        if (p == "Q") continue;
        BOOST_TEST_CONTEXT(p) {
            BOOST_TEST(p.size() == 2U);
            BOOST_TEST(p[0] == 'X');
        }
    }
}

BOOST_AUTO_TEST_CASE(no_prefix_is_a_prefix_of_another) {
    const auto prefixes = all_prefixes();
    for (std::size_t i = 0; i < prefixes.size(); ++i) {
        for (std::size_t j = 0; j < prefixes.size(); ++j) {
            if (i == j) continue;
            BOOST_TEST_CONTEXT(prefixes[i] << " vs " << prefixes[j]) {
                BOOST_TEST(prefixes[j].rfind(prefixes[i], 0) == std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(field_names_and_slots_are_unique) {
    std::set<std::string> names;
    for (const auto& f : schema::kTextFields) BOOST_TEST(names.insert(std::string(f.name)).second);
    for (const auto& b : schema::kBooleanTerms) BOOST_TEST(names.insert(std::string(b.name)).second);
    std::set<unsigned> slots;
    for (const auto& s : schema::kSlots) BOOST_TEST(slots.insert(s.slot).second);
}

BOOST_AUTO_TEST_CASE(spec_lookup_matches_the_table) {
    for (const auto& f : schema::kTextFields) {
        BOOST_TEST(schema::spec(f.field).name == f.name);
        BOOST_TEST(schema::text_field_by_name(f.name).has_value());
        // A field without a prefix of its own is searchable only through its group.
        if (f.prefix.empty()) BOOST_TEST((f.group != schema::Group::none));
    }
    BOOST_TEST(!schema::text_field_by_name("nonsense").has_value());
}

BOOST_AUTO_TEST_CASE(notes_about_other_codes_are_not_searched_by_default) {
    BOOST_TEST((schema::spec(schema::TextField::notes).group == schema::Group::none));
    BOOST_TEST((schema::spec(schema::TextField::title).group == schema::Group::official));
}

// Articles add evidence but weigh less than the words the release itself
// uses for a code (title, inclusion terms, index entries).
BOOST_AUTO_TEST_CASE(article_text_weighs_less_than_official_text) {
    const unsigned official_min = std::min({schema::spec(schema::TextField::title).weight,
                                            schema::spec(schema::TextField::inclusion).weight,
                                            schema::spec(schema::TextField::index_term).weight});
    for (const auto& f : schema::kTextFields) {
        if (f.prefix == "XD" || f.prefix == "XW" || f.prefix == "XF") BOOST_TEST((f.group == schema::Group::article));
        if (f.group == schema::Group::article) BOOST_TEST_CONTEXT(f.name) { BOOST_TEST(f.weight < official_min); }
    }
}

BOOST_AUTO_TEST_CASE(a_colon_separates_a_prefix_from_a_capitalised_value) {
    BOOST_TEST(schema::term("Q", "M62561") == "Q:M62561");
    BOOST_TEST(schema::term("XJ", "13") == "XJ13");
    BOOST_TEST(schema::term("XB", "1") == "XB1");
}

// Every field, prefix, weight and slot appears in docs/SCHEMA.md as a table
// row "| name | prefix | ...", so the document cannot drift from the code.
BOOST_AUTO_TEST_CASE(docs_schema_md_lists_every_field_and_slot) {
    const std::string doc = icd::test::read_file(ICD_SOURCE_DIR "/docs/SCHEMA.md");
    BOOST_TEST_REQUIRE(!doc.empty());
    for (const auto& f : schema::kTextFields) {
        const std::string prefix = f.prefix.empty() ? "-" : "`" + std::string(f.prefix) + "`";
        const std::string row = "| `" + std::string(f.name) + "` | " + prefix + " | " +
                                std::to_string(f.weight) + " |";
        BOOST_TEST_CONTEXT(row) { BOOST_TEST(doc.find(row) != std::string::npos); }
    }
    for (const auto& b : schema::kBooleanTerms) {
        const std::string row = "| `" + std::string(b.name) + "` | `" + std::string(b.prefix) + "` |";
        BOOST_TEST_CONTEXT(row) { BOOST_TEST(doc.find(row) != std::string::npos); }
    }
    for (const auto& s : schema::kSlots) {
        const std::string row = "| " + std::to_string(s.slot) + " | `" + std::string(s.name) + "` |";
        BOOST_TEST_CONTEXT(row) { BOOST_TEST(doc.find(row) != std::string::npos); }
    }
    BOOST_TEST(doc.find("Schema version: " + std::to_string(schema::kVersion)) != std::string::npos);
}
