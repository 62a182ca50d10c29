#include "search_cli.hpp"

int main(int argc, char** argv) { return icd::cli::search_main(argc, argv); }
