// Entry point of icd-search. The executable's main() is a
// one-line call to it, so the program stays thin and its
// behaviour is testable in-process.
#pragma once

namespace icd::cli {

// icd-search: query an index (docs/CLI.md). Returns the process exit code.
int search_main(int argc, char** argv);

}  // namespace icd::cli
