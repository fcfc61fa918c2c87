#include "app/attendance_intake.h"

#include <utility>

#include "app/access_policy.h"
#include "app/register_service.h"
#include "common/hash.h"
#include "ingest/attendance_json.h"

namespace liaison::app {
namespace {

// The audit reason of every stored version: what the access was for, whoever sent it.
constexpr std::string_view kFeedReason = "attendance feed";

// PostgreSQL lets two transactions both see "no version 2 yet" and race to insert it; the
// loser gets duplicate_attendance_version and re-reads. A few rounds always settle it.
constexpr int kInsertAttempts = 3;

IntakeResult Rejected(std::string field, std::string reason) {
  IntakeResult result;
  result.status = IntakeStatus::kRejected;
  result.field = std::move(field);
  result.reason = std::move(reason);
  return result;
}

std::optional<domain::NhsNumber> VerifiedNhsNumber(const domain::Attendance& attendance) {
  const std::optional<domain::RecordedNhsNumber>& recorded = attendance.patient.nhs_number;
  if (!recorded || !recorded->verified) return std::nullopt;
  Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(recorded->text);
  if (!parsed.ok()) return std::nullopt;  // never trust a number that does not parse
  return *parsed;
}

}  // namespace

std::string_view IntakeStatusSlug(IntakeStatus status) {
  switch (status) {
    case IntakeStatus::kCreated:
      return "created";
    case IntakeStatus::kUpdated:
      return "updated";
    case IntakeStatus::kUnchanged:
      return "unchanged";
    case IntakeStatus::kRejected:
      return "rejected";
  }
  return "rejected";
}

AttendanceBatch::AttendanceBatch(Key, AuditedWork work, Actor actor,
                                 std::optional<domain::OrgId> owner, Timestamp received_at,
                                 std::shared_ptr<const RegisterMatcher> matcher)
    : work_(std::move(work)),
      actor_(std::move(actor)),
      owner_(owner),
      received_at_(received_at),
      matcher_(std::move(matcher)) {}

AttendanceBatch::~AttendanceBatch() = default;

Result<IntakeResult> AttendanceBatch::Add(const domain::Attendance& attendance) {
  storage::UnitOfWork& store = work_.store();
  storage::AttendanceVersion row;
  row.site_code = attendance.site;
  row.attendance_id = attendance.attendance_id;
  row.arrival = attendance.arrival;
  row.received_at = received_at_;
  row.verified_nhs_number = VerifiedNhsNumber(attendance);
  row.document = ingest::EncodeAttendanceJson(attendance);
  row.content_hash = Blake2bHex(row.document);
  row.owner = owner_;

  Result<domain::Site> site = store.GetSiteByCode(attendance.site);
  if (site.ok()) {
    row.site_status = storage::SiteStatus::kConfigured;
    // A feed writes only for its own organisation's sites: otherwise one trust could add
    // versions to another's records.
    if (owner_ && site->org != *owner_) return Rejected("/site", "site_of_another_organisation");
    if (!owner_) row.owner = site->org;
  } else if (site.status().code() == StatusCode::kNotFound) {
    row.site_status = storage::SiteStatus::kUnconfigured;
  } else {
    return site.status();
  }

  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(std::optional<storage::AttendanceVersion> latest,
                     store.LatestAttendance(attendance.site, attendance.attendance_id));
    if (latest) {
      // A local import without --org carries on the organisation of the earlier versions.
      if (!owner_ && row.site_status == storage::SiteStatus::kUnconfigured) {
        row.owner = latest->owner;
      }
      if (latest->owner != row.owner) {
        return Rejected("/attendance_id", "attendance_of_another_organisation");
      }
      if (latest->content_hash == row.content_hash) {
        IntakeResult result;
        result.status = IntakeStatus::kUnchanged;
        result.record = latest->id;
        result.version = latest->version;
        result.unknown_site = row.site_status == storage::SiteStatus::kUnconfigured;
        return result;
      }
    }
    row.version = latest ? latest->version + 1 : 1;
    Result<storage::AttendanceRecordId> inserted = store.InsertAttendanceVersion(row);
    if (!inserted.ok()) {
      if (inserted.status().reason() == "duplicate_attendance_version" &&
          attempt < kInsertAttempts) {
        continue;
      }
      return inserted.status();
    }
    IntakeResult result;
    result.status = row.version == 1 ? IntakeStatus::kCreated : IntakeStatus::kUpdated;
    result.record = *inserted;
    result.version = row.version;
    result.unknown_site = row.site_status == storage::SiteStatus::kUnconfigured;
    RETURN_IF_ERROR(
        work_.Append({actor_.id, row.version == 1 ? "attendance.create" : "attendance.update",
                      "attendance", std::to_string(inserted->value()), std::string(kFeedReason)}));
    // The point-of-care check, in this same unit of work: the alert, the access record and
    // the notification commit with the attendance or not at all.
    ASSIGN_OR_RETURN(RegisterCheckOutcome check,
                     CheckRegisterAtPointOfCare(work_, actor_, *matcher_, *inserted, attendance,
                                                row.owner, received_at_));
    result.register_alerts = check.alerts;
    result.register_referred = check.referred;
    result.concern_level = result.concern_level.RaisedBy(check.level);
    return result;
  }
}

Status AttendanceBatch::Commit() { return work_.Commit(); }

Result<std::unique_ptr<AttendanceBatch>> AttendanceIntake::Begin(
    const Actor& actor, std::optional<std::string_view> org_code) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  std::optional<domain::OrgId> owner;
  if (actor.principal) {
    // A network sender always sends for its own organisation, whatever it asks for.
    owner = actor.principal->org;
  } else if (org_code) {
    Result<domain::Organisation> org = work.store().GetOrganisationByCode(*org_code);
    if (!org.ok()) {
      if (org.status().code() == StatusCode::kNotFound) {
        return NotFound("unknown_organisation", "no organisation has this code", "/org");
      }
      return org.status();
    }
    owner = org->id;
  }
  RETURN_IF_ERROR(Authorize(work, actor, Action::kAttendanceFeed, owner, "attendance", ""));
  return std::make_unique<AttendanceBatch>(AttendanceBatch::Key(), std::move(work), actor, owner,
                                           clock_.Now(), matcher_);
}

AttendanceIntake::AttendanceIntake(storage::Store& store, const AuditLog& audit, const Clock& clock,
                                   std::shared_ptr<const RegisterMatcher> matcher)
    : store_(store),
      audit_(audit),
      clock_(clock),
      matcher_(matcher ? std::move(matcher) : DefaultRegisterMatcher()) {}

}  // namespace liaison::app
