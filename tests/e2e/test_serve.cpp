// End-to-end tests of icd-serve: the real executable started as a child
// process on a free port (--port 0, read from its first line), spoken to over
// real TCP by a small blocking HTTP/1.1 client. Concurrency, slow and broken
// clients, limits, picking up new index generations, signals, bad options.
// Every wait polls with a generous deadline; nothing depends on a fixed port.
#define BOOST_TEST_MODULE serve
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "test_support.hpp"

extern char** environ;

namespace fs = std::filesystem;
using icd::test::prometheus_sample;
using icd::test::run;
using icd::test::shell_quote;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const std::string kServeBin = ICD_SERVE_BIN;
const std::string kIndexBin = ICD_INDEX_BIN;
const fs::path kRelease = ICD_TEST_DATA_DIR "/release";
const fs::path kThesaurus = ICD_SOURCE_DIR "/corpus/thesaurus.txt";

// The four seed articles, copied into `dir`.
void copy_seed_articles(const fs::path& dir) { icd::test::copy_articles(dir, icd::test::kSeedArticles); }

std::string index_command(const std::string& command, const fs::path& articles, const fs::path& index) {
    return kIndexBin + " " + command + " --quiet --release " + shell_quote(kRelease.string()) + " --articles " +
           shell_quote(articles.string()) + " --thesaurus " + shell_quote(kThesaurus.string()) + " --index " +
           shell_quote(index.string());
}

// One index for the tests that do not change it.
struct Built {
    icd::test::TempDir dir;
    fs::path index;
    Built() : index(dir / "index") {
        copy_seed_articles(dir / "articles");
        auto r = run(index_command("build", dir / "articles", index), true);
        if (r.status != 0) throw std::runtime_error("icd-index build failed: " + r.out);
    }
};
const Built& built() {
    static const Built b;
    return b;
}

// ---------------------------------------------------------------- client

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lowercase
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
    json json_body() const { return json::parse(body); }
};

// A blocking HTTP/1.1 client on one TCP connection, every read bounded by a
// deadline (poll), so that a misbehaving server fails a test instead of
// hanging it.
class Client {
public:
    explicit Client(unsigned short port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket failed");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd_);
            throw std::runtime_error("connect to port " + std::to_string(port) + " failed: " + std::strerror(errno));
        }
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~Client() {
        if (fd_ >= 0) ::close(fd_);
    }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // False when the server closed or reset the connection.
    bool send_raw(std::string_view data) {
        while (!data.empty()) {
            const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    // The next response, or nullopt when the connection closed (or the
    // deadline passed) before a complete one arrived. `head`: a response to
    // HEAD, which has no body whatever its Content-Length.
    std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout = 10s, bool head = false) {
        const auto deadline = Clock::now() + timeout;
        std::size_t end = std::string::npos;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill(deadline)) return std::nullopt;
        }
        HttpResponse r;
        std::istringstream in(buf_.substr(0, end));
        std::string line;
        std::getline(in, line);
        std::smatch m;
        if (!std::regex_match(line, m, std::regex(R"(HTTP/1\.[01] (\d{3})[^\r]*\r?)"))) return std::nullopt;
        r.status = std::stoi(m[1]);
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            const auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            r.headers[name] = value;
        }
        buf_.erase(0, end + 4);
        std::size_t length = 0;
        if (!head && r.status != 204 && r.status != 304) {
            const std::string cl = r.header("content-length");
            if (cl.empty()) {  // until the connection closes
                while (fill(deadline)) {
                }
                length = buf_.size();
            } else {
                length = std::stoul(cl);
            }
        }
        while (buf_.size() < length) {
            if (!fill(deadline)) return std::nullopt;
        }
        r.body = buf_.substr(0, length);
        buf_.erase(0, length);
        return r;
    }

    // True when the server closes the connection (EOF or reset) within the
    // timeout, discarding anything it sends first.
    bool wait_closed(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (fill(deadline)) buf_.clear();
        return closed_;
    }

    // Bytes received but not yet read as a response.
    const std::string& pending() const { return buf_; }

    HttpResponse request(const std::string& method, const std::string& target, const std::string& extra = {}) {
        if (!send_raw(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n")) {
            throw std::runtime_error("send failed: " + method + " " + target);
        }
        auto r = read_response(10s, method == "HEAD");
        if (!r) throw std::runtime_error("no response to " + method + " " + target);
        return *r;
    }
    HttpResponse get(const std::string& target, const std::string& extra = {}) { return request("GET", target, extra); }

private:
    // Reads what is there, waiting until `deadline`. False on EOF, reset or
    // timeout (closed_ tells which).
    bool fill(Clock::time_point deadline) {
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return false;
            pollfd p{fd_, POLLIN, 0};
            const int n = ::poll(&p, 1, static_cast<int>(left));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            char chunk[16384];
            const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                closed_ = true;
                return false;
            }
            buf_.append(chunk, static_cast<std::size_t>(got));
            return true;
        }
    }

    int fd_ = -1;
    std::string buf_;
    bool closed_ = false;
};

