#include "icd/indexer/coverage.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "icd/code.hpp"

namespace icd::indexer {

namespace {

std::size_t count_words(const std::string& s) {
    std::istringstream in(s);
    std::size_t n = 0;
    for (std::string w; in >> w;) ++n;
    return n;
}

WordStats stats(std::vector<std::size_t> v) {
    WordStats s;
    s.count = v.size();
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.min = v.front();
    s.max = v.back();
    s.median = v[v.size() / 2];
    for (auto n : v) s.total += n;
    return s;
}

std::string commas(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string percent(std::size_t part, std::size_t whole) {
    if (whole == 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return buf;
}

std::string words_row(const WordStats& s) {
    if (s.count == 0) return "-";
    return commas(s.median) + " (" + commas(s.min) + "-" + commas(s.max) + "), " + commas(s.total) + " in all";
}

// "Diseases of the musculoskeletal system ... (M00-M99)" -> title, "M00", "M99".
struct Range {
    std::string title, first, last;
};
Range chapter_range(const std::string& title) {
    Range r{title, "", ""};
    const auto open = title.rfind('(');
    const auto dash = title.find('-', open == std::string::npos ? 0 : open);
    const auto close = title.find(')', dash == std::string::npos ? 0 : dash);
    if (open == std::string::npos || dash == std::string::npos || close == std::string::npos) return r;
    r.first = title.substr(open + 1, dash - open - 1);
    r.last = title.substr(dash + 1, close - dash - 1);
    r.title = title.substr(0, open);
    while (!r.title.empty() && r.title.back() == ' ') r.title.pop_back();
    return r;
}

}  // namespace

bool is_full_article(const Article& a) {
    return !a.key_points.empty() && !a.clinical_scenarios.empty() && !a.specialties.empty() && !a.use_when.empty() &&
           !a.faqs.empty();
}

std::size_t article_words(const Article& a) {
    std::size_t n = count_words(a.description);
    auto add = [&](const std::vector<std::string>& v) {
        for (const auto& s : v) n += count_words(s);
    };
    add(a.also_known_as);
    add(a.presentation);
    add(a.causes);
    for (const auto& s : a.subcodes) n += count_words(s.when);
    add(a.key_points);
    add(a.clinical_scenarios);
    for (const auto& s : a.specialties) {
        n += count_words(s.name) + count_words(s.documentation) + count_words(s.scenarios) + count_words(s.billing);
    }
    add(a.use_when);
    add(a.do_not_use_when);
    for (const auto& r : a.related_icd10cm) n += count_words(r.note);
    for (const auto& r : a.related_cpt) n += count_words(r.note);
    for (const auto& f : a.faqs) n += count_words(f.question) + count_words(f.answer);
    return n;
}

Coverage corpus_coverage(const LoadedSources& sources, const std::vector<std::string>& full_list) {
    Coverage c;
    c.articles = sources.articles.size();
    c.warnings = sources.warnings.size();

    std::map<std::string, const Article*> by_category;
    std::vector<std::size_t> w_category, w_full, w_code;
    for (const auto& a : sources.articles) {
        const auto key = code_key(a.code);
        if (!key) continue;
        if (!a.related_cpt.empty()) ++c.with_cpt;
        c.codes_named += a.subcodes.size() + a.related_icd10cm.size();
        if (key->size() == 3) {
            by_category[*key] = &a;
            (is_full_article(a) ? w_full : w_category).push_back(article_words(a));
        } else {
            ++c.code_articles;
            w_code.push_back(article_words(a));
        }
    }
    c.words_category = stats(std::move(w_category));
    c.words_full = stats(std::move(w_full));
    c.words_code = stats(std::move(w_code));

    for (const auto& ch : sources.tabular.chapters) {
        const Range r = chapter_range(ch.title);
        c.chapters.push_back({ch.number, r.first.empty() ? "" : r.first + "-" + r.last, r.title, 0, 0, 0});
    }
    auto chapter_of = [&](const std::string& key) -> ChapterCoverage* {
        for (std::size_t i = 0; i < c.chapters.size(); ++i) {
            const Range r = chapter_range(sources.tabular.chapters[i].title);
            if (!r.first.empty() && key >= r.first && key <= r.last) return &c.chapters[i];
        }
        // A category newer than the Tabular List's ranges (QA0 after Q00-Q99):
        // the chapter whose range starts and ends with its letter.
        for (std::size_t i = 0; i < c.chapters.size(); ++i) {
            const Range r = chapter_range(sources.tabular.chapters[i].title);
            if (!r.first.empty() && r.first[0] == key[0] && r.last[0] == key[0]) return &c.chapters[i];
        }
        return nullptr;
    };
    for (const auto& e : sources.order) {
        if (e.key.size() != 3) continue;
        ++c.categories;
        const auto it = by_category.find(e.key);
        const bool has = it != by_category.end();
        const bool full = has && is_full_article(*it->second);
        c.with_article += has ? 1 : 0;
        c.full += full ? 1 : 0;
        if (!has) c.missing.push_back(display_code(e.key));
        if (auto* ch = chapter_of(e.key)) {
            ++ch->categories;
            ch->with_article += has ? 1 : 0;
            ch->full += full ? 1 : 0;
        }
    }
    std::set<std::string> seen;
    for (const auto& code : full_list) {
        const auto key = code_key(code);
        if (!key || !seen.insert(*key).second) continue;
        ++c.listed;
        const auto it = by_category.find(*key);
        if (it != by_category.end() && is_full_article(*it->second)) {
            ++c.listed_full;
        } else {
            c.listed_not_full.push_back(display_code(*key));
        }
    }
    std::erase_if(c.chapters, [](const ChapterCoverage& ch) { return ch.categories == 0; });
    return c;
}

Result<std::vector<std::string>> read_category_list(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return make_error(Errc::source_invalid, path.string() + ": cannot read the category list");
    std::vector<std::string> out;
    std::size_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream words(line);
        for (std::string w; words >> w;) {
            const auto key = code_key(w);
            if (!key || key->size() != 3) {
                return make_error(Errc::source_invalid, path.string() + ":" + std::to_string(line_no) + ": '" + w +
                                                            "' is not a 3-character ICD-10-CM category");
            }
            out.push_back(*key);
        }
    }
    return out;
}

std::string coverage_markdown(const Coverage& c) {
    std::ostringstream o;
    o << "| figure | value |\n|---|---|\n";
    o << "| categories (3-character codes) in the order file | " << commas(c.categories) << " |\n";
    o << "| categories with an article | " << commas(c.with_article) << " (" << percent(c.with_article, c.categories)
      << ") |\n";
    o << "| ... of which full articles | " << commas(c.full) << " |\n";
    if (c.listed > 0) {
        o << "| categories listed for a full article that have one | " << commas(c.listed_full) << " of "
          << commas(c.listed) << " |\n";
    }
    o << "| articles on codes below a category | " << commas(c.code_articles) << " |\n";
    o << "| articles in all | " << commas(c.articles) << " |\n";
    o << "| words per basic category article, median (min-max) | " << words_row(c.words_category) << " |\n";
    o << "| words per full article, median (min-max) | " << words_row(c.words_full) << " |\n";
    o << "| words per code article, median (min-max) | " << words_row(c.words_code) << " |\n";
    o << "| ICD-10-CM codes named in subcodes and related codes (each checked) | " << commas(c.codes_named) << " |\n";
    o << "| articles naming CPT codes | " << commas(c.with_cpt) << " |\n";
    o << "| validator warnings | " << commas(c.warnings) << " |\n";
    o << "\n| chapter | codes | categories | with article | full |\n|---|---|---|---|---|\n";
    for (const auto& ch : c.chapters) {
        o << "| " << ch.number << " " << ch.title << " | " << ch.range << " | " << ch.categories << " | "
          << ch.with_article << " | " << ch.full << " |\n";
    }
    if (!c.missing.empty()) {
        o << "\nCategories without an article (" << c.missing.size() << "):";
        for (const auto& m : c.missing) o << ' ' << m;
        o << '\n';
    }
    if (!c.listed_not_full.empty()) {
        o << "\nListed for a full article but without one (" << c.listed_not_full.size() << "):";
        for (const auto& m : c.listed_not_full) o << ' ' << m;
        o << '\n';
    }
    return o.str();
}

}  // namespace icd::indexer
