// The build pipeline on the bundled test release: summary figures, and bad
// input that fails with the documented error while the live index keeps
// serving unchanged.
#define BOOST_TEST_MODULE build
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "icd/index_store.hpp"
#include "icd/indexer/build.hpp"
#include "icd/searcher.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace icd::indexer;

namespace {

const fs::path kRelease = ICD_TEST_DATA_DIR "/release";

// The four seed articles: everything they mention is in the test release.
const fs::path& seed_articles() {
    static const icd::test::TempDir dir;
    static const bool copied = [] {
        icd::test::copy_articles(dir.path(), icd::test::kSeedArticles);
        return true;
    }();
    (void)copied;
    return dir.path();
}

BuildOptions options(const fs::path& release, const fs::path& index) {
    BuildOptions o;
    o.release.order = release / "icd10cm_order_2026.txt";
    o.release.tabular = release / "icd10cm_tabular_2023.xml";
    o.release.alphabetic_index = release / "icd10cm_index_2023.xml";
    o.articles = seed_articles();
    o.index = index;
    return o;
}

// A writable copy of the bundled release and the seed articles to change
// or break on purpose.
struct Copy {
    icd::test::TempDir dir;
    Copy() {
        fs::copy(kRelease, dir / "release", fs::copy_options::recursive);
        fs::copy(seed_articles(), dir / "articles", fs::copy_options::recursive);
    }
    BuildOptions opts(const fs::path& index) {
        auto o = options(dir / "release", index);
        o.articles = dir / "articles";
        return o;
    }
};

std::uint64_t live_generation(const fs::path& index) { return icd::read_live_generation(index).value().number; }

std::size_t hits(const fs::path& index, const std::string& q) {
    auto s = icd::Searcher::open(index);
    BOOST_TEST_REQUIRE(s.has_value());
    return s->search(q)->hits.size();
}

}  // namespace

BOOST_AUTO_TEST_CASE(builds_and_publishes_with_a_summary) {
    icd::test::TempDir dir;
    std::vector<std::string> stages;
    auto o = options(kRelease, dir / "index");
    o.progress = [&](std::string_view stage, std::size_t, std::size_t) {
        if (stages.empty() || stages.back() != stage) stages.emplace_back(stage);
    };
    auto s = build_index(o);
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->codes == 138U);
    BOOST_TEST(s->generation == 1U);
    BOOST_TEST(s->assembly.articles_attached == 4U);
    BOOST_TEST(s->warnings.empty());
    BOOST_TEST(s->peak_rss_kb > 0);
    BOOST_TEST(stages.front() == "reading order file");
    BOOST_TEST((std::find(stages.begin(), stages.end(), "publishing") != stages.end()));
    BOOST_TEST(stages.back() == "pruning old generations");

    auto searcher = icd::Searcher::open(dir / "index");
    BOOST_TEST_REQUIRE(searcher.has_value());
    BOOST_TEST(searcher->info()->doc_count == 138U);
    auto r = searcher->search("calcium deposits after stroke");
    BOOST_TEST_REQUIRE(!r->hits.empty());
    BOOST_TEST(r->hits[0].code == "M61.20");
    BOOST_TEST(searcher->info()->sources.find("order=icd10cm_order_2026.txt (FY2026)") == 0U);
}

BOOST_AUTO_TEST_CASE(a_second_build_replaces_the_first_and_old_generations_are_pruned) {
    icd::test::TempDir dir;
    auto o = options(kRelease, dir / "index");
    o.keep = 2;
    for (int i = 0; i < 3; ++i) BOOST_TEST_REQUIRE(build_index(o).has_value());
    BOOST_TEST(live_generation(dir / "index") == 3U);
    BOOST_TEST(icd::IndexStore::open(dir / "index")->generations().size() == 2U);
}

