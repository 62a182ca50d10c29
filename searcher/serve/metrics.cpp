#include "metrics.hpp"

#include <cstdio>
#include <sstream>

namespace icd::serve {

const char* endpoint_name(Endpoint e) noexcept {
    switch (e) {
        case Endpoint::search: return "search";
        case Endpoint::code: return "code";
        case Endpoint::healthz: return "healthz";
        case Endpoint::metrics: return "metrics";
        case Endpoint::widget: return "widget";
        case Endpoint::preflight: return "preflight";
        case Endpoint::other: return "other";
    }
    return "other";
}

Metrics::Metrics() : started_(std::chrono::system_clock::now()) {}

void Metrics::record(Endpoint endpoint, unsigned status, std::chrono::nanoseconds took) noexcept {
    auto& e = endpoints_[static_cast<std::size_t>(endpoint)];
    if (status < e.by_status.size()) e.by_status[status].fetch_add(1, std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(took).count();
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        if (seconds <= kLatencyBuckets[i]) {
            e.buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    e.count.fetch_add(1, std::memory_order_relaxed);
    e.sum_ns.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
}

std::uint64_t Metrics::requests(Endpoint endpoint, unsigned status) const noexcept {
    const auto& e = endpoints_[static_cast<std::size_t>(endpoint)];
    return status < e.by_status.size() ? e.by_status[status].load(std::memory_order_relaxed) : 0;
}

std::string Metrics::prometheus(const std::string& index_lines) const {
    std::ostringstream o;
    char num[64];
    o << "# HELP icd_http_requests_total HTTP requests answered, by endpoint and status.\n"
         "# TYPE icd_http_requests_total counter\n";
    for (std::size_t i = 0; i < kEndpoints; ++i) {
        const auto& e = endpoints_[i];
        for (unsigned s = 100; s < e.by_status.size(); ++s) {
            const auto n = e.by_status[s].load(std::memory_order_relaxed);
            if (n == 0) continue;
            o << "icd_http_requests_total{endpoint=\"" << endpoint_name(static_cast<Endpoint>(i)) << "\",status=\""
              << s << "\"} " << n << '\n';
        }
    }
    o << "# HELP icd_http_request_duration_seconds Time from a complete request to its response.\n"
         "# TYPE icd_http_request_duration_seconds histogram\n";
    for (std::size_t i = 0; i < kEndpoints; ++i) {
        const auto& e = endpoints_[i];
        const auto count = e.count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        const std::string label = std::string("endpoint=\"") + endpoint_name(static_cast<Endpoint>(i)) + "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kLatencyBuckets.size(); ++b) {
            cumulative += e.buckets[b].load(std::memory_order_relaxed);
            std::snprintf(num, sizeof num, "%g", kLatencyBuckets[b]);
            o << "icd_http_request_duration_seconds_bucket{" << label << ",le=\"" << num << "\"} " << cumulative
              << '\n';
        }
        o << "icd_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << count << '\n';
        std::snprintf(num, sizeof num, "%.6f", static_cast<double>(e.sum_ns.load(std::memory_order_relaxed)) / 1e9);
        o << "icd_http_request_duration_seconds_sum{" << label << "} " << num << '\n';
        o << "icd_http_request_duration_seconds_count{" << label << "} " << count << '\n';
    }
    o << "# HELP icd_http_connections_open Connections open now.\n# TYPE icd_http_connections_open gauge\n"
      << "icd_http_connections_open " << open_connections() << '\n'
      << "# HELP icd_http_connections_total Connections accepted.\n# TYPE icd_http_connections_total counter\n"
      << "icd_http_connections_total " << connections_.load() << '\n'
      << "# HELP icd_http_connections_refused_total Connections closed at once: too many open.\n"
      << "# TYPE icd_http_connections_refused_total counter\n"
      << "icd_http_connections_refused_total " << refused_.load() << '\n'
      << "# HELP icd_http_request_timeouts_total Connections closed because a request did not arrive in time.\n"
      << "# TYPE icd_http_request_timeouts_total counter\n"
      << "icd_http_request_timeouts_total " << timeouts_.load() << '\n';
    std::snprintf(num, sizeof num, "%.3f",
                  std::chrono::duration<double>(started_.time_since_epoch()).count());
    o << "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
         "# TYPE process_start_time_seconds gauge\n"
      << "process_start_time_seconds " << num << '\n';
    o << index_lines;
    return o.str();
}

}  // namespace icd::serve
