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
  int exit_code = 0;
  AddDatabaseCommands(root, exit_code);
  AddOrganisationCommands(root, exit_code);
  AddServeCommand(root, exit_code);
  AddUserCommands(root, exit_code);
  AddAttendanceCommands(root, exit_code);
  AddRegisterCommands(root, exit_code);
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
