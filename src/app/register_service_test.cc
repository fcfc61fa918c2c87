// The register on both backends: uploads (full and delta, duplicates, removals), the
// point-of-care check inside the attendance's unit of work (alert, access, minimal
// notification, concern level), lookups (found, not found in words, silent), and the review
// queue with its two-reviewer rule, through a stand-in linker.
#include "app/register_service.h"

#include <gtest/gtest.h>

#include "app/attendance_intake.h"
#include "common/time_format.h"
#include "ingest/attendance_json.h"
#include "storage/test_database.h"

namespace liaison::app {
namespace {

constexpr std::string_view kChildNhs = "9434765919";
constexpr std::string_view kMotherNhs = "9999999999";

domain::Attendance Parse(std::string_view json) {
  Result<ingest::DecodedAttendance> decoded = ingest::DecodeAttendanceJson(json);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  return decoded.ok() ? decoded->attendance : domain::Attendance{};
}

std::string AttendanceFor(std::string_view id, std::string_view patient) {
  return R"({"attendance_id":")" + std::string(id) +
         R"(","site":"RXA01","arrival":"2026-11-20T10:00:00Z","department":"emergency",)"
         R"("patient":)" +
         std::string(patient) + "}";
}

ingest::RegisterRow Row(std::string id, std::optional<std::string_view> nhs,
                        domain::RegisterStatus status = domain::RegisterStatus::kCpPlan) {
  ingest::RegisterRow row;
  row.entry.local_id = std::move(id);
  if (nhs) row.entry.nhs_number = *domain::NhsNumber::Parse(*nhs);
  row.entry.given_name = "Ava";
  row.entry.family_name = "Nowak";
  row.entry.birth_date = *ParseDate("2020-03-04");
  row.entry.status = status;
  row.entry.plan_category = "neglect";
  row.entry.start_date = *ParseDate("2026-01-02");
  row.entry.responsible_org = "LAN";
  row.entry.contact_in_hours = "01632 960001";
  row.entry.contact_out_of_hours = "01632 960501";
  row.entry.allocated_worker = "Sam Worker";
  return row;
}

// Stands in for the probabilistic linker: a blocked candidate with the same family and given
// names is a match; with the same family name only, a potential match.
class SurnameLinker final : public DemographicLinker {
 public:
  Result<std::vector<LinkedEntry>> Link(storage::UnitOfWork& work,
                                        const RegisterQuery& query) const override {
    std::vector<LinkedEntry> out;
    if (!query.birth_date) return out;
    ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> candidates,
                     work.FindRegisterEntriesBornOn(BirthDateKeys(*query.birth_date)));
    for (const domain::RegisterEntry& entry : candidates) {
      if (entry.family_name != query.family_name) continue;
      bool same_given = entry.given_name == query.given_name;
      out.push_back({entry.id, same_given ? MatchBand::kMatch : MatchBand::kPotential,
                     same_given ? 0.999 : 0.7, R"([{"field":"family_name","weight":4.2}])"});
    }
    return out;
  }
};

class RegisterServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::TestDatabase>> database =
        storage::TestDatabase::Create(GetParam());
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(database).value();
    store_ = std::move(storage::OpenStore(database_->url(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
    auto work = std::move(store_->Begin()).value();
    trust_ = *work->InsertOrganisation({{}, "RXA", "Trust A", domain::OrgKind::kTrust});
    la_ = *work->InsertOrganisation({{}, "LAN", "North", domain::OrgKind::kLocalAuthority});
    ASSERT_TRUE(work->InsertSite({{}, trust_, "RXA01", "ED"}).ok());
    ASSERT_TRUE(work->Commit().ok());
  }

  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  Actor UserOf(domain::Role role, domain::OrgId org, std::string code, std::int64_t id = 5) {
    Principal principal;
    principal.kind = Principal::Kind::kUser;
    principal.id = id;
    principal.role = role;
    principal.org = org;
    principal.org_code = std::move(code);
    return ActorFor(principal, "direct care");
  }
  Actor Clinician() { return UserOf(domain::Role::kEdClinician, trust_, "RXA"); }

  RegisterService Service(std::shared_ptr<const DemographicLinker> linker = nullptr) {
    return RegisterService(*store_, audit_, clock_,
                           std::make_shared<const RegisterMatcher>(std::move(linker)));
  }

  // Uploads `rows` as the CLI would; returns the issues.
  std::vector<ingest::RowIssue> Upload(std::vector<ingest::RegisterRow> rows, UploadMode mode,
                                       std::int64_t* removed = nullptr) {
    RegisterService service = Service();
    auto batch = service.BeginUpload({"cli", "test"}, "LAN", mode);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    std::vector<ingest::RowIssue> issues;
    ingest::FeedSummary summary;
    for (ingest::RegisterRow& row : rows) {
      ++summary.read;
      Result<std::optional<ingest::RowIssue>> added = (*batch)->Add(std::move(row));
      EXPECT_TRUE(added.ok());
      if (added.ok() && *added) issues.push_back(**added);
    }
    Result<std::int64_t> finished = (*batch)->Finish(summary);
    EXPECT_TRUE(finished.ok()) << finished.status().ToString();
    if (removed != nullptr) *removed = finished.ok() ? *finished : -1;
    return issues;
  }

  IntakeResult Attend(std::string_view json, std::shared_ptr<const DemographicLinker> linker = {}) {
    AttendanceIntake intake(*store_, audit_, clock_,
                            std::make_shared<const RegisterMatcher>(std::move(linker)));
    Principal feed;
    feed.kind = Principal::Kind::kToken;
    feed.id = 7;
    feed.role = domain::Role::kSystemFeed;
    feed.org = trust_;
    feed.org_code = "RXA";
    feed.token_scope = domain::TokenScope::kAttendanceFeed;
    auto batch = intake.Begin(ActorFor(feed, "feed"));
    EXPECT_TRUE(batch.ok());
    Result<IntakeResult> result = (*batch)->Add(Parse(json));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_TRUE((*batch)->Commit().ok());
    return result.ok() ? *result : IntakeResult{};
  }

  std::vector<storage::Notification> Outbox() {
    Result<std::vector<storage::Notification>> claimed = store_->ClaimDueNotifications(
        clock_.Now() + std::chrono::hours(1), 100, std::chrono::hours(10));
    EXPECT_TRUE(claimed.ok());
    return claimed.ok() ? *claimed : std::vector<storage::Notification>{};
  }

  std::int64_t Count(domain::OrgId org) {
    auto work = std::move(store_->Begin()).value();
    return *work->CountRegisterEntries(org);
  }

  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-20T10:05:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  domain::OrgId trust_;
  domain::OrgId la_;
};

TEST_P(RegisterServiceTest, FullUploadsReplaceDeltasUpsertAndDeleteAndDuplicatesAreReported) {
  std::vector<ingest::RowIssue> issues = Upload({Row("C1", kChildNhs), Row("C1", "9876543210"),
                                                 Row("C2", kChildNhs), Row("C3", std::nullopt)},
                                                UploadMode::kFull);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].field, "id");
  EXPECT_EQ(issues[0].reason, "duplicate_entry");
  EXPECT_EQ(issues[1].field, "nhs_number");
  EXPECT_EQ(issues[1].reason, "duplicate_child");
  EXPECT_EQ(Count(la_), 2);

  // Delta: a new child, a removal, an unknown removal, and a second entry for a known child.
  ingest::RegisterRow removal;
  removal.entry.local_id = "C3";
  removal.action = ingest::RegisterAction::kDelete;
  ingest::RegisterRow unknown = removal;
  unknown.entry.local_id = "C9";
  issues =
      Upload({Row("C4", "9876543210"), removal, unknown, Row("C5", kChildNhs)}, UploadMode::kDelta);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].reason, "not_on_register");
  EXPECT_EQ(issues[1].reason, "duplicate_child");
  EXPECT_EQ(Count(la_), 2);  // C1, C4

  // A full replacement drops whoever it does not list.
  std::int64_t removed = 0;
  EXPECT_TRUE(Upload({Row("C4", "9876543210")}, UploadMode::kFull, &removed).empty());
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(Count(la_), 1);
}

