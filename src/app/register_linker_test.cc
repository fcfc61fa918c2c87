// The linker plugged into the register (both backends): demographic attendances and lookups
// reach entries through linkage::RegisterIndex, the index follows uploads made after it was
// built (even by another process), and a stranger finds nothing.
#include "app/register_linker.h"

#include <gtest/gtest.h>

#include "app/attendance_intake.h"
#include "app/register_service.h"
#include "common/time_format.h"
#include "ingest/attendance_json.h"
#include "storage/test_database.h"

namespace liaison::app {
namespace {

ingest::RegisterRow Child(std::string id, std::string nhs, std::string given, std::string family,
                          std::string birth, std::string postcode) {
  ingest::RegisterRow row;
  row.entry.local_id = std::move(id);
  row.entry.nhs_number = *domain::NhsNumber::Parse(nhs);
  row.entry.given_name = std::move(given);
  row.entry.family_name = std::move(family);
  row.entry.birth_date = *ParseDate(birth);
  row.entry.sex = domain::Sex::kFemale;
  row.entry.postcode = std::move(postcode);
  row.entry.status = domain::RegisterStatus::kCpPlan;
  row.entry.start_date = *ParseDate("2026-01-02");
  return row;
}

class RegisterLinkerTest : public ::testing::TestWithParam<std::string> {
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
    ASSERT_TRUE(
        work->InsertOrganisation({{}, "LAN", "North", domain::OrgKind::kLocalAuthority}).ok());
    ASSERT_TRUE(work->InsertSite({{}, trust_, "RXA01", "ED"}).ok());
    ASSERT_TRUE(work->Commit().ok());
  }

  void Upload(std::vector<ingest::RegisterRow> rows, UploadMode mode) {
    RegisterService service(*store_, audit_, clock_, DefaultRegisterMatcher());
    auto batch = service.BeginUpload({"cli", "test"}, "LAN", mode);
    ASSERT_TRUE(batch.ok());
    ingest::FeedSummary summary;
    for (ingest::RegisterRow& row : rows) {
      Result<std::optional<ingest::RowIssue>> added = (*batch)->Add(std::move(row));
      ASSERT_TRUE(added.ok() && !*added);
    }
    ASSERT_TRUE((*batch)->Finish(summary).ok());
  }

  LookupResult Lookup(const std::shared_ptr<const RegisterMatcher>& matcher, std::string given,
                      std::string family, std::string birth, std::string postcode) {
    Principal principal;
    principal.id = 5;
    principal.role = domain::Role::kEdClinician;
    principal.org = trust_;
    principal.org_code = "RXA";
    RegisterQuery query;
    query.given_name = std::move(given);
    query.family_name = std::move(family);
    query.birth_date = *ParseDate(birth);
    query.sex = domain::Sex::kFemale;
    query.postcode = std::move(postcode);
    RegisterService service(*store_, audit_, clock_, matcher);
    Result<LookupResult> result = service.Lookup(ActorFor(principal, "care"), query, true);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : LookupResult{};
  }

  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-20T10:05:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  domain::OrgId trust_;
};

TEST_P(RegisterLinkerTest, DemographicsReachTheRegisterAndAStrangerFindsNothing) {
  Upload({Child("K1", "9434765919", "Amelia", "Nowak", "2020-03-04", "XA1 2AB"),
          Child("K2", "9876543210", "Zainab", "Okafor", "2016-07-19", "XB9 8ZZ")},
         UploadMode::kFull);
  Result<std::shared_ptr<const RegisterMatcher>> matcher = MakeLinkingRegisterMatcher(*store_);
  ASSERT_TRUE(matcher.ok()) << matcher.status().ToString();
  EXPECT_TRUE((*matcher)->demographic_matching());

  LookupResult same = Lookup(*matcher, "Amelia", "Nowak", "2020-03-04", "XA1 2AB");
  EXPECT_TRUE(same.found || same.referred) << same.message;
  EXPECT_TRUE(same.demographic_matching);
  if (same.found) {
    EXPECT_NE(same.alerts[0].find(R"("basis":"demographics")"), std::string::npos);
  }

  LookupResult stranger = Lookup(*matcher, "Harry", "Davies", "2011-01-30", "XC4 4CC");
  EXPECT_FALSE(stranger.found);
  EXPECT_FALSE(stranger.referred);
  EXPECT_EQ(stranger.message, kNotFoundMessage);
}

TEST_P(RegisterLinkerTest, TheIndexFollowsUploadsMadeAfterItWasBuilt) {
  Upload({Child("K1", "9434765919", "Amelia", "Nowak", "2020-03-04", "XA1 2AB")},
         UploadMode::kFull);
  Result<std::shared_ptr<const RegisterMatcher>> matcher = MakeLinkingRegisterMatcher(*store_);
  ASSERT_TRUE(matcher.ok());
  LookupResult before = Lookup(*matcher, "Zainab", "Okafor", "2016-07-19", "XB9 8ZZ");
  EXPECT_FALSE(before.found || before.referred);
  // A delta upload (as another process would make it) adds the child.
  Upload({Child("K2", "9876543210", "Zainab", "Okafor", "2016-07-19", "XB9 8ZZ")},
         UploadMode::kDelta);
  LookupResult after = Lookup(*matcher, "Zainab", "Okafor", "2016-07-19", "XB9 8ZZ");
  EXPECT_TRUE(after.found || after.referred);
  // And a removal takes her out again.
  ingest::RegisterRow removal;
  removal.entry.local_id = "K2";
  removal.action = ingest::RegisterAction::kDelete;
  Upload({removal}, UploadMode::kDelta);
  LookupResult removed = Lookup(*matcher, "Zainab", "Okafor", "2016-07-19", "XB9 8ZZ");
  EXPECT_FALSE(removed.found || removed.referred);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegisterLinkerTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liaison::app
