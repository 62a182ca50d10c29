#include "serve_cli.hpp"

int main(int argc, char** argv) { return icd::serve::serve_main(argc, argv); }