// One request on a fresh connection.
HttpResponse get_once(unsigned short port, const std::string& target) { return Client(port).get(target); }

// ---------------------------------------------------------------- server process

// icd-serve as a child process, stdout and stderr to files. Killed (SIGKILL)
// on destruction if still running.
class ServeProcess {
public:
    explicit ServeProcess(const std::vector<std::string>& args) {
        out_ = dir_ / "stdout";
        err_ = dir_ / "stderr";
        std::vector<std::string> argv_s{kServeBin};
        argv_s.insert(argv_s.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : argv_s) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int rc = ::posix_spawn(&pid_, kServeBin.c_str(), &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) throw std::runtime_error("cannot start " + kServeBin);
    }
    ~ServeProcess() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            int st = 0;
            ::waitpid(pid_, &st, 0);
        }
    }
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // Waits for the "serving ... at http://HOST:PORT/" line and returns the
    // port; throws with the output when the server exits or says nothing.
    unsigned short port(std::chrono::milliseconds timeout = 30s) {
        if (port_ != 0) return port_;
        const auto deadline = Clock::now() + timeout;
        const std::regex serving(R"(icd-serve: serving .* at http://127\.0\.0\.1:(\d+)/)");
        while (Clock::now() < deadline) {
            const std::string out = stdout_text();
            std::smatch m;
            if (std::regex_search(out, m, serving)) {
                port_ = static_cast<unsigned short>(std::stoi(m[1]));
                return port_;
            }
            if (!running()) throw std::runtime_error("icd-serve exited: " + out + stderr_text());
            std::this_thread::sleep_for(20ms);
        }
        throw std::runtime_error("icd-serve printed no port: " + stdout_text() + stderr_text());
    }

    bool running() {
        if (exited_) return false;
        int st = 0;
        const pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            exited_ = true;
            status_ = st;
            return false;
        }
        return true;
    }
    // The exit code, or -1 when it did not exit by itself within the timeout
    // (or died of a signal).
    int wait_exit(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (running()) {
            if (Clock::now() >= deadline) return -1;
            std::this_thread::sleep_for(10ms);
        }
        return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    std::string stdout_text() const { return icd::test::read_file(out_); }
    std::string stderr_text() const { return icd::test::read_file(err_); }

private:
    icd::test::TempDir dir_;
    fs::path out_, err_;
    pid_t pid_ = -1;
    bool exited_ = false;
    int status_ = 0;
    unsigned short port_ = 0;
};

std::vector<std::string> serve_args(const fs::path& index, std::vector<std::string> more = {}) {
    std::vector<std::string> a{"--index", index.string(), "--port", "0", "--no-web"};
    a.insert(a.end(), more.begin(), more.end());
    return a;
}


// Polls `fn` until it returns true or the deadline passes.
template <typename Fn>
bool eventually(Fn fn, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (fn()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
}

void check_json_error(const HttpResponse& r, int status, const std::string& code) {
    BOOST_TEST(r.status == status);
    BOOST_TEST(r.header("content-type") == "application/json; charset=utf-8");
    const json j = json::parse(r.body);
    BOOST_TEST(j["error"]["status"] == status);
    BOOST_TEST(j["error"]["code"] == code, r.body);
    BOOST_TEST(j["error"]["message"].is_string());
}

// One server on the shared index for the tests that do not restart it.
struct Shared {
    ServeProcess server{serve_args(built().index, {"--threads", "4", "--cors-origin", "https://help.example.org"})};
    unsigned short port = server.port();
};
Shared& shared() {
    static Shared s;
    return s;
}

}  // namespace

