#pragma once

namespace icd::serve {
// The whole of icd-serve: options, start, serve until SIGINT/SIGTERM.
int serve_main(int argc, char** argv);
}  // namespace icd::serve
