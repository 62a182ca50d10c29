// Request counters and latency histograms of icd-serve, lock-free, exposed
// in the Prometheus text format at /metrics (docs/HTTP.md).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace icd::serve {

enum class Endpoint : std::uint8_t { search, code, healthz, metrics, widget, preflight, other };
inline constexpr std::size_t kEndpoints = 7;
const char* endpoint_name(Endpoint e) noexcept;

// Upper bounds of the latency buckets, in seconds (Prometheus "le").
inline constexpr std::array<double, 12> kLatencyBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

class Metrics {
public:
    Metrics();
    void record(Endpoint endpoint, unsigned status, std::chrono::nanoseconds took) noexcept;
    void connection_opened() noexcept { open_connections_.fetch_add(1, std::memory_order_relaxed); ++connections_; }
    void connection_closed() noexcept { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
    void connection_refused() noexcept { ++refused_; }
    void timed_out() noexcept { ++timeouts_; }
    std::int64_t open_connections() const noexcept { return open_connections_.load(std::memory_order_relaxed); }
    std::uint64_t requests(Endpoint endpoint, unsigned status) const noexcept;

    // The Prometheus text exposition; `index` adds gauges about the index
    // (generation, documents), already formatted as lines.
    std::string prometheus(const std::string& index_lines) const;

private:
    struct PerEndpoint {
        std::array<std::atomic<std::uint64_t>, 600> by_status{};   // index: HTTP status
        std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size()> buckets{};  // non-cumulative
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> sum_ns{0};
    };
    std::array<PerEndpoint, kEndpoints> endpoints_;
    std::atomic<std::int64_t> open_connections_{0};
    std::atomic<std::uint64_t> connections_{0}, refused_{0}, timeouts_{0};
    std::chrono::system_clock::time_point started_;
};

}  // namespace icd::serve
