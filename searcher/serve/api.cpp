#include "api.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

#include "icd/code.hpp"
#include "icd/hash.hpp"
#include "icd/json.hpp"

namespace icd::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kJson = "application/json";

std::string content_type_of(const fs::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".json") return "application/json";
    if (ext == ".map") return "application/json";
    return "application/octet-stream";
}

// A hash of the content: a strong validator for files that never change
// while the process runs.
std::string etag_of(const std::string& body) {
    ContentHash h;
    h.add(body);
    return '"' + h.hex() + '"';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A non-negative integer parameter within [0, max]; a message otherwise.
std::optional<std::string> parse_count(const std::string& name, const std::string& text, std::size_t max,
                                       std::size_t& out) {
    std::size_t v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end) {
        return name + " must be a whole number from 0 to " + std::to_string(max) + ", not '" + text + "'";
    }
    if (v > max) return name + " must be at most " + std::to_string(max) + ", not " + text;
    out = v;
    return std::nullopt;
}

std::optional<bool> parse_bool(std::string v) {
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v == "0" || v == "false" || v == "no" || v == "off" || v.empty()) return false;
    return std::nullopt;
}

// If-None-Match (RFC 9110 13.1.2): "*", or a comma-separated list of entity
// tags compared weakly (a W/ prefix does not matter).
bool etag_matches(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        const auto comma = header.find(',');
        std::string_view tag = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag == "*") return true;
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

}  // namespace

bool url_decode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= in.size()) return false;
            const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return true;
}

bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        // Overlong forms, surrogates and values above U+10FFFF are invalid.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

Result<Api> Api::create(const Searcher& searcher, Limits limits, std::vector<std::string> cors_origins,
                        const fs::path& web_root, Metrics& metrics) {
    Api api(searcher, limits, std::move(cors_origins), metrics);
    if (web_root.empty()) return api;
    std::error_code ec;
    if (!fs::is_directory(web_root, ec)) {
        return make_error(Errc::usage, "--web " + web_root.string() + ": not a directory",
                          "point it at the web/ directory of the source tree or share/icd-search/web");
    }
    for (const auto& entry : fs::directory_iterator(web_root, ec)) {
        if (!entry.is_regular_file()) continue;
        // Only what a browser needs: not the directory's README and the like.
        static constexpr std::array<std::string_view, 6> kServed{".js", ".mjs", ".css", ".html", ".svg", ".png"};
        const std::string ext = entry.path().extension().string();
        if (std::find(kServed.begin(), kServed.end(), ext) == kServed.end()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        if (!in && !in.eof()) return make_error(Errc::io, "cannot read " + entry.path().string());
        StaticFile f{content_type_of(entry.path()), body.str(), ""};
        f.etag = etag_of(f.body);
        api.files_.emplace("/widget/" + entry.path().filename().string(), std::move(f));
    }
    if (ec) return make_error(Errc::io, "cannot list " + web_root.string() + ": " + ec.message());
    return api;
}

Response Api::error(unsigned status, std::string_view code, std::string_view message, std::string_view hint) {
    // "hint" is always there (empty when there is none): one shape for clients.
    nlohmann::json e{{"status", status}, {"code", code}, {"message", message}, {"hint", hint}};
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error", e}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

bool Api::origin_allowed(const std::string& origin) const {
    if (origin.empty()) return false;
    return std::find(cors_.begin(), cors_.end(), "*") != cors_.end() ||
           std::find(cors_.begin(), cors_.end(), origin) != cors_.end();
}

void Api::add_cors(const Request& request, Response& response) const {
    if (!origin_allowed(request.origin)) return;
    const bool any = std::find(cors_.begin(), cors_.end(), "*") != cors_.end();
    response.headers.emplace_back("Access-Control-Allow-Origin", any ? "*" : request.origin);
    if (!any) response.headers.emplace_back("Vary", "Origin");
}

Response Api::handle(const Request& request) const {
    Response r = route(request);
    add_cors(request, r);
    return r;
}

Response Api::route(const Request& req) const {
    const auto qmark = req.target.find('?');
    std::string path;
    if (!url_decode(std::string_view(req.target).substr(0, qmark), path) || path.empty() || path[0] != '/') {
        return error(400, "bad_request", "the request target is not a valid path");
    }
    const std::string_view query = qmark == std::string::npos ? std::string_view() : std::string_view(req.target).substr(qmark + 1);

    Endpoint endpoint = Endpoint::other;
    if (path == "/v1/search") endpoint = Endpoint::search;
    else if (path.starts_with("/v1/codes/")) endpoint = Endpoint::code;
    else if (path == "/healthz") endpoint = Endpoint::healthz;
    else if (path == "/metrics") endpoint = Endpoint::metrics;
    else if (path == "/" || path.starts_with("/widget/")) endpoint = Endpoint::widget;

    auto tagged = [&](Response r) {
        r.endpoint = endpoint;
        return r;
    };
    if (endpoint == Endpoint::other) {
        return tagged(error(404, "not_found", "no such endpoint: " + path,
                            "the API is GET /v1/search?q=..., GET /v1/codes/{code}, GET /healthz, GET /metrics"));
    }
    if (req.method == "OPTIONS") {
        // CORS preflight: the browser asks before a cross-origin call.
        Response r;
        r.status = 204;
        r.content_type.clear();
        r.endpoint = Endpoint::preflight;
        if (origin_allowed(req.origin)) {
            r.headers.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, Accept");
            r.headers.emplace_back("Access-Control-Max-Age", "600");
        }
        r.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
        return r;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        Response r = error(405, "method_not_allowed", req.method + " is not allowed on " + path, "use GET");
        r.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
        return tagged(std::move(r));
    }

    std::multimap<std::string, std::string> params;
    for (std::size_t at = 0; at <= query.size() && !query.empty();) {
        const auto amp = query.find('&', at);
        const auto part = query.substr(at, amp == std::string_view::npos ? std::string_view::npos : amp - at);
        if (!part.empty()) {
            const auto eq = part.find('=');
            std::string key, value;
            if (!url_decode(part.substr(0, eq), key) ||
                !url_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), value)) {
                return tagged(error(400, "bad_request", "malformed percent-escape in the query string",
                                    "escape % as %25"));
            }
            params.emplace(std::move(key), std::move(value));
        }
        if (amp == std::string_view::npos) break;
        at = amp + 1;
    }

    switch (endpoint) {
        case Endpoint::search: return tagged(search(params));
        case Endpoint::code: return tagged(code(path.substr(std::string_view("/v1/codes/").size())));
        case Endpoint::healthz: return tagged(healthz());
        case Endpoint::metrics: return tagged(metrics());
        default: return tagged(widget(path, req));
    }
}