BOOST_AUTO_TEST_CASE(bad_sources_fail_with_the_reason_and_leave_the_live_index_untouched) {
    struct Case {
        std::string name;
        std::function<void(Copy&)> damage;
        std::string message;
    };
    const std::vector<Case> cases{
        {"truncated tabular",
         [](Copy& c) {
             const auto p = c.dir / "release/icd10cm_tabular_2023.xml";
             const std::string text = icd::test::read_file(p);
             icd::test::write_file(p, text.substr(0, text.size() / 2));
         },
         "icd10cm_tabular_2023.xml:"},
        {"bad order line",
         [](Copy& c) {
             const auto p = c.dir / "release/icd10cm_order_2026.txt";
             std::string text = icd::test::read_file(p);
             const auto third = text.find('\n', text.find('\n') + 1) + 1;
             text.insert(third, "00000 ?????   1 broken line\r\n");
             icd::test::write_file(p, text);
         },
         "icd10cm_order_2026.txt:3: "},
        {"invalid article JSON",
         [](Copy& c) { icd::test::write_file(c.dir / "articles/bad.json", "{\"format\": \"icd-article/1\", "); },
         "bad.json:1:"},
        {"missing index file",
         [](Copy& c) { fs::remove(c.dir / "release/icd10cm_index_2023.xml"); },
         "icd10cm_index_2023.xml: cannot open"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            Copy copy;
            const auto index = copy.dir / "index";
            BOOST_TEST_REQUIRE(build_index(copy.opts(index)).has_value());
            c.damage(copy);
            auto r = build_index(copy.opts(index));
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error().code == icd::Errc::source_invalid);
            BOOST_TEST(r.error().message.find(c.message) != std::string::npos, r.error().message);
            BOOST_TEST(live_generation(index) == 1U);
            BOOST_TEST(hits(index, "dystonia") > 0U);
            for (const auto& e : fs::directory_iterator(index)) {
                BOOST_TEST(e.path().filename().string().rfind(".staging", 0) == std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(strict_turns_article_problems_into_a_validation_error) {
    Copy copy;
    const auto p = copy.dir / "articles/G24.9.json";
    std::string text = icd::test::read_file(p);
    text.replace(text.find("\"title\": \"Dystonia, unspecified\""), 32, "\"title\": \"Dystonia, generalized\"");
    icd::test::write_file(p, text);
    auto o = copy.opts(copy.dir / "index");
    auto lenient = build_index(o);
    BOOST_TEST_REQUIRE(lenient.has_value());
    BOOST_TEST_REQUIRE(lenient->warnings.size() == 1U);
    BOOST_TEST(lenient->warnings[0].field == "title");
    // The official title wins in the index.
    auto s = icd::Searcher::open(copy.dir / "index");
    BOOST_TEST(s->lookup("G24.9")->title == "Dystonia, unspecified");

    o.strict = true;
    auto strict = build_index(o);
    BOOST_TEST_REQUIRE(!strict.has_value());
    BOOST_TEST(strict.error().code == icd::Errc::validation);
    BOOST_TEST(live_generation(copy.dir / "index") == 1U);
}

BOOST_AUTO_TEST_CASE(a_locked_index_fails_at_once) {
    icd::test::TempDir dir;
    auto store = icd::IndexStore::open(dir / "index");
    auto lock = store->lock();
    BOOST_TEST_REQUIRE(lock.has_value());
    auto r = build_index(options(kRelease, dir / "index"));
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().code == icd::Errc::locked);
}

BOOST_AUTO_TEST_CASE(release_files_are_found_by_their_official_names) {
    icd::test::TempDir dir;
    for (const char* f : {"FY2023/icd10cm-order-2023.txt", "FY2023/icd10cm_tabular_2023.xml", "FY2023/icd10cm_index_2023.xml",
                          "FY2026/icd10cm_order_2026.txt", "FY2026/icd10cm_order_addenda_2026.txt",
                          "FY2026/icd10cm_codes_2026.txt"}) {
        icd::test::write_file(dir / f, "x");
    }
    auto r = locate_release(dir.path());
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->order == dir / "FY2026/icd10cm_order_2026.txt");
    BOOST_TEST(r->tabular == dir / "FY2023/icd10cm_tabular_2023.xml");
    BOOST_TEST(r->alphabetic_index == dir / "FY2023/icd10cm_index_2023.xml");
    BOOST_TEST(release_year(r->order).value() == 2026);

    fs::remove(dir / "FY2023/icd10cm_tabular_2023.xml");
    auto missing = locate_release(dir.path());
    BOOST_TEST_REQUIRE(!missing.has_value());
    BOOST_TEST(missing.error().message.find("Tabular List") != std::string::npos);
}

// ---- updates ------------------------------------------------------------------

namespace {
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    BOOST_TEST_REQUIRE(pos != std::string::npos, "no '" << from << "'");
    return text.replace(pos, from.size(), to);
}
}  // namespace

BOOST_AUTO_TEST_CASE(an_update_with_no_change_writes_nothing) {
    Copy copy;
    const auto index = copy.dir / "index";
    BOOST_TEST_REQUIRE(build_index(copy.opts(index)).has_value());
    auto u = update_index(copy.opts(index));
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(!u->published);
    BOOST_TEST(u->generation == 1U);
    BOOST_TEST(u->unchanged.size() == 138U);
    BOOST_TEST((u->added.empty() && u->updated.empty() && u->refreshed.empty() && u->deleted.empty()));
    BOOST_TEST(live_generation(index) == 1U);
    BOOST_TEST(icd::IndexStore::open(index)->generations().size() == 1U);
}

BOOST_AUTO_TEST_CASE(an_update_touches_only_what_changed) {
    Copy copy;
    const auto index = copy.dir / "index";
    BOOST_TEST_REQUIRE(build_index(copy.opts(index)).has_value());
    // An article edited, a code retitled, a code removed.
    const auto article = copy.dir / "articles/M81.6.json";
    icd::test::write_file(article, replace_once(icd::test::read_file(article), "Thinning of bone", "Loss of bone"));
    const auto order_path = copy.dir / "release/icd10cm_order_2026.txt";
    std::string order = icd::test::read_file(order_path);
    order = replace_once(order, "Essential (primary) hypertension\r\n", "Essential hypertension, retitled\r\n");
    const auto e119 = order.find(" E119 ");
    order.erase(order.rfind('\n', e119) + 1, order.find('\n', e119) - order.rfind('\n', e119));
    icd::test::write_file(order_path, order);

    auto u = update_index(copy.opts(index));
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->published);
    BOOST_TEST(u->generation == 2U);
    BOOST_TEST((u->updated == std::vector<std::string>{"I10"}));
    BOOST_TEST((u->refreshed == std::vector<std::string>{"M81.6"}));
    BOOST_TEST((u->deleted == std::vector<std::string>{"E11.9"}));
    BOOST_TEST(u->added.empty());
    BOOST_TEST(u->unchanged.size() == 135U);
    auto s = icd::Searcher::open(index);
    BOOST_TEST(s->lookup("I10")->title == "Essential hypertension, retitled");
    BOOST_TEST(s->lookup("E11.9").error().code == icd::Errc::not_found);
    BOOST_TEST(s->info()->doc_count == 137U);
}

