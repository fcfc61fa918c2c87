// `liaison link` (contracts.md): links each query row against a register file with the
// linkage model and writes query_id,register_id,band,probability in query order; and
// `liaison link train`, which estimates a new model file from a register and a file of
// records (linkage/training.h). No database.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <unordered_set>

#include "cli/commands.h"
#include "cli/context.h"
#include "ingest/link_csv.h"
#include "linkage/register_index.h"
#include "linkage/training.h"

namespace liaison::cli {
namespace {

inline constexpr int kExitSomeRejected = 3;
inline constexpr std::size_t kChunkRows = 32768;

struct LinkOptions {
  std::string register_file;
  std::string queries;
  std::string out;
  std::string model;
  int threads = 0;  // 0: one per core
};

struct TrainOptions {
  std::string register_file;
  std::string records;
  std::string out;
  std::string start;
  std::uint64_t seed = 1;
  std::uint64_t u_pairs = 10'000'000;
  std::string version = "v1";
  std::string m_source = "auto";
};

linkage::PersonRecord ToRecord(ingest::LinkRow&& row) {
  linkage::PersonRecord record;
  record.id = std::move(row.id);
  record.nhs_number = std::move(row.nhs_number);
  record.given_name = std::move(row.given_name);
  record.family_name = std::move(row.family_name);
  record.birth_date = row.birth_date;
  record.sex = row.sex;
  record.postcode = std::move(row.postcode);
  return record;
}

struct RowCounts {
  std::int64_t read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t warnings = 0;
};

// Prints each issue as "PREFIX: line N: FIELD: reason" and counts the row.
void Report(std::string_view prefix, const std::vector<ingest::RowIssue>& issues, bool rejected,
            RowCounts& counts) {
  ++counts.read;
  bool warned = false;
  for (const ingest::RowIssue& issue : issues) {
    std::cerr << prefix << ": " << ingest::FormatIssue(issue) << "\n";
    warned |= issue.kind == ingest::IssueKind::kWarning;
  }
  if (rejected) {
    ++counts.rejected;
  } else {
    ++counts.accepted;
    if (warned) ++counts.warnings;
  }
}

Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path, std::string_view option) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return NotFound("file_not_found", "cannot open the " + std::string(option) + " file");
  return file;
}

// Reads every row of a link CSV into records, reporting issues. Register ids must be unique.
Result<std::vector<linkage::PersonRecord>> ReadRecords(const std::string& path,
                                                       std::string_view option,
                                                       std::string_view prefix, bool unique_ids,
                                                       RowCounts& counts) {
  ASSIGN_OR_RETURN(std::unique_ptr<std::ifstream> file, OpenInput(path, option));
  ingest::LinkCsvReader reader(*file);
  if (Status header = reader.ReadHeader(); !header.ok()) {
    return InvalidArgument(header.reason(), std::string(option) + ": " + header.message());
  }
  std::vector<linkage::PersonRecord> records;
  std::unordered_set<std::string> ids;
  ingest::LinkRow row;
  std::vector<ingest::RowIssue> issues;
  for (;;) {
    ASSIGN_OR_RETURN(ingest::LinkCsvReader::Outcome outcome, reader.Next(row, issues));
    if (outcome == ingest::LinkCsvReader::Outcome::kEnd) break;
    bool rejected = outcome == ingest::LinkCsvReader::Outcome::kRejected;
    if (!rejected && unique_ids && !ids.insert(row.id).second) {
      issues.push_back({row.line, "id", "duplicate id; the first row with it is kept"});
      rejected = true;
    }
    Report(prefix, issues, rejected, counts);
    if (!rejected) records.push_back(ToRecord(std::move(row)));
  }
  return records;
}

Result<std::shared_ptr<const linkage::Model>> LoadModel(const std::string& path) {
  if (path.empty()) return linkage::Model::Default();
  ASSIGN_OR_RETURN(linkage::Model model, linkage::Model::Load(path));
  return std::make_shared<const linkage::Model>(std::move(model));
}

void AppendResult(const linkage::PersonRecord& query, const linkage::RegisterIndex& index,
                  const linkage::LinkResult& result, std::string& out) {
  ingest::AppendCsvField(query.id, out);
  out.push_back(',');
  if (result.band != linkage::Band::kNoMatch) {
    ingest::AppendCsvField(index.entry(result.candidates[0].entry).id, out);
  }
  out.push_back(',');
  out.append(linkage::BandSlug(result.band));
  char probability[32];
  std::snprintf(probability, sizeof(probability), ",%.6f\n", result.probability());
  out.append(probability);
}