TEST_P(RegisterServiceTest, OnlyALocalAuthorityUploadsAndOnlyForItself) {
  RegisterService service = Service();
  EXPECT_EQ(service.BeginUpload({"cli", "t"}, "RXA", UploadMode::kFull).status().reason(),
            "not_a_local_authority");
  EXPECT_EQ(service.BeginUpload({"cli", "t"}, "NOPE", UploadMode::kFull).status().reason(),
            "unknown_organisation");
  EXPECT_EQ(service.BeginUpload(Clinician(), std::nullopt, UploadMode::kFull).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(service
                  .BeginUpload(UserOf(domain::Role::kLaManager, la_, "LAN"), std::nullopt,
                               UploadMode::kDelta)
                  .ok());
}

TEST_P(RegisterServiceTest, AnAttendanceOfAChildOnAPlanRaisesAnAlertAndNotifiesMinimally) {
  ASSERT_TRUE(Upload({Row("LA-7", kChildNhs)}, UploadMode::kFull).empty());
  IntakeResult result = Attend(
      AttendanceFor("A1", R"({"nhs_number":"9434765919","given_name":"Ava","family_name":"Nowak",)"
                          R"("birth_date":"2020-03-04"})"));
  EXPECT_EQ(result.register_alerts, 1);
  EXPECT_EQ(result.concern_level, domain::ConcernLevel::Review());

  auto work = std::move(store_->Begin()).value();
  std::vector<storage::RegisterAlert> alerts = *work->ListRegisterAlerts(result.record);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].basis, "nhs_number");
  EXPECT_EQ(alerts[0].concern_level, "review");
  for (std::string_view expected :
       {R"("status":"cp_plan")", R"("label":"On a child protection plan")",
        R"("start_date":"2026-01-02")", R"("contact_out_of_hours":"01632 960501")",
        R"("responsible_org":"LAN")", R"("last_accesses":[])"}) {
    EXPECT_NE(alerts[0].detail.find(expected), std::string::npos) << expected << alerts[0].detail;
  }
  std::vector<storage::RegisterAccess> accesses = *work->ListRegisterAccesses(alerts[0].entry, 25);
  ASSERT_EQ(accesses.size(), 1u);
  EXPECT_EQ(accesses[0].kind, "attendance");
  EXPECT_EQ(accesses[0].site, "RXA01");
  work.reset();

  std::vector<storage::Notification> sent = Outbox();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].topic, "register.attendance");
  EXPECT_EQ(sent[0].payload,
            R"({"to":"LAN","kind":"attendance","register_id":"LA-7","site":"RXA01",)"
            R"("arrival":"2026-11-20T10:00:00.000000Z","department":"emergency"})");
  for (std::string_view secret : {"9434765919", "Ava", "Nowak", "2020-03-04"}) {
    EXPECT_EQ(sent[0].payload.find(secret), std::string::npos);
  }

  // A second version of the attendance: a second alert shows the first access; the
  // authority is not told twice.
  IntakeResult again = Attend(AttendanceFor(
      "A1", R"({"nhs_number":"9434765919","given_name":"Ava","family_name":"Nowak"})"));
  EXPECT_EQ(again.register_alerts, 1);
  work = std::move(store_->Begin()).value();
  std::vector<storage::RegisterAlert> second = *work->ListRegisterAlerts(again.record);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].detail.find(R"("kind":"attendance","site":"RXA01")"), std::string::npos);
  work.reset();
  EXPECT_TRUE(Outbox().empty());
}