// ---------------------------------------------------------------- basics

BOOST_AUTO_TEST_CASE(the_server_prints_its_address_and_answers) {
    auto& s = shared();
    const std::string out = s.server.stdout_text();
    BOOST_TEST(out.find("icd-serve: serving " + built().index.string() + " (generation 1, 138 codes) at http://127.0.0.1:") ==
                   0U,
               out);
    BOOST_TEST(out.find("with 4 threads") != std::string::npos, out);

    const HttpResponse r = get_once(s.port, "/v1/search?q=calcium+deposits+after+stroke");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type") == "application/json; charset=utf-8");
    BOOST_TEST(r.header("server") == "icd-serve");
    BOOST_TEST(r.header("x-content-type-options") == "nosniff");
    BOOST_TEST(r.header("cache-control") == "no-cache");
    const json j = r.json_body();
    BOOST_TEST(j["format"] == "icd-search/1");
    BOOST_TEST(j["results"][0]["code"] == "M61.20");

    const HttpResponse h = get_once(s.port, "/healthz");
    BOOST_TEST(h.status == 200);
    BOOST_TEST(h.json_body()["generation"] == 1);

    const HttpResponse e = get_once(s.port, "/v1/search?q=%C3%28");
    check_json_error(e, 400, "bad_request");
    BOOST_TEST(e.header("cache-control") == "no-store");
}

