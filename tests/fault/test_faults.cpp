// Faults and concurrency of the nightly update, against a synthetic release
// large enough (about 12,000 codes) for every stage of a run to take a
// measurable time:
//  - kill -9 of `icd-index update` at random moments of every stage,
//    publishing included: afterwards the published index opens, answers
//    and has a consistent document count, and the next run completes;
//  - a reader querying continuously while updates publish new
//    generations: no query fails, and the reader sees the new content.
#define BOOST_TEST_MODULE faults
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "icd/index_store.hpp"
#include "icd/searcher.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using icd::test::shell_quote;

namespace {

constexpr int kCategories = 120;  // A00..A99, B00..B19: 120 x 101 codes

// A release with 120 categories of 100 billable codes each, under a
// minimal but valid Tabular List and Alphabetic Index.
struct SyntheticRelease {
    icd::test::TempDir dir;
    std::size_t codes = 0;
    SyntheticRelease() {
        std::string order, diags, index;
        unsigned n = 0;
        for (int c = 0; c < kCategories; ++c) {
            char cat[8];
            std::snprintf(cat, sizeof cat, "%c%02d", 'A' + c / 100, c % 100);
            const std::string title = std::string("Synthetic condition ") + cat;
            order += icd::test::order_line(++n, cat, false, title, title);
            diags += "<diag><name>" + std::string(cat) + "</name><desc>" + title + "</desc>";
            for (int k = 0; k < 100; ++k) {
                const std::string key = std::string(cat) + std::to_string(k / 10) + std::to_string(k % 10);
                const std::string t = title + ", site " + std::to_string(k / 10) + ", kind " + std::to_string(k % 10);
                order += icd::test::order_line(++n, key, true, t, t);
            }
            diags += "</diag>\n";
            index += "<mainTerm><title>Synthetic " + std::string(cat) + "</title><code>" + cat + "</code></mainTerm>\n";
        }
        codes = n;
        icd::test::write_file(dir / "release/icd10cm_order_2026.txt", order);
        icd::test::write_file(dir / "release/icd10cm_tabular_2023.xml",
                              "<?xml version=\"1.0\"?><ICD10CM.tabular><version>2023</version><chapter><name>1</name>"
                              "<desc>Synthetic chapter</desc><section id=\"A00-B19\"><desc>Synthetic section</desc>" +
                                  diags + "</section></chapter></ICD10CM.tabular>\n");
        icd::test::write_file(dir / "release/icd10cm_index_2023.xml",
                              "<?xml version=\"1.0\"?><ICD10CM.index><version>2023</version><letter><title>S</title>" +
                                  index + "</letter></ICD10CM.index>\n");
        write_article("baseline");
    }
    // An article for A00 whose description carries `word`: changing the word
    // is a change an update must publish.
    void write_article(const std::string& word) const {
        icd::test::write_file(dir / "articles/A00.json",
                              R"({"format": "icd-article/1", "code": "A00", "title": "Synthetic condition A00",
                                  "description": "A made-up condition; marker )" + word + R"(."})");
    }
    std::string args() const {
        return "--release " + shell_quote((dir / "release").string()) + " --articles " +
               shell_quote((dir / "articles").string()) + " --index " + shell_quote((dir / "index").string());
    }
    fs::path index() const { return dir / "index"; }
};

int run_to_end(const std::string& command) { return icd::test::run(command + " >/dev/null 2>&1").status; }

