// Code articles: corpus/articles/*.json, format "icd-article/1" (documented
// in corpus/README.md, schema in corpus/article.schema.json).
//
// Reading checks the format (JSON syntax, types, required and unknown
// fields) and fails on the first problem. Validating checks the content
// against the release (the code exists, the title is the official one,
// related codes exist, CPT codes are well-formed) and returns diagnostics
// that are warnings, or errors under --strict.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "icd/indexer/diagnostic.hpp"
#include "icd/indexer/order_file.hpp"
#include "icd/record.hpp"
#include "icd/result.hpp"

namespace icd::indexer {

inline constexpr std::string_view kArticleFormat = "icd-article/1";

// Errc::source_invalid: "FILE:LINE:COLUMN: invalid JSON: ..." or
// "FILE: field 'faqs[1].answer': expected a string".
Result<Article> parse_article(std::string_view json, const std::string& name);
Result<Article> read_article(const std::filesystem::path& path);

// Every *.json file in `dir` (not recursive), in file-name order. The first
// unreadable file fails the read, unless `skipped` is given: then such files
// are recorded there and left out.
Result<std::vector<Article>> read_articles(const std::filesystem::path& dir, Diagnostics* skipped = nullptr);

Diagnostics validate_article(const Article& article, const CodeTable& codes);

// True when an official title and a claimed one are the same apart from
// case and white space.
bool same_title(std::string_view official, std::string_view claimed);

}  // namespace icd::indexer
