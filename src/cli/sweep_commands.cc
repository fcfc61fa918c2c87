// `liaison sweep`: the nightly ED review (src/review/sweep.h, docs/sweep.md). Reads a feed
// file or stdin, writes the worklist as NDJSON, and with --db also stores it.
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "app/worklist_recorder.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/line_buffer.h"
#include "common/time_format.h"
#include "ingest/feed_reader.h"
#include "recognition/engine.h"
#include "review/register_file.h"
#include "review/sweep.h"
#include "review/worklist.h"

namespace liaison::cli {
namespace {

inline constexpr int kExitSomeRejected = 3;

struct SweepCommandOptions {
  std::string in;
  std::string out;
  std::string format;
  std::string from;
  std::string to;
  int history_days = 365;
  int threads = 0;         // 0: one per core
  int decode_threads = 0;  // 0: one per three cores, at least one
  std::size_t sort_memory_mb = 256;
  std::string temp_dir;
  std::string rules_dir;
  std::string register_file;
  bool quiet = false;
  DatabaseOptions db;
};

// Prints progress on stderr at most every two seconds.
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet) : quiet_(quiet), start_(std::chrono::steady_clock::now()) {}

  void Report(const review::SweepProgress& progress) {
    if (quiet_) return;
    auto now = std::chrono::steady_clock::now();
    if (progress.phase == last_phase_ && now - last_ < std::chrono::seconds(2)) return;
    last_ = now;
    last_phase_ = progress.phase;
    double seconds = std::chrono::duration<double>(now - start_).count();
    std::cerr << "sweep: " << progress.phase << ": read " << progress.read << ", assessed "
              << progress.assessed << ", worklist " << progress.on_worklist << " ("
              << static_cast<std::int64_t>(seconds) << " s)\n";
  }

 private:
  const bool quiet_;
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  std::string last_phase_;
};

// The stored form of a worklist line.
Result<storage::WorklistEntry> EntryFor(std::string_view line) {
  ASSIGN_OR_RETURN(review::WorklistItem item, review::ParseWorklistItemJson(line));
  storage::WorklistEntry entry;
  entry.attendance_id = item.attendance_id;
  entry.site_code = item.site;
  entry.arrival = item.arrival;
  entry.age_days = item.age_days;
  entry.level = std::string(review::LevelSlug(item.level));
  entry.person_key = item.person_key;
  entry.findings_json = review::WorklistFindingsJson(item);
  return entry;
}

Result<review::SweepOptions> SweepOptionsFrom(const SweepCommandOptions& options) {
  review::SweepOptions sweep;
  if (!options.from.empty()) {
    Result<std::chrono::year_month_day> from = ParseDate(options.from);
    if (!from.ok()) return from.status().WithField("--from");
    sweep.from = *from;
  }
  if (!options.to.empty()) {
    Result<std::chrono::year_month_day> to = ParseDate(options.to);
    if (!to.ok()) return to.status().WithField("--to");
    sweep.to = *to;
  }
  sweep.history_days = options.history_days;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  sweep.workers = options.threads > 0 ? options.threads : static_cast<int>(cores);
  if (options.threads < 0) sweep.workers = 0;  // refused by validation below
  // Decoding takes about a third of a row's CPU, and a row decoded on one core and read on
  // another costs more CPU (decision 0025). On 2 cores, decoding on the reading thread took the
  // same wall time as two decoding threads, within the noise, and about 5 to 10% less CPU.
  sweep.decode_threads = options.decode_threads != 0 ? options.decode_threads
                                                     : std::max(1, static_cast<int>(cores / 3));
  sweep.sort_budget_bytes = options.sort_memory_mb << 20;
  if (!options.temp_dir.empty()) sweep.temp_dir = options.temp_dir;
  RETURN_IF_ERROR(review::ValidateSweepOptions(sweep));
  return sweep;
}