// Links one chunk of queries on `threads` threads, each taking an interleaved share, and
// appends the output rows in query order.
void LinkChunk(const std::vector<linkage::PersonRecord>& queries,
               const linkage::RegisterIndex& index, int threads, std::string& out) {
  std::vector<std::string> parts(static_cast<std::size_t>(threads));
  const std::size_t slice =
      (queries.size() + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  auto work = [&](std::size_t t) {
    std::size_t begin = std::min(queries.size(), t * slice);
    std::size_t end = std::min(queries.size(), begin + slice);
    for (std::size_t i = begin; i < end; ++i) {
      AppendResult(queries[i], index, index.Link(queries[i], 2), parts[t]);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < parts.size(); ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& thread : pool) thread.join();
  for (const std::string& part : parts) out.append(part);
}

int Link(const LinkOptions& options) {
  Result<std::shared_ptr<const linkage::Model>> model = LoadModel(options.model);
  if (!model.ok()) return Fail(model.status().WithField("--model"));
  RowCounts register_counts;
  Result<std::vector<linkage::PersonRecord>> entries =
      ReadRecords(options.register_file, "--register", "register", true, register_counts);
  if (!entries.ok()) return Fail(entries.status());
  auto index = linkage::RegisterIndex::Build(std::move(*entries), *model);

  Result<std::unique_ptr<std::ifstream>> queries_file = OpenInput(options.queries, "--queries");
  if (!queries_file.ok()) return Fail(queries_file.status());
  ingest::LinkCsvReader reader(**queries_file);
  if (Status header = reader.ReadHeader(); !header.ok()) {
    return Fail(InvalidArgument(header.reason(), "--queries: " + header.message()));
  }
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Unavailable("cannot_open", "cannot open the --out file"));
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string buffer = "query_id,register_id,band,probability\n";
  RowCounts counts;
  std::vector<linkage::PersonRecord> chunk;
  ingest::LinkRow row;
  std::vector<ingest::RowIssue> issues;
  for (bool done = false; !done;) {
    chunk.clear();
    while (chunk.size() < kChunkRows) {
      Result<ingest::LinkCsvReader::Outcome> outcome = reader.Next(row, issues);
      if (!outcome.ok()) return Fail(outcome.status());
      if (*outcome == ingest::LinkCsvReader::Outcome::kEnd) {
        done = true;
        break;
      }
      bool rejected = *outcome == ingest::LinkCsvReader::Outcome::kRejected;
      Report("queries", issues, rejected, counts);
      if (!rejected) chunk.push_back(ToRecord(std::move(row)));
    }
    LinkChunk(chunk, *index, threads, buffer);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
  }
  out.flush();
  if (!out) return Fail(Unavailable("write_failed", "could not write the --out file"));
  std::cout << "read " << counts.read << ", accepted " << counts.accepted << ", rejected "
            << counts.rejected << ", warnings " << counts.warnings << "\n";
  return counts.rejected + register_counts.rejected > 0 ? kExitSomeRejected : 0;
}

int Train(const TrainOptions& options) {
  Result<std::shared_ptr<const linkage::Model>> start = LoadModel(options.start);
  if (!start.ok()) return Fail(start.status().WithField("--start"));
  RowCounts register_counts;
  RowCounts record_counts;
  Result<std::vector<linkage::PersonRecord>> entries =
      ReadRecords(options.register_file, "--register", "register", true, register_counts);
  if (!entries.ok()) return Fail(entries.status());
  Result<std::vector<linkage::PersonRecord>> records =
      ReadRecords(options.records, "--records", "records", false, record_counts);
  if (!records.ok()) return Fail(records.status());
  linkage::TrainingOptions training;
  training.seed = options.seed;
  training.u_pairs = options.u_pairs;
  training.version = options.version;
  training.m_source = options.m_source == "em"           ? linkage::MSource::kEm
                      : options.m_source == "supervised" ? linkage::MSource::kSupervised
                                                         : linkage::MSource::kAuto;
  linkage::TrainingReport report;
  Result<linkage::Model> model =
      linkage::TrainModel(*entries, *records, **start, training, &report);
  if (!model.ok()) return Fail(model.status());
  model->set_description("Trained by `liaison link train` on " +
                         std::to_string(report.register_entries) + " register entries and " +
                         std::to_string(report.records) + " records");
  std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
  out << model->ToJson();
  out.flush();
  if (!out) return Fail(Unavailable("write_failed", "could not write the --out file"));
  std::cout << "trained " << options.version << ": " << report.blocked_pairs << " blocked pairs, "
            << report.distinct_patterns << " patterns, " << report.em_iterations
            << " EM iterations, " << report.supervised_pairs << " pairs sharing an NHS number, "
            << report.u_pairs << " random pairs for u\n";
  return 0;
}

}  // namespace

void AddLinkCommands(CLI::App& root, int& exit_code) {
  auto link_options = std::make_shared<LinkOptions>();
  CLI::App* link = root.add_subcommand(
      "link", "Link query records against a register file (see docs/linkage.md)");
  link->add_option("--register", link_options->register_file, "register CSV");
  link->add_option("--queries", link_options->queries, "query CSV");
  link->add_option("--out", link_options->out, "output CSV");
  link->add_option("--model", link_options->model, "model JSON (default: the shipped model)");
  link->add_option("--threads", link_options->threads, "worker threads (default: one per core)")
      ->check(CLI::Range(1, 256));

  auto train_options = std::make_shared<TrainOptions>();
  CLI::App* train = link->add_subcommand(
      "train", "Estimate a new model file by EM and NHS-number supervision (offline)");
  train->add_option("--register", train_options->register_file, "register CSV")->required();
  train->add_option("--records", train_options->records, "records to link, CSV")->required();
  train->add_option("--out", train_options->out, "model JSON to write")->required();
  train->add_option("--start", train_options->start, "starting model (default: shipped model)");
  train->add_option("--seed", train_options->seed, "seed for the random pairs");
  train->add_option("--u-pairs", train_options->u_pairs, "random pairs for u")
      ->check(CLI::Range(std::uint64_t{1000}, std::uint64_t{1'000'000'000}));
  train->add_option("--version", train_options->version, "version written into the model");
  train
      ->add_option(
          "--m-source", train_options->m_source,
          "which estimate of m to use: auto (supervised when enough pairs), em, supervised")
      ->check(CLI::IsMember({"auto", "em", "supervised"}));
  train->callback([train_options, &exit_code] { exit_code = Train(*train_options); });

  link->callback([link, link_options, &exit_code] {
    if (link->got_subcommand("train")) return;
    if (link_options->register_file.empty() || link_options->queries.empty() ||
        link_options->out.empty()) {
      std::cerr << "error: --register, --queries and --out are required\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = Link(*link_options);
  });
}

}  // namespace liaison::cli
