#include "serve_cli.hpp"

#include <boost/program_options.hpp>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "api.hpp"
#include "common.hpp"
#include "icd/searcher.hpp"
#include "server.hpp"

namespace icd::serve {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kProgram = "icd-serve";

constexpr const char* kUsage =
    "Usage: icd-serve [--index DIR] [--host ADDR] [--port N] [--threads N] [--cors-origin ORIGIN]...\n"
    "                 [--web DIR] [--cache N] [--access-log] [limits]\n"
    "Serves the index over HTTP: GET /v1/search?q=..., /v1/codes/{code}, /healthz, /metrics,\n"
    "and the search widget at / and /widget/ (docs/HTTP.md).\n";

constexpr const char* kExitCodes =
    "\nExit codes: 0 stopped by SIGINT/SIGTERM, 2 usage, 3 index unavailable,\n"
    "6 the address cannot be bound, 70 internal error.\n";

// The widget's files: --web, else installed next to the program
// (PREFIX/share/icd-search/web), else the source tree's web/ directory.
fs::path default_web_root() {
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        const fs::path exe(std::string(buf, static_cast<std::size_t>(n)));
        const fs::path installed = exe.parent_path().parent_path() / "share" / "icd-search" / "web";
        if (fs::is_directory(installed)) return installed;
    }
    const fs::path source = ICD_SOURCE_WEB_DIR;
    if (fs::is_directory(source)) return source;
    return {};
}

}  // namespace

namespace {

int serve(int argc, char** argv) {
    std::string index, web, host = "127.0.0.1";
    unsigned port = 8080, threads = 0;
    std::vector<std::string> cors;
    std::size_t cache = 20000, request_timeout_ms = 10000;
    Limits limits;
    ServerConfig server;
    bool access_log = false, no_web = false;
    po::options_description d("Options");
    d.add_options()
        ("index,i", po::value(&index), "index directory (default: $ICD_INDEX, else ./icd10cm.index)")
        ("host", po::value(&host)->default_value(host), "address to listen on (0.0.0.0: every interface)")
        ("port,p", po::value(&port)->default_value(port), "port to listen on (0: any free port, printed)")
        ("threads", po::value(&threads)->default_value(0), "worker threads (0: one per core)")
        ("cors-origin", po::value(&cors)->composing(),
         "an Origin allowed to call the API from a browser (repeatable; * allows any)")
        ("web", po::value(&web), "directory of the widget's files (default: the installed or source web/)")
        ("no-web", po::bool_switch(&no_web), "serve no web files")
        ("cache", po::value(&cache)->default_value(cache), "search results kept in memory (0: no cache)")
        ("access-log", po::bool_switch(&access_log), "one line per request on stdout")
        ("max-query-bytes", po::value(&limits.max_query_bytes)->default_value(limits.max_query_bytes),
         "longest q accepted")
        ("max-limit", po::value(&limits.max_limit)->default_value(limits.max_limit), "largest limit accepted")
        ("max-offset", po::value(&limits.max_offset)->default_value(limits.max_offset), "largest offset accepted")
        ("max-connections", po::value(&server.max_connections)->default_value(server.max_connections),
         "open connections; more are closed at once")
        ("request-timeout-ms", po::value(&request_timeout_ms)->default_value(request_timeout_ms),
         "a request must arrive complete within this time (then 408 and close)")
        ("help,h", "show this help")
        ("version", "show the version");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(d).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return cli::usage_error(kProgram, e.what());
    }
    if (vm.count("help")) {
        std::cout << kUsage << '\n' << d << kExitCodes;
        return 0;
    }
    if (vm.count("version")) {
        std::cout << "icd-serve " << ICD_VERSION << '\n';
        return 0;
    }
    if (port > 65535) return cli::usage_error(kProgram, "--port must be at most 65535");
    // Also catches "-1", which program_options reads as 4294967295.
    if (threads > 1024) return cli::usage_error(kProgram, "--threads must be at most 1024");
    if (request_timeout_ms == 0) return cli::usage_error(kProgram, "--request-timeout-ms must be positive");
    if (limits.max_limit == 0) return cli::usage_error(kProgram, "--max-limit must be positive");

    const fs::path index_path = index.empty() ? cli::default_index_path() : fs::path(index);
    SearcherConfig sc;
    sc.cache_entries = cache;
    auto searcher = Searcher::open(index_path, sc);
    if (!searcher) return cli::report(kProgram, searcher.error());
    auto info = searcher->info();
    if (!info) return cli::report(kProgram, info.error());

    const fs::path web_root = no_web ? fs::path() : web.empty() ? default_web_root() : fs::path(web);
    Metrics metrics;
    auto api = Api::create(*searcher, limits, cors, web_root, metrics);
    if (!api) return cli::report(kProgram, api.error());

    server.host = host;
    server.port = static_cast<unsigned short>(port);
    server.threads = threads;
    server.request_timeout = std::chrono::milliseconds(request_timeout_ms);
    server.access_log = access_log;
    server.handle_signals = true;
    auto running = Server::start(*api, metrics, server);
    if (!running) return cli::report(kProgram, running.error());

    const std::string base = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                             std::to_string((*running)->port());
    std::cout << kProgram << ": serving " << index_path.string() << " (generation "
              << (info->generation ? std::to_string(*info->generation) : std::string("-")) << ", "
              << cli::with_commas(info->doc_count) << " codes) at " << base << "/ with "
              << (threads ? threads : std::max(1U, std::thread::hardware_concurrency())) << " threads"
              << (web_root.empty() ? "" : "; widget at " + base + "/") << std::endl;
    (*running)->wait();
    std::cout << kProgram << ": stopped" << std::endl;
    return 0;
}

}  // namespace

int serve_main(int argc, char** argv) {
    try {
        return serve(argc, argv);
    } catch (const std::exception& e) {
        return cli::report(kProgram, make_error(Errc::internal, std::string("unexpected error: ") + e.what()));
    }
}

}  // namespace icd::serve
