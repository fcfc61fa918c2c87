#include "app/register_service.h"

#include <cstdio>
#include <utility>

#include "app/access_policy.h"
#include "common/hash.h"
#include "common/time_format.h"
#include "domain/working_day_calendar.h"

namespace liaison::app {
namespace {

// app/ builds its few JSON texts by hand (it may not depend on a JSON library); every string
// goes through this escaper.
void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// "name":"value",
void Member(std::string& out, std::string_view name, std::string_view value) {
  AppendJsonString(out, name);
  out.push_back(':');
  AppendJsonString(out, value);
  out.push_back(',');
}

void DateMember(std::string& out, std::string_view name,
                const std::optional<std::chrono::year_month_day>& date) {
  AppendJsonString(out, name);
  out += date ? ":\"" + FormatDate(*date) + "\"," : ":null,";
}

std::string_view StatusLabel(domain::RegisterStatus status) {
  switch (status) {
    case domain::RegisterStatus::kCpPlan:
      return "On a child protection plan";
    case domain::RegisterStatus::kLookedAfter:
      return "Looked after";
    case domain::RegisterStatus::kUnbornCpPlan:
      return "Unborn child on a pre-birth child protection plan";
    case domain::RegisterStatus::kChildInNeed:
      return "Child in need";
  }
  return "On the register";
}

std::string Label(const domain::RegisterEntry& entry, domain::PlanStanding standing) {
  std::string label(StatusLabel(entry.status));
  if (standing == domain::PlanStanding::kPrevious && entry.end_date) {
    return "Previously on a plan (" + label + ", ended " + FormatDate(*entry.end_date) + ")";
  }
  if (standing == domain::PlanStanding::kNotStarted && entry.start_date) {
    return label + " (from " + FormatDate(*entry.start_date) + ")";
  }
  return label;
}

// The alert shown to the clinician: status, dates, responsible authority, contacts and the
// last accesses. No demographics: the clinician already has the patient in front of them.
std::string AlertDetail(const domain::RegisterEntry& entry, std::string_view basis,
                        domain::PlanStanding standing, domain::ConcernLevel level,
                        const std::vector<storage::RegisterAccess>& accesses) {
  std::string out = "{";
  out += "\"entry_id\":" + std::to_string(entry.id.value()) + ",";
  Member(out, "label", Label(entry, standing));
  Member(out, "status", domain::RegisterStatusSlug(entry.status));
  Member(out, "standing", domain::PlanStandingSlug(standing));
  Member(out, "plan_category", entry.plan_category);
  DateMember(out, "start_date", entry.start_date);
  DateMember(out, "end_date", entry.end_date);
  Member(out, "responsible_org", entry.responsible_org);
  Member(out, "contact_in_hours", entry.contact_in_hours);
  Member(out, "contact_out_of_hours", entry.contact_out_of_hours);
  Member(out, "allocated_worker", entry.allocated_worker);
  Member(out, "basis", basis);
  Member(out, "concern_level", level.Slug());
  out += "\"last_accesses\":[";
  for (size_t i = 0; i < accesses.size(); ++i) {
    const storage::RegisterAccess& access = accesses[i];
    out += i == 0 ? "{" : ",{";
    Member(out, "at", FormatTimestamp(access.at));
    Member(out, "actor", access.actor);
    Member(out, "org", access.org_code);
    Member(out, "kind", access.kind);
    AppendJsonString(out, "site");
    out.push_back(':');
    AppendJsonString(out, access.site);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

std::string OrgCodeOf(const Actor& actor) {
  return actor.principal ? actor.principal->org_code : std::string("local");
}

// A candidate the review decisions have already settled, or one still to ask about.
struct Resolved {
  std::vector<RegisterCandidate> matches;
  std::vector<RegisterCandidate> potentials;
};

// Applies remembered review decisions to demographic candidates: cannot_link drops a
// candidate whatever its band, must_link turns a potential into a match. Exact (NHS number)
// matches stand as they are; the linker's `match` band raises an alert; its `potential` band
// goes to the review queue, never to the point-of-care screen.
Result<Resolved> Resolve(storage::UnitOfWork& work, std::vector<RegisterCandidate> candidates,
                         const std::string& subject_key) {
  Resolved resolved;
  for (RegisterCandidate& candidate : candidates) {
    if (candidate.basis != "demographics") {
      resolved.matches.push_back(std::move(candidate));
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<storage::RegisterReviewItem> decided,
                     work.FindReviewItem(candidate.entry.id, subject_key));
    if (decided && decided->decision == "cannot_link") continue;
    if (decided && decided->decision == "must_link") {
      candidate.basis = "review_decision";
      resolved.matches.push_back(std::move(candidate));
    } else if (candidate.band == MatchBand::kMatch) {
      resolved.matches.push_back(std::move(candidate));
    } else {
      resolved.potentials.push_back(std::move(candidate));
    }
  }
  return resolved;
}

// The subject of a review item: the query's demographics, for the safeguarding team only.
std::string SubjectJson(const RegisterQuery& query) {
  std::string out = "{";
  Member(out, "nhs_number", query.nhs_number ? query.nhs_number->digits() : "");
  Member(out, "given_name", query.given_name);
  Member(out, "family_name", query.family_name);
  Member(out, "birth_date", query.birth_date ? FormatDate(*query.birth_date) : "");
  Member(out, "sex", domain::SexSlug(query.sex));
  AppendJsonString(out, "postcode");
  out.push_back(':');
  AppendJsonString(out, query.postcode);
  return out + "}";
}

Status QueueForReview(storage::UnitOfWork& work, const RegisterCandidate& candidate,
                      const RegisterQuery& query, const std::string& subject_key,
                      std::optional<storage::AttendanceRecordId> attendance,
                      domain::OrgId reviewing_org, Timestamp now) {
  storage::RegisterReviewItem item;
  item.entry = candidate.entry.id;
  item.subject_key = subject_key;
  item.subject = SubjectJson(query);
  item.attendance = attendance;
  item.reviewing_org = reviewing_org;
  item.probability = candidate.probability;
  item.explanation = candidate.explanation;
  item.state = "open";
  item.created_at = now;
  return internal::ToStatus(work.InsertReviewItem(item));
}

// Stores the access, returns the alert detail (built from the accesses before this one).
Result<std::string> RecordAccess(storage::UnitOfWork& work, const RegisterCandidate& candidate,
                                 domain::PlanStanding standing, storage::RegisterAccess access) {
  ASSIGN_OR_RETURN(std::vector<storage::RegisterAccess> accesses,
                   work.ListRegisterAccesses(candidate.entry.id, kAlertAccessCount));
  std::string detail = AlertDetail(candidate.entry, candidate.basis, standing,
                                   domain::ConcernLevel::Review(), accesses);
  RETURN_IF_ERROR(work.InsertRegisterAccess(access));
  return detail;
}

}  // namespace

RegisterQuery QueryFor(const domain::Attendance& attendance) {
  const domain::AttendancePatient& patient = attendance.patient;
  RegisterQuery query;
  if (patient.nhs_number && patient.nhs_number->verified) {
    Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(patient.nhs_number->text);
    if (parsed.ok()) query.nhs_number = *parsed;
  }
  query.given_name = patient.given_name.value_or("");
  query.family_name = patient.family_name.value_or("");
  query.birth_date = patient.birth_date;
  query.sex = patient.sex.value_or(domain::Sex::kUnknown);
  query.postcode = patient.postcode.value_or("");
  query.pregnant = patient.pregnant.value_or(false);
  return query;
}

Result<RegisterCheckOutcome> CheckRegisterAtPointOfCare(AuditedWork& work, const Actor& actor,
                                                        const RegisterMatcher& matcher,
                                                        storage::AttendanceRecordId record,
                                                        const domain::Attendance& attendance,
                                                        std::optional<domain::OrgId> reviewing_org,
                                                        Timestamp now) {
  RegisterCheckOutcome outcome;
  RegisterQuery query = QueryFor(attendance);
  std::chrono::year_month_day today = domain::LondonDate(attendance.arrival);
  ASSIGN_OR_RETURN(std::vector<RegisterCandidate> candidates,
                   matcher.Find(work.store(), query, today));
  if (candidates.empty()) return outcome;
  std::string subject_key = SubjectKey(query);
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(work.store(), std::move(candidates), subject_key));
  std::string department =
      attendance.department ? std::string(domain::Slug(*attendance.department)) : "";
  for (const RegisterCandidate& match : resolved.matches) {
    domain::PlanStanding standing = domain::StandingOn(match.entry, today);
    ASSIGN_OR_RETURN(std::string detail, RecordAccess(work.store(), match, standing,
                                                      {match.entry.id, now, actor.id, "attendance",
                                                       OrgCodeOf(actor), attendance.site}));
    storage::RegisterAlert alert{0,
                                 record,
                                 match.entry.id,
                                 match.basis,
                                 std::string(domain::ConcernLevel::Review().Slug()),
                                 detail,
                                 now};
    RETURN_IF_ERROR(work.store().InsertRegisterAlert(alert));
    ASSIGN_OR_RETURN(domain::Organisation owner, work.store().GetOrganisation(match.entry.owner));
    // Minimal data only: the authority's own id for the child, where, when, which service.
    std::string payload = "{";
    Member(payload, "to", owner.code);
    Member(payload, "kind", "attendance");
    Member(payload, "register_id", match.entry.local_id);
    Member(payload, "site", attendance.site);
    Member(payload, "arrival", FormatTimestamp(attendance.arrival));
    AppendJsonString(payload, "department");
    payload.push_back(':');
    AppendJsonString(payload, department);
    payload += "}";
    // One notification per child per attendance, however many versions of it arrive.
    RETURN_IF_ERROR(work.store().EnqueueNotification(
        {"register.attendance:" + std::to_string(match.entry.id.value()) + ":" +
             Blake2bHex(attendance.site + "\n" + attendance.attendance_id),
         "register.attendance", payload, now}));
    RETURN_IF_ERROR(work.Append({actor.id, "register.alert", "register_entry",
                                 std::to_string(match.entry.id.value()), "point of care check"}));
    ++outcome.alerts;
    outcome.level = outcome.level.RaisedBy(domain::ConcernLevel::Review());
  }
  if (reviewing_org && reviewing_org->valid()) {
    for (const RegisterCandidate& potential : resolved.potentials) {
      RETURN_IF_ERROR(
          QueueForReview(work.store(), potential, query, subject_key, record, *reviewing_org, now));
      ++outcome.referred;
    }
  }
  return outcome;
}

std::optional<UploadMode> UploadModeFromSlug(std::string_view slug) {
  if (slug == "full") return UploadMode::kFull;
  if (slug == "delta") return UploadMode::kDelta;
  return std::nullopt;
}

RegisterUploadBatch::RegisterUploadBatch(Key, AuditedWork work, Actor actor,
                                         storage::RegisterUpload upload)
    : work_(std::move(work)), actor_(std::move(actor)), upload_(std::move(upload)) {}

Result<std::optional<ingest::RowIssue>> RegisterUploadBatch::Add(ingest::RegisterRow row) {
  using Issue = std::optional<ingest::RowIssue>;
  storage::UnitOfWork& store = work_.store();
  const bool full = upload_.mode == "full";
  const std::string& id = row.entry.local_id;
  if (lines_by_id_.contains(id)) return Issue(ingest::RowIssue{row.line, "id", "duplicate_entry"});
  if (row.action == ingest::RegisterAction::kDelete) {
    if (full) return Issue(ingest::RowIssue{row.line, "action", "delete_needs_delta_mode"});
    ASSIGN_OR_RETURN(bool deleted, store.DeleteRegisterEntry(upload_.org, id));
    if (!deleted) return Issue(ingest::RowIssue{row.line, "id", "not_on_register"});
    lines_by_id_[id] = row.line;
    ++deleted_;
    return Issue();
  }
  if (row.entry.nhs_number) {
    const std::string& digits = row.entry.nhs_number->digits();
    auto earlier = ids_by_nhs_.find(digits);
    if (earlier != ids_by_nhs_.end() && earlier->second != id) {
      return Issue(ingest::RowIssue{row.line, "nhs_number", "duplicate_child"});
    }
    if (!full) {
      // A delta must not add a second entry for a child the authority already has.
      ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> stored,
                       store.FindRegisterEntriesByNhsNumber(*row.entry.nhs_number));
      for (const domain::RegisterEntry& entry : stored) {
        if (entry.owner == upload_.org && entry.local_id != id) {
          return Issue(ingest::RowIssue{row.line, "nhs_number", "duplicate_child"});
        }
      }
    }
    ids_by_nhs_[digits] = id;
  }
  lines_by_id_[id] = row.line;
  row.entry.owner = upload_.org;
  RETURN_IF_ERROR(store.UpsertRegisterEntry(row.entry, upload_.id));
  return Issue();
}

Status RegisterUploadBatch::KeepExisting(std::string_view local_id) {
  if (upload_.mode != "full") return Status::Ok();
  ASSIGN_OR_RETURN(std::optional<domain::RegisterEntry> existing,
                   work_.store().FindRegisterEntry(upload_.org, local_id));
  if (!existing) return Status::Ok();
  return internal::ToStatus(work_.store().UpsertRegisterEntry(*existing, upload_.id));
}

Result<std::int64_t> RegisterUploadBatch::Finish(const ingest::FeedSummary& summary) {
  if (upload_.mode == "full") {
    ASSIGN_OR_RETURN(std::int64_t removed,
                     work_.store().DeleteRegisterEntriesOutside(upload_.org, upload_.id));
    deleted_ += removed;
  }
  upload_.read = summary.read;
  upload_.accepted = summary.accepted;
  upload_.rejected = summary.rejected;
  RETURN_IF_ERROR(work_.store().UpdateRegisterUploadCounts(upload_));
  RETURN_IF_ERROR(
      work_.Append({actor_.id, "register.upload", "register_upload", std::to_string(upload_.id),
                    actor_.reason + " [" + upload_.mode + "]"}));
  RETURN_IF_ERROR(work_.Commit());
  return deleted_;
}

Result<std::unique_ptr<RegisterUploadBatch>> RegisterService::BeginUpload(
    const Actor& actor, std::optional<std::string_view> org_code, UploadMode mode) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  std::optional<domain::OrgId> owner;
  if (actor.principal) {
    owner = actor.principal->org;  // over the network, always one's own organisation
  } else if (org_code) {
    Result<domain::Organisation> org = work.store().GetOrganisationByCode(*org_code);
    if (!org.ok()) {
      if (org.status().code() == StatusCode::kNotFound) {
        return NotFound("unknown_organisation", "no organisation has this code", "/org");
      }
      return org.status();
    }
    owner = org->id;
  } else {
    return InvalidArgument("missing_org", "name the uploading local authority", "/org");
  }
  RETURN_IF_ERROR(Authorize(work, actor, Action::kRegisterUpload, owner, "register_upload", ""));
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisation(*owner));
  if (org.kind != domain::OrgKind::kLocalAuthority) {
    // A trust holds no register: refused like any other denial, and audited as one.
    RETURN_IF_ERROR(work.Append({actor.id, "register.upload", "register_upload", "",
                                 actor.reason + " [denied: not_a_local_authority]", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Status(StatusCode::kPermissionDenied, "not_a_local_authority",
                  "only a local authority uploads a register", "/org");
  }
  storage::RegisterUpload upload;
  upload.org = *owner;
  upload.mode = mode == UploadMode::kFull ? "full" : "delta";
  upload.actor = actor.id;
  upload.received_at = clock_.Now();
  ASSIGN_OR_RETURN(upload.id, work.store().InsertRegisterUpload(upload));
  return std::make_unique<RegisterUploadBatch>(RegisterUploadBatch::Key(), std::move(work), actor,
                                               std::move(upload));
}

Result<LookupResult> RegisterService::Lookup(const Actor& actor, const RegisterQuery& query,
                                             bool silent) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kRegisterLookup, "register", ""));
  const Timestamp now = clock_.Now();
  std::chrono::year_month_day today = domain::LondonDate(now);
  ASSIGN_OR_RETURN(std::vector<RegisterCandidate> candidates,
                   matcher_->Find(work.store(), query, today));
  std::string subject_key = SubjectKey(query);
  ASSIGN_OR_RETURN(Resolved resolved, Resolve(work.store(), std::move(candidates), subject_key));
  LookupResult result;
  result.demographic_matching = matcher_->demographic_matching();
  const std::string reason = actor.reason + (silent ? " [silent lookup]" : " [lookup]");
  for (const RegisterCandidate& match : resolved.matches) {
    domain::PlanStanding standing = domain::StandingOn(match.entry, today);
    ASSIGN_OR_RETURN(std::string detail,
                     RecordAccess(work.store(), match, standing,
                                  {match.entry.id, now, actor.id,
                                   silent ? "silent_lookup" : "lookup", OrgCodeOf(actor), ""}));
    result.alerts.push_back(std::move(detail));
    result.matches.emplace_back(match.entry, standing);
    if (!silent) {
      ASSIGN_OR_RETURN(domain::Organisation owner, work.store().GetOrganisation(match.entry.owner));
      std::string payload = "{";
      Member(payload, "to", owner.code);
      Member(payload, "kind", "lookup");
      Member(payload, "register_id", match.entry.local_id);
      Member(payload, "organisation", OrgCodeOf(actor));
      AppendJsonString(payload, "at");
      payload += ":\"" + FormatTimestamp(now) + "\"}";
      RETURN_IF_ERROR(work.store().EnqueueNotification(
          {"register.lookup:" + std::to_string(match.entry.id.value()) + ":" + RandomHex(8),
           "register.lookup", payload, now}));
    }
    RETURN_IF_ERROR(work.Append({actor.id, "register.lookup", "register_entry",
                                 std::to_string(match.entry.id.value()), reason}));
  }
  if (actor.principal && !resolved.potentials.empty()) {
    for (const RegisterCandidate& potential : resolved.potentials) {
      RETURN_IF_ERROR(QueueForReview(work.store(), potential, query, subject_key, std::nullopt,
                                     actor.principal->org, now));
    }
    result.referred = true;
  }
  if (resolved.matches.empty()) {
    RETURN_IF_ERROR(
        work.Append({actor.id, "register.lookup", "register", "",
                     reason + (result.referred ? " [referred for review]" : " [not found]")}));
  }
  RETURN_IF_ERROR(work.Commit());
  result.found = !result.alerts.empty();
  result.message = std::string(result.found      ? kFoundMessage
                               : result.referred ? kReferredMessage
                                                 : kNotFoundMessage);
  return result;
}