int Sweep(const SweepCommandOptions& options) {
  Result<review::SweepOptions> sweep = SweepOptionsFrom(options);
  if (!sweep.ok()) {
    std::cerr << "error: " << sweep.status().message() << " (" << sweep.status().field() << ")\n";
    return kExitUsage;
  }
  Result<ingest::FeedFormat> format = options.format.empty()
                                          ? ingest::FeedFormatFromPath(options.in)
                                          : ingest::FeedFormatFromName(options.format);
  if (!format.ok()) {
    std::cerr << "error: " << format.status().message() << "\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<recognition::Engine>> engine =
      options.rules_dir.empty() ? recognition::Engine::LoadDefault()
                                : recognition::Engine::Load(options.rules_dir);
  if (!engine.ok()) return Fail(engine.status());

  review::RegisterIndex social_care_register;
  if (!options.register_file.empty()) {
    std::ifstream register_in(options.register_file, std::ios::binary);
    if (!register_in) return Fail(NotFound("file_not_found", "cannot open the --register file"));
    Result<review::RegisterIndex> loaded = review::ReadRegisterCsv(register_in);
    if (!loaded.ok()) return Fail(loaded.status());
    social_care_register = std::move(loaded).value();
    sweep->social_care_register = &social_care_register;
    if (!options.quiet) {
      std::cerr << "sweep: register: " << social_care_register.entries() << " people, "
                << social_care_register.skipped() << " rows not usable\n";
    }
  }

  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.in != "-") {
    file.open(options.in, std::ios::binary);
    if (!file) return Fail(NotFound("file_not_found", "cannot open the --in file"));
    in = &file;
    // A file can be read again: try it as already in arrival order, which needs no sort.
    sweep->order = review::InputOrder::kExpectOrdered;
  } else {
    std::ios::sync_with_stdio(false);
  }
  std::ofstream out_file;
  std::ostream* out = &std::cout;
  if (options.out != "-") {
    out_file.open(options.out, std::ios::binary | std::ios::trunc);
    if (!out_file) return Fail(Unavailable("cannot_open", "cannot open the --out file"));
    out = &out_file;
  }
  // Declared after the stream, so that its last lines are written before the stream closes.
  LineBuffer items(*out, std::size_t{1} << 20);

  // With --db the worklist is stored as it is written, in one audited unit of work that
  // commits only when the whole sweep succeeded. It opens with the first item, after the
  // feed has been read, so no write transaction is held during the long read.
  std::unique_ptr<Context> context;
  std::unique_ptr<app::WorklistRecorder> recorder;
  if (!options.db.url.empty()) {
    Result<std::unique_ptr<Context>> connected = Connect(options.db, SchemaPolicy::kRequireCurrent);
    if (!connected.ok()) return Fail(connected.status());
    context = std::move(connected).value();
  }
  auto begin_recording = [&]() -> Status {
    if (!context) return Status::Ok();
    storage::WorklistRun run;
    run.range_from = sweep->from;
    run.range_to = sweep->to;
    run.history_days = sweep->history_days;
    ASSIGN_OR_RETURN(recorder,
                     app::WorklistRecorder::Begin(*context->store, *context->audit, context->clock,
                                                  {"cli", "ED review sweep"}, run));
    return Status::Ok();
  };

  ProgressLine progress(options.quiet);
  // Issue lines share stderr with the progress lines, so they are written out before each
  // progress line and before anything else the command says there.
  LineBuffer issues(std::cerr, std::size_t{64} << 10);
  review::SweepCallbacks callbacks;
  callbacks.on_issue = [&issues](const ingest::RowIssue& issue) {
    issues.Add(ingest::FormatIssue(issue));
  };
  callbacks.on_progress = [&progress, &issues](const review::SweepProgress& p) {
    issues.Flush();
    progress.Report(p);
  };
  callbacks.on_item = [&items, &recorder, &begin_recording](std::string_view line) -> Status {
    if (!items.Add(line)) return Unavailable("write_failed", "could not write the worklist");
    if (!recorder) RETURN_IF_ERROR(begin_recording());
    if (!recorder) return Status::Ok();
    ASSIGN_OR_RETURN(storage::WorklistEntry entry, EntryFor(line));
    return recorder->Add(std::move(entry));
  };

  Result<review::SweepResult> result = review::RunSweep(*in, *format, **engine, *sweep, callbacks);
  issues.Flush();
  if (result.ok() && result->out_of_order) {
    if (!options.quiet) {
      std::cerr << "sweep: the file is not in arrival order; sorting it (external sort)\n";
    }
    file.clear();
    file.seekg(0);
    if (!file) return Fail(DataLoss("read_error", "could not read the --in file again"));
    sweep->order = review::InputOrder::kSortAlways;
    sweep->issues_reported_through_line = result->last_line_read;
    result = review::RunSweep(*in, *format, **engine, *sweep, callbacks);
    issues.Flush();
  }
  if (!result.ok()) return Fail(result.status());
  if (!items.Flush() || !out->flush()) {
    return Fail(Unavailable("write_failed", "could not write the worklist"));
  }
  if (context) {
    if (!recorder) {  // an empty worklist is still a run worth recording
      if (Status begun = begin_recording(); !begun.ok()) return Fail(begun);
    }
    Result<std::int64_t> run_id = recorder->Commit();
    if (!run_id.ok()) return Fail(run_id.status());
    if (!options.quiet) std::cerr << "sweep: stored as worklist run " << *run_id << "\n";
  }
  if (!options.quiet) {
    std::cerr << "sweep: assessed " << result->assessed << ", worklist " << result->on_worklist
              << ", sorted runs on disk " << result->sorted_runs << ", people in memory at most "
              << result->max_people_in_memory << "\n";
  }
  (options.out == "-" ? std::cerr : std::cout) << ingest::FormatSummary(result->feed) << "\n";
  return result->feed.rejected > 0 ? kExitSomeRejected : 0;
}

}  // namespace

