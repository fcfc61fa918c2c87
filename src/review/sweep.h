// The nightly ED review: every attendance of a feed, with the person's earlier attendances,
// through the recognition engine; the worklist is the attendances in the date range with a
// finding at review level or above, in the contract's order. docs/sweep.md has the design.
//
// Pipeline:
// 1. The calling thread reads the feed (ingest's readers: rows rejected and warned as for any
//    feed). In kSortAlways mode every accepted attendance goes, as a compact binary record
//    keyed by (arrival, line), into an ExternalSorter that spills sorted runs to disk past the
//    memory budget; the merge then replays them in time order. In kExpectOrdered mode the
//    attendances are assessed as they are read, and the run stops, with out_of_order set
//    and nothing written, at the first attendance that arrived before the one before it; the
//    caller starts again with kSortAlways (possible with a file, not with stdin).
//    An NDJSON file in kExpectOrdered mode is read by partition instead (decision 0026):
//    the calling thread only cuts the file into blocks of lines and routes each line to its
//    worker by the person key read from the raw text (ingest::ScanRawPersonFields); each
//    worker decodes and assesses its own rows, so a row stays on one core. The run stops
//    with out_of_order at a row that arrived before the previous row of the same worker: a
//    worker's rows are its people's whole histories, so that is the order that matters.
// 2. Attendances in time order are dealt to `workers` threads by a hash of the person key, so
//    each person's attendances reach one worker, in order. The worker keeps that person's
//    history (binary records within history_days of the latest arrival; people with nothing
//    left in the window are dropped), assesses attendances in the range, and hands items to
//    the worklist collector (another ExternalSorter).
// 3. The collector drains in worklist order to the sink.
// The output depends only on the feed's content: per-person order is fixed by (arrival, line)
// and the worklist order is total.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string_view>

#include "common/status.h"
#include "ingest/feed_reader.h"
#include "recognition/engine.h"
#include "review/register_file.h"

namespace liaison::review {

enum class InputOrder { kSortAlways, kExpectOrdered };

struct SweepOptions {
  // Inclusive Europe/London dates of arrival; nullopt is open-ended.
  std::optional<std::chrono::year_month_day> from;
  std::optional<std::chrono::year_month_day> to;
  // Earlier attendances older than this (before the arrival being assessed) are forgotten.
  int history_days = 365;
  // Memory for sorting the input before it spills a run; the worklist collector has its own.
  std::size_t sort_budget_bytes = std::size_t{256} << 20;
  std::size_t worklist_budget_bytes = std::size_t{64} << 20;
  std::filesystem::path temp_dir = std::filesystem::temp_directory_path();
  int workers = 2;
  // Threads that decode an NDJSON feed while the calling thread reads it (ingest::ReadFeed);
  // 1 decodes on the calling thread. Not used when the workers decode (kExpectOrdered NDJSON).
  int decode_threads = 1;
  InputOrder order = InputOrder::kSortAlways;
  // When given, people whose verified NHS number is on it are assessed with their social-care
  // status (the register CSV); borrowed, must outlive the run.
  const RegisterIndex* social_care_register = nullptr;
  // Feed issues at or before this line are not reported again (a restart after out_of_order).
  std::int64_t issues_reported_through_line = 0;
};

struct SweepProgress {
  std::int64_t read = 0;      // feed rows read so far
  std::int64_t assessed = 0;  // attendances through the engine so far
  std::int64_t on_worklist = 0;
  std::string_view phase;  // "reading", "merging", "writing"
};

struct SweepCallbacks {
  // Each rejected row or warning, in feed order (on the calling thread).
  std::function<void(const ingest::RowIssue&)> on_issue;
  // Now and then (on the calling thread); may be empty.
  std::function<void(const SweepProgress&)> on_progress;
  // Each worklist line, in worklist order, without a newline. A failure stops the sweep.
  std::function<Status(std::string_view json_line)> on_item;
};

struct SweepResult {
  ingest::FeedSummary feed;
  std::int64_t assessed = 0;           // attendances in the range, through the engine
  std::int64_t on_worklist = 0;        // items written
  std::int64_t sorted_runs = 0;        // runs the input sort spilled to disk
  std::int64_t history_evictions = 0;  // people dropped once nothing was left in their window
  std::int64_t max_people_in_memory = 0;
  // kExpectOrdered only: the feed was not in arrival order; nothing was written, and feed
  // issues were reported up to last_line_read (a block at a time, so possibly none).
  bool out_of_order = false;
  std::int64_t last_line_read = 0;
};

// Validates the options: history_days >= 0, workers >= 1, from <= to, budgets > 0.
Status ValidateSweepOptions(const SweepOptions& options);

// Runs the sweep. Fails on a feed read failure, a temporary-file failure, or a sink failure.
Result<SweepResult> RunSweep(std::istream& in, ingest::FeedFormat format,
                             const recognition::Engine& engine, const SweepOptions& options,
                             const SweepCallbacks& callbacks);

}  // namespace liaison::review
