// AttendanceIntake on both backends: re-sending is idempotent, changed content is a new audited
// version, unknown sites are kept with a warning, unverified NHS numbers never reach the
// matching column, and feeds write only for their own organisation.
#include "app/attendance_intake.h"

#include <gtest/gtest.h>

#include "app/access_policy.h"
#include "common/time_format.h"
#include "ingest/attendance_json.h"
#include "storage/test_database.h"

namespace liaison::app {
namespace {

domain::Attendance Parse(std::string_view json) {
  Result<ingest::DecodedAttendance> decoded = ingest::DecodeAttendanceJson(json);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  return decoded.ok() ? decoded->attendance : domain::Attendance{};
}

constexpr std::string_view kFirst =
    R"({"attendance_id":"A1","site":"RXA01","arrival":"2026-11-20T10:00:00Z",)"
    R"("patient":{"nhs_number":"9434765919"},"notes":"fell off a swing"})";
// The same content, members in another order and spaced differently.
constexpr std::string_view kFirstReordered =
    R"({ "notes": "fell off a swing", "patient": {"nhs_number": "9434765919"},)"
    R"( "arrival": "2026-11-20T10:00:00Z", "site": "RXA01", "attendance_id": "A1" })";
constexpr std::string_view kChanged =
    R"({"attendance_id":"A1","site":"RXA01","arrival":"2026-11-20T10:00:00Z",)"
    R"("patient":{"nhs_number":"9434765919"},"notes":"fell off a swing; discharged"})";

class AttendanceIntakeTest : public ::testing::TestWithParam<std::string> {
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
    other_ = *work->InsertOrganisation({{}, "RXB", "Trust B", domain::OrgKind::kTrust});
    ASSERT_TRUE(work->InsertSite({{}, trust_, "RXA01", "ED"}).ok());
    ASSERT_TRUE(work->InsertSite({{}, other_, "RXB01", "ED"}).ok());
    ASSERT_TRUE(work->Commit().ok());
  }

  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  // A feed token of organisation `org`.
  Actor FeedOf(domain::OrgId org, std::string code) {
    Principal principal;
    principal.kind = Principal::Kind::kToken;
    principal.id = 7;
    principal.role = domain::Role::kSystemFeed;
    principal.org = org;
    principal.org_code = std::move(code);
    principal.token_scope = domain::TokenScope::kAttendanceFeed;
    return ActorFor(principal, "not stated");
  }

  // Sends one attendance in its own batch.
  IntakeResult Send(const Actor& actor, std::string_view json) {
    Result<std::unique_ptr<AttendanceBatch>> batch = Intake().Begin(actor);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok()) return {};
    Result<IntakeResult> result = (*batch)->Add(Parse(json));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_TRUE((*batch)->Commit().ok());
    return result.ok() ? *result : IntakeResult{};
  }

  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> events;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& event) {
                      events.push_back(event);
                      return Status::Ok();
                    })
                    .ok());
    return events;
  }

  AttendanceIntake Intake() { return AttendanceIntake(*store_, audit_, clock_); }

  std::int64_t Count() { return *std::move(store_->Begin()).value()->CountAttendanceVersions(); }

  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  domain::OrgId trust_;
  domain::OrgId other_;
};

TEST_P(AttendanceIntakeTest, ReSendingTheSameContentChangesNothing) {
  Actor feed = FeedOf(trust_, "RXA");
  IntakeResult first = Send(feed, kFirst);
  EXPECT_EQ(first.status, IntakeStatus::kCreated);
  EXPECT_EQ(first.version, 1);
  EXPECT_FALSE(first.unknown_site);
  std::size_t events = Events().size();
  IntakeResult again = Send(feed, kFirstReordered);
  EXPECT_EQ(again.status, IntakeStatus::kUnchanged);
  EXPECT_EQ(again.record, first.record);
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Events().size(), events);  // nothing stored, nothing audited

  auto read = std::move(store_->Begin()).value();
  std::optional<storage::AttendanceVersion> stored = *read->LatestAttendance("RXA01", "A1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->document, ingest::EncodeAttendanceJson(Parse(kFirst)));
  EXPECT_EQ(stored->owner, trust_);
  EXPECT_EQ(stored->site_status, storage::SiteStatus::kConfigured);
  EXPECT_EQ(stored->received_at, clock_.Now());
  ASSERT_TRUE(stored->verified_nhs_number.has_value());
  EXPECT_EQ(stored->verified_nhs_number->digits(), "9434765919");
}

