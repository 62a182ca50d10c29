#include "icd/indexer/thesaurus.hpp"

#include <sstream>

#include "xml_util.hpp"

namespace icd::indexer {

namespace {

std::vector<std::string> split_alternatives(const std::string& side) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= side.size()) {
        const std::size_t bar = side.find('|', start);
        std::string item = detail::squeeze(side.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (!item.empty()) out.push_back(std::move(item));
        if (bar == std::string::npos) break;
        start = bar + 1;
    }
    return out;
}

}  // namespace

Result<std::vector<ThesaurusEntry>> parse_thesaurus(const std::string& text, const std::string& name,
                                                    Diagnostics* skipped) {
    std::vector<ThesaurusEntry> out;
    std::istringstream in(text);
    std::size_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string trimmed = detail::squeeze(line);
        if (trimmed.empty() || trimmed.front() == '#') continue;
        const std::size_t eq = trimmed.find('=');
        std::string problem;
        ThesaurusEntry e;
        if (eq == std::string::npos) {
            problem = "no '=' between terms and expansions";
        } else if (trimmed.find('=', eq + 1) != std::string::npos) {
            problem = "more than one '='";
        } else {
            e = {split_alternatives(trimmed.substr(0, eq)), split_alternatives(trimmed.substr(eq + 1)), line_no};
            if (e.terms.empty()) problem = "no term before '='";
            else if (e.expansions.empty()) problem = "no expansion after '='";
        }
        if (problem.empty()) {
            out.push_back(std::move(e));
            continue;
        }
        if (skipped == nullptr) {
            return make_error(Errc::source_invalid, name + ":" + std::to_string(line_no) + ": " + problem,
                              "each line is: TERM | TERM = EXPANSION | EXPANSION (see corpus/README.md)");
        }
        skipped->push_back({name, line_no, "", "skipped: " + problem});
    }
    return out;
}

Result<std::vector<ThesaurusEntry>> read_thesaurus(const std::filesystem::path& path, Diagnostics* skipped) {
    auto text = detail::read_file(path, "thesaurus");
    if (!text) return std::move(text).error();
    return parse_thesaurus(*text, path.string(), skipped);
}

}  // namespace icd::indexer
