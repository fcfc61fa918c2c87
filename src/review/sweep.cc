#include "review/sweep.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/nhs_number.h"
#include "domain/working_day_calendar.h"
#include "ingest/raw_person_fields.h"
#include "review/attendance_record.h"
#include "review/external_sort.h"
#include "review/person_table.h"
#include "review/sort_key.h"
#include "review/worklist.h"

namespace liaison::review {
namespace {

using domain::Attendance;

// Attendances handed to a worker at once: large enough to make queue locking cheap.
constexpr std::size_t kBatchSize = 256;
// Batches waiting per worker before the reader waits: this bounds the memory in flight.
constexpr std::size_t kQueueBatches = 8;
// A person's history is capped (the oldest go first) so one hostile key cannot grow it.
constexpr std::size_t kMaxHistoryPerPerson = 256;
constexpr std::string_view kOutOfOrder = "out_of_order";
// Rows between progress reports.
constexpr std::int64_t kProgressEvery = 1 << 18;

// An attendance on its way to a worker, with the person key (and its hash) the dealer worked
// out to choose the worker, so the worker does not work them out again.
struct Dealt {
  Attendance attendance;
  std::optional<std::string> key;
  std::uint32_t hash = 0;  // PersonTable::HashOf(*key); of the attendance id without a key
};
using Batch = std::vector<Dealt>;

// The worker a person belongs to, from the hash of the person key (or, without a key, of the
// attendance id). The high bits choose the worker: the low ones choose the worker's table slot.
std::size_t WorkerOf(std::uint32_t hash, std::size_t workers) {
  return static_cast<std::size_t>((static_cast<std::uint64_t>(hash) * workers) >> 32);
}

std::uint32_t RoutingHashOf(const Attendance& attendance, const std::optional<std::string>& key) {
  return PersonTable::HashOf(key ? *key : attendance.attendance_id);
}

// A bounded single-consumer queue of batches; Close() ends it. Batches the worker has finished
// with come back emptied but with their capacity, so the dealer does not allocate (and fault
// in) a fresh 200 KB vector for every batch.
class BatchQueue {
 public:
  // An empty batch with room for kBatchSize attendances.
  Batch TakeSpare() {
    {
      std::lock_guard lock(mutex_);
      if (!spares_.empty()) {
        Batch batch = std::move(spares_.back());
        spares_.pop_back();
        return batch;
      }
    }
    Batch batch;
    batch.reserve(kBatchSize);
    return batch;
  }
  void Recycle(Batch batch) {
    batch.clear();
    std::lock_guard lock(mutex_);
    if (spares_.size() < kQueueBatches) spares_.push_back(std::move(batch));
  }
  void Push(Batch batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return batches_.size() < kQueueBatches; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // False once closed and empty.
  bool Pop(Batch& batch) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return false;
    batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  // Lets a blocked Push through after a worker has stopped taking batches.
  void Discard() {
    std::lock_guard lock(mutex_);
    batches_.clear();
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Batch> batches_;
  std::vector<Batch> spares_;
  bool closed_ = false;
};

// The first failure of any thread; later ones are dropped.
class FirstError {
 public:
  void Set(Status status) {
    if (status.ok()) return;
    std::lock_guard lock(mutex_);
    if (failed_.load()) return;
    status_ = std::move(status);
    failed_.store(true);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  Status Get() const {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> failed_{false};
  Status status_ = Status::Ok();
};

linkage::PersonRecord PersonRecordOf(const domain::AttendancePatient& patient) {
  linkage::PersonRecord person;
  person.id = "attendance";
  if (patient.nhs_number) person.nhs_number = patient.nhs_number->text;  // unverified here
  person.given_name = patient.given_name.value_or("");
  person.family_name = patient.family_name.value_or("");
  person.birth_date = patient.birth_date;
  person.sex = patient.sex.value_or(domain::Sex::kUnknown);
  person.postcode = patient.postcode.value_or("");
  return person;
}

bool InRange(const SweepOptions& options, Timestamp arrival) {
  if (!options.from && !options.to) return true;
  std::chrono::year_month_day date = domain::LondonDate(arrival);
  if (options.from && date < *options.from) return false;
  if (options.to && date > *options.to) return false;
  return true;
}

bool AfterRange(const SweepOptions& options, Timestamp arrival) {
  return options.to && domain::LondonDate(arrival) > *options.to;
}

// One assessing thread: owns the histories of the people dealt to it.
class Worker {
 public:
  Worker(const recognition::Engine& engine, const SweepOptions& options,
         std::unique_ptr<ExternalSorter> worklist, FirstError& error)
      : engine_(engine),
        options_(options),
        window_(std::chrono::days(options.history_days)),
        worklist_(std::move(worklist)),
        error_(error) {}

  void Run() {
    Batch batch;
    while (queue_.Pop(batch)) {
      if (error_.failed()) continue;  // keep draining so the reader never blocks
      for (std::size_t i = 0; i < batch.size(); ++i) {
        // The person lookups are random across the window: ask for the slot a few attendances
        // ahead so that the cache miss overlaps with assessing.
        if (i + kPrefetchAhead < batch.size() && batch[i + kPrefetchAhead].key) {
          people_.Prefetch(batch[i + kPrefetchAhead].hash);
        }
        const Dealt& dealt = batch[i];
        Status processed = Process(dealt.attendance, dealt.key, dealt.hash);
        if (!processed.ok()) {
          error_.Set(std::move(processed));
          break;
        }
      }
      queue_.Recycle(std::move(batch));
    }
  }

  // Partitioned reading of an ordered NDJSON file: this worker's rows straight from the
  // reader, on the reader's thread for partition `self` of `workers`, in file order. Fails
  // with out_of_order at a row that arrived before this worker's row before it: the order
  // that matters, since the worker's rows are its people's whole histories.
  Status TakeInFileOrder(const Attendance& attendance, std::size_t self, std::size_t workers) {
    if (attendance.arrival < latest_) {
      return FailedPrecondition(std::string(kOutOfOrder), "the feed is not in arrival order");
    }
    latest_ = attendance.arrival;
    std::optional<std::string> key = PersonKeyOf(attendance);
    std::uint32_t hash = RoutingHashOf(attendance, key);
    if (WorkerOf(hash, workers) != self) {
      return Internal("misrouted", "a row reached a worker that does not hold its person");
    }
    return Process(attendance, key, hash);
  }

  // Asks for the table slot of the person with this key hash, ahead of TakeInFileOrder.
  void Prefetch(std::uint32_t hash) const {
    if (options_.history_days > 0) people_.Prefetch(hash);
  }

  // Frees every history, once the feed has been read.
  void ForgetEveryone() {
    people_ = PersonTable();
    remembered_ = {};
  }

  BatchQueue& queue() { return queue_; }
  // This worker's share of the worklist, in its own sorter so that no lock is shared; read
  // only after the worker's thread has ended.
  ExternalSorter* worklist() { return worklist_.get(); }
  std::int64_t assessed() const { return assessed_.load(std::memory_order_relaxed); }
  std::int64_t listed() const { return listed_.load(std::memory_order_relaxed); }
  std::int64_t evictions() const { return evictions_; }
  std::int64_t max_people() const { return max_people_; }

 private:
  static constexpr std::size_t kPrefetchAhead = 4;

  Status Process(const Attendance& attendance, const std::optional<std::string>& key,
                 std::uint32_t hash) {
    if (AfterRange(options_, attendance.arrival)) return Status::Ok();  // nothing later is assessed
    Timestamp cutoff = attendance.arrival - window_;
    ForgetPeopleBefore(cutoff);
    // Without a key, or with history off, there is nothing to remember.
    std::optional<PersonTable::Index> person;
    if (key && options_.history_days > 0) person = people_.FindOrAdd(*key, hash);
    std::vector<recognition::PastAttendance>* past = person ? &people_.at(*person).past : nullptr;
    recognition::PastAttendance summary;
    if (InRange(options_, attendance.arrival)) {
      std::span<const recognition::PastAttendance> history;
      if (past) {
        auto first_in_window = std::find_if(
            past->begin(), past->end(),
            [cutoff](const recognition::PastAttendance& p) { return p.arrival >= cutoff; });
        past->erase(past->begin(), first_in_window);
        history = *past;
      }
      recognition::Assessment assessment =
          engine_.Assess({attendance, history, SocialCareOf(attendance, key)}, summary);
      assessed_.fetch_add(1, std::memory_order_relaxed);
      if (assessment.level >= recognition::OverallLevel::kReview) {
        std::string person_key =
            key ? *key : "attendance:" + attendance.site + ":" + attendance.attendance_id;
        RETURN_IF_ERROR(
            List(MakeWorklistItem(attendance, std::move(assessment), std::move(person_key))));
      }
    } else if (past) {
      summary = engine_.Summarise(attendance);  // before the range: history only
    }
    if (person) Remember(*person, *past, std::move(summary));
    return Status::Ok();
  }

  // As at the point of care: a verified NHS number exactly, else the child's demographics
  // through the linker. The register holds children, so an adult without a number is not
  // looked for (and linking every attendance would cost more than assessing it).
  std::optional<recognition::SocialCareStatus> SocialCareOf(
      const Attendance& attendance, const std::optional<std::string>& key) const {
    constexpr std::string_view kNhsPrefix = "nhs:";
    const RegisterIndex* social_care = options_.social_care_register;
    if (social_care == nullptr) return std::nullopt;
    if (key && key->starts_with(kNhsPrefix)) {
      return social_care->Find(std::string_view(*key).substr(kNhsPrefix.size()));
    }
    std::optional<std::int64_t> age_days = domain::AgeInDaysAtArrival(attendance);
    if (age_days && *age_days >= recognition::kAdultAgeDays) return std::nullopt;
    return social_care->FindByDemographics(PersonRecordOf(attendance.patient));
  }

  Status List(const WorklistItem& item) {
    RETURN_IF_ERROR(worklist_->Add(WorklistSortKey(item), WorklistItemJson(item)));
    listed_.fetch_add(1, std::memory_order_relaxed);
    return Status::Ok();
  }

  void Remember(PersonTable::Index person, std::vector<recognition::PastAttendance>& past,
                recognition::PastAttendance summary) {
    if (past.size() >= kMaxHistoryPerPerson) past.erase(past.begin());
    remembered_.emplace_back(summary.arrival, person);
    past.push_back(std::move(summary));
    max_people_ = std::max(max_people_, static_cast<std::int64_t>(people_.size()));
  }

  // Drops people whose every attendance fell out of the window, so memory follows the window,
  // not the file. `remembered_` lists (arrival, person) in arrival order, which is the order
  // attendances reach a worker, so the stale ones are always at its front: each attendance is
  // looked at once here, whatever the number of people held. An entry may name a person index
  // since reused by someone else; the test below is about whoever holds it now, and dropping
  // anyone wholly out of the window is always right.
  void ForgetPeopleBefore(Timestamp cutoff) {
    while (!remembered_.empty() && remembered_.front().first < cutoff) {
      PersonTable::Person& person = people_.at(remembered_.front().second);
      if (person.present && (person.past.empty() || person.past.back().arrival < cutoff)) {
        people_.Remove(remembered_.front().second);
        ++evictions_;
      }
      remembered_.pop_front();
    }
  }

  const recognition::Engine& engine_;
  const SweepOptions& options_;
  const std::chrono::microseconds window_;
  std::unique_ptr<ExternalSorter> worklist_;
  FirstError& error_;
  BatchQueue queue_;
  PersonTable people_;
  std::deque<std::pair<Timestamp, PersonTable::Index>> remembered_;
  std::atomic<std::int64_t> assessed_{0};
  std::atomic<std::int64_t> listed_{0};
  std::int64_t evictions_ = 0;
  std::int64_t max_people_ = 0;
  Timestamp latest_ = Timestamp::min();  // TakeInFileOrder only
};

// Deals attendances (in time order) to the workers by person, in batches.
class Dealer {
 public:
  Dealer(std::vector<std::unique_ptr<Worker>>& workers)
      : workers_(workers), pending_(workers.size()) {
    for (std::size_t i = 0; i < workers_.size(); ++i)
      pending_[i] = workers_[i]->queue().TakeSpare();
  }

  void Deal(Attendance&& attendance) {
    std::optional<std::string> key = PersonKeyOf(attendance);
    // Attendances without a person key have no history; spread them by their own id.
    std::uint32_t hash = RoutingHashOf(attendance, key);
    std::size_t index = WorkerOf(hash, workers_.size());
    pending_[index].emplace_back(std::move(attendance), std::move(key), hash);  // no temporary
    if (pending_[index].size() >= kBatchSize) Flush(index);
  }

  void FlushAll() {
    for (std::size_t i = 0; i < pending_.size(); ++i) Flush(i);
  }

 private:
  void Flush(std::size_t index) {
    if (pending_[index].empty()) return;
    BatchQueue& queue = workers_[index]->queue();
    queue.Push(std::move(pending_[index]));
    pending_[index] = queue.TakeSpare();
  }

  std::vector<std::unique_ptr<Worker>>& workers_;
  std::vector<Batch> pending_;
};

// What both ways of reading share: the issues passed on (less those reported before a
// restart), and the rows and the last line read, for progress and for a restart. Reading and
// dealing counts rows one by one (Row); reading by partition a block at a time (RowsThrough).
class ReadTracker {
 public:
  ReadTracker(const SweepOptions& options, const SweepCallbacks& callbacks,
              std::function<void(std::string_view)> progress)
      : options_(options), callbacks_(callbacks), progress_(std::move(progress)) {}

  void Issue(const ingest::RowIssue& issue) {
    last_line_ = issue.line;
    if (issue.line > options_.issues_reported_through_line && callbacks_.on_issue) {
      callbacks_.on_issue(issue);
    }
  }
  void Row(std::int64_t line) { RowsThrough(line, rows_ + 1); }
  void RowsThrough(std::int64_t line, std::int64_t rows) {
    last_line_ = line;
    const bool report = rows / kProgressEvery > rows_ / kProgressEvery;
    rows_ = rows;
    if (report) progress_("reading");
  }

  std::int64_t rows() const { return rows_; }
  std::int64_t last_line() const { return last_line_; }

 private:
  const SweepOptions& options_;
  const SweepCallbacks& callbacks_;
  std::function<void(std::string_view)> progress_;
  std::int64_t rows_ = 0;
  std::int64_t last_line_ = 0;
};

// Reads the feed: deals attendances straight away (ordered input) or sorts them first.
class SweepVisitor final : public ingest::FeedVisitor {
 public:
  SweepVisitor(ReadTracker& tracker, Dealer& dealer, ExternalSorter* sorter, FirstError& error)
      : tracker_(tracker), dealer_(dealer), sorter_(sorter), error_(error) {}

  Status OnAttendance(std::int64_t line, Attendance&& attendance) override {
    if (error_.failed()) return error_.Get();
    tracker_.Row(line);
    if (sorter_ != nullptr) {
      key_.clear();
      AppendKeySigned(attendance.arrival.time_since_epoch().count(), key_);
      AppendKeySigned(line, key_);
      record_.clear();
      AppendAttendanceRecord(attendance, record_);
      return sorter_->Add(key_, record_);
    }
    if (attendance.arrival < latest_) {
      return FailedPrecondition(std::string(kOutOfOrder),
                                "the feed is not in arrival order at line " + std::to_string(line));
    }
    latest_ = attendance.arrival;
    dealer_.Deal(std::move(attendance));
    return Status::Ok();
  }

  void OnIssue(const ingest::RowIssue& issue) override {
    // A rejected row is a row read; accepted ones are counted in OnAttendance.
    if (issue.kind == ingest::IssueKind::kRejected) tracker_.Row(issue.line);
    tracker_.Issue(issue);
  }

 private:
  ReadTracker& tracker_;
  Dealer& dealer_;
  ExternalSorter* sorter_;
  FirstError& error_;
  Timestamp latest_ = Timestamp::min();
  std::string key_;
  std::string record_;
};

// Reads an NDJSON file expected in arrival order with one partition per worker: each row is
// decoded and assessed on its worker's core, which is where its person's history lives
// (decision 0026). The reading thread routes raw lines by the person key read from the text.
class PartitionedSweep final : public ingest::PartitionedFeedVisitor {
 public:
  PartitionedSweep(ReadTracker& tracker, std::vector<std::unique_ptr<Worker>>& workers)
      : tracker_(tracker), workers_(workers) {}

  // The hint is the person key's hash, so that the worker can ask for the person's slot in
  // its table while the row is being decoded.
  std::optional<int> RawOwnerOf(std::string_view line, std::uint32_t& hint) override {
    std::optional<ingest::RawPersonFields> fields = ingest::ScanRawPersonFields(line);
    if (!fields) return std::nullopt;
    if (!fields->nhs_number.empty()) {
      // Whether a number in another form is verified is the decoder's to say.
      if (!domain::IsValidBareNhsNumber(fields->nhs_number)) return std::nullopt;
      NhsPersonKey(fields->nhs_number, key_);
      hint = PersonTable::HashOf(key_);
    } else if (!fields->local_id.empty()) {
      LocalPersonKey(fields->site, fields->local_id, key_);
      hint = PersonTable::HashOf(key_);
    } else {
      hint = PersonTable::HashOf(fields->attendance_id);
    }
    return static_cast<int>(WorkerOf(hint, workers_.size()));
  }

  void WillDecode(int partition, std::uint32_t hint) override {
    workers_[static_cast<std::size_t>(partition)]->Prefetch(hint);
  }

  int OwnerOf(const Attendance& attendance) const override {
    return static_cast<int>(
        WorkerOf(RoutingHashOf(attendance, PersonKeyOf(attendance)), workers_.size()));
  }

  Status OnAttendance(int partition, std::int64_t, const Attendance& attendance) override {
    return workers_[static_cast<std::size_t>(partition)]->TakeInFileOrder(
        attendance, static_cast<std::size_t>(partition), workers_.size());
  }

  void OnIssue(const ingest::RowIssue& issue) override { tracker_.Issue(issue); }
  void OnReportedThrough(std::int64_t line, std::int64_t rows) override {
    tracker_.RowsThrough(line, rows);
  }

 private:
  ReadTracker& tracker_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  std::string key_;  // reused: RawOwnerOf is called on the reading thread only
};

// The feed read, and the workers fed, one way or the other.
struct ReadOutcome {
  Status status = Status::Ok();
  ingest::FeedSummary feed;
  std::int64_t sorted_runs = 0;  // runs the input sort spilled to disk
};

ReadOutcome ReadPartitioned(std::istream& in, std::vector<std::unique_ptr<Worker>>& workers,
                            ReadTracker& tracker) {
  PartitionedSweep visitor(tracker, workers);
  Result<ingest::FeedSummary> summary =
      ingest::ReadNdjsonPartitioned(in, visitor, static_cast<int>(workers.size()));
  if (!summary.ok()) return {summary.status(), {}, 0};
  return {Status::Ok(), *summary, 0};
}

// Reads the feed on this thread (with the decoding threads asked for), sorting it first
// unless it is expected in order, and deals the attendances to the workers' own threads.
ReadOutcome ReadAndDeal(std::istream& in, ingest::FeedFormat format, const SweepOptions& options,
                        std::vector<std::unique_ptr<Worker>>& workers, FirstError& error,
                        ReadTracker& tracker,
                        const std::function<void(std::string_view)>& progress) {
  std::unique_ptr<ExternalSorter> input_sorter;
  if (options.order == InputOrder::kSortAlways) {
    Result<std::unique_ptr<ExternalSorter>> sorter =
        ExternalSorter::Create(options.temp_dir, options.sort_budget_bytes);
    if (!sorter.ok()) return {sorter.status(), {}, 0};
    input_sorter = std::move(*sorter);
  }
  std::vector<std::thread> threads;
  for (auto& worker : workers) threads.emplace_back([&worker] { worker->Run(); });
  Dealer dealer(workers);
  SweepVisitor visitor(tracker, dealer, input_sorter.get(), error);
  Result<ingest::FeedSummary> summary =
      ingest::ReadFeed(in, format, visitor, ingest::FeedReadOptions{{}, options.decode_threads});
  Status outcome = summary.ok() ? Status::Ok() : summary.status();
  if (outcome.ok() && input_sorter) {
    progress("merging");
    std::int64_t merged = 0;
    outcome = input_sorter->Drain([&](std::string_view, std::string_view record) -> Status {
      if (error.failed()) return error.Get();
      ASSIGN_OR_RETURN(Attendance attendance, DecodeAttendanceRecord(record));
      dealer.Deal(std::move(attendance));
      if (++merged % kProgressEvery == 0) progress("merging");
      return Status::Ok();
    });
  }
  if (outcome.ok()) dealer.FlushAll();
  for (auto& worker : workers) {
    if (!outcome.ok()) worker->queue().Discard();
    worker->queue().Close();
  }
  for (std::thread& thread : threads) thread.join();
  if (outcome.ok()) outcome = error.Get();
  if (!outcome.ok()) return {outcome, {}, 0};
  return {Status::Ok(), *summary, input_sorter ? input_sorter->spilled_runs() : 0};
}

}  // namespace

Status ValidateSweepOptions(const SweepOptions& options) {
  if (options.history_days < 0) {
    return InvalidArgument("invalid_history_days", "history days must be 0 or more",
                           "--history-days");
  }
  if (options.workers < 1) {
    return InvalidArgument("invalid_threads", "there must be at least one worker", "--threads");
  }
  if (options.decode_threads < 1) {
    return InvalidArgument("invalid_threads", "there must be at least one decoding thread",
                           "--decode-threads");
  }
  if (options.from && options.to && *options.from > *options.to) {
    return InvalidArgument("invalid_range", "--from must not be after --to", "--from");
  }
  if (options.sort_budget_bytes == 0 || options.worklist_budget_bytes == 0) {
    return InvalidArgument("invalid_memory", "the sort memory must be positive",
                           "--sort-memory-mb");
  }
  return Status::Ok();
}

Result<SweepResult> RunSweep(std::istream& in, ingest::FeedFormat format,
                             const recognition::Engine& engine, const SweepOptions& options,
                             const SweepCallbacks& callbacks) {
  RETURN_IF_ERROR(ValidateSweepOptions(options));
  FirstError error;
  std::vector<std::unique_ptr<Worker>> workers;
  // The worklist's memory is shared out between the workers' sorters.
  std::size_t worklist_budget = std::max<std::size_t>(
      1, options.worklist_budget_bytes / static_cast<std::size_t>(options.workers));
  for (int i = 0; i < options.workers; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<ExternalSorter> worklist,
                     ExternalSorter::Create(options.temp_dir, worklist_budget));
    workers.push_back(std::make_unique<Worker>(engine, options, std::move(worklist), error));
  }
  auto assessed = [&workers] {
    std::int64_t total = 0;
    for (const auto& worker : workers) total += worker->assessed();
    return total;
  };
  auto listed = [&workers] {
    std::int64_t total = 0;
    for (const auto& worker : workers) total += worker->listed();
    return total;
  };
  const ReadTracker* reading = nullptr;
  std::function<void(std::string_view)> progress = [&](std::string_view phase) {
    if (!callbacks.on_progress) return;
    // Read by partition, rows are counted as their block is reported, which can lag the
    // workers: every row assessed has been read.
    const std::int64_t assessed_now = assessed();
    callbacks.on_progress({std::max(reading->rows(), assessed_now), assessed_now, listed(), phase});
  };
  ReadTracker tracker(options, callbacks, progress);
  reading = &tracker;

  const bool partitioned =
      format == ingest::FeedFormat::kNdjson && options.order == InputOrder::kExpectOrdered;
  ReadOutcome read = partitioned
                         ? ReadPartitioned(in, workers, tracker)
                         : ReadAndDeal(in, format, options, workers, error, tracker, progress);
  Status outcome = read.status;

  SweepResult result;
  result.last_line_read = tracker.last_line();
  if (!outcome.ok()) {
    if (outcome.reason() == kOutOfOrder && options.order == InputOrder::kExpectOrdered) {
      result.out_of_order = true;
      return result;
    }
    return outcome;
  }
  result.feed = read.feed;
  result.sorted_runs = read.sorted_runs;
  result.assessed = assessed();
  for (const auto& worker : workers) {
    result.history_evictions += worker->evictions();
    result.max_people_in_memory += worker->max_people();
  }
  progress("writing");
  // Each worker sorts its share of the worklist on a thread of its own, and then lets go of
  // its histories while this thread merges the shares and writes them.
  std::latch sorted(static_cast<std::ptrdiff_t>(workers.size()));
  std::vector<std::thread> finishing;
  for (auto& worker : workers) {
    finishing.emplace_back([&sorted, &worker] {
      worker->worklist()->SortInMemory();
      sorted.count_down();
      worker->ForgetEveryone();
    });
  }
  sorted.wait();
  std::int64_t written = 0;
  std::vector<ExternalSorter*> worklists;
  for (auto& worker : workers) worklists.push_back(worker->worklist());
  Status drained =
      ExternalSorter::DrainAll(worklists, [&](std::string_view, std::string_view line) -> Status {
        ++written;
        return callbacks.on_item(line);
      });
  for (std::thread& thread : finishing) thread.join();
  RETURN_IF_ERROR(drained);
  result.on_worklist = written;
  return result;
}

}  // namespace liaison::review