BOOST_AUTO_TEST_CASE(keep_alive_head_and_pipelining_on_one_connection) {
    auto& s = shared();
    Client c(s.port);
    const HttpResponse g = c.get("/v1/codes/M62.561");
    BOOST_TEST_REQUIRE(g.status == 200);
    BOOST_TEST(g.json_body()["code"] == "M62.561");
    // HEAD: the headers of GET, Content-Length included, and no body (the
    // next response on the connection parses cleanly).
    const HttpResponse h = c.request("HEAD", "/v1/codes/M62.561");
    BOOST_TEST(h.status == 200);
    BOOST_TEST(h.header("content-length") == std::to_string(g.body.size()));
    BOOST_TEST(h.body.empty());
    const HttpResponse after = c.get("/healthz");
    BOOST_TEST(after.status == 200);
    BOOST_TEST(after.json_body()["status"] == "ok");
    // Two requests in one write: two responses, in order.
    BOOST_TEST_REQUIRE(c.send_raw("GET /v1/codes/G24.9 HTTP/1.1\r\nHost: x\r\n\r\n"
                                  "GET /v1/codes/M81.6 HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto first = c.read_response();
    auto second = c.read_response();
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST(first->json_body()["code"] == "G24.9");
    BOOST_TEST(second->json_body()["code"] == "M81.6");
    // Connection: close is honoured.
    const HttpResponse last = c.get("/healthz", "Connection: close\r\n");
    BOOST_TEST(last.status == 200);
    BOOST_TEST(c.wait_closed(5s));
    // HTTP/1.0 without keep-alive: one response, then the server closes.
    Client old(s.port);
    BOOST_TEST_REQUIRE(old.send_raw("GET /v1/codes/G24.9 HTTP/1.0\r\n\r\n"));
    const auto r10 = old.read_response();
    BOOST_TEST_REQUIRE(r10.has_value());
    BOOST_TEST(r10->json_body()["code"] == "G24.9");
    BOOST_TEST(old.wait_closed(5s));
}

BOOST_AUTO_TEST_CASE(methods_cors_and_errors_over_the_wire) {
    auto& s = shared();
    Client c(s.port);
    const HttpResponse post = c.request("POST", "/v1/search?q=heart", "Content-Length: 0\r\n");
    check_json_error(post, 405, "method_not_allowed");
    BOOST_TEST(post.header("allow") == "GET, HEAD, OPTIONS");
    const HttpResponse del = c.request("DELETE", "/v1/codes/M62.5");
    check_json_error(del, 405, "method_not_allowed");
    const HttpResponse pre = c.request("OPTIONS", "/v1/search?q=heart",
                                       "Origin: https://help.example.org\r\nAccess-Control-Request-Method: GET\r\n");
    BOOST_TEST(pre.status == 204);
    BOOST_TEST(pre.header("access-control-allow-origin") == "https://help.example.org");
    const HttpResponse evil = c.request("OPTIONS", "/v1/search?q=heart", "Origin: https://evil.example\r\n");
    BOOST_TEST(evil.status == 204);
    BOOST_TEST(evil.header("access-control-allow-origin").empty());
    check_json_error(c.get("/nope"), 404, "not_found");
    check_json_error(c.get("/v1/codes/X99.99"), 404, "not_found");
    check_json_error(c.get("/"), 404, "not_found");  // --no-web
    // Still usable after all the errors.
    BOOST_TEST(c.get("/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(the_widget_is_served_with_etags_and_304s) {
    icd::test::TempDir web;
    icd::test::write_file(web / "demo.html", "<!doctype html><title>demo</title>\n");
    icd::test::write_file(web / "icd-search-widget.js", "export const widget = 1;\n");
    ServeProcess server({"--index", built().index.string(), "--port", "0", "--web", web.path().string()});
    const unsigned short port = server.port();
    BOOST_TEST(server.stdout_text().find("; widget at http://127.0.0.1:" + std::to_string(port) + "/") !=
               std::string::npos);
    Client c(port);
    const HttpResponse root = c.get("/");
    BOOST_TEST_REQUIRE(root.status == 200);
    BOOST_TEST(root.header("content-type") == "text/html; charset=utf-8");
    BOOST_TEST(root.body == icd::test::read_file(web / "demo.html"));
    const HttpResponse js = c.get("/widget/icd-search-widget.js");
    BOOST_TEST(js.header("content-type") == "text/javascript; charset=utf-8");
    const std::string etag = js.header("etag");
    BOOST_TEST_REQUIRE(!etag.empty());
    // 304 without a body; the connection stays usable.
    const HttpResponse not_modified = c.get("/widget/icd-search-widget.js", "If-None-Match: " + etag + "\r\n");
    BOOST_TEST(not_modified.status == 304);
    BOOST_TEST(not_modified.body.empty());
    BOOST_TEST(not_modified.header("etag") == etag);
    const HttpResponse head = c.request("HEAD", "/widget/icd-search-widget.js");
    BOOST_TEST(head.status == 200);
    BOOST_TEST(head.header("content-length") == std::to_string(js.body.size()));
    const HttpResponse again = c.get("/widget/icd-search-widget.js", "If-None-Match: \"stale\"\r\n");
    BOOST_TEST(again.status == 200);
    BOOST_TEST(again.body == js.body);
    check_json_error(c.get("/widget/missing.js"), 404, "not_found");
}

// ---------------------------------------------------------------- concurrency

BOOST_AUTO_TEST_CASE(concurrent_clients_all_get_correct_answers) {
    auto& s = shared();
    struct Expect {
        std::string target;
        std::string code;  // first result, or the code looked up
    };
    const std::vector<Expect> expect{
        {"/v1/search?q=M62.561", "M62.561"},
        {"/v1/search?q=calcium+deposits+after+stroke", "M61.20"},
        {"/v1/search?q=hypertention", "I10"},
        {"/v1/codes/G24.9", "G24.9"},
        {"/v1/codes/m6120", "M61.20"},
        {"/healthz", ""},
    };
    constexpr int kThreads = 8, kRequests = 50;
    std::atomic<int> ok{0};
    std::mutex mu;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                std::unique_ptr<Client> c;
                for (int i = 0; i < kRequests; ++i) {
                    // Keep-alive, with a fresh connection every 10 requests.
                    if (!c || i % 10 == 0) c = std::make_unique<Client>(s.port);
                    const Expect& e = expect[static_cast<std::size_t>(t + i) % expect.size()];
                    const HttpResponse r = c->get(e.target);
                    const json j = json::parse(r.body);
                    const std::string got = e.target.starts_with("/v1/search") ? j["results"][0]["code"].get<std::string>()
                                            : e.target.starts_with("/v1/codes") ? j["code"].get<std::string>()
                                                                                 : std::string();
                    if (r.status != 200 || got != e.code) {
                        std::lock_guard lock(mu);
                        failures.push_back(e.target + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 200));
                    } else {
                        ++ok;
                    }
                }
            } catch (const std::exception& ex) {
                std::lock_guard lock(mu);
                failures.push_back(std::string("thread ") + std::to_string(t) + ": " + ex.what());
            }
        });
    }
    for (auto& th : threads) th.join();
    BOOST_TEST(failures.empty(), (failures.empty() ? "" : failures.front()) << " (" << failures.size() << " failures)");
    BOOST_TEST(ok.load() == kThreads * kRequests);
    // The metrics saw them.
    const std::string m = get_once(s.port, "/metrics").body;
    BOOST_TEST(prometheus_sample(m, R"(icd_http_requests_total{endpoint="search",status="200"})") >= 200);
    BOOST_TEST(prometheus_sample(m, R"(icd_http_requests_total{endpoint="code",status="200"})") >= 100);
    BOOST_TEST(prometheus_sample(m, "icd_http_connections_total") >= kThreads * kRequests / 10);
}

