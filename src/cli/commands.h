// Each group of subcommands registers itself on the root command. `exit_code` receives the
// result of whichever subcommand runs.
#pragma once

#include <CLI/CLI.hpp>

namespace liaison::cli {

void AddDatabaseCommands(CLI::App& root, int& exit_code);      // migrate, demo, audit verify
void AddOrganisationCommands(CLI::App& root, int& exit_code);  // org add, site add
void AddServeCommand(CLI::App& root, int& exit_code);          // serve
void AddUserCommands(CLI::App& root, int& exit_code);          // user add, token add, token revoke
void AddAttendanceCommands(CLI::App& root, int& exit_code);    // generate, validate attendances
// import register; REQUIRES: AddAttendanceCommands ran (it creates `import`).
void AddRegisterCommands(CLI::App& root, int& exit_code);
void AddLinkCommands(CLI::App& root, int& exit_code);          // link, link train

}  // namespace liaison::cli
