#include "server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <atomic>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace icd::serve {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kServerName = "icd-serve";

void log_line(const std::string& method, const std::string& target, unsigned status, std::size_t bytes,
              Clock::duration took) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char line[256];
    std::snprintf(line, sizeof line, "%s %s %.200s %u %zu %.3fms\n", stamp, method.c_str(), target.c_str(), status,
                  bytes, std::chrono::duration<double, std::milli>(took).count());
    std::cout << line << std::flush;
}

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(tcp::socket socket, const Api& api, Metrics& metrics, const ServerConfig& config)
        : stream_(std::move(socket)), api_(api), metrics_(metrics), config_(config) {
        metrics_.connection_opened();
    }
    ~Connection() { metrics_.connection_closed(); }

    void start() {
        net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::read, shared_from_this()));
    }

private:
    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(config_.max_header_bytes));
        parser_->body_limit(config_.max_body_bytes);
        // The request deadline is our own timer, not the stream's: on expiry
        // a beast::tcp_stream closes the socket, and the 408 could never be
        // sent. The timer cancels the read and leaves the socket open.
        stream_.expires_never();
        reading_ = true;
        const auto id = ++read_id_;
        timer_.expires_after(config_.request_timeout);
        timer_.async_wait([self = shared_from_this(), id](beast::error_code ec) {
            if (ec || !self->reading_ || id != self->read_id_) return;
            self->timed_out_ = true;
            beast::error_code ignored;
            self->stream_.socket().cancel(ignored);
        });
        http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        reading_ = false;
        timer_.cancel();
        if (std::exchange(timed_out_, false) && ec == net::error::operation_aborted) ec = beast::error::timeout;
        if (ec == http::error::end_of_stream || ec == net::error::connection_reset || ec == net::error::eof) {
            return close();
        }
        if (ec == beast::error::timeout) {
            metrics_.timed_out();
            // Some of a request arrived, too slowly: say so, then close. An
            // idle keep-alive connection is just closed.
            if (parser_->got_some() || buffer_.size() > 0) {
                return fail(Api::error(408, "request_timeout",
                                       "the request did not arrive within " +
                                           std::to_string(config_.request_timeout.count()) + " ms"));
            }
            return close();
        }
        if (ec == http::error::header_limit) {
            return fail(Api::error(431, "header_too_large",
                                   "request line and headers exceed " + std::to_string(config_.max_header_bytes) +
                                       " bytes",
                                   "queries are limited in size; send fewer words"));
        }
        if (ec == http::error::body_limit) {
            return fail(Api::error(413, "payload_too_large",
                                   "request body exceeds " + std::to_string(config_.max_body_bytes) + " bytes",
                                   "the API takes GET requests without a body"));
        }
        if (ec) return fail(Api::error(400, "bad_request", "malformed HTTP request: " + ec.message()));

        const auto started = Clock::now();
        const auto& req = parser_->get();
        Request request;
        request.method = std::string(req.method_string());
        request.target = std::string(req.target());
        if (auto it = req.find(http::field::origin); it != req.end()) request.origin = std::string(it->value());
        if (auto it = req.find(http::field::if_none_match); it != req.end()) {
            request.if_none_match = std::string(it->value());
        }
        Response response;
        try {
            response = api_.handle(request);
        } catch (const std::exception& e) {
            response = Api::error(500, "internal", std::string("unexpected error: ") + e.what());
        }
        const bool keep_alive = req.keep_alive();
        const bool head = req.method() == http::verb::head;
        stream_.expires_after(config_.request_timeout);  // for writing the response
        send(std::move(response), keep_alive, head, request, started);
    }

    void send(Response r, bool keep_alive, bool head, const Request& request, Clock::time_point started) {
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
        res->set(http::field::server, kServerName);
        if (!r.content_type.empty()) {
            res->set(http::field::content_type,
                     r.content_type == "application/json" ? "application/json; charset=utf-8" : r.content_type);
        }
        for (const auto& [name, value] : r.headers) res->insert(name, value);
        if (r.status >= 400 || r.endpoint == Endpoint::search || r.endpoint == Endpoint::code) {
            res->set(http::field::cache_control, r.status >= 400 ? "no-store" : "no-cache");
        }
        res->set("X-Content-Type-Options", "nosniff");
        const std::size_t bytes = r.body.size();
        if (head) {
            res->content_length(bytes);
        } else {
            res->body() = std::move(r.body);
            res->prepare_payload();
        }
        res->keep_alive(keep_alive);
        const auto took = Clock::now() - started;
        metrics_.record(r.endpoint, r.status, took);
        if (config_.access_log) log_line(request.method, request.target, r.status, bytes, took);
        res_ = res;
        if (head) {
            // Headers only; Beast's serializer would try to send the body.
            auto sr = std::make_shared<http::response_serializer<http::string_body>>(*res);
            http::async_write_header(stream_, *sr,
                                     [self = shared_from_this(), sr, keep_alive](beast::error_code ec, std::size_t) {
                                         self->on_write(keep_alive, ec);
                                     });
            return;
        }
        http::async_write(stream_, *res, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
            self->on_write(keep_alive, ec);
        });
    }

    void on_write(bool keep_alive, beast::error_code ec) {
        res_.reset();
        if (ec || !keep_alive) return close();
        read();
    }

    // An error response, then the connection is closed (the stream may be
    // in an unknown state after a bad request).
    void fail(Response r) {
        r.endpoint = Endpoint::other;
        stream_.expires_after(std::chrono::seconds(2));
        Request request;
        request.method = "-";
        request.target = "-";
        send(std::move(r), false, false, request, Clock::now());
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    net::steady_timer timer_{stream_.get_executor()};  // the request deadline
    std::uint64_t read_id_ = 0;  // the read the timer is for
    bool reading_ = false, timed_out_ = false;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<void> res_;
    const Api& api_;
    Metrics& metrics_;
    const ServerConfig& config_;
};

}  // namespace

