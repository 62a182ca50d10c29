// Entry point of icd-index. The executable's main() is a one-line call to
// it, so the program stays thin and its behaviour is testable in-process.
#pragma once

namespace icd::cli {

// icd-index build | validate | rollback (docs/CLI.md). Returns the exit code.
int index_main(int argc, char** argv);

}  // namespace icd::cli
