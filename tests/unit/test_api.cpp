// icd-serve's HTTP API without sockets: Api::handle() on an index built by the
// real icd-index from the bundled test release. Routes, parameters and their
// limits, the JSON error shape, CORS, the widget's static files, /healthz and
// /metrics. The network layer is tested in tests/e2e/test_serve.cpp.
#define BOOST_TEST_MODULE api
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "api.hpp"
#include "metrics.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using icd::serve::Api;
using icd::serve::Endpoint;
using icd::serve::Limits;
using icd::serve::Metrics;
using icd::serve::Request;
using icd::serve::Response;
using icd::test::prometheus_sample;
using icd::test::run;
using icd::test::shell_quote;
using nlohmann::json;

namespace icd::serve {
inline std::ostream& boost_test_print_type(std::ostream& os, Endpoint e) { return os << endpoint_name(e); }
}  // namespace icd::serve

namespace {

const std::string kIndexBin = ICD_INDEX_BIN;
const fs::path kRelease = ICD_TEST_DATA_DIR "/release";
const std::string kAllowedOrigin = "https://help.example.org";

// One index for the whole program, built with the real icd-index from the
// test release, the four seed articles (copied, so that the expectations do
// not move as the corpus grows) and the thesaurus.
struct Built {
    icd::test::TempDir dir;
    fs::path index;
    fs::path web;
    Built() : index(dir / "index"), web(dir / "web") {
        const fs::path articles = dir / "articles";
        icd::test::copy_articles(articles, icd::test::kSeedArticles);
        auto r = run(kIndexBin + " build --quiet --release " + shell_quote(kRelease.string()) + " --articles " +
                         shell_quote(articles.string()) + " --thesaurus " +
                         shell_quote(ICD_SOURCE_DIR "/corpus/thesaurus.txt") + " --index " +
                         shell_quote(index.string()),
                     true);
        if (r.status != 0) throw std::runtime_error("icd-index build failed: " + r.out);
        // The widget's files: our own, so that web/ can change freely.
        icd::test::write_file(web / "demo.html", "<!doctype html><title>demo</title>\n");
        icd::test::write_file(web / "icd-search-widget.js", "export const widget = 1;\n");
        icd::test::write_file(web / "style.css", "body{}\n");
    }
};
const Built& built() {
    static const Built b;
    return b;
}

// A Searcher (with a result cache, as icd-serve runs it), its metrics and
// three Apis: CORS for one origin and the widget; CORS for any origin;
// no CORS and no widget.
struct Fixture {
    Metrics metrics;
    icd::Searcher searcher;
    Api api, any_origin, bare;
    Fixture()
        : searcher(open()),
          api(make({kAllowedOrigin, "http://localhost:8080"}, built().web)),
          any_origin(make({"*"}, built().web)),
          bare(make({}, {})) {}

    static icd::Searcher open() {
        icd::SearcherConfig config;
        config.cache_entries = 100;
        auto s = icd::Searcher::open(built().index, config);
        if (!s) throw std::runtime_error(s.error().describe());
        return std::move(*s);
    }
    Api make(std::vector<std::string> cors, const fs::path& web) {
        auto a = Api::create(searcher, Limits{}, std::move(cors), web, metrics);
        if (!a) throw std::runtime_error(a.error().describe());
        return std::move(*a);
    }

    // Handles a request the way the server does, counting it in the metrics.
    Response call(const Api& a, std::string method, std::string target, std::string origin = {},
                  std::string if_none_match = {}) {
        Request req{std::move(method), std::move(target), std::move(origin), std::move(if_none_match)};
        Response r = a.handle(req);
        metrics.record(r.endpoint, r.status, std::chrono::microseconds(100));
        return r;
    }
    Response get(const std::string& target, const std::string& origin = {}) { return call(api, "GET", target, origin); }
};

// A header's value; "<none>" when the response does not have it.
std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (std::equal(k.begin(), k.end(), name.begin(), name.end(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                   std::tolower(static_cast<unsigned char>(b)); })) {
            return v;
        }
    }
    return "<none>";
}
bool has_header(const Response& r, std::string_view name) { return header(r, name) != "<none>"; }

json body(const Response& r) {
    BOOST_TEST_REQUIRE(r.content_type == "application/json");
    return json::parse(r.body);
}