struct Server::Impl {
    const Api& api;
    Metrics& metrics;
    ServerConfig config;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    net::signal_set signals{ioc};
    std::vector<std::thread> threads;
    std::atomic<bool> stopped{false};
    unsigned short bound_port = 0;

    Impl(const Api& a, Metrics& m, ServerConfig c)
        : api(a), metrics(m), config(std::move(c)), ioc(static_cast<int>(config.threads)) {}

    void accept() {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) {
                if (static_cast<std::size_t>(metrics.open_connections()) >= config.max_connections) {
                    metrics.connection_refused();
                    beast::error_code ignored;
                    socket.close(ignored);
                } else {
                    std::make_shared<Connection>(std::move(socket), api, metrics, config)->start();
                }
            }
            accept();
        });
    }

    // Safe from any thread, including the server's own.
    void stop() {
        if (stopped.exchange(true)) return;
        ioc.stop();
    }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
    stop();
    wait();
}

Result<std::unique_ptr<Server>> Server::start(const Api& api, Metrics& metrics, ServerConfig config) {
    if (config.threads == 0) config.threads = std::max(1U, std::thread::hardware_concurrency());
    auto impl = std::make_unique<Impl>(api, metrics, config);
    beast::error_code ec;
    const auto address = net::ip::make_address(impl->config.host, ec);
    if (ec) {
        return make_error(Errc::usage, "--host " + impl->config.host + ": not an IP address",
                          "e.g. 127.0.0.1, or 0.0.0.0 for every interface");
    }
    const tcp::endpoint endpoint(address, impl->config.port);
    auto& acc = impl->acceptor;
    acc.open(endpoint.protocol(), ec);
    if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acc.bind(endpoint, ec);
    if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return make_error(Errc::io,
                          "cannot listen on " + impl->config.host + ":" + std::to_string(impl->config.port) + ": " +
                              ec.message(),
                          "choose another --port, or stop the program that uses it");
    }
    impl->bound_port = acc.local_endpoint().port();
    if (impl->config.handle_signals) {
        impl->signals.add(SIGINT);
        impl->signals.add(SIGTERM);
        impl->signals.async_wait([raw = impl.get()](beast::error_code e, int) {
            if (!e) raw->stop();
        });
    }
    impl->accept();
    try {
        for (unsigned i = 0; i < impl->config.threads; ++i) {
            impl->threads.emplace_back([ioc = &impl->ioc] { ioc->run(); });
        }
    } catch (const std::system_error& e) {
        // Joinable threads must not be destroyed: stop and join them first.
        impl->stop();
        for (auto& t : impl->threads) t.join();
        return make_error(Errc::internal,
                          "cannot start " + std::to_string(impl->config.threads) + " threads: " + e.what(),
                          "use fewer --threads");
    }
    return std::unique_ptr<Server>(new Server(std::move(impl)));
}

unsigned short Server::port() const { return impl_->bound_port; }

void Server::stop() { impl_->stop(); }

void Server::wait() {
    for (auto& t : impl_->threads) {
        if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
    }
}

}  // namespace icd::serve