TEST_P(RegisterServiceTest, UnverifiedNumbersEndedPlansAndPregnantMothers) {
  ingest::RegisterRow ended = Row("OLD", "9876543210");
  ended.entry.start_date = *ParseDate("2024-01-01");
  ended.entry.end_date = *ParseDate("2025-11-19");  // more than 12 months before arrival
  ingest::RegisterRow recent = Row("RECENT", kChildNhs);
  recent.entry.end_date = *ParseDate("2026-06-30");
  ingest::RegisterRow unborn = Row("UNBORN", std::nullopt, domain::RegisterStatus::kUnbornCpPlan);
  unborn.entry.mother_nhs_number = *domain::NhsNumber::Parse(kMotherNhs);
  ASSERT_TRUE(Upload({ended, recent, unborn}, UploadMode::kFull).empty());

  EXPECT_EQ(Attend(AttendanceFor("B1", R"({"nhs_number":"9876543210"})")).register_alerts, 0);
  // 943 476 5918 fails the check digit, so is never matched.
  EXPECT_EQ(Attend(AttendanceFor("B2", R"({"nhs_number":"9434765918"})")).register_alerts, 0);
  IntakeResult previous = Attend(AttendanceFor("B3", R"({"nhs_number":"9434765919"})"));
  ASSERT_EQ(previous.register_alerts, 1);
  auto work = std::move(store_->Begin()).value();
  std::string detail = (*work->ListRegisterAlerts(previous.record))[0].detail;
  EXPECT_NE(detail.find(R"("standing":"previous")"), std::string::npos) << detail;
  EXPECT_NE(detail.find("Previously on a plan"), std::string::npos) << detail;
  work.reset();

  // The mother, not pregnant: nothing. Pregnant: the unborn plan, on her number.
  EXPECT_EQ(Attend(AttendanceFor("B4", R"({"nhs_number":"9999999999"})")).register_alerts, 0);
  IntakeResult pregnant =
      Attend(AttendanceFor("B5", R"({"nhs_number":"9999999999","pregnant":true})"));
  EXPECT_EQ(pregnant.register_alerts, 1);
  work = std::move(store_->Begin()).value();
  EXPECT_EQ((*work->ListRegisterAlerts(pregnant.record))[0].basis, "mother_nhs_number");
}

TEST_P(RegisterServiceTest, LookupsFindSayNotFoundInWordsAndSilentOnesNotifyNobody) {
  ASSERT_TRUE(Upload({Row("LA-7", kChildNhs)}, UploadMode::kFull).empty());
  RegisterService service = Service();
  RegisterQuery query;
  query.nhs_number = *domain::NhsNumber::Parse(kChildNhs);
  Result<LookupResult> found = service.Lookup(Clinician(), query, /*silent=*/true);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_TRUE(found->found);
  ASSERT_EQ(found->alerts.size(), 1u);
  EXPECT_TRUE(Outbox().empty());
  found = service.Lookup(Clinician(), query, /*silent=*/false);
  EXPECT_NE(found->alerts[0].find(R"("kind":"silent_lookup")"), std::string::npos);
  std::vector<storage::Notification> sent = Outbox();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].topic, "register.lookup");
  EXPECT_EQ(sent[0].payload.find("9434765919"), std::string::npos);

  query.nhs_number = *domain::NhsNumber::Parse("9876543210");
  Result<LookupResult> missing = service.Lookup(Clinician(), query, false);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->found);
  EXPECT_EQ(missing->message, "Not found on the register. This does not mean there is no concern.");

  // Local-authority staff and administrators may not look children up; the denial is audited.
  EXPECT_EQ(
      service.Lookup(UserOf(domain::Role::kLaManager, la_, "LAN"), query, false).status().code(),
      StatusCode::kPermissionDenied);
  std::vector<std::string> actions;
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& event) {
                    if (event.entry.action == "register.lookup") {
                      actions.push_back(event.entry.outcome + " " + event.entry.reason);
                    }
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0], "allow direct care [silent lookup]");
  EXPECT_EQ(actions[2], "allow direct care [lookup] [not found]");
  EXPECT_TRUE(actions[3].starts_with("deny"));
}

