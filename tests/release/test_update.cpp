// Fiscal-year upgrade: an index built from the FY2023 order file, updated
// with the FY2026 order file (same Tabular List and Alphabetic Index), must
// add exactly the new codes, delete exactly the gone ones, update exactly
// those whose title or billable flag changed, and refresh exactly those whose
// other indexed content changed; nothing else. The expected sets are
// computed here, independently, from the two order files.
#define BOOST_TEST_MODULE release_update
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>

#include "test_support.hpp"

using icd::test::run;
using icd::test::shell_quote;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    BOOST_TEST_REQUIRE(v != nullptr, name << " is not set: run this test through ctest");
    return v;
}

struct Line {
    bool billable = false;
    std::string short_title, long_title;
};

// The order-file layout read directly, without the indexer's parser.
std::map<std::string, Line> read_order(const std::string& path) {
    std::ifstream in(path);
    BOOST_TEST_REQUIRE(in.good(), path << " cannot be read");
    std::map<std::string, Line> out;
    for (std::string l; std::getline(in, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (l.size() < 78) continue;
        auto trim = [](std::string s) {
            s.erase(s.find_last_not_of(' ') + 1);
            s.erase(0, s.find_first_not_of(' '));
            return s;
        };
        out[trim(l.substr(6, 7))] = {l[14] == '1', trim(l.substr(16, 60)), trim(l.substr(77))};
    }
    return out;
}

std::string dotted(const std::string& key) { return key.size() > 3 ? key.substr(0, 3) + "." + key.substr(3) : key; }

// Nearest ancestor present in the file.
std::string parent(const std::map<std::string, Line>& codes, const std::string& key) {
    for (std::size_t n = key.size() - 1; n >= 3; --n) {
        if (codes.count(key.substr(0, n))) return key.substr(0, n);
    }
    return {};
}

std::set<std::string> as_set(const nlohmann::json& a) {
    std::set<std::string> s;
    for (const auto& v : a) s.insert(v.get<std::string>());
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fy2023_to_fy2026_changes_exactly_what_changed) {
    const std::string old_order = env("ICD_RELEASE_ORDER_PREVIOUS");
    const std::string new_order = env("ICD_RELEASE_ORDER");
    const std::string tabular = env("ICD_RELEASE_TABULAR");
    const std::string alpha = env("ICD_RELEASE_ALPHA");
    icd::test::TempDir dir;
    const std::string index = (dir / "index").string();
    const std::string sources = " --tabular " + shell_quote(tabular) + " --alphabetic-index " + shell_quote(alpha) +
                                " --index " + shell_quote(index);

    auto built = run(std::string(ICD_INDEX_BIN) + " build --quiet --order " + shell_quote(old_order) + sources, true);
    BOOST_TEST_REQUIRE(built.status == 0, built.out);
    const std::string report = (dir / "report.json").string();
    auto updated = run(std::string(ICD_INDEX_BIN) + " update --quiet --order " + shell_quote(new_order) + sources +
                           " --report " + shell_quote(report),
                       true);
    BOOST_TEST_REQUIRE(updated.status == 0, updated.out);
    const auto r = nlohmann::json::parse(icd::test::read_file(report));
    BOOST_TEST(r["published"] == true);

    // Expected, from the two order files alone.
    const auto before = read_order(old_order);
    const auto after = read_order(new_order);
    std::set<std::string> added, deleted, changed, refreshed;
    for (const auto& [k, l] : after) {
        if (!before.count(k)) added.insert(dotted(k));
    }
    for (const auto& [k, l] : before) {
        if (!after.count(k)) deleted.insert(dotted(k));
    }
    std::set<std::string> retitled;  // keys whose long title changed
    for (const auto& [k, l] : after) {
        auto b = before.find(k);
        if (b == before.end()) continue;
        if (b->second.long_title != l.long_title) retitled.insert(k);
        if (b->second.long_title != l.long_title || b->second.billable != l.billable) changed.insert(dotted(k));
    }
    // Refreshed: the code's own title and flag are the same, but something
    // it carries is not: its short title, the titles it inherits from its
    // ancestors, or its nearest existing ancestor itself.
    for (const auto& [k, l] : after) {
        auto b = before.find(k);
        if (b == before.end() || changed.count(dotted(k))) continue;
        bool inherited = false;
        for (std::string up = parent(after, k); !up.empty(); up = parent(after, up)) inherited |= retitled.count(up) > 0;
        if (b->second.short_title != l.short_title || inherited || parent(before, k) != parent(after, k)) {
            refreshed.insert(dotted(k));
        }
    }

    BOOST_TEST(added.size() == 1456U);
    BOOST_TEST(deleted.size() == 15U);
    BOOST_TEST(changed.size() == 148U);
    BOOST_TEST(as_set(r["added"]) == added, boost::test_tools::per_element());
    BOOST_TEST(as_set(r["deleted"]) == deleted, boost::test_tools::per_element());
    BOOST_TEST(as_set(r["updated"]) == changed, boost::test_tools::per_element());
    BOOST_TEST(as_set(r["refreshed"]) == refreshed, boost::test_tools::per_element());
    BOOST_TEST(r["unchanged"].size() == after.size() - added.size() - changed.size() - refreshed.size());

    // Updating again with the same sources changes nothing.
    auto again = run(std::string(ICD_INDEX_BIN) + " update --quiet --order " + shell_quote(new_order) + sources +
                         " --report " + shell_quote(report),
                     true);
    BOOST_TEST_REQUIRE(again.status == 0, again.out);
    const auto r2 = nlohmann::json::parse(icd::test::read_file(report));
    BOOST_TEST(r2["published"] == false);
    BOOST_TEST(r2["unchanged"].size() == after.size());
    BOOST_TEST(again.out.find("No change in") == 0U, again.out);
}
