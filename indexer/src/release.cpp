#include "icd/indexer/release.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace icd::indexer {

namespace fs = std::filesystem;

namespace {

enum Kind { kOrder, kTabular, kIndex, kDrug, kNeoplasm, kExternal, kKinds };
constexpr int kRequired = 3;  // order, tabular, index; the tables are optional

const std::array<std::regex, kKinds>& patterns() {
    static const std::array<std::regex, kKinds> re{
        std::regex(R"(^icd10cm[_-]order[_-](\d{4})\.txt$)", std::regex::icase),
        std::regex(R"(^icd10cm[_-]tabular[_-](\d{4})\.xml$)", std::regex::icase),
        std::regex(R"(^icd10cm[_-]index[_-](\d{4})\.xml$)", std::regex::icase),
        std::regex(R"(^icd-?10-?cm[_-]drug[_-](\d{4})\.xml$)", std::regex::icase),
        std::regex(R"(^icd-?10-?cm[_-]neoplasm[_-](\d{4})\.xml$)", std::regex::icase),
        std::regex(R"(^icd-?10-?cm[_-]eindex[_-](\d{4})\.xml$)", std::regex::icase),
    };
    return re;
}

constexpr std::array<const char*, kRequired> kNames{"order file (icd10cm_order_YYYY.txt)",
                                                 "Tabular List (icd10cm_tabular_YYYY.xml)",
                                                 "Alphabetic Index (icd10cm_index_YYYY.xml)"};

}  // namespace

std::optional<int> release_year(const fs::path& file) {
    const std::string name = file.filename().string();
    std::smatch m;
    for (const auto& re : patterns()) {
        if (std::regex_match(name, m, re)) return std::stoi(m[1].str());
    }
    return std::nullopt;
}

Result<ReleaseFiles> locate_release(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return make_error(Errc::source_invalid, dir.string() + ": release directory does not exist");
    }
    // Best candidate per kind: highest year, then shortest path (a file in
    // dir itself beats one in a subdirectory), then name order.
    struct Candidate {
        int year = -1;
        fs::path path;
    };
    std::array<Candidate, kKinds> best;
    auto consider = [&](const fs::path& p) {
        const std::string name = p.filename().string();
        std::smatch m;
        for (int k = 0; k < kKinds; ++k) {
            if (!std::regex_match(name, m, patterns()[static_cast<std::size_t>(k)])) continue;
            const int year = std::stoi(m[1].str());
            auto& b = best[static_cast<std::size_t>(k)];
            const bool better = year > b.year ||
                                (year == b.year && (p.string().size() < b.path.string().size() ||
                                                    (p.string().size() == b.path.string().size() && p < b.path)));
            if (better) b = {year, p};
        }
    };
    auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= 2) it.disable_recursion_pending();
        if (it->is_regular_file(ec)) consider(it->path());
    }
    if (ec) return make_error(Errc::source_invalid, dir.string() + ": " + ec.message());
    std::string missing;
    for (int k = 0; k < kRequired; ++k) {
        if (best[static_cast<std::size_t>(k)].year < 0) {
            if (!missing.empty()) missing += ", ";
            missing += kNames[static_cast<std::size_t>(k)];
        }
    }
    if (!missing.empty()) {
        return make_error(Errc::source_invalid, dir.string() + ": no " + missing + " found",
                          "give the files with --order, --tabular and --alphabetic-index");
    }
    return ReleaseFiles{best[kOrder].path, best[kTabular].path, best[kIndex].path,
                        best[kDrug].path,  best[kNeoplasm].path, best[kExternal].path};
}

}  // namespace icd::indexer