TEST_P(AttendanceIntakeTest, ChangedContentIsANewAuditedVersionAndTheOldIsKept) {
  Actor feed = FeedOf(trust_, "RXA");
  IntakeResult first = Send(feed, kFirst);
  IntakeResult changed = Send(feed, kChanged);
  EXPECT_EQ(changed.status, IntakeStatus::kUpdated);
  EXPECT_EQ(changed.version, 2);
  EXPECT_NE(changed.record, first.record);
  // Changing back is a change too: it is compared with the newest version.
  EXPECT_EQ(Send(feed, kFirst).version, 3);
  auto read = std::move(store_->Begin()).value();
  std::vector<storage::AttendanceVersion> versions = *read->ListAttendanceVersions("RXA01", "A1");
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0].content_hash, versions[2].content_hash);
  EXPECT_NE(versions[0].content_hash, versions[1].content_hash);

  std::vector<domain::AuditEvent> events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].entry.action, "attendance.create");
  EXPECT_EQ(events[1].entry.action, "attendance.update");
  EXPECT_EQ(events[1].entry.record_type, "attendance");
  EXPECT_EQ(events[1].entry.record_id, std::to_string(changed.record.value()));
  EXPECT_EQ(events[1].entry.actor, "token:7");
  EXPECT_EQ(events[1].entry.reason, "attendance feed");
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_P(AttendanceIntakeTest, AnUnknownSiteIsKeptAsUnconfiguredWithAWarning) {
  IntakeResult result =
      Send(FeedOf(trust_, "RXA"), R"({"attendance_id":"Z1","site":"NOWHERE","arrival":)"
                                  R"("2026-11-20T10:00:00Z","patient":{}})");
  EXPECT_EQ(result.status, IntakeStatus::kCreated);
  EXPECT_TRUE(result.unknown_site);
  auto read = std::move(store_->Begin()).value();
  std::optional<storage::AttendanceVersion> stored = *read->LatestAttendance("NOWHERE", "Z1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->site_status, storage::SiteStatus::kUnconfigured);
  EXPECT_EQ(stored->owner, trust_);
}

TEST_P(AttendanceIntakeTest, AnInvalidNhsNumberIsKeptButNeverInTheMatchingColumn) {
  IntakeResult result = Send(FeedOf(trust_, "RXA"),
                             R"({"attendance_id":"N1","site":"RXA01","arrival":)"
                             R"("2026-11-20T10:00:00Z","patient":{"nhs_number":"9434765918"}})");
  EXPECT_EQ(result.status, IntakeStatus::kCreated);
  auto read = std::move(store_->Begin()).value();
  std::optional<storage::AttendanceVersion> stored = *read->LatestAttendance("RXA01", "N1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_FALSE(stored->verified_nhs_number.has_value());
  // The number as received is kept, as the contract says, inside the document.
  EXPECT_NE(stored->document.find("9434765918"), std::string::npos);
}

TEST_P(AttendanceIntakeTest, AFeedWritesOnlyForItsOwnOrganisation) {
  // Another trust's configured site.
  IntakeResult foreign_site =
      Send(FeedOf(trust_, "RXA"), R"({"attendance_id":"B1","site":"RXB01","arrival":)"
                                  R"("2026-11-20T10:00:00Z","patient":{}})");
  EXPECT_EQ(foreign_site.status, IntakeStatus::kRejected);
  EXPECT_EQ(foreign_site.field, "/site");
  EXPECT_EQ(foreign_site.reason, "site_of_another_organisation");
  // Another trust's attendance at an unconfigured site.
  std::string_view unconfigured =
      R"({"attendance_id":"U1","site":"UNSET","arrival":"2026-11-20T10:00:00Z","patient":{}})";
  EXPECT_EQ(Send(FeedOf(other_, "RXB"), unconfigured).status, IntakeStatus::kCreated);
  IntakeResult taken = Send(FeedOf(trust_, "RXA"), unconfigured);
  EXPECT_EQ(taken.status, IntakeStatus::kRejected);
  EXPECT_EQ(taken.reason, "attendance_of_another_organisation");
  EXPECT_EQ(Count(), 1);
}

TEST_P(AttendanceIntakeTest, ABatchKeepsGoingPastARejectedRowAndRollsBackIfDropped) {
  Result<std::unique_ptr<AttendanceBatch>> batch = Intake().Begin(FeedOf(trust_, "RXA"));
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ((*batch)->Add(Parse(kFirst))->status, IntakeStatus::kCreated);
  EXPECT_EQ((*batch)
                ->Add(Parse(R"({"attendance_id":"B1","site":"RXB01","arrival":)"
                            R"("2026-11-20T10:00:00Z","patient":{}})"))
                ->status,
            IntakeStatus::kRejected);
  // The same attendance twice in one batch: the second sees the first.
  EXPECT_EQ((*batch)->Add(Parse(kFirstReordered))->status, IntakeStatus::kUnchanged);
  EXPECT_EQ((*batch)->Add(Parse(kChanged))->status, IntakeStatus::kUpdated);
  batch->reset();
  EXPECT_EQ(Count(), 0);
}

TEST_P(AttendanceIntakeTest, OnlyRolesThePolicyAllowsMaySend) {
  Principal nurse;
  nurse.role = domain::Role::kEdClinician;
  nurse.id = 3;
  nurse.org = trust_;
  Result<std::unique_ptr<AttendanceBatch>> refused = Intake().Begin(ActorFor(nurse, "care"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Events().back().entry.outcome, "deny");
  // A local import may name the organisation; an unknown one is an error naming --org.
  Result<std::unique_ptr<AttendanceBatch>> unknown = Intake().Begin({"cli", "import"}, "NOPE");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().reason(), "unknown_organisation");
  EXPECT_TRUE(Intake().Begin({"cli", "import"}, "RXA").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, AttendanceIntakeTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liaison::app
