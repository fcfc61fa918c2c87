// `liaison import register FILE --db DB --org C [--mode full|delta]`: a local authority's
// register upload (docs/register.md), reported like every feed command (contracts.md): one
// summary line on stdout, one `line N: FIELD: reason` line on stderr per rejected or warned
// row, exit 0 / 3 (some rows rejected, the rest stored) / 1 (could not run).
#include <fstream>
#include <iostream>
#include <memory>

#include "app/register_service.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "ingest/register_csv.h"

namespace liaison::cli {
namespace {

inline constexpr int kExitSomeRejected = 3;

struct ImportRegisterOptions {
  std::string file;
  std::string org;
  std::string mode = "full";
  DatabaseOptions db;
};

// Hands each row to the upload and reports every issue. Not thread-safe.
class UploadingVisitor final : public ingest::RegisterVisitor {
 public:
  explicit UploadingVisitor(app::RegisterUploadBatch& batch) : batch_(batch) {}

  Result<std::optional<ingest::RowIssue>> OnRow(ingest::RegisterRow row) override {
    return batch_.Add(std::move(row));
  }
  void OnIssue(const ingest::RowIssue& issue) override {
    std::cerr << ingest::FormatIssue(issue) << "\n";
  }
  void OnRejectedId(std::string_view local_id) override {
    if (!failure_.ok()) return;
    failure_ = batch_.KeepExisting(local_id);
  }
  const Status& failure() const { return failure_; }

 private:
  app::RegisterUploadBatch& batch_;
  Status failure_;
};

int ImportRegister(const ImportRegisterOptions& options) {
  std::optional<app::UploadMode> mode = app::UploadModeFromSlug(options.mode);
  if (!mode) {
    std::cerr << "error: --mode is full or delta\n";
    return kExitUsage;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.file != "-") {
    file.open(options.file, std::ios::binary);
    if (!file) return Fail(NotFound("file_not_found", "cannot open the register file"));
    in = &file;
  }
  Result<std::unique_ptr<Context>> context = Connect(options.db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::RegisterService registers(*(*context)->store, *(*context)->audit, (*context)->clock,
                                 app::DefaultRegisterMatcher());
  Result<std::unique_ptr<app::RegisterUploadBatch>> batch =
      registers.BeginUpload({"cli", "register upload"}, options.org, *mode);
  if (!batch.ok()) return Fail(batch.status());
  UploadingVisitor visitor(**batch);
  // One unit of work for the whole file: a full replacement must replace all or nothing.
  Result<ingest::FeedSummary> summary = ingest::ReadRegisterCsv(*in, visitor);
  if (!summary.ok()) return Fail(summary.status());
  if (!visitor.failure().ok()) return Fail(visitor.failure());
  Result<std::int64_t> removed = (*batch)->Finish(*summary);
  if (!removed.ok()) return Fail(removed.status());
  std::cerr << "register: " << options.mode << " upload, removed " << *removed << "\n";
  std::cout << ingest::FormatSummary(*summary) << "\n";
  return summary->rejected > 0 ? kExitSomeRejected : 0;
}

}  // namespace

void AddRegisterCommands(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<ImportRegisterOptions>();
  CLI::App* import = root.get_subcommand("import");
  CLI::App* command = import->add_subcommand(
      "register", "store a local authority's register upload (CSV), reporting every row");
  command->add_option("file", options->file, "CSV file, or - for stdin")->required();
  command->add_option("--org", options->org, "the uploading local authority's code")->required();
  command->add_option("--mode", options->mode,
                      "full (replaces the authority's entries) or delta (upserts and deletes)");
  AddDatabaseOptions(*command, options->db);
  command->callback([options, &exit_code] { exit_code = ImportRegister(*options); });
}

}  // namespace liaison::cli
