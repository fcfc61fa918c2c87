#include "cli/cli.h"

int main(int argc, char** argv) { return liaison::cli::Run(argc, argv); }
