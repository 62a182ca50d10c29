// Index directories: atomic publishing of generations, verification,
// pruning, rollback, the write lock, and refusing foreign directories.
#define BOOST_TEST_MODULE index_store
#include <boost/test/unit_test.hpp>

#include "icd/index_store.hpp"
#include "icd/searcher.hpp"
#include "tiny_index.hpp"

namespace fs = std::filesystem;
using icd::IndexStore;
using icd::test::publish;
using icd::test::record;

namespace {
std::vector<icd::CodeRecord> one(const std::string& title) { return {record("I10", title, true, 1)}; }

std::string live_title(const fs::path& index) {
    auto s = icd::Searcher::open(index);
    BOOST_TEST_REQUIRE(s.has_value());
    auto d = s->lookup("I10");
    BOOST_TEST_REQUIRE(d.has_value());
    return d->title;
}
}  // namespace

BOOST_AUTO_TEST_CASE(each_publish_makes_a_new_live_generation) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    BOOST_TEST(publish(index, one("first")).number == 1U);
    BOOST_TEST(live_title(index) == "first");
    BOOST_TEST(publish(index, one("second")).number == 2U);
    BOOST_TEST(live_title(index) == "second");
    BOOST_TEST(icd::test::read_file(index / icd::kStubFile) == "auto gen-000002\n");
    auto store = IndexStore::open(index);
    BOOST_TEST(store->generations().size() == 2U);
    BOOST_TEST(store->live()->number == 2U);
}

BOOST_AUTO_TEST_CASE(a_generation_that_fails_verification_is_never_published) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    publish(index, one("good"));
    auto store = IndexStore::open(index);
    auto staging = store->stage(false);
    BOOST_TEST_REQUIRE(staging.has_value());
    const fs::path staging_path = staging->path();
    auto writer = icd::IndexWriter::create(staging_path);
    BOOST_TEST_REQUIRE(writer->put(record("I10", "bad", true, 1)).has_value());
    BOOST_TEST_REQUIRE(writer->close().has_value());
    auto gen = store->publish(std::move(*staging), 5);  // claims 5 documents, has 1
    BOOST_TEST_REQUIRE(!gen.has_value());
    BOOST_TEST(gen.error().message.find("expected 5") != std::string::npos);
    BOOST_TEST(live_title(index) == "good");
    BOOST_TEST(!fs::exists(staging_path));
    BOOST_TEST(store->generations().size() == 1U);
}

BOOST_AUTO_TEST_CASE(an_abandoned_staging_directory_is_removed_and_never_read) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    publish(index, one("good"));
    auto store = IndexStore::open(index);
    fs::path left_behind;
    {
        auto staging = store->stage(true);  // a copy of the live generation
        BOOST_TEST_REQUIRE(staging.has_value());
        left_behind = staging->path();
        BOOST_TEST(fs::exists(left_behind / "iamglass"));
    }  // dropped without publishing, as if the run failed
    BOOST_TEST(!fs::exists(left_behind));
    fs::create_directories(index / ".staging-gen-000009-1");  // as if killed
    store->remove_stale_staging();
    BOOST_TEST(!fs::exists(index / ".staging-gen-000009-1"));
    BOOST_TEST(live_title(index) == "good");
}

BOOST_AUTO_TEST_CASE(prune_keeps_the_newest_generations_and_never_the_live_one) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    for (int i = 0; i < 4; ++i) publish(index, one("v" + std::to_string(i)));
    auto store = IndexStore::open(index);
    BOOST_TEST(store->prune(2) == 2U);
    auto gens = store->generations();
    BOOST_TEST_REQUIRE(gens.size() == 2U);
    BOOST_TEST(gens[0].number == 3U);
    BOOST_TEST(gens[1].live);
    BOOST_TEST(store->prune(0) == 1U);  // at least the live one always stays
    BOOST_TEST(store->generations().size() == 1U);
    BOOST_TEST(live_title(index) == "v3");
}

BOOST_AUTO_TEST_CASE(rollback_makes_the_previous_generation_live) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    publish(index, one("old"));
    publish(index, one("new"));
    auto store = IndexStore::open(index);
    auto gen = store->rollback();
    BOOST_TEST_REQUIRE(gen.has_value());
    BOOST_TEST(gen->number == 1U);
    BOOST_TEST(live_title(index) == "old");
    auto again = store->rollback();
    BOOST_TEST_REQUIRE(!again.has_value());
    BOOST_TEST(again.error().code == icd::Errc::not_found);
    // The next publish still gets a fresh number.
    BOOST_TEST(publish(index, one("newest")).number == 3U);
}

BOOST_AUTO_TEST_CASE(only_one_writer_holds_the_lock) {
    icd::test::TempDir dir;
    auto store = IndexStore::open(dir / "index");
    BOOST_TEST_REQUIRE(store.has_value());
    {
        auto first = store->lock();
        BOOST_TEST_REQUIRE(first.has_value());
        auto second = store->lock();
        BOOST_TEST_REQUIRE(!second.has_value());
        BOOST_TEST(second.error().code == icd::Errc::locked);
    }
    BOOST_TEST(store->lock().has_value());  // released with the first
}

BOOST_AUTO_TEST_CASE(foreign_directories_are_refused) {
    icd::test::TempDir dir;
    icd::test::write_file(dir / "photos" / "cat.jpg", "meow");
    auto s = IndexStore::open(dir / "photos");
    BOOST_TEST_REQUIRE(!s.has_value());
    BOOST_TEST(s.error().code == icd::Errc::io);
    BOOST_TEST(s.error().message.find("cat.jpg") != std::string::npos);
    icd::test::write_file(dir / "file", "x");
    BOOST_TEST(!IndexStore::open(dir / "file").has_value());
}
