// The register upload CSV (contracts.md "The register upload"; docs/register.md): one entry
// per record, columns matched by header name, extra columns ignored, any optional column may
// be absent. Only `id` must be in the header.
//
// Per row: a bad value rejects the row with the column named (`line N: FIELD: reason`); an
// invalid NHS number (child or mother) is not a rejection: it is stored as absent, with a
// warning and a data-quality note on the entry. The optional `action` column is `upsert` (the
// default) or `delete`; a delete row needs only `id`.
//
// Streams through CsvReader, so memory stays flat whatever the file size. Not thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/register_entry.h"
#include "ingest/feed_reader.h"

namespace liaison::ingest {

enum class RegisterAction { kUpsert, kDelete };

// One readable row. `entry.owner` and `entry.id` are left for the caller.
struct RegisterRow {
  std::int64_t line = 0;
  RegisterAction action = RegisterAction::kUpsert;
  domain::RegisterEntry entry;
  // Warnings for this row (reported through OnIssue once the visitor accepts the row).
  std::vector<RowIssue> warnings;
};

class RegisterVisitor {
 public:
  virtual ~RegisterVisitor() = default;
  RegisterVisitor() = default;
  RegisterVisitor(const RegisterVisitor&) = delete;
  RegisterVisitor& operator=(const RegisterVisitor&) = delete;

  // A row that passed validation. The visitor may still reject it (a duplicate, say) by
  // returning an issue; a non-OK status stops the run.
  virtual Result<std::optional<RowIssue>> OnRow(RegisterRow row) = 0;
  // A rejected row or a warning.
  virtual void OnIssue(const RowIssue& issue) = 0;
  // The authority's id of a row rejected for a bad value, when the id itself was readable, so
  // that a full replacement can keep that child's existing entry rather than drop it.
  virtual void OnRejectedId(std::string_view local_id) { (void)local_id; }
};

// Longest accepted record; a longer one is rejected as "record_too_long".
inline constexpr std::size_t kMaxRegisterRowBytes = 16 * 1024;
// Longest accepted text value (names, contacts, worker, category).
inline constexpr std::size_t kMaxRegisterFieldBytes = 200;

// Reads the whole file. Fails only when it cannot go on: a read error, an unreadable header,
// a header without `id` ("missing_column", field "id"), a column named twice
// ("duplicate_column"), or a visitor failure.
Result<FeedSummary> ReadRegisterCsv(std::istream& in, RegisterVisitor& visitor);

// Decodes one record against a header; used by ReadRegisterCsv and by the JSON upload, which
// presents each object as (names, values). On a bad value returns kInvalidArgument with the
// column as field and a stable reason.
struct RegisterFieldValue {
  std::string_view name;
  std::string_view value;
};
Result<RegisterRow> DecodeRegisterRow(std::span<const RegisterFieldValue> fields);

// The register's `sex` column: female, male, other or unknown (F and M accepted), any case;
// empty is unknown. Fails "invalid_sex" on the column "sex".
Result<domain::Sex> RegisterSexValue(std::string_view value);

// The header the generator writes and docs/register.md lists, without `action`.
std::string RegisterCsvHeader();

}  // namespace liaison::ingest