TEST_P(RegisterServiceTest, PotentialMatchesGoOnlyToTheReviewQueueAndNeedTwoReviewersToLink) {
  ASSERT_TRUE(Upload({Row("LA-7", kChildNhs)}, UploadMode::kFull).empty());
  auto linker = std::make_shared<const SurnameLinker>();
  // An attendance without a number: a potential match, queued, no alert, no notification.
  IntakeResult result =
      Attend(AttendanceFor(
                 "C1", R"({"given_name":"Eva","family_name":"Nowak","birth_date":"2020-04-03"})"),
             linker);
  EXPECT_EQ(result.register_alerts, 0);
  EXPECT_EQ(result.register_referred, 1);
  EXPECT_EQ(result.concern_level, domain::ConcernLevel::None());
  EXPECT_TRUE(Outbox().empty());

  RegisterService service = Service(linker);
  RegisterQuery query;
  query.given_name = "Eva";
  query.family_name = "Nowak";
  query.birth_date = *ParseDate("2020-04-03");
  Result<LookupResult> lookup = service.Lookup(Clinician(), query, false);
  ASSERT_TRUE(lookup.ok());
  EXPECT_FALSE(lookup->found);
  EXPECT_TRUE(lookup->referred);
  EXPECT_TRUE(lookup->alerts.empty());  // never on the ED screen

  // The ED clinician has no review queue; the safeguarding nurse has, with one item (the
  // lookup asked about the same person and entry, so it was not queued twice).
  EXPECT_EQ(service.ReviewQueue(Clinician()).status().code(), StatusCode::kPermissionDenied);
  Actor nurse = UserOf(domain::Role::kSafeguardingNurse, trust_, "RXA", 11);
  Actor named = UserOf(domain::Role::kNamedProfessional, trust_, "RXA", 12);
  Result<std::vector<ReviewQueueItem>> queue = service.ReviewQueue(nurse);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  std::int64_t id = (*queue)[0].item.id;
  EXPECT_NE((*queue)[0].item.subject.find("Eva"), std::string::npos);

  // A child on a plan: the first "same" waits for a second, different reviewer.
  Result<storage::RegisterReviewItem> first = service.Decide(nurse, id, true);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->state, "awaiting_second_review");
  EXPECT_EQ(service.Decide(nurse, id, true).status().reason(), "second_reviewer_required");
  Result<storage::RegisterReviewItem> second = service.Decide(named, id, true);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->decision, "must_link");
  EXPECT_EQ(service.Decide(named, id, false).status().reason(), "already_decided");
  EXPECT_TRUE(service.ReviewQueue(nurse)->empty());

  // The decision is remembered: the same person now finds the entry.
  lookup = service.Lookup(Clinician(), query, false);
  ASSERT_TRUE(lookup.ok());
  EXPECT_TRUE(lookup->found);
  EXPECT_NE(lookup->alerts[0].find(R"("basis":"review_decision")"), std::string::npos);

  // Another trust's reviewer sees no such item.
  auto work = std::move(store_->Begin()).value();
  domain::OrgId other = *work->InsertOrganisation({{}, "RXB", "B", domain::OrgKind::kTrust});
  ASSERT_TRUE(work->Commit().ok());
  work.reset();
  EXPECT_EQ(service.Decide(UserOf(domain::Role::kSafeguardingNurse, other, "RXB", 13), id, false)
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_P(RegisterServiceTest, ADifferentDecisionIsNeverAskedAgain) {
  ASSERT_TRUE(Upload({Row("LA-7", kChildNhs)}, UploadMode::kFull).empty());
  auto linker = std::make_shared<const SurnameLinker>();
  RegisterService service = Service(linker);
  RegisterQuery query;
  query.family_name = "Nowak";
  query.birth_date = *ParseDate("2020-03-04");
  ASSERT_TRUE(service.Lookup(Clinician(), query, false)->referred);
  Actor nurse = UserOf(domain::Role::kSafeguardingNurse, trust_, "RXA", 11);
  std::int64_t id = (*service.ReviewQueue(nurse))[0].item.id;
  EXPECT_EQ(service.Decide(nurse, id, false)->decision, "cannot_link");
  Result<LookupResult> again = service.Lookup(Clinician(), query, false);
  EXPECT_FALSE(again->referred);
  EXPECT_FALSE(again->found);
  EXPECT_TRUE(service.ReviewQueue(nurse)->empty());
}

TEST_P(RegisterServiceTest, TheLinkersMatchBandAlertsUnlessReviewersSaidDifferent) {
  ASSERT_TRUE(Upload({Row("LA-7", kChildNhs)}, UploadMode::kFull).empty());
  auto linker = std::make_shared<const SurnameLinker>();
  IntakeResult result =
      Attend(AttendanceFor(
                 "D1", R"({"given_name":"Ava","family_name":"Nowak","birth_date":"2020-03-04"})"),
             linker);
  EXPECT_EQ(result.register_alerts, 1);
  EXPECT_EQ(result.register_referred, 0);
  auto work = std::move(store_->Begin()).value();
  EXPECT_EQ((*work->ListRegisterAlerts(result.record))[0].basis, "demographics");
  work.reset();
  EXPECT_EQ(Outbox().size(), 1u);
  // Without the linker the same attendance finds nothing: demographics are not matched exactly.
  EXPECT_EQ(Attend(AttendanceFor("D2", R"({"given_name":"Ava","family_name":"Nowak",)"
                                       R"("birth_date":"2020-03-04"})"))
                .register_alerts,
            0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegisterServiceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liaison::app
