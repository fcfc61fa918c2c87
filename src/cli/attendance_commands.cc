// `liaison generate` and `liaison validate attendances`: the storage-free attendance commands.
// Importing into a database (`liaison import attendances`) builds on the same feed reader.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/context.h"
#include "common/time_format.h"
#include "ingest/feed_reader.h"
#include "synth/generator.h"

namespace liaison::cli {
namespace {

inline constexpr int kExitSomeRejected = 3;

struct GenerateOptions {
  std::uint64_t seed = 1;
  std::int64_t attendances = 0;
  std::string format;
  std::string out;
  std::string truth;
  std::string register_file;
  std::string from;
  std::string to;
  double child_concern_rate = synth::GeneratorOptions().child_concern_rate;
  double adult_concern_rate = synth::GeneratorOptions().adult_concern_rate;
};

// Opens `path` for writing; "-" is stdout.
Result<std::ostream*> OpenOutput(const std::string& path, std::unique_ptr<std::ofstream>& file,
                                 std::string_view option) {
  if (path == "-") return &std::cout;
  file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file) {
    return Unavailable("cannot_open", "cannot open the " + std::string(option) + " file");
  }
  return static_cast<std::ostream*>(file.get());
}

int Generate(const GenerateOptions& options) {
  synth::GeneratorOptions generator;
  generator.seed = options.seed;
  generator.attendances = options.attendances;
  generator.child_concern_rate = options.child_concern_rate;
  generator.adult_concern_rate = options.adult_concern_rate;
  if (!options.to.empty()) {
    Result<std::chrono::year_month_day> to = ParseDate(options.to);
    if (!to.ok()) return Fail(to.status().WithField("--to"));
    generator.to = *to;
  }
  if (!options.from.empty()) {
    Result<std::chrono::year_month_day> from = ParseDate(options.from);
    if (!from.ok()) return Fail(from.status().WithField("--from"));
    generator.from = *from;
  } else {
    // The default period: the 365 days up to --to.
    generator.from = std::chrono::sys_days(generator.to) - std::chrono::days(364);
  }
  if (Status valid = synth::ValidateOptions(generator); !valid.ok()) {
    std::cerr << "error: " << valid.message() << "\n";
    return kExitUsage;
  }
  Result<ingest::FeedFormat> format =
      options.format.empty() ? (options.out == "-" ? ingest::FeedFormat::kNdjson
                                                   : ingest::FeedFormatFromPath(options.out))
                             : ingest::FeedFormatFromName(options.format);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  if (options.out == "-") std::ios::sync_with_stdio(false);
  std::unique_ptr<std::ofstream> out_file, truth_file, register_file;
  Result<std::ostream*> out = OpenOutput(options.out, out_file, "--out");
  if (!out.ok()) return Fail(out.status());
  std::ostream* truth = nullptr;
  if (!options.truth.empty()) {
    Result<std::ostream*> opened = OpenOutput(options.truth, truth_file, "--truth");
    if (!opened.ok()) return Fail(opened.status());
    truth = *opened;
  }
  Status written = synth::WriteAttendances(generator, *format, **out, truth);
  if (!written.ok()) return Fail(written);
  if (!options.register_file.empty()) {
    Result<std::ostream*> opened = OpenOutput(options.register_file, register_file, "--register");
    if (!opened.ok()) return Fail(opened.status());
    Status register_written = synth::WriteRegister(generator, **opened);
    if (!register_written.ok()) return Fail(register_written);
  }
  (*out)->flush();
  if (!**out) return Fail(Unavailable("write_failed", "could not write the output"));
  return 0;
}

// Prints each issue as the contract's stderr line; keeps nothing.
class ReportingVisitor final : public ingest::FeedVisitor {
 public:
  Status OnAttendance(std::int64_t, domain::Attendance) override { return Status::Ok(); }
  void OnIssue(const ingest::RowIssue& issue) override {
    std::cerr << ingest::FormatIssue(issue) << "\n";
  }
};

struct ValidateOptions {
  std::string file;
  std::string format;
};

int ValidateAttendances(const ValidateOptions& options) {
  Result<ingest::FeedFormat> format = options.format.empty()
                                          ? ingest::FeedFormatFromPath(options.file)
                                          : ingest::FeedFormatFromName(options.format);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.file != "-") {
    file.open(options.file, std::ios::binary);
    if (!file) return Fail(NotFound("file_not_found", "cannot open the feed file"));
    in = &file;
  }
  ReportingVisitor visitor;
  Result<ingest::FeedSummary> summary = ingest::ReadFeed(*in, *format, visitor);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << ingest::FormatSummary(*summary) << "\n";
  return summary->rejected > 0 ? kExitSomeRejected : 0;
}

}  // namespace

void AddAttendanceCommands(CLI::App& root, int& exit_code) {
  auto generate_options = std::make_shared<GenerateOptions>();
  CLI::App* generate =
      root.add_subcommand("generate", "write synthetic attendances, with ground truth");
  generate->add_option("--seed", generate_options->seed, "the same seed gives the same bytes");
  generate->add_option("--attendances", generate_options->attendances, "how many attendances")
      ->required();
  generate->add_option("--format", generate_options->format, "ndjson or csv");
  generate->add_option("--out", generate_options->out, "output file, or - for stdout")->required();
  generate->add_option("--truth", generate_options->truth, "ground-truth CSV file");
  generate->add_option("--register", generate_options->register_file,
                       "register CSV of children on plans or looked after");
  generate->add_option("--from", generate_options->from, "first day, YYYY-MM-DD (London)");
  generate->add_option("--to", generate_options->to, "last day, YYYY-MM-DD (default 2026-11-20)");
  generate->add_option("--child-concern-rate", generate_options->child_concern_rate,
                       "share of planted child-maltreatment scenarios");
  generate->add_option("--adult-concern-rate", generate_options->adult_concern_rate,
                       "share of adults with domestic abuse, substance misuse or a crisis");
  generate->callback([generate_options, &exit_code] { exit_code = Generate(*generate_options); });

  auto validate_options = std::make_shared<ValidateOptions>();
  CLI::App* validate = root.add_subcommand("validate", "check a feed without importing it");
  validate->require_subcommand(1);
  CLI::App* attendances =
      validate->add_subcommand("attendances", "read an attendance feed and report every row");
  attendances->add_option("file", validate_options->file, "NDJSON or CSV file, or - for stdin")
      ->required();
  attendances->add_option("--format", validate_options->format, "ndjson, jsonl or csv");
  attendances->callback(
      [validate_options, &exit_code] { exit_code = ValidateAttendances(*validate_options); });
}

}  // namespace liaison::cli
