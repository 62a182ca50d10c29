// Corpus coverage: which ICD-10-CM categories have an article, how many are
// full articles, how long they are, and what the validator says. Printed by
// `icd-index coverage` and kept in README.md by scripts/corpus-coverage.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "icd/indexer/build.hpp"

namespace icd::indexer {

// A full article has, besides the category-article sections, key points,
// clinical scenarios, specialties, coding guidance (use when) and FAQs.
bool is_full_article(const Article& a);

// Words of every text of the article (description to FAQs, notes on
// related codes), split at white space.
std::size_t article_words(const Article& a);

struct WordStats {
    std::size_t count = 0;
    std::size_t min = 0, median = 0, max = 0, total = 0;
};

struct ChapterCoverage {
    std::string number;   // "13"
    std::string range;    // "M00-M99"
    std::string title;    // without the range
    std::size_t categories = 0, with_article = 0, full = 0;
};

struct Coverage {
    std::size_t categories = 0;        // 3-character codes in the order file
    std::size_t with_article = 0;      // ... that have an article
    std::size_t full = 0;              // ... whose article is a full one
    std::size_t code_articles = 0;     // articles on codes below a category
    std::size_t articles = 0;          // all articles read
    std::size_t with_cpt = 0;          // articles naming at least one CPT code
    std::size_t codes_named = 0;       // ICD-10-CM codes declared in subcodes and related codes (checked)
    std::size_t listed = 0;            // categories in the full-article list (if given)
    std::size_t listed_full = 0;       // ... that have a full article
    WordStats words_category, words_full, words_code;
    std::size_t warnings = 0;          // validator warnings (errors under --strict)
    std::vector<ChapterCoverage> chapters;
    std::vector<std::string> missing;          // categories without an article (display form)
    std::vector<std::string> listed_not_full;  // listed categories without a full article
};

// `full_list`: categories that should have full articles (empty: not checked).
Coverage corpus_coverage(const LoadedSources& sources, const std::vector<std::string>& full_list);

// Reads a list of category codes: white-space separated, '#' starts a comment.
// Errc::source_invalid naming the file and line for a token that is not a
// 3-character code.
Result<std::vector<std::string>> read_category_list(const std::filesystem::path& path);

// Markdown: a summary table and a table per chapter.
std::string coverage_markdown(const Coverage& c);

}  // namespace icd::indexer