// Every error: a JSON object {"error": {"status", "code", "message", "hint"}}
// with the status repeated, a stable code, a one-line message and a hint
// (possibly empty), and nothing else.
void check_error(const Response& r, unsigned status, std::string_view code) {
    BOOST_TEST(r.status == status);
    BOOST_TEST_REQUIRE(r.content_type == "application/json");
    const json j = json::parse(r.body);
    BOOST_TEST_REQUIRE(j.is_object());
    BOOST_TEST(j.size() == 1U);
    BOOST_TEST_REQUIRE(j.contains("error"));
    const json& e = j["error"];
    BOOST_TEST(e.size() == 4U, e.dump());
    BOOST_TEST(e["status"] == status);
    BOOST_TEST(e["code"] == code, e.dump());
    BOOST_TEST_REQUIRE(e["message"].is_string());
    BOOST_TEST(!e["message"].get<std::string>().empty());
    BOOST_TEST(e["message"].get<std::string>().find('\n') == std::string::npos);
    BOOST_TEST_REQUIRE(e.contains("hint"));
    BOOST_TEST(e["hint"].is_string());
}

std::vector<std::string> codes_of(const json& j) {
    std::vector<std::string> out;
    for (const auto& h : j["results"]) out.push_back(h["code"].get<std::string>());
    return out;
}


}  // namespace

BOOST_AUTO_TEST_SUITE(decoding)

BOOST_AUTO_TEST_CASE(url_decode_accepts_escapes_and_plus_and_rejects_malformed_ones) {
    std::string out;
    BOOST_TEST(icd::serve::url_decode("broken+wrist", out));
    BOOST_TEST(out == "broken wrist");
    BOOST_TEST(icd::serve::url_decode("a%41%2b%2F%c3%a9", out));
    BOOST_TEST(out == "aA+/\xc3\xa9");
    BOOST_TEST(icd::serve::url_decode("", out));
    BOOST_TEST(out.empty());
    for (const char* bad : {"%", "%4", "a%4", "%zz", "%g1", "%1g", "100%"}) {
        BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!icd::serve::url_decode(bad, out)); }
    }
}

