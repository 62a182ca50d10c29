// A help-desk tool's code search in a few lines: open the index once, share
// the Searcher between threads, search what the agent typed, and show the
// notes that decide between neighbouring codes for the code they pick.
//
//   helpdesk-search INDEX_DIR "what the caller said"
//
// Build against the installed library with CMake (see CMakeLists.txt here):
//   find_package(IcdSearch REQUIRED)  target_link_libraries(app PRIVATE icd::search)
// or with pkg-config:
//   g++ -std=c++20 helpdesk_search.cpp $(pkg-config --cflags --libs icd-search)
#include <icd/searcher.hpp>

#include <iostream>
#include <string>

namespace {

// The snippet with its highlighted matches in [brackets].
std::string marked(const icd::Hit& hit) {
    std::string out;
    std::size_t at = 0;
    for (const auto& h : hit.highlights) {
        out += hit.snippet.substr(at, h.begin - at) + "[" + hit.snippet.substr(h.begin, h.end - h.begin) + "]";
        at = h.end;
    }
    return out + hit.snippet.substr(at);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: helpdesk-search INDEX_DIR QUERY\n";
        return 2;
    }
    // Open once at start-up; errors are values with a message and a hint.
    auto searcher = icd::Searcher::open(argv[1]);
    if (!searcher) {
        std::cerr << "cannot open the index: " << searcher.error().describe() << '\n';
        return 1;
    }

    icd::SearchOptions options;
    options.limit = 5;
    options.billable_only = true;  // only codes that can go on a claim
    auto results = searcher->search(argv[2], options);
    if (!results) {
        std::cerr << "search failed: " << results.error().describe() << '\n';
        return 1;
    }
    if (!results->corrected.empty()) std::cout << "Showing results for: " << results->corrected << '\n';
    for (const auto& e : results->expansions) std::cout << "Also searched: " << e << '\n';
    for (const auto& hit : results->hits) {
        std::cout << hit.rank << ". " << hit.code << "  " << hit.title << '\n';
        if (hit.snippet != hit.title) std::cout << "   " << hit.snippet_field << ": " << marked(hit) << '\n';
    }
    if (results->hits.empty()) {
        std::cout << "No billable code found.\n";
        return 0;
    }

    // The agent picks the first code: show what decides between neighbours.
    auto detail = searcher->lookup(results->hits.front().code);
    if (!detail) {
        std::cerr << "lookup failed: " << detail.error().describe() << '\n';
        return 1;
    }
    std::cout << "\n" << detail->code << " " << detail->title << (detail->billable ? " (billable)" : "") << '\n';
    if (detail->parent) std::cout << "  parent: " << detail->parent->code << " " << detail->parent->title << '\n';
    // Notes written on the code or inherited from its category: what it
    // excludes, what to code first or in addition.
    std::size_t shown = 0;
    for (const auto& note : detail->notes) {
        if (shown++ == 6) {
            std::cout << "  ... " << detail->notes.size() - 6 << " more notes\n";
            break;
        }
        std::cout << "  " << icd::note_kind_name(note.kind) << ": " << note.text << '\n';
    }
    if (detail->article) std::cout << "  about: " << detail->article->description << '\n';
    return 0;
}