Result<std::vector<ReviewQueueItem>> RegisterService::ReviewQueue(const Actor& actor) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kRegisterReview, "register_review", ""));
  std::vector<ReviewQueueItem> queue;
  if (!actor.principal) return queue;  // a local operator belongs to no trust
  ASSIGN_OR_RETURN(std::vector<storage::RegisterReviewItem> items,
                   work.store().ListOpenReviewItems(actor.principal->org));
  for (storage::RegisterReviewItem& item : items) {
    Result<domain::RegisterEntry> entry = work.store().GetRegisterEntry(item.entry);
    if (!entry.ok()) {
      if (entry.status().code() == StatusCode::kNotFound) continue;  // removed since
      return entry.status();
    }
    queue.push_back({std::move(item), *std::move(entry)});
  }
  RETURN_IF_ERROR(work.Append({actor.id, "register.review", "register_review", "",
                               actor.reason + " [queue of " + std::to_string(queue.size()) + "]"}));
  RETURN_IF_ERROR(work.Commit());
  return queue;
}

Result<storage::RegisterReviewItem> RegisterService::Decide(const Actor& actor,
                                                            std::int64_t item_id, bool same) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  const std::string record_id = std::to_string(item_id);
  RETURN_IF_ERROR(
      AuthorizeRole(work, actor, Action::kRegisterReview, "register_review_item", record_id));
  Result<storage::RegisterReviewItem> found = work.store().GetReviewItem(item_id);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) {
      return NotFound("unknown_review_item", "no review item has this id", "/id");
    }
    return found.status();
  }
  storage::RegisterReviewItem item = *std::move(found);
  // Another trust's item answers exactly like a missing one (and the attempt is audited).
  Status allowed = Authorize(work, actor, Action::kRegisterReview, item.reviewing_org,
                             "register_review_item", record_id);
  if (allowed.reason() == "out_of_scope") {
    return NotFound("unknown_review_item", "no review item has this id", "/id");
  }
  RETURN_IF_ERROR(allowed);
  if (item.state == "decided") {
    return FailedPrecondition("already_decided", "this item has been decided");
  }
  Result<domain::RegisterEntry> entry = work.store().GetRegisterEntry(item.entry);
  if (!entry.ok() && entry.status().code() != StatusCode::kNotFound) return entry.status();
  // Linking a child on a plan (or looked after) needs two people; a child in need one.
  const bool needs_second = !entry.ok() || entry->status != domain::RegisterStatus::kChildInNeed;
  const Timestamp now = clock_.Now();
  if (item.state == "awaiting_second_review") {
    if (actor.id == item.first_reviewer) {
      return FailedPrecondition("second_reviewer_required",
                                "a second reviewer must confirm this link");
    }
    item.second_reviewer = actor.id;
    item.state = "decided";
    item.decision = same ? "must_link" : "cannot_link";
    item.decided_at = now;
  } else {
    item.first_reviewer = actor.id;
    if (same && needs_second) {
      item.state = "awaiting_second_review";
    } else {
      item.state = "decided";
      item.decision = same ? "must_link" : "cannot_link";
      item.decided_at = now;
    }
  }
  RETURN_IF_ERROR(work.store().UpdateReviewItem(item));
  RETURN_IF_ERROR(
      work.Append({actor.id, "register.review.decide", "register_review_item", record_id,
                   actor.reason + " [" + (same ? "same" : "different") + " -> " + item.state +
                       (item.decision.empty() ? "" : " " + item.decision) + "]"}));
  RETURN_IF_ERROR(work.Commit());
  return item;
}

std::shared_ptr<const RegisterMatcher> DefaultRegisterMatcher() {
  static const std::shared_ptr<const RegisterMatcher> matcher =
      std::make_shared<const RegisterMatcher>();
  return matcher;
}

}  // namespace liaison::app
