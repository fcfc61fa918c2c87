// The recognition commands: `liaison assess` (one attendance, or an attendance with its
// history, on stdin; the assessment as JSON on stdout) and `liaison rules list`. Neither needs a
// database; `assess --db` (the register check) is wired by the integrator.
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/context.h"
#include "recognition/assess_json.h"
#include "recognition/engine.h"

namespace liaison::cli {
namespace {

constexpr std::size_t kMaxStdinBytes = 8 << 20;

// The shipped concept sets, or a trust's replacement directory.
Result<std::unique_ptr<recognition::Engine>> LoadEngine(const std::string& rules_data) {
  if (rules_data.empty()) return recognition::Engine::LoadDefault();
  return recognition::Engine::Load(rules_data);
}

Result<std::string> ReadStdin() {
  std::string body;
  char buffer[64 * 1024];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (body.size() > kMaxStdinBytes) {
      return InvalidArgument("too_large", "the input is larger than 8 MiB");
    }
  }
  if (std::cin.bad()) return Unavailable("read_failed", "could not read stdin");
  return body;
}

int Assess(const std::string& rules_data) {
  Result<std::unique_ptr<recognition::Engine>> engine = LoadEngine(rules_data);
  if (!engine.ok()) return Fail(engine.status());
  Result<std::string> body = ReadStdin();
  if (!body.ok()) return Fail(body.status());
  Result<recognition::AssessRequest> request = recognition::DecodeAssessRequest(*body);
  if (!request.ok()) return Fail(request.status());
  for (const ingest::FieldWarning& warning : request->warnings) {
    std::cerr << "warning: " << warning.field << ": " << warning.reason << "\n";
  }
  recognition::Assessment assessment =
      (*engine)->Assess({request->attendance, request->history, std::nullopt});
  std::cout << recognition::EncodeAssessment(assessment) << "\n";
  std::cout.flush();
  if (!std::cout) return Fail(Unavailable("write_failed", "could not write the output"));
  return 0;
}

void PrintCatalogueText(std::string_view concepts_version) {
  std::cout << "rules " << recognition::kCatalogueVersion << ", concepts " << concepts_version
            << "\n";
  std::cout << "id\tlevel\tcategory\tverification\ttitle\tsource\n";
  for (const recognition::RuleInfo& rule : recognition::RuleCatalogue()) {
    std::cout << rule.id << "\t" << FindingLevelSlug(rule.highest) << "\t" << rule.category << "\t"
              << rule.verification << (rule.verified ? "" : " (unverified)") << "\t" << rule.title
              << "\t" << rule.source << "\n";
  }
}

int ListRules(const std::string& format, const std::string& rules_data) {
  if (format != "text" && format != "json") {
    std::cerr << "error: --format is text or json\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<recognition::Engine>> engine = LoadEngine(rules_data);
  if (!engine.ok()) return Fail(engine.status());
  if (format == "json") {
    std::cout << recognition::EncodeCatalogue((*engine)->concepts_version()) << "\n";
  } else {
    PrintCatalogueText((*engine)->concepts_version());
  }
  return 0;
}

}  // namespace

void AddRecognitionCommands(CLI::App& root, int& exit_code) {
  auto rules_data = std::make_shared<std::string>();
  CLI::App* assess = root.add_subcommand(
      "assess", "assess one attendance (JSON on stdin) for alerting features of maltreatment");
  assess->add_option("--rules-data", *rules_data,
                     "a concept-set directory replacing the shipped one (see docs/recognition.md)");
  assess->callback([&exit_code, rules_data] { exit_code = Assess(*rules_data); });

  CLI::App* rules = root.add_subcommand("rules", "the recognition rule catalogue");
  rules->require_subcommand(1);
  auto format = std::make_shared<std::string>("text");
  auto list_rules_data = std::make_shared<std::string>();
  CLI::App* list = rules->add_subcommand("list", "print the rule catalogue with its version");
  list->add_option("--format", *format, "text or json");
  list->add_option("--rules-data", *list_rules_data, "a concept-set directory");
  list->callback(
      [&exit_code, format, list_rules_data] { exit_code = ListRules(*format, *list_rules_data); });
}

}  // namespace liaison::cli