// ---------------------------------------------------------------- slow and broken clients

BOOST_AUTO_TEST_CASE(a_slow_request_gets_408_in_time_while_others_are_served) {
    // One thread: a slow client must hold a socket, never the thread.
    ServeProcess server(serve_args(built().index, {"--threads", "1", "--request-timeout-ms", "2000"}));
    const unsigned short port = server.port();

    // A request that never finishes, and one dribbled a byte at a time.
    Client stuck(port);
    BOOST_TEST_REQUIRE(stuck.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    const auto started = Clock::now();
    Client dribble(port);
    std::atomic<bool> stop{false};
    std::atomic<Clock::rep> dribble_failed_at{0};
    std::thread dribbler([&] {
        const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(200, 'x');
        for (char ch : req) {
            if (stop) return;
            if (!dribble.send_raw(std::string_view(&ch, 1))) {
                dribble_failed_at = (Clock::now() - started).count();
                return;
            }
            std::this_thread::sleep_for(50ms);
        }
    });
    struct Join {
        std::atomic<bool>& stop;
        std::thread& t;
        ~Join() {
            stop = true;
            t.join();
        }
    } join{stop, dribbler};
    // Others are served meanwhile, promptly.
    for (int i = 0; i < 10; ++i) {
        const auto t0 = Clock::now();
        const HttpResponse r = get_once(port, "/v1/search?q=M62.5");
        BOOST_TEST(r.status == 200);
        BOOST_TEST((Clock::now() - t0 < 1500ms));
        std::this_thread::sleep_for(20ms);
    }
    // The stuck request: 408 with a JSON error, then the connection closes,
    // once the timeout has passed and well before a second one would.
    const auto r = stuck.read_response(10s);
    const auto took = Clock::now() - started;
    BOOST_TEST_REQUIRE(r.has_value(), "no 408 before the connection closed");
    check_json_error(*r, 408, "request_timeout");
    BOOST_TEST(r->header("connection") == "close");
    BOOST_TEST((took >= 1800ms), std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    BOOST_TEST((took < 6000ms), std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    BOOST_TEST(stuck.wait_closed(5s));
    // The dribbled request is cut off too: the deadline is for the whole
    // request, not for each byte.
    const auto d = dribble.read_response(10s);
    const auto dtook = Clock::now() - started;
    BOOST_TEST_REQUIRE(d.has_value(), "no 408 for the dribbled request");
    BOOST_TEST(d->status == 408);
    BOOST_TEST((dtook < 6000ms), std::chrono::duration_cast<std::chrono::milliseconds>(dtook).count());

    // An idle connection is closed without a response.
    Client idle(port);
    BOOST_TEST(idle.wait_closed(5s));
    BOOST_TEST(idle.pending().empty());

    const std::string m = get_once(port, "/metrics").body;
    BOOST_TEST(prometheus_sample(m, "icd_http_request_timeouts_total") >= 3);
    BOOST_TEST(get_once(port, "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(oversized_headers_get_431) {
    auto& s = shared();
    Client c(s.port);
    // A request within the limit is fine.
    BOOST_TEST(c.get("/healthz", "X-Padding: " + std::string(4000, 'x') + "\r\n").status == 200);
    Client big(s.port);
    big.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(20000, 'x') + "\r\n\r\n");
    const auto r = big.read_response(10s);
    BOOST_TEST_REQUIRE(r.has_value(), "no response to oversized headers");
    check_json_error(*r, 431, "header_too_large");
    BOOST_TEST(big.wait_closed(5s));
    // A very long URL too.
    Client url(s.port);
    url.send_raw("GET /v1/search?q=" + std::string(10000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto u = url.read_response(10s);
    BOOST_TEST_REQUIRE(u.has_value(), "no response to an oversized URL");
    BOOST_TEST(u->status == 431);
    BOOST_TEST(get_once(s.port, "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(a_large_body_gets_413) {
    auto& s = shared();
    // Declared up front.
    Client c(s.port);
    c.send_raw("POST /v1/search?q=heart HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n" +
               std::string(100000, '{'));
    const auto r = c.read_response(10s);
    BOOST_TEST_REQUIRE(r.has_value(), "no response to a large body");
    check_json_error(*r, 413, "payload_too_large");
    BOOST_TEST(c.wait_closed(5s));
    // Chunked, so that the size is only known as it arrives.
    Client chunked(s.port);
    std::string body;
    for (int i = 0; i < 20; ++i) body += "400\r\n" + std::string(0x400, 'z') + "\r\n";
    chunked.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n");
    const auto ch = chunked.read_response(10s);
    BOOST_TEST_REQUIRE(ch.has_value(), "no response to a large chunked body");
    BOOST_TEST(ch->status == 413);
    // A small body on a GET is read and ignored.
    Client small(s.port);
    BOOST_TEST(small.request("GET", "/healthz", "Content-Length: 5\r\n\r\nhello").status == 200);
    BOOST_TEST(get_once(s.port, "/healthz").status == 200);
}

BOOST_AUTO_TEST_CASE(garbage_gets_400_and_the_server_stays_up) {
    auto& s = shared();
    const std::vector<std::string> garbage{
        std::string("\x00\x01\x02\x03garbage\r\n\r\n", 15),
        "HELLO\r\n\r\n",
        "GET\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "\x16\x03\x01\x02\x01\x01\xfc\x03\x03 tls hello\r\n\r\n",
    };
    for (const auto& g : garbage) {
        BOOST_TEST_CONTEXT(json(g).dump(-1, ' ', true, json::error_handler_t::replace)) {
            Client c(s.port);
            c.send_raw(g);
            const auto r = c.read_response(10s);
            BOOST_TEST_REQUIRE(r.has_value());
            check_json_error(*r, 400, "bad_request");
            BOOST_TEST(c.wait_closed(5s));
        }
    }
    // Half a request and a hang-up.
    {
        Client c(s.port);
        c.send_raw("GET /v1/search?q=he");
    }
    BOOST_TEST(get_once(s.port, "/healthz").status == 200);
    BOOST_TEST(s.server.running());
}

// ---------------------------------------------------------------- new generations

BOOST_AUTO_TEST_CASE(a_new_generation_is_served_without_a_restart) {
    icd::test::TempDir dir;
    const fs::path articles = dir / "articles", index = dir / "index";
    copy_seed_articles(articles);
    auto b = run(index_command("build", articles, index), true);
    BOOST_TEST_REQUIRE(b.status == 0, b.out);

    ServeProcess server(serve_args(index));
    const unsigned short port = server.port();
    const std::string query = "/v1/search?q=zorblaxian+myopathy";
    const HttpResponse before = get_once(port, query);
    BOOST_TEST_REQUIRE(before.status == 200);
    const json bj = before.json_body();
    BOOST_TEST((bj["results"].empty() || bj["results"][0]["code"] != "M62.561"), before.body);
    get_once(port, query);  // cached now: the new generation must not be hidden by the cache

    // Edit an article: M62.561 gets a lay name nothing else has.
    const fs::path file = articles / "M62.561.json";
    json article = json::parse(icd::test::read_file(file));
    article["also_known_as"].push_back("zorblaxian myopathy");
    icd::test::write_file(file, article.dump(2));
    auto u = run(index_command("update", articles, index), true);
    BOOST_TEST_REQUIRE(u.status == 0, u.out);

    BOOST_TEST(eventually([&] {
        const json j = get_once(port, query).json_body();
        return !j["results"].empty() && j["results"][0]["code"] == "M62.561";
    }),
               "the served result never changed");
    const json h = get_once(port, "/healthz").json_body();
    BOOST_TEST(h["generation"] == 2);
    BOOST_TEST(prometheus_sample(get_once(port, "/metrics").body, "icd_index_generation") == 2);
    BOOST_TEST(get_once(port, "/v1/codes/M62.561").json_body()["article"]["also_known_as"].dump().find("zorblaxian") !=
               std::string::npos);

    // And back, with a rollback.
    BOOST_TEST_REQUIRE(run(kIndexBin + " rollback --index " + shell_quote(index.string())).status == 0);
    BOOST_TEST(eventually([&] { return get_once(port, "/healthz").json_body()["generation"] == 1; }));
    const json again = get_once(port, query).json_body();
    BOOST_TEST((again["results"].empty() || again["results"][0]["code"] != "M62.561"));
}

// ---------------------------------------------------------------- signals and options

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_stop_the_server_with_exit_0) {
    for (int sig : {SIGTERM, SIGINT}) {
        BOOST_TEST_CONTEXT(strsignal(sig)) {
            ServeProcess server(serve_args(built().index));
            const unsigned short port = server.port();
            // With an idle keep-alive connection and a half-sent request open.
            Client idle(port);
            BOOST_TEST_REQUIRE(idle.get("/healthz").status == 200);
            Client half(port);
            half.send_raw("GET /v1/search?q=he");
            server.signal(sig);
            BOOST_TEST(server.wait_exit(10s) == 0);
            BOOST_TEST(server.stdout_text().find("icd-serve: stopped\n") != std::string::npos, server.stdout_text());
            BOOST_TEST(server.stderr_text().empty(), server.stderr_text());
            BOOST_TEST(idle.wait_closed(5s));
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_options_exit_with_documented_codes_and_one_line_errors) {
    auto& s = shared();
    const std::string index = shell_quote(built().index.string());
    struct Case {
        std::string args;
        int status;
        std::string message;
    };
    const Case cases[] = {
        {"--index /nonexistent --port 0", 3, "icd-serve: error: no index at /nonexistent"},
        {"--index " + index + " --port 70000", 2, "icd-serve: error: --port must be at most 65535"},
        {"--index " + index + " --port abc", 2, "icd-serve: error: the argument ('abc') for option '--port' is invalid"},
        {"--index " + index + " --port -1", 2, "icd-serve: error: "},
        {"--index " + index + " --bogus", 2, "icd-serve: error: unrecognised option '--bogus'"},
        {"--index " + index + " --port 0 --request-timeout-ms 0", 2,
         "icd-serve: error: --request-timeout-ms must be positive"},
        {"--index " + index + " --port 0 --max-limit 0", 2, "icd-serve: error: --max-limit must be positive"},
        {"--index " + index + " --port 0 --threads 100000", 2, "icd-serve: error: --threads must be at most 1024"},
        {"--index " + index + " --port 0 --threads -1", 2, "icd-serve: error: --threads must be at most 1024"},
        {"--index " + index + " --port 0 --threads x", 2, "icd-serve: error: the argument ('x') for option '--threads'"},
        {"--index " + index + " --port 0 --web /nonexistent", 2, "icd-serve: error: --web /nonexistent: not a directory"},
        {"--index " + index + " --port 0 --host not-an-ip", 2, "icd-serve: error: --host not-an-ip: not an IP address"},
        {"--index " + index + " --port " + std::to_string(s.port), 6,
         "icd-serve: error: cannot listen on 127.0.0.1:" + std::to_string(s.port) + ": "},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.args) {
            // `timeout`: a server that starts anyway must not hang the test.
            auto r = run("timeout 20 " + kServeBin + " " + c.args + " 2>&1 >/dev/null");
            BOOST_TEST(r.status == c.status);
            BOOST_TEST(r.out.find(c.message) == 0U, r.out);
            // One error line, then at most a hint line.
            std::istringstream in(r.out);
            std::vector<std::string> lines;
            for (std::string l; std::getline(in, l);) lines.push_back(l);
            BOOST_TEST((lines.size() == 1U || lines.size() == 2U), r.out);
            if (lines.size() == 2U) BOOST_TEST(lines[1].find("icd-serve: hint: ") == 0U, r.out);
        }
    }
    BOOST_TEST(s.server.running());
}

BOOST_AUTO_TEST_CASE(threads_that_cannot_be_started_exit_70_with_one_line) {
    // 1000 thread stacks do not fit in 600 MB of address space: the server
    // reports it and exits with the documented code instead of aborting.
    auto r = run("ulimit -v 600000 && exec timeout 20 " + kServeBin + " --index " +
                     shell_quote(built().index.string()) + " --port 0 --threads 1000 2>&1 >/dev/null");
    BOOST_TEST(r.status == 70, r.out);
    BOOST_TEST(r.out.find("icd-serve: error: cannot start 1000 threads: ") == 0U, r.out);
    BOOST_TEST(r.out.find("icd-serve: hint: use fewer --threads") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(help_and_version_exit_0) {
    auto help = run(kServeBin + " --help");
    BOOST_TEST(help.status == 0);
    BOOST_TEST(help.out.find("Usage: icd-serve") == 0U);
    BOOST_TEST(help.out.find("Exit codes:") != std::string::npos);
    BOOST_TEST(run(kServeBin + " --version").out.find("icd-serve ") == 0U);
}

BOOST_AUTO_TEST_CASE(the_access_log_has_one_line_per_request) {
    ServeProcess server(serve_args(built().index, {"--access-log"}));
    const unsigned short port = server.port();
    BOOST_TEST(get_once(port, "/v1/search?q=heart").status == 200);
    BOOST_TEST(get_once(port, "/nope").status == 404);
    BOOST_TEST(eventually([&] {
        const std::string out = server.stdout_text();
        return out.find(" GET /v1/search?q=heart 200 ") != std::string::npos &&
               out.find(" GET /nope 404 ") != std::string::npos;
    }, 10s),
               server.stdout_text());
    BOOST_TEST(std::regex_search(server.stdout_text(),
                                 std::regex(R"(\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ GET /v1/search\?q=heart 200 \d+ [0-9.]+ms\n)")),
               server.stdout_text());
}

BOOST_AUTO_TEST_CASE(connections_over_the_limit_are_closed_at_once) {
    ServeProcess server(serve_args(built().index, {"--max-connections", "2"}));
    const unsigned short port = server.port();
    Client a(port), b(port);
    BOOST_TEST_REQUIRE(a.get("/healthz").status == 200);
    BOOST_TEST_REQUIRE(b.get("/healthz").status == 200);
    Client c(port);
    c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_TEST(!c.read_response(5s).has_value());
    BOOST_TEST(c.wait_closed(5s));
    // Once one closes, a new one is served.
    a.get("/healthz", "Connection: close\r\n");
    BOOST_TEST(a.wait_closed(5s));
    BOOST_TEST(eventually([&] {
        try {
            Client d(port);
            d.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            auto r = d.read_response(2s);
            return r && r->status == 200;
        } catch (const std::exception&) {
            return false;
        }
    }, 10s));
    b.get("/healthz", "Connection: close\r\n");
    BOOST_TEST(b.wait_closed(5s));
    BOOST_TEST(eventually([&] {
        try {
            return prometheus_sample(Client(port).get("/metrics").body, "icd_http_connections_refused_total") >= 1;
        } catch (const std::exception&) {
            return false;
        }
    }, 10s));
}