Response Api::search(const std::multimap<std::string, std::string>& params) const {
    auto one = [&](const std::string& name) -> const std::string* {
        auto it = params.find(name);
        return it == params.end() ? nullptr : &it->second;
    };
    const std::string* q = one("q");
    if (q == nullptr || q->find_first_not_of(" \t\r\n") == std::string::npos) {
        return error(400, "bad_request", "missing query: give q, e.g. /v1/search?q=broken+wrist");
    }
    if (q->size() > limits_.max_query_bytes) {
        return error(400, "query_too_long",
                     "q is " + std::to_string(q->size()) + " bytes; at most " + std::to_string(limits_.max_query_bytes),
                     "send the words that describe the condition");
    }
    if (!valid_utf8(*q)) return error(400, "bad_request", "q is not valid UTF-8");

    SearchOptions opt;
    opt.max_query_bytes = limits_.max_query_bytes;
    if (const auto* v = one("limit")) {
        if (auto m = parse_count("limit", *v, limits_.max_limit, opt.limit)) return error(400, "bad_request", *m);
    }
    if (const auto* v = one("offset")) {
        if (auto m = parse_count("offset", *v, limits_.max_offset, opt.offset)) return error(400, "bad_request", *m);
    }
    if (const auto* v = one("per_category")) {
        if (auto m = parse_count("per_category", *v, 1000, opt.per_category)) return error(400, "bad_request", *m);
    }
    if (const auto* v = one("billable")) {
        const auto b = parse_bool(*v);
        if (!b) return error(400, "bad_request", "billable must be true or false, not '" + *v + "'");
        opt.billable_only = *b;
    }
    if (const auto* v = one("chapter")) {
        std::size_t chapter = 0;
        if (!v->empty()) {
            if (auto m = parse_count("chapter", *v, 22, chapter); m || chapter == 0) {
                return error(400, "bad_request", "chapter must be a chapter number from 1 to 22, not '" + *v + "'");
            }
            opt.chapter = std::to_string(chapter);
        }
    }
    auto results = searcher_->search(*q, opt);
    if (!results) {
        return error(503, errc_name(results.error().code), results.error().message, results.error().hint);
    }
    Response r;
    r.body = json::search_results(*results, json::Style::compact);
    return r;
}

