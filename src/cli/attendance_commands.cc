// The attendance commands: `liaison generate` and `liaison validate attendances` (no
// database), and `liaison import attendances`, which stores a feed through the same reader.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "app/attendance_intake.h"
#include "app/register_linker.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/line_buffer.h"
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

// Prints each issue as the contract's stderr line, in 64 KB writes; keeps nothing.
class ReportingVisitor final : public ingest::FeedVisitor {
 public:
  Status OnAttendance(std::int64_t, domain::Attendance&&) override { return Status::Ok(); }
  void OnIssue(const ingest::RowIssue& issue) override { issues_.Add(ingest::FormatIssue(issue)); }
  // Writes out the issue lines not yet written, before anything else goes to stderr.
  void Flush() { issues_.Flush(); }

 private:
  LineBuffer issues_{std::cerr, std::size_t{64} << 10};
};

// Opens the feed file, or stdin for "-". Fails with the contract's "could not run" status.
Result<std::istream*> OpenFeed(const std::string& path, std::ifstream& file) {
  if (path == "-") return &std::cin;
  file.open(path, std::ios::binary);
  if (!file) return NotFound("file_not_found", "cannot open the feed file");
  return static_cast<std::istream*>(&file);
}

// The feed's format from --format, else from the file's extension.
Result<ingest::FeedFormat> FeedFormatFor(const std::string& path, const std::string& format) {
  return format.empty() ? ingest::FeedFormatFromPath(path) : ingest::FeedFormatFromName(format);
}

struct ValidateOptions {
  std::string file;
  std::string format;
  int threads = 0;  // 0: one per core
};

int ValidateAttendances(const ValidateOptions& options) {
  Result<ingest::FeedFormat> format = FeedFormatFor(options.file, options.format);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  std::ifstream file;
  Result<std::istream*> in = OpenFeed(options.file, file);
  if (!in.ok()) return Fail(in.status());
  ReportingVisitor visitor;
  ingest::FeedReadOptions read_options;
  // Decoding rows is nearly all of the work, and it splits across cores.
  read_options.decode_threads =
      options.threads > 0 ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Result<ingest::FeedSummary> summary = ingest::ReadFeed(**in, *format, visitor, read_options);
  visitor.Flush();
  if (!summary.ok()) return Fail(summary.status());
  std::cout << ingest::FormatSummary(*summary) << "\n";
  return summary->rejected > 0 ? kExitSomeRejected : 0;
}

struct ImportOptions {
  std::string file;
  std::string format;
  std::string org;
  DatabaseOptions db;
};

// Stores each accepted row through the intake, kImportBatchSize rows per unit of work, and
// reports rows the intake rejects or warns about in the feed's own terms. Counts what it did so
// the summary shows what a re-run changed. Not thread-safe (the feed reader calls it on one
// thread).
class ImportingVisitor final : public ingest::FeedVisitor {
 public:
  ImportingVisitor(app::AttendanceIntake& intake, app::Actor actor,
                   std::optional<std::string> org_code, ingest::FeedFormat format)
      : intake_(intake),
        actor_(std::move(actor)),
        org_code_(std::move(org_code)),
        format_(format) {}

  Status OnAttendance(std::int64_t line, domain::Attendance&& attendance) override {
    if (!batch_) {
      ASSIGN_OR_RETURN(batch_, intake_.Begin(actor_, org_code_));
    }
    ASSIGN_OR_RETURN(app::IntakeResult result, batch_->Add(attendance));
    switch (result.status) {
      case app::IntakeStatus::kCreated:
        ++created_;
        break;
      case app::IntakeStatus::kUpdated:
        ++updated_;
        break;
      case app::IntakeStatus::kUnchanged:
        ++unchanged_;
        break;
      case app::IntakeStatus::kRejected:
        ++rejected_;
        Report({line, FieldFor(result.field), result.reason, ingest::IssueKind::kRejected});
        break;
    }
    if (result.unknown_site) {
      ++warnings_;
      Report({line, FieldFor("/site"), std::string(app::kUnknownSiteReason),
              ingest::IssueKind::kWarning});
    }
    if (++rows_in_batch_ >= app::kImportBatchSize) return Flush();
    return Status::Ok();
  }

