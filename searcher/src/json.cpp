#include "icd/json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "doc_data.hpp"

namespace icd::json {

using nlohmann::json;

namespace {

std::string dump(const json& j, Style style) {
    return j.dump(style == Style::pretty ? 2 : -1, ' ', false, json::error_handler_t::replace);
}

json hit_json(const Hit& h) {
    // Scores are rounded so that output is stable across compilers and
    // platforms (they only order hits within one response).
    const double score = std::round(h.score * 1000.0) / 1000.0;
    return json{{"rank", h.rank},
                {"code", h.code},
                {"title", h.title},
                {"billable", h.billable},
                {"score", score},
                {"chapter", h.chapter},
                {"snippet", h.snippet},
                {"snippet_html", snippet_html(h)},
                {"snippet_field", h.snippet_field},
                {"matched_fields", h.matched_fields}};
}

json results_json(const SearchResults& r) {
    json hits = json::array();
    for (const auto& h : r.hits) hits.push_back(hit_json(h));
    json j{{"query", r.query},
           {"mode", query_mode_name(r.mode)},
           {"total", r.total},
           {"offset", r.offset},
           {"results", std::move(hits)}};
    if (r.truncated) j["truncated"] = true;
    if (!r.note.empty()) j["note"] = r.note;
    if (!r.corrected.empty()) j["corrected_query"] = r.corrected;
    if (!r.suggestion.empty()) j["did_you_mean"] = r.suggestion;
    if (!r.expansions.empty()) j["expansions"] = r.expansions;
    return j;
}

json summary_json(const CodeSummary& s) {
    return json{{"code", s.code}, {"title", s.title}, {"billable", s.billable}};
}

void escape_html(std::string_view text, std::string& out) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
}

}  // namespace

std::string snippet_html(const Hit& hit) {
    std::string out;
    std::size_t pos = 0;
    for (const auto& h : hit.highlights) {
        if (h.begin < pos || h.end > hit.snippet.size() || h.begin >= h.end) continue;
        escape_html(std::string_view(hit.snippet).substr(pos, h.begin - pos), out);
        out += "<mark>";
        escape_html(std::string_view(hit.snippet).substr(h.begin, h.end - h.begin), out);
        out += "</mark>";
        pos = h.end;
    }
    escape_html(std::string_view(hit.snippet).substr(pos), out);
    return out;
}

std::string search_results(const SearchResults& results, Style style) {
    json j{{"format", kSearchFormat}};
    j.update(results_json(results));
    return dump(j, style);
}

std::string batch_line(const SearchResults& results) { return dump(results_json(results), Style::compact); }

std::string batch_error_line(std::string_view query, const Error& e) {
    json j{{"query", std::string(query)},
           {"results", json::array()},
           {"error", {{"code", errc_name(e.code)}, {"message", e.message}}}};
    if (!e.hint.empty()) j["error"]["hint"] = e.hint;
    return dump(j, Style::compact);
}

std::string code_detail(const CodeDetail& d, Style style) {
    json children = json::array();
    for (const auto& c : d.children) children.push_back(summary_json(c));
    json j{{"format", kCodeFormat},
           {"code", d.code},
           {"title", d.title},
           {"short_title", d.short_title},
           {"billable", d.billable},
           {"chapter", d.chapter},
           {"chapter_title", d.chapter_title},
           {"section", d.section},
           {"section_title", d.section_title},
           {"parent", d.parent ? summary_json(*d.parent) : json(nullptr)},
           {"children", std::move(children)},
           {"inclusion_terms", d.inclusion_terms},
           {"index_terms", d.index_terms},
           {"notes", detail::notes_to_json(d.notes)},
           {"seventh_character", d.seventh_character},
           {"article", d.article ? detail::article_to_json(*d.article) : json(nullptr)},
           {"category_article", d.category_article ? detail::article_to_json(*d.category_article) : json(nullptr)},
           {"subcode_notes", d.subcode_notes}};
    return dump(j, style);
}

std::string error(const Error& e, Style style) {
    json j{{"error", {{"code", errc_name(e.code)}, {"message", e.message}}}};
    if (!e.hint.empty()) j["error"]["hint"] = e.hint;
    return dump(j, style);
}

}  // namespace icd::json
