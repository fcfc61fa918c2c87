// The `liaison` command line: parses arguments (CLI11) and runs one subcommand over app/.
// Exit codes follow docs/contracts: 0 success, 1 failure, 2 usage error. Errors are one line
// on stderr, never with a patient identifier.
#pragma once

namespace liaison::cli {

int Run(int argc, char** argv);

}  // namespace liaison::cli
