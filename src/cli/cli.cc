#include "cli/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/context.h"
#include "common/log.h"

namespace liaison::cli {

int Run(int argc, char** argv) {
  ConfigureLogging("info");
  CLI::App root{"Liaison: safeguarding children across a hospital trust and its local authorities"};
  root.require_subcommand(1);
  // `liaison serve --config FILE`: serve's options as `name = value` lines (TOML or INI) under
  // a [serve] heading, by long name without the dashes. The command line wins over the file. A
  // database URL with a password belongs there, since the process list shows arguments; a
  // name the command does not have is an error, not ignored.
  root.set_config("--config", "", "serve: a file of serve's options under [serve] (docs/cli.md)");
  root.allow_config_extras(CLI::config_extras_mode::error);
  int exit_code = 0;
  AddDatabaseCommands(root, exit_code);
  AddOrganisationCommands(root, exit_code);
  AddServeCommand(root, exit_code);
  AddUserCommands(root, exit_code);
  AddAttendanceCommands(root, exit_code);
  AddRegisterCommands(root, exit_code);
  AddSweepCommand(root, exit_code);
  AddRecognitionCommands(root, exit_code);
  AddLinkCommands(root, exit_code);
  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << root.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << root.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace liaison::cli
