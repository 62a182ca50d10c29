// The build pipeline on the bundled test release: summary figures, and bad
// input that fails with the documented error while the live index keeps
// serving unchanged.
#define BOOST_TEST_MODULE build
#include <boost/test/unit_test.hpp>

#include "icd/index_store.hpp"
#include "icd/indexer/build.hpp"
#include "icd/searcher.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace icd::indexer;

namespace {

const fs::path kRelease = ICD_TEST_DATA_DIR "/release";

BuildOptions options(const fs::path& release, const fs::path& index) {
    BuildOptions o;
    o.release.order = release / "icd10cm_order_2026.txt";
    o.release.tabular = release / "icd10cm_tabular_2023.xml";
    o.release.alphabetic_index = release / "icd10cm_index_2023.xml";
    o.articles = fs::path(ICD_SOURCE_DIR "/corpus/articles");
    o.index = index;
    return o;
}

// A writable copy of the bundled release and articles to break on purpose.
struct Copy {
    icd::test::TempDir dir;
    Copy() {
        fs::copy(kRelease, dir / "release", fs::copy_options::recursive);
        fs::copy(ICD_SOURCE_DIR "/corpus/articles", dir / "articles", fs::copy_options::recursive);
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