  void OnIssue(const ingest::RowIssue& issue) override { Report(issue); }

  // Commits the open batch, if any.
  Status Flush() {
    if (!batch_) return Status::Ok();
    Status committed = batch_->Commit();
    batch_.reset();
    rows_in_batch_ = 0;
    return committed;
  }

  // The reader's summary, corrected for what the intake rejected and warned about.
  ingest::FeedSummary Adjust(ingest::FeedSummary summary) const {
    summary.accepted -= rejected_;
    summary.rejected += rejected_;
    summary.warnings += warnings_;
    return summary;
  }

  std::string Note() const {
    return "import: created " + std::to_string(created_) + ", updated " + std::to_string(updated_) +
           ", unchanged " + std::to_string(unchanged_);
  }

 private:
  static void Report(const ingest::RowIssue& issue) {
    std::cerr << ingest::FormatIssue(issue) << "\n";
  }

  // The intake names top-level members as JSON pointers; a CSV report names the column.
  std::string FieldFor(std::string_view pointer) const {
    if (format_ == ingest::FeedFormat::kCsv && pointer.starts_with('/')) {
      return std::string(pointer.substr(1));
    }
    return std::string(pointer);
  }

  app::AttendanceIntake& intake_;
  const app::Actor actor_;
  const std::optional<std::string> org_code_;
  const ingest::FeedFormat format_;
  std::unique_ptr<app::AttendanceBatch> batch_;
  int rows_in_batch_ = 0;
  std::int64_t created_ = 0;
  std::int64_t updated_ = 0;
  std::int64_t unchanged_ = 0;
  std::int64_t rejected_ = 0;
  std::int64_t warnings_ = 0;
};

int ImportAttendances(const ImportOptions& options) {
  Result<ingest::FeedFormat> format = FeedFormatFor(options.file, options.format);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  std::ifstream file;
  Result<std::istream*> in = OpenFeed(options.file, file);
  if (!in.ok()) return Fail(in.status());
  Result<std::unique_ptr<Context>> context = Connect(options.db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  // Every stored attendance is checked against the register, with the linker.
  Result<std::shared_ptr<const app::RegisterMatcher>> matcher =
      app::MakeLinkingRegisterMatcher(*(*context)->store);
  if (!matcher.ok()) return Fail(matcher.status());
  app::AttendanceIntake intake(*(*context)->store, *(*context)->audit, (*context)->clock, *matcher);
  ImportingVisitor visitor(
      intake, {"cli", "attendance import"},
      options.org.empty() ? std::nullopt : std::optional<std::string>(options.org), *format);
  Result<ingest::FeedSummary> summary = ingest::ReadFeed(**in, *format, visitor);
  // Batches committed before a failure stay stored; running the import again is safe,
  // because re-sending an attendance changes nothing.
  if (!summary.ok()) return Fail(summary.status());
  if (Status committed = visitor.Flush(); !committed.ok()) return Fail(committed);
  ingest::FeedSummary adjusted = visitor.Adjust(*summary);
  std::cerr << visitor.Note() << "\n";
  std::cout << ingest::FormatSummary(adjusted) << "\n";
  return adjusted.rejected > 0 ? kExitSomeRejected : 0;
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
  attendances
      ->add_option("--threads", validate_options->threads,
                   "NDJSON decoding threads (default: one per core)")
      ->check(CLI::Range(1, 256));
  attendances->callback(
      [validate_options, &exit_code] { exit_code = ValidateAttendances(*validate_options); });

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* import = root.add_subcommand("import", "store a feed in the database");
  import->require_subcommand(1);
  CLI::App* import_attendances =
      import->add_subcommand("attendances", "store an attendance feed, reporting every row");
  import_attendances->add_option("file", import_options->file, "NDJSON or CSV file, or - for stdin")
      ->required();
  import_attendances->add_option("--format", import_options->format, "ndjson, jsonl or csv");
  import_attendances->add_option(
      "--org", import_options->org,
      "the sending organisation's code; without it each row takes its site's organisation");
  AddDatabaseOptions(*import_attendances, import_options->db);
  import_attendances->callback(
      [import_options, &exit_code] { exit_code = ImportAttendances(*import_options); });
}

}  // namespace liaison::cli
