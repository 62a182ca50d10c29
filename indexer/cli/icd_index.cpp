#include "index_cli.hpp"

int main(int argc, char** argv) { return icd::cli::index_main(argc, argv); }