void AddSweepCommand(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App* sweep = root.add_subcommand(
      "sweep", "review every attendance of a feed, with history, and write the worklist");
  sweep->add_option("--in", options->in, "NDJSON or CSV attendance file, or - for stdin")
      ->required();
  sweep->add_option("--out", options->out, "worklist NDJSON file, or - for stdout")->required();
  sweep->add_option("--format", options->format, "ndjson, jsonl or csv (default: from --in)");
  sweep->add_option("--from", options->from, "first arrival date, YYYY-MM-DD (London)");
  sweep->add_option("--to", options->to, "last arrival date, YYYY-MM-DD (London), inclusive");
  sweep->add_option("--history-days", options->history_days,
                    "earlier attendances within this many days count as history (default 365)");
  sweep->add_option("--threads", options->threads, "assessing threads (default: one per core)");
  sweep->add_option("--decode-threads", options->decode_threads,
                    "threads that decode an NDJSON feed that must be sorted (stdin, or a file "
                    "out of order); 1 decodes on the reading thread (default: one per three "
                    "cores, at least 1). An ordered file is decoded by the --threads workers");
  sweep->add_option("--sort-memory-mb", options->sort_memory_mb,
                    "memory for sorting unordered input before it spills to disk (default 256)");
  sweep->add_option("--temp-dir", options->temp_dir, "where sorted runs are spilled");
  sweep->add_option("--rules-data", options->rules_dir,
                    "a concept-set release directory (default: the one built in)");
  sweep->add_option(
      "--register", options->register_file,
      "register CSV (contracts.md): people on it are assessed as known to social care");
  sweep->add_flag("--quiet", options->quiet, "no progress lines");
  // Optional here, unlike the database commands: without it the worklist goes only to --out.
  AddOptionalDatabaseOptions(*sweep, options->db,
                             "also store the worklist: sqlite:PATH or postgresql://...");
  sweep->callback([options, &exit_code] { exit_code = Sweep(*options); });
}

}  // namespace liaison::cli
