// icd-serve's network layer: an asynchronous HTTP/1.1 server on Boost.Beast.
// A fixed pool of threads runs one io_context; each connection reads one
// request at a time with a deadline, so slow or idle clients hold a socket,
// never a thread. Requests go to Api::handle() (api.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "api.hpp"
#include "icd/result.hpp"

namespace icd::serve {

struct ServerConfig {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;        // 0: a free port (see Server::port())
    unsigned threads = 0;              // 0: one per core
    std::size_t max_connections = 1024;  // more are closed at once
    std::size_t max_header_bytes = 8192;  // request line + headers; more: 431
    std::size_t max_body_bytes = 4096;    // GET requests need none; more: 413
    // A request must arrive complete within this time of the connection
    // opening or of the previous response (keep-alive); otherwise the
    // connection gets 408 (if some of a request arrived) and is closed.
    std::chrono::milliseconds request_timeout{10000};
    bool access_log = false;           // one line per request on stdout
    bool handle_signals = false;       // SIGINT/SIGTERM stop the server
};

class Server {
public:
    // Binds and starts serving on background threads. Errc::io when the
    // address cannot be bound.
    static Result<std::unique_ptr<Server>> start(const Api& api, Metrics& metrics, ServerConfig config);
    ~Server();

    unsigned short port() const;
    // Stops serving: pending requests are dropped and connections closed.
    // Idempotent; safe from any thread.
    void stop();
    // Blocks until the server has stopped (stop(), or a signal when
    // `handle_signals`).
    void wait();

    struct Impl;

private:
    explicit Server(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace icd::serve