// Starts `icd-index update --stages`, waits until it announces `stage`, lets
// it run `delay` more, then kills it with SIGKILL. Returns true when the
// kill landed (the process had not finished by itself).
bool kill_during(const std::string& args, const std::string& stage, std::chrono::microseconds delay) {
    int err[2];
    BOOST_TEST_REQUIRE(::pipe(err) == 0);
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(err[1], 2);
        ::close(err[0]);
        ::close(err[1]);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        const std::string cmd = std::string("exec ") + ICD_INDEX_BIN + " update --stages " + args;
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(err[1]);
    std::string buffer;
    char c = 0;
    const std::string wanted = "stage: " + stage + "\n";
    while (::read(err[0], &c, 1) == 1) {
        buffer.push_back(c);
        if (buffer.ends_with(wanted)) break;
    }
    std::this_thread::sleep_for(delay);
    const bool killed = ::kill(pid, SIGKILL) == 0;
    ::close(err[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return killed && WIFSIGNALED(status);
}

}  // namespace

BOOST_AUTO_TEST_CASE(kill_9_at_any_moment_leaves_a_working_index_and_the_next_run_completes) {
    SyntheticRelease rel;
    BOOST_TEST_REQUIRE(run_to_end(std::string(ICD_INDEX_BIN) + " build " + rel.args()) == 0);
    const std::vector<std::string> stages{"reading order file",     "assembling records",
                                          "reading the live index", "comparing with the live index",
                                          "copying the live generation", "indexing codes",
                                          "committing",             "loading synonyms",
                                          "building spelling data", "publishing",
                                          "pruning old generations"};
    std::mt19937 rng(20261122);
    std::uniform_int_distribution<int> delay_us(0, 40000);
    int trials = 0, killed = 0, killed_publishing = 0;
    for (int t = 0; t < 33; ++t) {
        const std::string stage = stages[static_cast<std::size_t>(t) % stages.size()];
        BOOST_TEST_CONTEXT("trial " << t << ", kill during '" << stage << "'") {
            rel.write_article("trial" + std::to_string(t));
            const bool landed = kill_during(rel.args(), stage, std::chrono::microseconds(delay_us(rng)));
            ++trials;
            killed += landed ? 1 : 0;
            killed_publishing += landed && stage == "publishing" ? 1 : 0;

            // The published index opens, answers, and holds every code.
            auto s = icd::Searcher::open(rel.index());
            BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
            auto r = s->search("synthetic condition");
            BOOST_TEST_REQUIRE(r.has_value());
            BOOST_TEST(!r->hits.empty());
            BOOST_TEST(s->info()->doc_count == rel.codes);
            const auto live = icd::read_live_generation(rel.index());
            BOOST_TEST_REQUIRE(live.has_value());
            BOOST_TEST(fs::exists(live->path / "iamglass"));

            // The next run completes and publishes the change.
            BOOST_TEST_REQUIRE(run_to_end(std::string(ICD_INDEX_BIN) + " update " + rel.args()) == 0);
            auto after = icd::Searcher::open(rel.index());
            BOOST_TEST_REQUIRE(after.has_value());
            auto found = after->search("trial" + std::to_string(t));
            BOOST_TEST_REQUIRE(found.has_value());
            BOOST_TEST_REQUIRE(!found->hits.empty());
            BOOST_TEST(found->hits[0].code == "A00");
            // No staging left behind after a completed run.
            for (const auto& e : fs::directory_iterator(rel.index())) {
                BOOST_TEST(e.path().filename().string().rfind(".staging", 0) == std::string::npos);
            }
        }
    }
    BOOST_TEST_MESSAGE(trials << " trials, " << killed << " kills landed, " << killed_publishing
                              << " during publishing");
    BOOST_TEST(trials >= 30);
    BOOST_TEST(killed >= 25);
    BOOST_TEST(killed_publishing >= 2);
}

BOOST_AUTO_TEST_CASE(a_reader_never_fails_while_updates_publish_and_sees_the_new_content) {
    SyntheticRelease rel;
    BOOST_TEST_REQUIRE(run_to_end(std::string(ICD_INDEX_BIN) + " build --keep 2 " + rel.args()) == 0);
    auto searcher = icd::Searcher::open(rel.index());
    BOOST_TEST_REQUIRE(searcher.has_value());

    std::atomic<bool> stop{false};
    std::atomic<long> queries{0}, failures{0};
    std::mutex seen_mutex;
    std::set<std::string> seen;  // marker words the reader has found
    std::vector<std::thread> readers;
    for (int r = 0; r < 2; ++r) {
        readers.emplace_back([&, r] {
            int i = 0;
            while (!stop) {
                auto res = searcher->search(i++ % 2 ? "synthetic condition site kind" : "marker");
                ++queries;
                if (!res || res->hits.empty()) {
                    ++failures;
                    continue;
                }
                if (r == 0) {
                    auto detail = searcher->lookup("A00");
                    if (!detail || !detail->article) {
                        ++failures;
                        continue;
                    }
                    std::lock_guard lock(seen_mutex);
                    seen.insert(detail->article->description);
                }
            }
        });
    }
    for (int u = 0; u < 6; ++u) {
        const std::string word = "update" + std::to_string(u);
        rel.write_article(word);
        BOOST_TEST_REQUIRE(run_to_end(std::string(ICD_INDEX_BIN) + " update --keep 2 " + rel.args()) == 0);
        // The reader picks the new generation up by itself, at its next query.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        bool visible = false;
        while (!visible && std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(seen_mutex);
                for (const auto& d : seen) visible = visible || d.find(word) != std::string::npos;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        BOOST_TEST(visible, "the reader did not see " << word);
    }
    stop = true;
    for (auto& t : readers) t.join();
    BOOST_TEST_MESSAGE(queries.load() << " queries during 6 publishes");
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(queries.load() > 100);
}
