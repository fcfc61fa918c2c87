#include <filesystem>

#include <gtest/gtest.h>

#include "app/access_policy.h"
#include "app/demo_data.h"
#include "app/health.h"
#include "app/organisation_service.h"
#include "app/person_service.h"
#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-services-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(storage::OpenStore("sqlite:" + (dir_ / "s.db").string(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::int64_t AuditCount() { return VerifyAuditChain(*store_, anchor_.get())->events; }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  // A local operator (the command line): trusted, as it already holds the database.
  Actor admin_{"cli", "administration"};

  // A signed-in user of the organisation `code` with `role`.
  // A principal for a user row that exists (recording a person links the user to the case).
  Actor UserOf(std::string_view code, domain::Role role, std::int64_t id) {
    auto work = std::move(store_->Begin()).value();
    domain::OrgId org = work->GetOrganisationByCode(code)->id;
    domain::User user{{}, "user" + std::to_string(id), role, org, std::nullopt};
    Result<domain::UserId> inserted = work->InsertUser(user, "not a hash");
    EXPECT_TRUE(inserted.ok() && work->Commit().ok());
    work = std::move(store_->Begin()).value();
    Principal principal;
    principal.id = inserted.ok() ? inserted->value() : 0;
    principal.role = role;
    principal.org = work->GetOrganisationByCode(code)->id;
    principal.org_code = std::string(code);
    return ActorFor(principal, "direct care");
  }
};

TEST_F(ServicesTest, OrganisationWritesAreValidatedAndAudited) {
  OrganisationService service(*store_, audit_);
  ASSERT_TRUE(service.Create(admin_, {{}, "RXA", "Trust A", domain::OrgKind::kTrust}).ok());
  EXPECT_EQ(AuditCount(), 1);
  Result<domain::Organisation> bad = service.Create(admin_, {{}, "R X", "T", {}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "/code");
  Result<domain::Organisation> duplicate = service.Create(admin_, {{}, "RXA", "Again", {}});
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  Result<domain::Site> orphan = service.AddSite(admin_, {"NOPE", "S1", "Site"});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.status().reason(), "unknown_organisation");
  EXPECT_EQ(orphan.status().field(), "/org");
  ASSERT_TRUE(service.AddSite(admin_, {"RXA", "S1", "Site one"}).ok());
  ASSERT_TRUE(
      service.AddTeam(admin_, {"RXA", "ED", "ED", domain::TeamKind::kEmergencyDepartment}).ok());
  EXPECT_EQ(AuditCount(), 3);  // failed writes leave no event
  Result<OrganisationDetail> detail = service.Get(admin_, "RXA");
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->sites.size(), 1u);
  EXPECT_EQ(detail->teams.size(), 1u);
}

TEST_F(ServicesTest, ReadingAPersonIsAuditedWithTheReason) {
  ASSERT_TRUE(OrganisationService(*store_, audit_)
                  .Create(admin_, {{}, "RXA", "Trust A", domain::OrgKind::kTrust})
                  .ok());
  PersonService service(*store_, audit_, clock_);
  domain::Person person;
  person.given_name = "Ava";
  person.birth_date = *ParseDate("2020-05-01");
  Actor nurse = UserOf("RXA", domain::Role::kLiaisonNurse, 7);
  Result<domain::Person> created = service.Create(nurse, person);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(service.Get(nurse, created->id).ok());
  Result<domain::Person> missing = service.Get(nurse, domain::PersonId(4242));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::vector<domain::AuditEvent> events;
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& e) {
                    events.push_back(e);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].entry.action, "person.read");
  EXPECT_EQ(events[2].entry.actor, nurse.id);
  // The stated reason, and the ground of access: liaison nurses need no relationship.
  EXPECT_EQ(events[2].entry.reason, "direct care [access: own_organisation]");
  EXPECT_EQ(events[3].entry.outcome, "not_found");
}

TEST_F(ServicesTest, FutureBirthDatesAreRejected) {
  PersonService service(*store_, audit_, clock_);
  domain::Person person;
  person.birth_date = *ParseDate("2026-11-27");
  Result<domain::Person> created = service.Create(admin_, person);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().field(), "/birth_date");
}

TEST_F(ServicesTest, DemoDataLoadsTwiceWithoutDuplicates) {
  DemoOptions options{PasswordCost::Minimum()};
  Result<DemoSummary> first = LoadDemoData(*store_, audit_, options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->users, 14);
  Result<DemoSummary> second = LoadDemoData(*store_, audit_, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  OrganisationService orgs(*store_, audit_);
  EXPECT_EQ(orgs.List(admin_)->size(), 3u);
  EXPECT_EQ(orgs.Get(admin_, "RDEMO")->sites.size(), 3u);
  auto work = std::move(store_->Begin()).value();
  EXPECT_TRUE(
      work->FindPersonByNhsNumber(*domain::NhsNumber::Parse(SyntheticNhsNumber(119)))->has_value());
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_F(ServicesTest, SyntheticNhsNumbersAreValidAndInTheTestRange) {
  for (int i = 0; i < 200; ++i) {
    std::string number = SyntheticNhsNumber(i);
    EXPECT_TRUE(number.starts_with("999"));
    EXPECT_TRUE(domain::NhsNumber::Parse(number).ok()) << i;
  }
}

TEST_F(ServicesTest, HealthReportsEveryComponent) {
  std::vector<ComponentHealth> health = CheckHealth(*store_);
  ASSERT_EQ(health.size(), 3u);
  EXPECT_TRUE(AllHealthy(health));
  EXPECT_EQ(health[0].name, "database");
}

}  // namespace
}  // namespace liaison::app