BOOST_AUTO_TEST_CASE(a_thesaurus_change_alone_republishes) {
    Copy copy;
    const auto index = copy.dir / "index";
    icd::test::write_file(copy.dir / "thesaurus.txt", "heart attack = myocardial infarction\n");
    auto o = copy.opts(index);
    o.thesaurus = copy.dir / "thesaurus.txt";
    BOOST_TEST_REQUIRE(build_index(o).has_value());
    icd::test::write_file(copy.dir / "thesaurus.txt", "heart attack = myocardial infarction\nHTN = hypertension\n");
    auto u = update_index(o);
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->published);
    BOOST_TEST(u->synonyms_changed);
    BOOST_TEST(u->unchanged.size() == 138U);
    auto r = icd::Searcher::open(index)->search("HTN");
    BOOST_TEST_REQUIRE(!r->hits.empty());
    BOOST_TEST(r->hits[0].code.rfind("I1", 0) == 0U);
}

BOOST_AUTO_TEST_CASE(keep_going_indexes_what_is_valid_and_lists_what_it_skipped) {
    Copy copy;
    const auto index = copy.dir / "index";
    BOOST_TEST_REQUIRE(build_index(copy.opts(index)).has_value());
    // A broken article, a broken thesaurus line, an unreadable order line
    // whose code is still recognisable (I10: billable flag 7).
    icd::test::write_file(copy.dir / "articles/broken.json", "{ not json");
    icd::test::write_file(copy.dir / "thesaurus.txt", "heart attack = myocardial infarction\nno equals sign\n");
    const auto order_path = copy.dir / "release/icd10cm_order_2026.txt";
    std::string order = icd::test::read_file(order_path);
    const auto i10 = order.find(" I10     1 ");
    order[i10 + 9] = '7';
    icd::test::write_file(order_path, order);
    auto o = copy.opts(index);
    o.thesaurus = copy.dir / "thesaurus.txt";

    auto strict = update_index(o);
    BOOST_TEST_REQUIRE(!strict.has_value());
    BOOST_TEST(strict.error().code == icd::Errc::source_invalid);

    o.keep_going = true;
    auto u = update_index(o);
    BOOST_TEST_REQUIRE(u.has_value(), (u ? "" : u.error().describe()));
    BOOST_TEST(u->skipped.size() == 3U);
    BOOST_TEST((u->kept == std::vector<std::string>{"I10"}));
    BOOST_TEST(u->deleted.empty());
    std::string all;
    for (const auto& d : u->skipped) all += d.str() + "\n";
    BOOST_TEST(all.find("broken.json") != std::string::npos, all);
    BOOST_TEST(all.find("thesaurus.txt:2") != std::string::npos, all);
    BOOST_TEST(all.find("icd10cm_order_2026.txt:") != std::string::npos, all);
    // I10 is still searchable, as it was.
    BOOST_TEST(icd::Searcher::open(index)->lookup("I10")->title == "Essential (primary) hypertension");
}

BOOST_AUTO_TEST_CASE(an_update_without_an_index_builds_one) {
    Copy copy;
    auto u = update_index(copy.opts(copy.dir / "index"));
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->published);
    BOOST_TEST(u->full_rebuild_reason == "the index has no live generation yet");
    BOOST_TEST(u->added.size() == 138U);
}

BOOST_AUTO_TEST_CASE(the_report_lists_every_group) {
    Copy copy;
    auto o = copy.opts(copy.dir / "index");
    BOOST_TEST_REQUIRE(build_index(o).has_value());
    auto u = update_index(o);
    BOOST_TEST_REQUIRE(u.has_value());
    const auto j = nlohmann::json::parse(report_json(o, *u));
    BOOST_TEST(j["format"] == "icd-index-report/1");
    BOOST_TEST(j["published"] == false);
    BOOST_TEST(j["unchanged"].size() == 138U);
    for (const char* key : {"added", "updated", "refreshed", "deleted", "kept", "warnings", "skipped"}) {
        BOOST_TEST_CONTEXT(key) { BOOST_TEST(j[key].is_array()); }
    }
}