Response Api::code(const std::string& code) const {
    if (!valid_utf8(code) || !code_key(code)) {
        return error(400, "bad_request", "'" + code + "' is not an ICD-10-CM code", "codes look like M62.561 or m62561");
    }
    auto detail = searcher_->lookup(code);
    if (!detail) {
        const auto& e = detail.error();
        return error(e.code == Errc::not_found ? 404 : 503, errc_name(e.code), e.message, e.hint);
    }
    Response r;
    r.body = json::code_detail(*detail, json::Style::compact);
    return r;
}

Response Api::healthz() const {
    auto info = searcher_->info();
    if (!info) {
        Response r = error(503, errc_name(info.error().code), info.error().message, info.error().hint);
        return r;
    }
    nlohmann::json j{{"status", "ok"},
                     {"codes", info->doc_count},
                     {"schema_version", info->schema_version},
                     {"built_at", info->built_at}};
    j["generation"] = info->generation ? nlohmann::json(*info->generation) : nlohmann::json(nullptr);
    Response r;
    r.body = j.dump();
    return r;
}

Response Api::metrics() const {
    std::string lines;
    if (auto info = searcher_->info()) {
        lines = "# HELP icd_index_generation Live index generation being searched.\n"
                "# TYPE icd_index_generation gauge\n"
                "icd_index_generation " + std::to_string(info->generation.value_or(0)) + "\n"
                "# HELP icd_index_documents Codes in the live index.\n"
                "# TYPE icd_index_documents gauge\n"
                "icd_index_documents " + std::to_string(info->doc_count) + "\n"
                "# HELP icd_index_up 1 when the index can be read.\n# TYPE icd_index_up gauge\nicd_index_up 1\n";
    } else {
        lines = "# HELP icd_index_up 1 when the index can be read.\n# TYPE icd_index_up gauge\nicd_index_up 0\n";
    }
    const CacheStats cache = searcher_->cache_stats();
    lines += "# HELP icd_search_cache_hits_total Searches answered from the result cache.\n"
             "# TYPE icd_search_cache_hits_total counter\n"
             "icd_search_cache_hits_total " + std::to_string(cache.hits) + "\n"
             "# HELP icd_search_cache_misses_total Searches run against the index.\n"
             "# TYPE icd_search_cache_misses_total counter\n"
             "icd_search_cache_misses_total " + std::to_string(cache.misses) + "\n"
             "# HELP icd_search_cache_entries Results in the cache (capacity: icd_search_cache_capacity).\n"
             "# TYPE icd_search_cache_entries gauge\n"
             "icd_search_cache_entries " + std::to_string(cache.entries) + "\n"
             "# TYPE icd_search_cache_capacity gauge\n"
             "icd_search_cache_capacity " + std::to_string(cache.capacity) + "\n";
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_->prometheus(lines);
    return r;
}

Response Api::widget(const std::string& path, const Request& req) const {
    const std::string file = path == "/" ? "/widget/demo.html" : path;
    const auto it = files_.find(file);
    if (it == files_.end()) {
        return error(404, "not_found", files_.empty() ? "this server serves no web files (start it with --web DIR)"
                                                      : "no such file: " + path);
    }
    Response r;
    r.headers.emplace_back("ETag", it->second.etag);
    r.headers.emplace_back("Cache-Control", "public, max-age=300");
    if (etag_matches(req.if_none_match, it->second.etag)) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    r.content_type = it->second.content_type;
    r.body = it->second.body;
    return r;
}

}  // namespace icd::serve
