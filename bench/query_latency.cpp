// Single-query latency of the Searcher over a query file in the format of
// ../shared/eval/dev.jsonl: each query is run `--repeat` times after one
// warm-up; the per-query median is kept, and the median and p99 of those
// are printed with queries per second for one thread.
//
// Usage: icd-bench --index DIR --queries FILE.jsonl [--repeat N] [--limit N]
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "icd/searcher.hpp"

namespace {

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    std::string index, queries;
    int repeat = 5;
    std::size_t limit = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--index") index = argv[i + 1];
        else if (opt == "--queries") queries = argv[i + 1];
        else if (opt == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
        else if (opt == "--limit") limit = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
        else {
            std::cerr << "icd-bench: unknown option " << opt << '\n';
            return 2;
        }
    }
    if (index.empty() || queries.empty()) {
        std::cerr << "usage: icd-bench --index DIR --queries FILE.jsonl [--repeat N] [--limit N]\n";
        return 2;
    }
    auto searcher = icd::Searcher::open(index);
    if (!searcher) {
        std::cerr << "icd-bench: " << searcher.error().describe() << '\n';
        return 3;
    }
    std::vector<std::string> qs;
    std::ifstream in(queries);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        qs.push_back(nlohmann::json::parse(line).at("q").get<std::string>());
    }
    if (qs.empty()) {
        std::cerr << "icd-bench: no queries in " << queries << '\n';
        return 2;
    }
    icd::SearchOptions opt;
    opt.limit = limit;
    std::vector<double> per_query_ms;
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    std::size_t runs = 0;
    for (const auto& q : qs) {
        (void)searcher->search(q, opt);  // warm-up
        std::vector<double> times;
        for (int r = 0; r < repeat; ++r) {
            const auto t0 = clock::now();
            auto res = searcher->search(q, opt);
            times.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
            if (!res) {
                std::cerr << "icd-bench: " << res.error().describe() << '\n';
                return 1;
            }
            ++runs;
        }
        per_query_ms.push_back(percentile(times, 0.5));
    }
    const double total_s = std::chrono::duration<double>(clock::now() - start).count();
    std::printf("queries        %zu (x%d runs, limit %zu)\n", qs.size(), repeat, limit);
    std::printf("median_ms      %.3f\n", percentile(per_query_ms, 0.5));
    std::printf("p99_ms         %.3f\n", percentile(per_query_ms, 0.99));
    std::printf("max_ms         %.3f\n", *std::max_element(per_query_ms.begin(), per_query_ms.end()));
    std::printf("qps_1_thread   %.0f\n", static_cast<double>(runs + qs.size()) / total_s);
    return 0;
}
