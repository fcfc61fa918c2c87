// The recognition commands: `liaison assess` (one attendance, or an attendance with its
// history, on stdin; the assessment as JSON on stdout) and `liaison rules list`. With `--db`,
// assess also checks the register (a silent lookup: audited, recorded as an access of any entry
// found, no notification to the authority) and feeds what it finds to the engine, which can
// only raise the level from it.
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "app/register_linker.h"
#include "app/register_service.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "domain/register_entry.h"
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

// What the register says about the patient, after a silent, audited lookup. The register's
// own answer (found, or "Not found on the register. This does not mean there is no concern.")
// goes to stderr so stdout stays the contract's assessment.
Result<std::optional<recognition::SocialCareStatus>> CheckRegister(
    const DatabaseOptions& db, const domain::Attendance& attendance) {
  ASSIGN_OR_RETURN(std::unique_ptr<Context> context, Connect(db, SchemaPolicy::kRequireCurrent));
  // The same matching as the point of care: exact NHS numbers, then the linker.
  ASSIGN_OR_RETURN(std::shared_ptr<const app::RegisterMatcher> matcher,
                   app::MakeLinkingRegisterMatcher(*context->store));
  app::RegisterService registers(*context->store, *context->audit, context->clock,
                                 std::move(matcher));
  ASSIGN_OR_RETURN(app::LookupResult lookup,
                   registers.Lookup({"cli", "assess register check"}, app::QueryFor(attendance),
                                    /*silent=*/true));
  std::cerr << "register: " << lookup.message << "\n";
  std::optional<recognition::SocialCareStatus> strongest;
  for (const auto& [entry, standing] : lookup.matches) {
    recognition::SocialCareStatus status;
    status.status = standing == domain::PlanStanding::kPrevious
                        ? "previous_" + std::string(domain::RegisterStatusSlug(entry.status))
                        : std::string(domain::RegisterStatusSlug(entry.status));
    status.responsible_org = entry.responsible_org;
    // A current plan outranks one that has ended; the first current one found is kept.
    if (!strongest || (strongest->status.starts_with("previous_") &&
                       standing != domain::PlanStanding::kPrevious)) {
      strongest = std::move(status);
    }
  }
  return strongest;
}

int Assess(const std::string& rules_data, const DatabaseOptions& db) {
  Result<std::unique_ptr<recognition::Engine>> engine = LoadEngine(rules_data);
  if (!engine.ok()) return Fail(engine.status());
  Result<std::string> body = ReadStdin();
  if (!body.ok()) return Fail(body.status());
  Result<recognition::AssessRequest> request = recognition::DecodeAssessRequest(*body);
  if (!request.ok()) return Fail(request.status());
  for (const ingest::FieldWarning& warning : request->warnings) {
    std::cerr << "warning: " << warning.field << ": " << warning.reason << "\n";
  }
  std::optional<recognition::SocialCareStatus> social_care;
  if (!db.url.empty()) {
    Result<std::optional<recognition::SocialCareStatus>> found =
        CheckRegister(db, request->attendance);
    if (!found.ok()) return Fail(found.status());
    social_care = *std::move(found);
  }
  recognition::Assessment assessment =
      (*engine)->Assess({request->attendance, request->history, social_care});
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
  auto db = std::make_shared<DatabaseOptions>();
  AddOptionalDatabaseOptions(*assess, *db,
                             "also check the register: sqlite:PATH or postgresql://...");
  assess->callback([&exit_code, rules_data, db] { exit_code = Assess(*rules_data, *db); });

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
