// Assembly: one record per order-file code, with tabular context inherited
// where the tabular is silent, 7th characters, index paths, articles, and
// everything unresolvable counted and listed.
#define BOOST_TEST_MODULE assemble
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include "icd/indexer/assemble.hpp"
#include "icd/indexer/build.hpp"

using namespace icd::indexer;
namespace fs = std::filesystem;

namespace {

struct Loaded {
    LoadedSources s;
    Assembly a;
    const icd::CodeRecord& get(const std::string& key) const {
        for (const auto& r : a.records) {
            if (r.key == key) return r;
        }
        BOOST_FAIL("no record " + key);
        return a.records.front();
    }
};

// The seed articles and the M61 category article: everything they mention is
// in the test release.
const fs::path& articles() {
    static const icd::test::TempDir dir;
    static const bool copied = [] {
        icd::test::copy_articles(dir.path(), icd::test::kSeedArticles);
        icd::test::copy_articles(dir.path(), std::array{"M61"});
        return true;
    }();
    (void)copied;
    return dir.path();
}

const Loaded& bundled() {
    static const Loaded loaded = [] {
        BuildOptions o;
        o.release.order = ICD_TEST_DATA_DIR "/release/icd10cm_order_2026.txt";
        o.release.tabular = ICD_TEST_DATA_DIR "/release/icd10cm_tabular_2023.xml";
        o.release.alphabetic_index = ICD_TEST_DATA_DIR "/release/icd10cm_index_2023.xml";
        o.articles = articles();
        auto s = load_sources(o);
        BOOST_TEST_REQUIRE(s.has_value());
        Loaded l{std::move(*s), {}};
        const std::string tab = o.release.tabular.string();
        const std::string idx = o.release.alphabetic_index.string();
        l.a = assemble({l.s.order, l.s.tabular, tab, l.s.alpha, idx, l.s.articles});
        return l;
    }();
    return loaded;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_record_per_order_file_line_in_order) {
    const auto& l = bundled();
    BOOST_TEST(l.a.records.size() == l.s.order.size());
    for (std::size_t i = 1; i < l.a.records.size(); ++i) BOOST_TEST(l.a.records[i - 1].order < l.a.records[i].order);
    BOOST_TEST(l.a.billable == 71U);
}

BOOST_AUTO_TEST_CASE(the_official_title_and_tabular_context_are_attached) {
    const auto& r = bundled().get("M62561");
    BOOST_TEST(r.title == "Muscle wasting and atrophy, not elsewhere classified, right lower leg");
    BOOST_TEST(r.chapter == "13");
    BOOST_TEST(r.section == "M60-M63");
    BOOST_TEST(r.parent == "M6256");
    BOOST_TEST_REQUIRE(r.context.size() >= 3U);
    BOOST_TEST(r.context[0] == "Muscle wasting and atrophy, not elsewhere classified, lower leg");
    BOOST_TEST(r.context.back() == "Disorders of muscles (M60-M63)");
}

BOOST_AUTO_TEST_CASE(codes_missing_from_the_tabular_inherit_from_their_ancestor) {
    // M62.84 is in the order file but (deliberately) not in the test tabular.
    const auto& r = bundled().get("M6284");
    BOOST_TEST(r.chapter == "13");
    BOOST_TEST(r.section == "M60-M63");
    BOOST_TEST(r.notes.empty());
}

BOOST_AUTO_TEST_CASE(extended_codes_get_their_seventh_character_meaning) {
    BOOST_TEST(bundled().get("S72001A").seventh_character == "A: initial encounter for closed fracture");
    BOOST_TEST(bundled().get("S72001S").seventh_character == "S: sequela");
    // The placeholder X is skipped when looking for the parent.
    const auto& t = bundled().get("T7840XA");
    BOOST_TEST(t.parent == "T7840");
    BOOST_TEST(t.seventh_character == "A: initial encounter");
}

BOOST_AUTO_TEST_CASE(index_paths_attach_to_their_codes) {
    const auto& r = bundled().get("G249");
    BOOST_TEST((std::find(r.index_terms.begin(), r.index_terms.end(), "Dystonia") != r.index_terms.end()));
    BOOST_TEST(bundled().a.index.codes > 10U);
}

BOOST_AUTO_TEST_CASE(unresolved_references_are_counted_and_listed) {
    const auto& a = bundled().a;
    BOOST_TEST_REQUIRE(a.tabular_not_in_order.size() == 1U);
    BOOST_TEST(a.tabular_not_in_order[0].code == "M62.82");
    BOOST_TEST(a.tabular_not_in_order[0].where.find("icd10cm_tabular_2023.xml:") != std::string::npos);
    BOOST_TEST_REQUIRE(a.index.unresolved.size() == 1U);
    BOOST_TEST(a.index.unresolved[0].code == "E34.828");
    BOOST_TEST(a.index.references == a.index.attached + a.index.unresolved.size());
}

BOOST_AUTO_TEST_CASE(articles_attach_to_their_code_only) {
    const auto& l = bundled();
    BOOST_TEST(l.a.articles_attached == l.s.articles.size());
    BOOST_TEST_REQUIRE(l.get("M6120").article.has_value());
    BOOST_TEST(!l.get("M612").article.has_value());
    BOOST_TEST(l.get("M6120").title == "Paralytic calcification and ossification of muscle, unspecified site");
}

BOOST_AUTO_TEST_CASE(a_category_article_reaches_the_codes_below_it) {
    const auto& category = bundled().get("M61");
    BOOST_TEST_REQUIRE(category.article.has_value());
    BOOST_TEST(!category.category_article);  // its own article, not an inherited one
    const auto& leaf = bundled().get("M61251");
    BOOST_TEST_REQUIRE(leaf.category_article != nullptr);
    BOOST_TEST(leaf.category_article->code == "M61");
    BOOST_TEST(!leaf.article.has_value());
    // M61's subcode entry for M61.2 reaches M61.2 and every code below it
    // (the note's wording is the corpus's; what matters is where it goes).
    auto note_for = [&](std::string_view code) {
        for (const auto& sub : category.article->subcodes) {
            if (sub.code == code) return sub.when;
        }
        return std::string();
    };
    BOOST_TEST_REQUIRE(!note_for("M61.2").empty());
    BOOST_TEST_REQUIRE(leaf.subcode_notes.size() == 1U);
    BOOST_TEST(leaf.subcode_notes[0] == note_for("M61.2"));
    BOOST_TEST(bundled().get("M612").subcode_notes == leaf.subcode_notes);
    BOOST_TEST_REQUIRE(!note_for("M61.0").empty());
    BOOST_TEST(bundled().get("M6100").subcode_notes.front() == note_for("M61.0"));
    BOOST_TEST(note_for("M61.0") != note_for("M61.2"));
}

BOOST_AUTO_TEST_CASE(a_dash_reference_reaches_the_codes_below_it) {
    // The index points at "M61.25-"; M61.25 gets the path as its own entry
    // and every code below it as an inherited one.
    const auto& header = bundled().get("M6125");
    const auto& leaf = bundled().get("M61251");
    BOOST_TEST_REQUIRE(!header.index_terms.empty());
    BOOST_TEST((std::find(leaf.index_above.begin(), leaf.index_above.end(), header.index_terms.front()) !=
                leaf.index_above.end()));
    BOOST_TEST(bundled().a.index.to_descendants > 0U);
}

namespace {
const Loaded& with_tables() {
    static const Loaded loaded = [] {
        BuildOptions o;
        auto found = locate_release(ICD_TEST_DATA_DIR "/release");
        BOOST_TEST_REQUIRE(found.has_value());
        o.release = *found;
        auto s = load_sources(o);
        BOOST_TEST_REQUIRE(s.has_value());
        Loaded l{std::move(*s), {}};
        const std::string tab = o.release.tabular.string();
        const std::string idx = o.release.alphabetic_index.string();
        AssembleSources in{l.s.order, l.s.tabular, tab, l.s.alpha, idx, l.s.articles};
        in.tables = {{&*l.s.drug, "drug"}, {&*l.s.neoplasm, "neoplasm"}, {&*l.s.external, "eindex"}};
        l.a = assemble(in);
        return l;
    }();
    return loaded;
}
}  // namespace

BOOST_AUTO_TEST_CASE(table_entries_reach_the_code_and_the_codes_below_it) {
    const auto& l = with_tables();
    BOOST_TEST(l.a.tables.references > 100U);
    BOOST_TEST(l.a.tables.unresolved.empty());
    const auto& header = l.get("T391X1");
    const auto& initial = l.get("T391X1A");
    const std::string path = "Acetaminophen > Poisoning Accidental (unintentional)";
    BOOST_TEST((std::find(header.table_terms.begin(), header.table_terms.end(), path) != header.table_terms.end()));
    BOOST_TEST((std::find(initial.table_terms.begin(), initial.table_terms.end(), path) != initial.table_terms.end()));
    // Poisoning of unspecified intent is coded as accidental: the default
    // column is an exact entry too.
    BOOST_TEST((std::find(initial.entry_phrases.begin(), initial.entry_phrases.end(), "Acetaminophen > Poisoning") !=
                initial.entry_phrases.end()));
    BOOST_TEST(l.get("T391X2A").entry_phrases.empty());
    BOOST_TEST(!l.get("W11XXXA").table_terms.empty());
}

BOOST_AUTO_TEST_CASE(cross_references_become_lay_phrases) {
    AlphaIndex index;
    index.cross_references = {
        {{"Hives (bold)"}, "Urticaria", false, 1},
        {{"Deposit", "calcareous, calcium"}, "Calcification", false, 2},
        {{"Attack, attacks", "heart"}, "Infarct, myocardium", false, 3},
        {{"Calcinosis"}, "Calcification, by site", true, 4},
        {{"Abdomen, abdominal"}, "condition", true, 5},
        {{"Pregnancy", "complicated by", "fever"}, "Puerperal", false, 6},
    };
    const auto phrases = cross_reference_phrases(index);
    std::vector<std::string> got;
    for (const auto& p : phrases) got.push_back(p.phrase + " -> " + p.target + (p.see_also ? " (also)" : ""));
    const std::vector<std::string> expected{
        "Hives -> Urticaria",
        "Deposit calcareous -> Calcification",
        "calcareous Deposit -> Calcification",
        "Deposit calcium -> Calcification",
        "calcium Deposit -> Calcification",
        "Attack heart -> Infarct, myocardium",
        "heart Attack -> Infarct, myocardium",
        "Calcinosis -> Calcification (also)",
    };
    BOOST_TEST(got == expected, boost::test_tools::per_element());
}
