// The HTTP API of icd-serve as a pure function from a request to a response,
// independent of the network layer (server.hpp), so that every route, limit
// and error can be tested without sockets. Versioned JSON: docs/HTTP.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "icd/searcher.hpp"
#include "metrics.hpp"

namespace icd::serve {

struct Limits {
    std::size_t max_query_bytes = 1024;  // q longer than this: 400
    std::size_t max_limit = 100;         // limit above this: 400
    std::size_t max_offset = 1000;       // offset above this: 400
};

struct Request {
    std::string method;  // "GET", "HEAD", "OPTIONS", ...
    std::string target;  // "/v1/search?q=broken+wrist"
    std::string origin;  // Origin header, if any
    std::string if_none_match;
};

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    Endpoint endpoint = Endpoint::other;
};

// Static files of the web widget, read once at start-up.
struct StaticFile {
    std::string content_type;
    std::string body;
    std::string etag;
};

class Api {
public:
    // `cors_origins`: Origin values allowed to call the API from a browser;
    // "*" allows any. `web_root`: directory of the widget's files (served
    // under /widget/, with /widget/demo.html also at /); empty: none.
    static Result<Api> create(const Searcher& searcher, Limits limits, std::vector<std::string> cors_origins,
                              const std::filesystem::path& web_root, Metrics& metrics);

    Response handle(const Request& request) const;

    // 4xx/5xx JSON error body: {"error": {"status", "code", "message", "hint"}}.
    static Response error(unsigned status, std::string_view code, std::string_view message,
                          std::string_view hint = {});

private:
    Api(const Searcher& searcher, Limits limits, std::vector<std::string> cors, Metrics& metrics)
        : searcher_(&searcher), limits_(limits), cors_(std::move(cors)), metrics_(&metrics) {}
    Response route(const Request& request) const;
    Response search(const std::multimap<std::string, std::string>& params) const;
    Response code(const std::string& code) const;
    Response healthz() const;
    Response metrics() const;
    Response widget(const std::string& path, const Request& request) const;
    bool origin_allowed(const std::string& origin) const;
    void add_cors(const Request& request, Response& response) const;

    const Searcher* searcher_;
    Limits limits_;
    std::vector<std::string> cors_;
    Metrics* metrics_;
    std::map<std::string, StaticFile> files_;  // "/widget/icd-search.js" -> file
};

// Percent-decoding of a query-string component ('+' is a space). False for
// a malformed escape ("%zz", "%4").
bool url_decode(std::string_view in, std::string& out);
bool valid_utf8(std::string_view s) noexcept;

}  // namespace icd::serve