BOOST_AUTO_TEST_CASE(valid_utf8_rejects_truncated_overlong_surrogate_and_out_of_range) {
    for (const char* good : {"", "abc", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf"}) {
        BOOST_TEST_CONTEXT(good) { BOOST_TEST(icd::serve::valid_utf8(good)); }
    }
    for (const char* bad : {"\xc3\x28", "\xc3", "a\xe2\x82", "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80",
                            "\xf4\x90\x80\x80", "\xff", "\x80", "\xf8\x88\x80\x80\x80"}) {
        BOOST_TEST_CONTEXT(json(std::string(bad)).dump(-1, ' ', true, json::error_handler_t::replace)) {
            BOOST_TEST(!icd::serve::valid_utf8(bad));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(search, Fixture)

BOOST_AUTO_TEST_CASE(a_text_query_returns_versioned_json_with_highlighted_snippets) {
    const Response r = get("/v1/search?q=calcium+deposits+after+stroke");
    BOOST_TEST(r.status == 200U);
    BOOST_TEST(r.endpoint == Endpoint::search);
    const json j = body(r);
    BOOST_TEST(j["format"] == "icd-search/1");
    BOOST_TEST(j["query"] == "calcium deposits after stroke");
    BOOST_TEST(j["mode"] == "text");
    BOOST_TEST(j["offset"] == 0);
    BOOST_TEST(j["total"].get<long>() > 0);
    BOOST_TEST_REQUIRE(!j["results"].empty());
    BOOST_TEST(j["results"][0]["code"] == "M61.20");
    BOOST_TEST(j["results"][0]["rank"] == 1);
    for (const auto& h : j["results"]) {
        for (const char* key : {"code", "title", "billable", "score", "snippet", "snippet_html", "matched_fields"}) {
            BOOST_TEST(h.contains(key), key);
        }
    }
    const std::string html = j["results"][0]["snippet_html"];
    BOOST_TEST(html.find("<mark>") != std::string::npos, html);
    BOOST_TEST(std::regex_search(html, std::regex("<mark>(calcium|calcification|stroke|deposits)</mark>",
                                                  std::regex::icase)),
               html);
}

BOOST_AUTO_TEST_CASE(a_code_query_in_any_spelling_lists_the_code_first) {
    for (const char* q : {"M62.561", "m62561", "M62%2E561", "+M62.561+"}) {
        BOOST_TEST_CONTEXT(q) {
            const Response r = get(std::string("/v1/search?q=") + q);
            BOOST_TEST_REQUIRE(r.status == 200U);
            const json j = body(r);
            BOOST_TEST(j["mode"] == "code");
            BOOST_TEST_REQUIRE(!j["results"].empty());
            BOOST_TEST(j["results"][0]["code"] == "M62.561");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_misspelt_query_is_corrected_and_says_so) {
    json j = body(get("/v1/search?q=hypertention"));
    BOOST_TEST(j["corrected_query"] == "hypertension");
    BOOST_TEST_REQUIRE(!j["results"].empty());
    BOOST_TEST(j["results"][0]["code"] == "I10");
    j = body(get("/v1/search?q=diabetis%20type%202"));
    BOOST_TEST(j["corrected_query"] == "diabetes type 2");
    BOOST_TEST_REQUIRE(!j["results"].empty());
    BOOST_TEST(j["results"][0]["code"].get<std::string>().rfind("E11", 0) == 0U);
}

BOOST_AUTO_TEST_CASE(limit_offset_and_billable_page_and_filter) {
    const auto all = codes_of(body(get("/v1/search?q=M61&limit=20")));
    BOOST_TEST_REQUIRE(all.size() >= 5U);
    const json two = body(get("/v1/search?q=M61&limit=2"));
    BOOST_TEST(two["results"].size() == 2U);
    BOOST_TEST(codes_of(two) == std::vector<std::string>(all.begin(), all.begin() + 2), boost::test_tools::per_element());
    const json page = body(get("/v1/search?q=M61&limit=2&offset=2"));
    BOOST_TEST(page["offset"] == 2);
    BOOST_TEST(codes_of(page) == std::vector<std::string>(all.begin() + 2, all.begin() + 4),
               boost::test_tools::per_element());
    BOOST_TEST(body(get("/v1/search?q=M61&limit=0"))["results"].empty());
    BOOST_TEST(body(get("/v1/search?q=M61&offset=1000"))["results"].empty());

    for (const char* yes : {"true", "1", "yes", "TRUE", "on"}) {
        BOOST_TEST_CONTEXT(yes) {
            const json b = body(get(std::string("/v1/search?q=dystonia&limit=50&billable=") + yes));
            BOOST_TEST_REQUIRE(!b["results"].empty());
            for (const auto& h : b["results"]) BOOST_TEST(h["billable"] == true, h["code"]);
        }
    }
    const json any = body(get("/v1/search?q=dystonia&limit=50&billable=false"));
    BOOST_TEST(std::any_of(any["results"].begin(), any["results"].end(),
                           [](const json& h) { return h["billable"] == false; }));
    // Unknown parameters are ignored; the first of a repeated one counts.
    BOOST_TEST(get("/v1/search?q=dystonia&utm_source=x&flag").status == 200U);
    BOOST_TEST(body(get("/v1/search?q=M62.561&q=dystonia"))["results"][0]["code"] == "M62.561");
    // Chapter filter.
    const json ch = body(get("/v1/search?q=muscle&chapter=13&limit=50"));
    for (const auto& h : ch["results"]) BOOST_TEST(h["chapter"] == "13");
}

BOOST_AUTO_TEST_CASE(odd_but_valid_queries_are_answered) {
    for (const char* q : {"caf%C3%A9", "%22unbalanced", "(paren", "*", "AND", "a%00b", "%E2%82%AC%F0%9F%98%80",
                          "x%3Dy%26z"}) {
        BOOST_TEST_CONTEXT(q) {
            const Response r = get(std::string("/v1/search?q=") + q);
            BOOST_TEST(r.status == 200U, r.body);
            BOOST_TEST(body(r)["results"].is_array());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_query_of_exactly_the_limit_is_accepted_and_one_byte_more_is_400) {
    const std::size_t max = Limits{}.max_query_bytes;
    BOOST_TEST(get("/v1/search?q=" + std::string(max, 'a')).status == 200U);
    // Counted after decoding: 3 escaped bytes are one byte of q.
    std::string escaped;
    for (std::size_t i = 0; i < max; ++i) escaped += "%61";
    BOOST_TEST(get("/v1/search?q=" + escaped).status == 200U);
    const Response r = get("/v1/search?q=" + std::string(max + 1, 'a'));
    check_error(r, 400, "query_too_long");
    BOOST_TEST(json::parse(r.body)["error"]["message"].get<std::string>().find(std::to_string(max)) !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_400_with_a_json_error) {
    struct Case {
        std::string target;
        std::string code;
        std::string message;  // part of the message
    };
    const Case cases[] = {
        {"/v1/search", "bad_request", "missing query"},
        {"/v1/search?", "bad_request", "missing query"},
        {"/v1/search?limit=5", "bad_request", "missing query"},
        {"/v1/search?q=", "bad_request", "missing query"},
        {"/v1/search?q", "bad_request", "missing query"},
        {"/v1/search?q=+++", "bad_request", "missing query"},
        {"/v1/search?q=%20%09%0A", "bad_request", "missing query"},
        {"/v1/search?q=%C3%28", "bad_request", "UTF-8"},
        {"/v1/search?q=%FF%FE", "bad_request", "UTF-8"},
        {"/v1/search?q=%ED%A0%80", "bad_request", "UTF-8"},
        {"/v1/search?q=%zz", "bad_request", "percent-escape"},
        {"/v1/search?q=abc%", "bad_request", "percent-escape"},
        {"/v1/search?q=abc%4", "bad_request", "percent-escape"},
        {"/v1/search?q=heart&limit=%", "bad_request", "percent-escape"},
        {"/v1/search?q=heart&limit=abc", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=-1", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=+5", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=5x", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=1e2", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=99999999999999999999999", "bad_request", "limit must be a whole number"},
        {"/v1/search?q=heart&limit=101", "bad_request", "limit must be at most 100"},
        {"/v1/search?q=heart&offset=1001", "bad_request", "offset must be at most 1000"},
        {"/v1/search?q=heart&offset=-3", "bad_request", "offset must be a whole number"},
        {"/v1/search?q=heart&per_category=x", "bad_request", "per_category"},
        {"/v1/search?q=heart&billable=maybe", "bad_request", "billable must be true or false"},
        {"/v1/search?q=heart&chapter=0", "bad_request", "chapter must be a chapter number"},
        {"/v1/search?q=heart&chapter=23", "bad_request", "chapter must be a chapter number"},
        {"/v1/search?q=heart&chapter=IX", "bad_request", "chapter must be a chapter number"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.target) {
            const Response r = get(c.target);
            check_error(r, 400, c.code);
            BOOST_TEST(r.endpoint == Endpoint::search);
            BOOST_TEST(json::parse(r.body)["error"]["message"].get<std::string>().find(c.message) !=
                           std::string::npos,
                       r.body);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(codes, Fixture)

BOOST_AUTO_TEST_CASE(a_code_has_its_parent_children_notes_and_article) {
    const Response r = get("/v1/codes/M61.2");
    BOOST_TEST_REQUIRE(r.status == 200U, r.body);
    BOOST_TEST(r.endpoint == Endpoint::code);
    const json j = body(r);
    BOOST_TEST(j["format"] == "icd-code/1");
    BOOST_TEST(j["code"] == "M61.2");
    BOOST_TEST(j["title"] == "Paralytic calcification and ossification of muscle");
    BOOST_TEST(j["billable"] == false);
    BOOST_TEST(j["parent"]["code"] == "M61");
    BOOST_TEST(j["parent"]["title"] == "Calcification and ossification of muscle");
    std::vector<std::string> children;
    for (const auto& c : j["children"]) children.push_back(c["code"]);
    BOOST_TEST(std::count(children.begin(), children.end(), "M61.20") == 1);
    BOOST_TEST(std::is_sorted(children.begin(), children.end()));
    BOOST_TEST_REQUIRE(j["notes"].is_array());
    BOOST_TEST(j["notes"].dump().find("excludes1") != std::string::npos, j["notes"].dump());

    const json leaf = body(get("/v1/codes/M61.20"));
    BOOST_TEST(leaf["billable"] == true);
    BOOST_TEST(leaf["children"].empty());
    BOOST_TEST(leaf["parent"]["code"] == "M61.2");
    BOOST_TEST(leaf["article"]["code"] == "M61.20");
}

BOOST_AUTO_TEST_CASE(a_code_is_found_dotless_and_in_lowercase) {
    for (const char* spelling : {"M61.20", "M6120", "m61.20", "m6120", "M61%2E20"}) {
        BOOST_TEST_CONTEXT(spelling) {
            const Response r = get(std::string("/v1/codes/") + spelling);
            BOOST_TEST_REQUIRE(r.status == 200U, r.body);
            BOOST_TEST(body(r)["code"] == "M61.20");
        }
    }
}

BOOST_AUTO_TEST_CASE(an_unknown_code_is_404_and_garbage_is_400) {
    const Response missing = get("/v1/codes/X99.99");
    check_error(missing, 404, "not_found");
    BOOST_TEST(missing.endpoint == Endpoint::code);
    BOOST_TEST(json::parse(missing.body)["error"]["message"] == "no code X99.99 in this index");
    // A code below an existing one: the hint points at the nearest ancestor.
    const Response below = get("/v1/codes/M61.2999");
    check_error(below, 404, "not_found");
    BOOST_TEST(json::parse(below.body)["error"]["hint"].get<std::string>().find("M61.2") != std::string::npos,
               below.body);
    for (const char* garbage : {"hello!", "12345", "%C3%28", "M", "M62.561.1", "%3Cscript%3E", "M62%20561",
                                "M62.5611234567"}) {
        BOOST_TEST_CONTEXT(garbage) {
            const Response r = get(std::string("/v1/codes/") + garbage);
            check_error(r, 400, "bad_request");
            BOOST_TEST(r.endpoint == Endpoint::code);
        }
    }
    // No code at all.
    BOOST_TEST(get("/v1/codes/").status / 100 == 4U);
    check_error(get("/v1/codes/%zz"), 400, "bad_request");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(routing, Fixture)

BOOST_AUTO_TEST_CASE(an_unknown_path_is_404_with_a_json_error) {
    for (const char* target : {"/nope", "/v1", "/v1/", "/v1/searchx?q=a", "/v2/search?q=a", "/V1/SEARCH?q=a",
                               "/healthz/x", "/metricsz", "/v1/code/M62.5"}) {
        BOOST_TEST_CONTEXT(target) {
            const Response r = get(target);
            check_error(r, 404, "not_found");
            BOOST_TEST(r.endpoint == Endpoint::other);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_target_that_is_not_a_path_is_400) {
    for (const char* target : {"", "*", "v1/search?q=a", "%zz", "?q=a"}) {
        BOOST_TEST_CONTEXT(target) { check_error(get(target), 400, "bad_request"); }
    }
}

BOOST_AUTO_TEST_CASE(other_methods_are_405_with_allow) {
    for (const char* method : {"POST", "DELETE", "PUT", "PATCH", "TRACE", "CONNECT", "get"}) {
        for (const char* target : {"/v1/search?q=heart", "/v1/codes/M62.5", "/healthz", "/metrics", "/"}) {
            BOOST_TEST_CONTEXT(method << " " << target) {
                const Response r = call(api, method, target);
                check_error(r, 405, "method_not_allowed");
                BOOST_TEST(header(r, "Allow") == std::string("GET, HEAD, OPTIONS"));
            }
        }
    }
    // An unknown path stays 404 whatever the method.
    check_error(call(api, "POST", "/nope"), 404, "not_found");
}

BOOST_AUTO_TEST_CASE(head_answers_like_get) {
    // The network layer drops the body of HEAD responses; the API answers
    // HEAD exactly as GET, so that Content-Length and ETag match.
    for (const char* target : {"/v1/search?q=M62.5", "/v1/codes/M62.5", "/healthz", "/", "/v1/search"}) {
        BOOST_TEST_CONTEXT(target) {
            const Response g = call(api, "GET", target);
            const Response h = call(api, "HEAD", target);
            BOOST_TEST(h.status == g.status);
            BOOST_TEST(h.content_type == g.content_type);
            BOOST_TEST(h.body.size() == g.body.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(healthz_reports_the_live_index) {
    const Response r = get("/healthz");
    BOOST_TEST(r.status == 200U);
    BOOST_TEST(r.endpoint == Endpoint::healthz);
    const json j = body(r);
    BOOST_TEST(j["status"] == "ok");
    BOOST_TEST(j["codes"] == 138);
    BOOST_TEST(j["generation"] == 1);
    BOOST_TEST(j["schema_version"].is_number_integer());
    BOOST_TEST(j["built_at"].is_string());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(cors, Fixture)

BOOST_AUTO_TEST_CASE(a_preflight_from_an_allowed_origin_is_allowed) {
    const Response r = call(api, "OPTIONS", "/v1/search?q=heart", kAllowedOrigin);
    BOOST_TEST(r.status == 204U);
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.endpoint == Endpoint::preflight);
    BOOST_TEST(header(r, "Access-Control-Allow-Origin") == std::string(kAllowedOrigin));
    BOOST_TEST(header(r, "Vary") == std::string("Origin"));
    BOOST_TEST(header(r, "Access-Control-Allow-Methods").find("GET") != std::string::npos);
    BOOST_TEST(has_header(r, "Access-Control-Max-Age"));
    // The other configured origin too, and for the code endpoint.
    const Response other = call(api, "OPTIONS", "/v1/codes/M62.5", "http://localhost:8080");
    BOOST_TEST(header(other, "Access-Control-Allow-Origin") == std::string("http://localhost:8080"));
}

BOOST_AUTO_TEST_CASE(a_preflight_from_another_origin_gets_no_allow_origin) {
    for (const char* origin : {"https://evil.example", "https://help.example.org.evil.example",
                               "https://HELP.example.org", "null", "https://help.example.org/"}) {
        BOOST_TEST_CONTEXT(origin) {
            const Response r = call(api, "OPTIONS", "/v1/search?q=heart", origin);
            BOOST_TEST(r.status == 204U);
            BOOST_TEST(!has_header(r, "Access-Control-Allow-Origin"));
            BOOST_TEST(!has_header(r, "Access-Control-Allow-Methods"));
            // Nor on the actual request.
            BOOST_TEST(!has_header(get("/v1/search?q=heart", origin), "Access-Control-Allow-Origin"));
        }
    }
    // Without any configured origin, nobody is allowed.
    const Response bare_r = call(bare, "OPTIONS", "/v1/search?q=heart", kAllowedOrigin);
    BOOST_TEST(!has_header(bare_r, "Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(a_wildcard_allows_every_origin_without_vary) {
    const Response r = call(any_origin, "OPTIONS", "/v1/search?q=heart", "https://anyone.example");
    BOOST_TEST(r.status == 204U);
    BOOST_TEST(header(r, "Access-Control-Allow-Origin") == std::string("*"));
    BOOST_TEST(!has_header(r, "Vary"));
    const Response g = call(any_origin, "GET", "/v1/search?q=heart", "https://anyone.example");
    BOOST_TEST(header(g, "Access-Control-Allow-Origin") == std::string("*"));
}

BOOST_AUTO_TEST_CASE(allowed_origins_can_read_responses_and_errors) {
    for (const char* target : {"/v1/search?q=heart", "/v1/search", "/v1/codes/X99.99", "/healthz"}) {
        BOOST_TEST_CONTEXT(target) {
            const Response r = get(target, kAllowedOrigin);
            BOOST_TEST(header(r, "Access-Control-Allow-Origin") == std::string(kAllowedOrigin));
            BOOST_TEST(header(r, "Vary") == std::string("Origin"));
        }
    }
    // A same-origin request (no Origin header) gets no CORS headers.
    BOOST_TEST(!has_header(get("/v1/search?q=heart"), "Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(a_preflight_to_an_unknown_path_is_404) {
    check_error(call(api, "OPTIONS", "/nope", kAllowedOrigin), 404, "not_found");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(widget, Fixture)

BOOST_AUTO_TEST_CASE(the_widget_files_are_served_with_their_types_and_etags) {
    const Response root = get("/");
    BOOST_TEST_REQUIRE(root.status == 200U);
    BOOST_TEST(root.endpoint == Endpoint::widget);
    BOOST_TEST(root.content_type == "text/html; charset=utf-8");
    BOOST_TEST(root.body == icd::test::read_file(built().web / "demo.html"));
    const Response demo = get("/widget/demo.html");
    BOOST_TEST(demo.body == root.body);
    const Response js = get("/widget/icd-search-widget.js");
    BOOST_TEST_REQUIRE(js.status == 200U);
    BOOST_TEST(js.content_type == "text/javascript; charset=utf-8");
    BOOST_TEST(js.body == icd::test::read_file(built().web / "icd-search-widget.js"));
    BOOST_TEST(get("/widget/style.css").content_type == "text/css; charset=utf-8");

    const std::string etag = header(js, "ETag");
    BOOST_TEST_REQUIRE(has_header(js, "ETag"));
    BOOST_TEST(std::regex_match(etag, std::regex("\"[^\"]+\"")), etag);
    BOOST_TEST(header(demo, "ETag") != etag);
    BOOST_TEST(has_header(js, "Cache-Control"));
}

BOOST_AUTO_TEST_CASE(if_none_match_with_the_etag_is_304_without_a_body) {
    const Response js = get("/widget/icd-search-widget.js");
    const std::string etag = header(js, "ETag");
    for (const std::string& inm : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        BOOST_TEST_CONTEXT(inm) {
            const Response r = call(api, "GET", "/widget/icd-search-widget.js", {}, inm);
            BOOST_TEST(r.status == 304U);
            BOOST_TEST(r.body.empty());
            BOOST_TEST(header(r, "ETag") == std::string(etag));
        }
    }
    for (const std::string& inm : {std::string("\"other\""), std::string("\"\""), etag.substr(1)}) {
        BOOST_TEST_CONTEXT(inm) {
            const Response r = call(api, "GET", "/widget/icd-search-widget.js", {}, inm);
            BOOST_TEST(r.status == 200U);
            BOOST_TEST(r.body == js.body);
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_files_and_escapes_from_the_web_root_are_404) {
    for (const char* target : {"/widget/missing.js", "/widget/", "/widget/../api.cpp", "/widget/..%2F..%2Fetc%2Fpasswd",
                               "/widget/%2e%2e/demo.html", "/widget//demo.html"}) {
        BOOST_TEST_CONTEXT(target) {
            const Response r = get(target);
            check_error(r, 404, "not_found");
        }
    }
    const Response none = call(bare, "GET", "/");
    check_error(none, 404, "not_found");
    BOOST_TEST(json::parse(none.body)["error"]["message"].get<std::string>().find("--web") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_web_root_that_is_not_a_directory_is_a_usage_error) {
    Metrics m;
    auto a = Api::create(searcher, Limits{}, {}, built().web / "demo.html", m);
    BOOST_TEST_REQUIRE(!a.has_value());
    BOOST_TEST(a.error().code == icd::Errc::usage);
    auto b = Api::create(searcher, Limits{}, {}, built().dir / "nonexistent", m);
    BOOST_TEST_REQUIRE(!b.has_value());
    BOOST_TEST(b.error().code == icd::Errc::usage);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(metrics, Fixture)

BOOST_AUTO_TEST_CASE(metrics_are_prometheus_text_and_count_requests) {
    get("/v1/search?q=heart");
    get("/v1/search?q=heart");  // from the cache
    get("/v1/search");          // 400
    get("/v1/codes/X99.99");    // 404
    const Response r = get("/metrics");
    BOOST_TEST(r.status == 200U);
    BOOST_TEST(r.endpoint == Endpoint::metrics);
    BOOST_TEST(r.content_type == "text/plain; version=0.0.4; charset=utf-8");

    // Every line: a comment (# HELP / # TYPE) or a sample "name{labels} value";
    // every sample's family has a TYPE.
    const std::regex sample_re(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*\})? (-?[0-9.eE+-]+|\+Inf|NaN))");
    const std::regex type_re(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    std::set<std::string> typed;
    std::istringstream in(r.body);
    std::size_t samples = 0;
    for (std::string line; std::getline(in, line);) {
        BOOST_TEST_CONTEXT(line) {
            std::smatch m;
            if (line.starts_with("# HELP ")) continue;
            if (std::regex_match(line, m, type_re)) {
                typed.insert(m[1]);
                continue;
            }
            BOOST_TEST_REQUIRE(std::regex_match(line, m, sample_re));
            std::string family = m[1];
            for (const char* suffix : {"_bucket", "_sum", "_count"}) {
                if (family.ends_with(suffix) && typed.count(family.substr(0, family.size() - std::strlen(suffix)))) {
                    family = family.substr(0, family.size() - std::strlen(suffix));
                }
            }
            BOOST_TEST(typed.count(family) == 1U, family);
            ++samples;
        }
    }
    BOOST_TEST(samples > 10U);
    BOOST_TEST(r.body.back() == '\n');

    const std::string& t = r.body;
    BOOST_TEST(prometheus_sample(t, "icd_index_generation") == 1);
    BOOST_TEST(prometheus_sample(t, "icd_index_documents") == 138);
    BOOST_TEST(prometheus_sample(t, "icd_index_up") == 1);
    BOOST_TEST(prometheus_sample(t, R"(icd_http_requests_total{endpoint="search",status="200"})") == 2);
    BOOST_TEST(prometheus_sample(t, R"(icd_http_requests_total{endpoint="search",status="400"})") == 1);
    BOOST_TEST(prometheus_sample(t, R"(icd_http_requests_total{endpoint="code",status="404"})") == 1);
    BOOST_TEST(prometheus_sample(t, "icd_search_cache_hits_total") >= 1);
    BOOST_TEST(prometheus_sample(t, "icd_search_cache_capacity") >= 100);
    // Histogram: cumulative buckets, +Inf equals the count.
    BOOST_TEST(prometheus_sample(t, R"(icd_http_request_duration_seconds_count{endpoint="search"})") == 3);
    BOOST_TEST(prometheus_sample(t, R"(icd_http_request_duration_seconds_bucket{endpoint="search",le="+Inf"})") == 3);
    double previous = 0;
    for (double le : icd::serve::kLatencyBuckets) {
        char num[32];
        std::snprintf(num, sizeof num, "%g", le);
        const double v =
            prometheus_sample(t, std::string(R"(icd_http_request_duration_seconds_bucket{endpoint="search",le=")") + num + "\"}");
        BOOST_TEST(v >= previous);
        previous = v;
    }

    // Counters increase.
    get("/v1/search?q=heart");
    get("/v1/search?q=dystonia");
    const std::string after = get("/metrics").body;
    BOOST_TEST(prometheus_sample(after, R"(icd_http_requests_total{endpoint="search",status="200"})") == 4);
    BOOST_TEST(prometheus_sample(after, R"(icd_http_requests_total{endpoint="metrics",status="200"})") == 1);
    BOOST_TEST(prometheus_sample(after, "icd_search_cache_hits_total") > prometheus_sample(t, "icd_search_cache_hits_total"));
    BOOST_TEST(prometheus_sample(after, "icd_search_cache_misses_total") > prometheus_sample(t, "icd_search_cache_misses_total"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(every_error_has_the_same_json_shape) {
    // Errors built by Api::error, with and without a hint.
    for (const Response& r : {Api::error(400, "bad_request", "no"), Api::error(503, "index_unavailable", "x", "y")}) {
        check_error(r, r.status, r.status == 400 ? "bad_request" : "index_unavailable");
    }
    // Messages with bytes that are not UTF-8 still give valid JSON.
    const Response r = Api::error(404, "not_found", "no such endpoint: /\xff\xfe");
    check_error(r, 404, "not_found");
}

BOOST_AUTO_TEST_CASE(an_index_that_goes_away_gives_503_and_index_up_0) {
    icd::test::TempDir dir;
    fs::copy(built().index, dir / "index", fs::copy_options::recursive);
    Metrics metrics;
    auto searcher = icd::Searcher::open(dir / "index");
    BOOST_TEST_REQUIRE(searcher.has_value());
    auto api = Api::create(*searcher, Limits{}, {}, {}, metrics);
    BOOST_TEST_REQUIRE(api.has_value());
    BOOST_TEST_REQUIRE(api->handle({"GET", "/healthz", "", ""}).status == 200U);
    fs::remove_all(dir / "index");
    check_error(api->handle({"GET", "/healthz", "", ""}), 503, "index_unavailable");
    check_error(api->handle({"GET", "/v1/search?q=dystonia", "", ""}), 503, "index_unavailable");
    check_error(api->handle({"GET", "/v1/codes/G24.9", "", ""}), 503, "index_unavailable");
    const Response m = api->handle({"GET", "/metrics", "", ""});
    BOOST_TEST(m.status == 200U);
    BOOST_TEST(prometheus_sample(m.body, "icd_index_up") == 0);
    // Back again: served again, without a restart.
    fs::copy(built().index, dir / "index", fs::copy_options::recursive);
    BOOST_TEST(api->handle({"GET", "/healthz", "", ""}).status == 200U);
    BOOST_TEST(api->handle({"GET", "/v1/search?q=dystonia", "", ""}).status == 200U);
}
