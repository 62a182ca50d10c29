// The Searcher: code lookups, free text, filters, paging, snippets, code
// details, odd input, missing indexes and new generations.
#define BOOST_TEST_MODULE searcher
#include <boost/test/unit_test.hpp>

#include <thread>

#include "icd/schema.hpp"
#include "icd/searcher.hpp"
#include "tiny_index.hpp"

using icd::QueryMode;
using icd::SearchOptions;
using icd::Searcher;

namespace {

struct Fixture {
    icd::test::TempDir dir;
    Searcher searcher;
    Fixture() : searcher(open_sample(dir.path())) {}

    static Searcher open_sample(const std::filesystem::path& p) {
        icd::test::publish(p / "index", icd::test::sample_records());
        auto s = Searcher::open(p / "index");
        BOOST_TEST_REQUIRE(s.has_value());
        return std::move(*s);
    }

    std::vector<std::string> codes(std::string_view q, SearchOptions opt = {}) const {
        auto r = searcher.search(q, opt);
        BOOST_TEST_REQUIRE(r.has_value());
        std::vector<std::string> out;
        for (const auto& h : r->hits) out.push_back(h.code);
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(searching, Fixture)

BOOST_AUTO_TEST_CASE(a_full_code_finds_that_code_first_in_any_spelling) {
    for (const char* q : {"M62.561", "m62561", " M62.561 "}) {
        BOOST_TEST_CONTEXT(q) {
            auto r = searcher.search(q);
            BOOST_TEST_REQUIRE(r.has_value());
            BOOST_TEST(r->mode == QueryMode::code);
            BOOST_TEST_REQUIRE(!r->hits.empty());
            BOOST_TEST(r->hits[0].code == "M62.561");
            BOOST_TEST(r->hits[0].title == "Muscle wasting and atrophy, not elsewhere classified, right lower leg");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_code_prefix_lists_the_code_then_its_children_in_code_order) {
    const std::vector<std::string> expected{"M62.5", "M62.56", "M62.561", "M62.562"};
    BOOST_TEST(codes("M62.5") == expected, boost::test_tools::per_element());
    BOOST_TEST(codes("m625") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_code_that_does_not_exist_shows_the_nearest_existing_prefix) {
    auto r = searcher.search("M62.569");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->mode == QueryMode::code);
    BOOST_TEST(r->note == "no code M62.569; showing codes under M62.56");
    BOOST_TEST(r->hits.front().code == "M62.56");
}

BOOST_AUTO_TEST_CASE(free_text_matches_titles_inclusion_terms_and_articles) {
    BOOST_TEST(codes("muscle spasm of back").front() == "M62.830");
    BOOST_TEST(codes("fracture of hip").front() == "S72.00");
    BOOST_TEST(codes("calcium deposits after a stroke").front() == "M61.20");
}

BOOST_AUTO_TEST_CASE(hits_say_which_fields_matched_and_highlight_the_snippet) {
    auto r = searcher.search("hip fracture");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(!r->hits.empty());
    const auto& h = r->hits.front();
    BOOST_TEST(h.code == "S72.00");
    BOOST_TEST((std::find(h.matched_fields.begin(), h.matched_fields.end(), "inclusion") != h.matched_fields.end()));
    BOOST_TEST(h.snippet_field == "inclusion");
    BOOST_TEST(h.snippet.find("Fracture of hip NOS") != std::string::npos);
    BOOST_TEST_REQUIRE(!h.highlights.empty());
    std::vector<std::string> marked;
    for (const auto& hl : h.highlights) marked.push_back(h.snippet.substr(hl.begin, hl.end - hl.begin));
    BOOST_TEST((std::find(marked.begin(), marked.end(), "hip") != marked.end()));
    BOOST_TEST(h.score > 0.0);
}

BOOST_AUTO_TEST_CASE(notes_about_other_codes_do_not_make_a_code_match) {
    // M61.2 carries "Excludes1: myositis ossificans traumatica"; a search for
    // "traumatica" must not return it.
    auto r = searcher.search("traumatica");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->hits.empty());
    // ... but the notes are searchable on purpose with the notes: field.
    BOOST_TEST(codes("notes:traumatica").front() == "M61.2");
}

BOOST_AUTO_TEST_CASE(billable_only_and_chapter_filters) {
    SearchOptions billable;
    billable.billable_only = true;
    for (const auto& c : codes("M62.5", billable)) BOOST_TEST(c != "M62.5");
    BOOST_TEST(codes("M62.5", billable).size() == 2U);
    SearchOptions chapter;
    chapter.chapter = "19";
    for (const auto& c : codes("fracture OR muscle OR hypertension", chapter)) BOOST_TEST(c.substr(0, 1) == "S");
}

BOOST_AUTO_TEST_CASE(limit_and_offset_page_through_results) {
    SearchOptions first;
    first.limit = 2;
    SearchOptions second = first;
    second.offset = 2;
    auto a = searcher.search("M62", first);
    auto b = searcher.search("M62", second);
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST(a->hits.size() == 2U);
    BOOST_TEST(b->hits.front().rank == 3U);
    BOOST_TEST(a->hits.back().code != b->hits.front().code);
    BOOST_TEST(a->total == 6U);
}

BOOST_AUTO_TEST_CASE(odd_input_never_fails) {
    const std::string huge(10 * 1024, 'x');
    for (const std::string& q : std::vector<std::string>{"", "   ", "\"unbalanced", "(", ")", "*", "-", "AND", "a AND", "NOT", "title:",
                                "\xff\xfe invalid utf8", std::string("nul\0byte", 8), huge,
                                std::string(2000, ' ') + "muscle"}) {
        BOOST_TEST_CONTEXT(q.substr(0, 20)) {
            auto r = searcher.search(q);
            BOOST_TEST_REQUIRE(r.has_value());
        }
    }
    auto r = searcher.search(huge);
    BOOST_TEST(r->truncated);
    BOOST_TEST(r->query.size() <= 1024U);
}

BOOST_AUTO_TEST_CASE(lookup_returns_notes_parent_children_and_article) {
    auto d = searcher.lookup("m61.2");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(d->code == "M61.2");
    BOOST_TEST(!d->billable);
    BOOST_TEST_REQUIRE(d->parent.has_value());
    BOOST_TEST(d->parent->code == "M61");
    BOOST_TEST_REQUIRE(d->children.size() == 1U);
    BOOST_TEST(d->children[0].code == "M61.20");
    BOOST_TEST_REQUIRE(!d->notes.empty());
    BOOST_TEST(d->notes[0].text == "myositis ossificans traumatica (M61.0-)");

    auto leaf = searcher.lookup("M61.20");
    BOOST_TEST_REQUIRE(leaf.has_value());
    BOOST_TEST_REQUIRE(leaf->article.has_value());
    BOOST_TEST(leaf->article->also_known_as.front() == "neurogenic heterotopic ossification");
    // Notes written on ancestors are shown with the code, naming their origin.
    BOOST_TEST_REQUIRE(!leaf->notes.empty());
    BOOST_TEST(leaf->notes[0].from == "M61.2");
}

BOOST_AUTO_TEST_CASE(lookup_of_an_unknown_code_is_not_found_with_a_hint) {
    auto d = searcher.lookup("M62.569");
    BOOST_TEST_REQUIRE(!d.has_value());
    BOOST_TEST(d.error().code == icd::Errc::not_found);
    BOOST_TEST(d.error().hint == "see M62.56 and the codes under it");
    BOOST_TEST(searcher.lookup("heart").error().code == icd::Errc::not_found);
}

BOOST_AUTO_TEST_CASE(info_reports_the_generation_and_size) {
    auto i = searcher.info();
    BOOST_TEST_REQUIRE(i.has_value());
    BOOST_TEST(i->doc_count == icd::test::sample_records().size());
    BOOST_TEST(i->generation.value_or(0) == 1U);
    BOOST_TEST(i->schema_version == icd::schema::kVersion);
}

BOOST_AUTO_TEST_CASE(many_threads_share_one_searcher) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                auto r = searcher.search(i % 2 ? "muscle" : "M62.5");
                if (!r || r->hits.empty()) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    BOOST_TEST(failures.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(a_missing_index_is_a_clear_error) {
    auto s = Searcher::open("/nonexistent/index");
    BOOST_TEST_REQUIRE(!s.has_value());
    BOOST_TEST(s.error().code == icd::Errc::index_unavailable);
    BOOST_TEST(s.error().message == "no index at /nonexistent/index");
    BOOST_TEST(!s.error().hint.empty());
}

BOOST_AUTO_TEST_CASE(a_directory_that_is_not_an_index_is_refused) {
    icd::test::TempDir dir;
    icd::test::write_file(dir / "readme.txt", "hello");
    auto s = Searcher::open(dir.path());
    BOOST_TEST_REQUIRE(!s.has_value());
    BOOST_TEST(s.error().code == icd::Errc::index_unavailable);
}

BOOST_AUTO_TEST_CASE(a_new_generation_is_picked_up_between_queries) {
    icd::test::TempDir dir;
    const auto index = dir / "index";
    icd::test::publish(index, {icd::test::record("I10", "Essential (primary) hypertension", true, 1)});
    auto s = Searcher::open(index);
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(s->search("hypertension")->hits.size() == 1U);
    BOOST_TEST(s->search("asthma")->hits.empty());

    icd::test::publish(index, {icd::test::record("I10", "Essential (primary) hypertension", true, 1),
                               icd::test::record("J45", "Asthma", false, 2, "", "10")});
    auto r = s->search("asthma");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(r->hits.size() == 1U);
    BOOST_TEST(r->hits[0].code == "J45");
    BOOST_TEST(s->info()->generation.value_or(0) == 2U);
}
