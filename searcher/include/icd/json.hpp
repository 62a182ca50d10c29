// The versioned JSON output formats (docs/JSON.md). One implementation,
// used by icd-search --json/--batch and by every other front end, so that
// the formats cannot drift apart.
//
// Strings that are not valid UTF-8 are written with U+FFFD replacements, so
// the output is always valid JSON.
#pragma once

#include <string>
#include <string_view>

#include "icd/result.hpp"
#include "icd/searcher.hpp"

namespace icd::json {

inline constexpr std::string_view kSearchFormat = "icd-search/1";
inline constexpr std::string_view kCodeFormat = "icd-code/1";

enum class Style { compact, pretty };

// {"format": "icd-search/1", "query": ..., "mode": ..., "total": ...,
//  "offset": ..., "results": [hit...], ...}
std::string search_results(const SearchResults& results, Style style = Style::pretty);

// One line of --batch output: {"query": ..., "results": [...]} plus the same
// optional members as search_results(), or {"query": ..., "results": [],
// "error": {...}} for a query that could not be answered.
std::string batch_line(const SearchResults& results);
std::string batch_error_line(std::string_view query, const Error& error);

// {"format": "icd-code/1", "code": ..., ...}
std::string code_detail(const CodeDetail& detail, Style style = Style::pretty);

// {"error": {"code": "index_unavailable", "message": ..., "hint": ...}}
std::string error(const Error& error, Style style = Style::compact);

// The snippet with highlights as HTML: text escaped, matches in <mark>.
std::string snippet_html(const Hit& hit);

}  // namespace icd::json
