// The relationship half of the policy, break-glass and its review, account management beyond
// creation, and the housekeeping purge: app/ use cases on SQLite with the demo organisations
// and users (minimum argon2id cost) and a FakeClock.
#include <filesystem>

#include <gtest/gtest.h>

#include "app/auth_service.h"
#include "app/break_glass.h"
#include "app/demo_data.h"
#include "app/housekeeping.h"
#include "app/person_service.h"
#include "app/user_service.h"
#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

using domain::Role;
using std::chrono::hours;
using std::chrono::minutes;

class CaseAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-case-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(storage::OpenStore("sqlite:" + (dir_ / "c.db").string(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
    ASSERT_TRUE(LoadDemoData(*store_, audit_, {PasswordCost::Minimum()}).ok());
    throttle_ = std::make_unique<LoginThrottle>(*store_, clock_, LoginThrottleOptions{});
    auth_ = std::make_unique<AuthService>(*store_, audit_, clock_, *throttle_,
                                          PasswordCost::Minimum(), SessionOptions());
    people_ = std::make_unique<PersonService>(*store_, audit_, clock_);
    glass_ = std::make_unique<BreakGlassService>(*store_, audit_, clock_);
    users_ = std::make_unique<UserService>(*store_, audit_, clock_, PasswordCost::Minimum());
  }
  void TearDown() override {
    users_.reset();
    glass_.reset();
    people_.reset();
    auth_.reset();
    throttle_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Signs in as the demo user of `role`; returns the session id and the actor.
  std::pair<std::string, Actor> SignIn(Role role) {
    for (const DemoUser& user : DemoUsers()) {
      if (user.role != role) continue;
      Result<app::SignIn> signed_in = auth_->Login(user.username, user.password, "10.0.0.1");
      EXPECT_TRUE(signed_in.ok()) << signed_in.status().ToString();
      Result<Principal> principal = auth_->AuthenticateSession(signed_in->session_id);
      EXPECT_TRUE(principal.ok()) << principal.status().ToString();
      return {signed_in->session_id, ActorFor(*principal, "direct care")};
    }
    ADD_FAILURE() << "no demo user";
    return {};
  }
  Actor As(Role role) { return SignIn(role).second; }

  domain::AuditEvent Last() {
    domain::AuditEvent last;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& e) {
                      last = e;
                      return Status::Ok();
                    })
                    .ok());
    return last;
  }

  // A person recorded by `who`, with a verified NHS number.
  domain::PersonId Recorded(const Actor& who, const std::string& nhs = "9434765919") {
    domain::Person person;
    person.given_name = "Test";
    person.nhs_number = *domain::NhsNumber::Parse(nhs);
    Result<domain::Person> created = people_->Create(who, person);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created->id;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<PersonService> people_;
  std::unique_ptr<BreakGlassService> glass_;
  std::unique_ptr<UserService> users_;
};

TEST_F(CaseAccessTest, RecordingAPersonMakesTheUserInvolvedAndNobodyElseInTheTrust) {
  Actor midwife = As(Role::kMidwife);
  Actor clinician = As(Role::kEdClinician);
  domain::PersonId id = Recorded(midwife);
  EXPECT_TRUE(people_->Get(midwife, id).ok());
  EXPECT_NE(Last().entry.reason.find("[access: involved]"), std::string::npos);
  Result<domain::Person> refused = people_->Get(clinician, id);
  EXPECT_EQ(refused.status().reason(), "not_involved");
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Last().entry.outcome, "deny");
  EXPECT_EQ(Last().entry.actor, clinician.id);
  // The safeguarding team and the liaison nurses need no relationship.
  for (Role role : {Role::kSafeguardingNurse, Role::kNamedProfessional, Role::kLiaisonNurse}) {
    Result<domain::Person> read = people_->Get(As(role), id);
    EXPECT_TRUE(read.ok()) << domain::RoleSlug(role);
    EXPECT_NE(Last().entry.reason.find("[access: own_organisation]"), std::string::npos);
  }
  // Another organisation's staff see nothing, involved or not.
  EXPECT_EQ(people_->Get(As(Role::kLaFrontDoor), id).status().reason(), "unknown_person");
}

TEST_F(CaseAccessTest, TheSafeguardingTeamAssignsUsersAndTeams) {
  Actor nurse = As(Role::kSafeguardingNurse);
  Actor clinician = As(Role::kEdClinician);
  Actor paediatrician = As(Role::kConsultantPaediatrician);
  domain::PersonId id = Recorded(nurse);
  ASSERT_EQ(people_->Get(clinician, id).status().reason(), "not_involved");
  ASSERT_TRUE(people_->AddInvolvement(nurse, id, {"demo.ed_clinician", std::nullopt}).ok());
  EXPECT_EQ(Last().entry.action, "person.involve");
  EXPECT_TRUE(people_->Get(clinician, id).ok());
  // A whole team: the consultant paediatrician is in PAEDS.
  ASSERT_EQ(people_->Get(paediatrician, id).status().reason(), "not_involved");
  ASSERT_TRUE(people_->AddInvolvement(nurse, id, {std::nullopt, "PAEDS"}).ok());
  EXPECT_TRUE(people_->Get(paediatrician, id).ok());
  // Only users and teams of the person's organisation; only roles that may assign.
  EXPECT_EQ(people_->AddInvolvement(nurse, id, {"demo.la_front_door", std::nullopt}).reason(),
            "unknown_user");
  EXPECT_EQ(people_->AddInvolvement(nurse, id, {std::nullopt, "MASH"}).reason(), "unknown_team");
  EXPECT_EQ(people_->AddInvolvement(clinician, id, {"demo.midwife", std::nullopt}).reason(),
            "forbidden");
  EXPECT_EQ(Last().entry.outcome, "deny");
}

TEST_F(CaseAccessTest, ClinicalStaffAreInvolvedWhileThePersonIsInTheirDepartment) {
  Actor nurse = As(Role::kSafeguardingNurse);
  Actor clinician = As(Role::kEdClinician);
  domain::PersonId id = Recorded(nurse);
  ASSERT_EQ(people_->Get(clinician, id).status().reason(), "not_involved");
  storage::AttendanceVersion attendance;
  attendance.site_code = "RDEMO-GEN";
  attendance.attendance_id = "A-1";
  attendance.document = "{}";
  attendance.content_hash = Blake2bHex("{}");
  attendance.arrival = clock_.Now() - hours(2);
  attendance.received_at = clock_.Now();
  attendance.verified_nhs_number = *domain::NhsNumber::Parse("9434765919");
  attendance.owner = clinician.principal->org;
  {
    auto work = std::move(store_->Begin()).value();
    ASSERT_TRUE(work->InsertAttendanceVersion(attendance).ok());
    ASSERT_TRUE(work->Commit().ok());
  }
  EXPECT_TRUE(people_->Get(clinician, id).ok());
  // A midwife is not ED clinical staff: the attendance does not involve her.
  EXPECT_EQ(people_->Get(As(Role::kMidwife), id).status().reason(), "not_involved");
  clock_.Advance(hours(71));
  EXPECT_EQ(people_->Get(clinician, id).status().reason(), "not_involved");
}

TEST_F(CaseAccessTest, BreakGlassNeedsAReasonLastsFourHoursAndIsReviewedByTheNamedNurse) {
  Actor nurse = As(Role::kSafeguardingNurse);
  Actor named = As(Role::kNamedProfessional);
  Actor clinician = As(Role::kEdClinician);
  domain::PersonId id = Recorded(nurse);

  EXPECT_EQ(glass_->Open(clinician, id, "because").status().reason(), "invalid_reason");
  EXPECT_EQ(Last().entry.outcome, "deny");
  EXPECT_EQ(Last().entry.action, "person.break_glass");
  EXPECT_EQ(Last().entry.reason.find("because"), std::string::npos);  // length only
  EXPECT_EQ(glass_->Open(clinician, id, std::string(501, 'x')).status().reason(), "invalid_reason");
  EXPECT_EQ(glass_->Open(clinician, id, "two\nlines of reason").status().reason(),
            "invalid_reason");
  EXPECT_EQ(
      glass_->Open(clinician, domain::PersonId(999999), "a good enough reason").status().reason(),
      "unknown_person");
  // Roles that need no relationship have no break-glass; nor do other organisations.
  EXPECT_EQ(glass_->Open(nurse, id, "a good enough reason").status().reason(), "forbidden");
  EXPECT_EQ(glass_->Open(As(Role::kLaFrontDoor), id, "a good enough reason").status().reason(),
            "unknown_person");

  std::string reason = "  unconscious child in resus, no relationship recorded  ";
  Result<storage::BreakGlassGrant> grant = glass_->Open(clinician, id, reason);
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  EXPECT_EQ(grant->reason, "unconscious child in resus, no relationship recorded");
  EXPECT_EQ(grant->expires_at, clock_.Now() + hours(4));
  EXPECT_EQ(Last().entry.action, "person.break_glass");
  EXPECT_NE(Last().entry.reason.find("unconscious child in resus"), std::string::npos);
  ASSERT_TRUE(people_->Get(clinician, id).ok());
  EXPECT_NE(Last().entry.reason.find("[access: break_glass]"), std::string::npos);

  clock_.Advance(hours(4) - minutes(1));
  EXPECT_TRUE(people_->Get(clinician, id).ok());
  clock_.Advance(minutes(1));
  EXPECT_EQ(people_->Get(clinician, id).status().reason(), "not_involved");

  // Review: the named nurse's list, an outcome, and once only.
  EXPECT_EQ(glass_->ListForReview(clinician).status().reason(), "forbidden");
  Result<std::vector<storage::BreakGlassGrant>> pending = glass_->ListForReview(named);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].id, grant->id);
  EXPECT_EQ(glass_->Review(named, grant->id, "maybe", "").status().reason(), "invalid_outcome");
  EXPECT_EQ(glass_->Review(clinician, grant->id, "appropriate", "").status().reason(), "forbidden");
  EXPECT_EQ(glass_->Review(named, 999999, "appropriate", "").status().reason(), "unknown_grant");
  EXPECT_EQ(
      glass_->Review(named, grant->id, "appropriate", std::string(1001, 'n')).status().reason(),
      "invalid_note");
  Result<storage::BreakGlassGrant> reviewed =
      glass_->Review(named, grant->id, "appropriate", "checked with the ED consultant");
  ASSERT_TRUE(reviewed.ok()) << reviewed.status().ToString();
  EXPECT_EQ(reviewed->review_outcome, "appropriate");
  EXPECT_EQ(Last().entry.action, "break_glass.review");
  EXPECT_EQ(glass_->Review(nurse, grant->id, "inappropriate", "").status().reason(),
            "already_reviewed");
  EXPECT_TRUE(glass_->ListForReview(named)->empty());
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_F(CaseAccessTest, AnInvolvedUserNeedsNoBreakGlass) {
  Actor midwife = As(Role::kMidwife);
  domain::PersonId id = Recorded(midwife);
  EXPECT_EQ(glass_->Open(midwife, id, "a good enough reason").status().reason(),
            "already_involved");
}

TEST_F(CaseAccessTest, AdministratorsListDisableEnableAndChangeUsers) {
  Actor admin = As(Role::kAdmin);
  auto [clinician_session, clinician] = SignIn(Role::kEdClinician);
  Result<std::vector<ManagedUser>> users = users_->ListUsers(admin);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  // The demo trust's users only, with their teams.
  bool saw_clinician = false;
  for (const ManagedUser& user : *users) {
    EXPECT_EQ(user.user.org, admin.principal->org) << user.user.username;
    if (user.user.username == "demo.ed_clinician") {
      saw_clinician = true;
      EXPECT_EQ(user.team_code, std::optional<std::string>("ED"));
    }
  }
  EXPECT_TRUE(saw_clinician);
  EXPECT_EQ(users_->ListUsers(clinician).status().reason(), "forbidden");

  Result<ManagedUser> disabled = users_->UpdateUser(admin, "demo.ed_clinician", {{}, {}, true});
  ASSERT_TRUE(disabled.ok()) << disabled.status().ToString();
  EXPECT_TRUE(disabled->user.disabled_at.has_value());
  EXPECT_NE(Last().entry.reason.find("sessions_ended=1"), std::string::npos) << Last().entry.reason;
  // The session is gone, and signing in fails exactly like a wrong password.
  EXPECT_EQ(auth_->AuthenticateSession(clinician_session).status().reason(), "session_invalid");
  Result<app::SignIn> refused =
      auth_->Login("demo.ed_clinician", "ed_clinician-demo-2026", "10.0.0.1");
  EXPECT_EQ(refused.status().reason(), "invalid_credentials");
  EXPECT_EQ(Last().entry.reason, "account disabled");
  ASSERT_TRUE(users_->UpdateUser(admin, "demo.ed_clinician", {{}, {}, false}).ok());
  EXPECT_TRUE(auth_->Login("demo.ed_clinician", "ed_clinician-demo-2026", "10.0.0.1").ok());

  // Role and team.
  Result<ManagedUser> moved = users_->UpdateUser(
      admin, "demo.ed_clinician", {Role::kMidwife, std::optional<std::string>("MATERNITY"), {}});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->user.role, Role::kMidwife);
  EXPECT_EQ(moved->team_code, std::optional<std::string>("MATERNITY"));
  Result<ManagedUser> teamless = users_->UpdateUser(
      admin, "demo.ed_clinician",
      {{}, std::optional<std::optional<std::string>>(std::in_place, std::nullopt), {}});
  ASSERT_TRUE(teamless.ok());
  EXPECT_FALSE(teamless->team_code.has_value());
  EXPECT_EQ(
      users_->UpdateUser(admin, "demo.ed_clinician", {Role::kLaManager, {}, {}}).status().reason(),
      "role_not_valid_for_organisation");
  EXPECT_EQ(
      users_->UpdateUser(admin, "demo.ed_clinician", {{}, std::optional<std::string>("NOPE"), {}})
          .status()
          .reason(),
      "unknown_team");
  // Not themselves, not another organisation's users (which look missing), not as a nurse.
  EXPECT_EQ(users_->UpdateUser(admin, "demo.admin", {{}, {}, true}).status().reason(),
            "cannot_disable_self");
  EXPECT_EQ(users_->UpdateUser(admin, "demo.la_manager", {{}, {}, true}).status().reason(),
            "unknown_user");
  EXPECT_EQ(users_->UpdateUser(admin, "nobody.here", {{}, {}, true}).status().reason(),
            "unknown_user");
  EXPECT_EQ(users_->UpdateUser(As(Role::kSafeguardingNurse), "demo.midwife", {{}, {}, true})
                .status()
                .reason(),
            "forbidden");
}

TEST_F(CaseAccessTest, PasswordsAreResetByAdministratorsAndChangedByTheirOwners) {
  Actor admin = As(Role::kAdmin);
  auto [session, midwife] = SignIn(Role::kMidwife);
  EXPECT_EQ(users_->ResetPassword(admin, "demo.midwife", "password1234").reason(), "weak_password");
  ASSERT_TRUE(users_->ResetPassword(admin, "demo.midwife", "a brand new phrase here").ok());
  EXPECT_EQ(auth_->AuthenticateSession(session).status().code(), StatusCode::kUnauthenticated);
  EXPECT_FALSE(auth_->Login("demo.midwife", "midwife-demo-2026", "10.0.0.1").ok());
  EXPECT_TRUE(auth_->Login("demo.midwife", "a brand new phrase here", "10.0.0.1").ok());
  EXPECT_EQ(users_->ResetPassword(admin, "demo.la_manager", "a brand new phrase here").reason(),
            "unknown_user");

  Result<app::SignIn> again = auth_->Login("demo.midwife", "a brand new phrase here", "10.0.0.1");
  ASSERT_TRUE(again.ok());
  std::string own_session = again->session_id;
  Actor own = ActorFor(*auth_->AuthenticateSession(own_session), "account");
  Status wrong = users_->ChangeOwnPassword(own, "not my password", "yet another fine phrase");
  EXPECT_EQ(wrong.reason(), "wrong_password");
  EXPECT_EQ(wrong.field(), "/current_password");
  EXPECT_EQ(Last().entry.outcome, "deny");
  EXPECT_EQ(users_->ChangeOwnPassword(own, "a brand new phrase here", "qwertyuiop123").field(),
            "/new_password");
  EXPECT_EQ(
      users_->ChangeOwnPassword(own, "a brand new phrase here", "a brand new phrase here").reason(),
      "same_password");
  ASSERT_TRUE(
      users_->ChangeOwnPassword(own, "a brand new phrase here", "yet another fine phrase").ok());
  EXPECT_EQ(Last().entry.action, "account.password");
  EXPECT_EQ(auth_->AuthenticateSession(own_session).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth_->Login("demo.midwife", "yet another fine phrase", "10.0.0.1").ok());
}

TEST_F(CaseAccessTest, HousekeepingPurgesExpiredSessionsAndAuditsIt) {
  auto [idle_session, idle] = SignIn(Role::kMidwife);
  clock_.Advance(minutes(20));
  auto [fresh_session, fresh] = SignIn(Role::kEdClinician);
  clock_.Advance(minutes(11));  // the first is idle for 31 minutes, the second for 11
  Housekeeping housekeeping(*store_, audit_, clock_, {});
  Result<storage::PurgeCounts> counts = housekeeping.RunOnce();
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->sessions, 1);
  EXPECT_EQ(Last().entry.action, "security.purge");
  EXPECT_EQ(Last().entry.actor, "system:housekeeping");
  EXPECT_NE(Last().entry.reason.find("sessions=1"), std::string::npos);
  {
    auto work = std::move(store_->Begin()).value();
    EXPECT_FALSE(work->FindSession(Blake2bHex(idle_session))->has_value());
    EXPECT_TRUE(work->FindSession(Blake2bHex(fresh_session))->has_value());
  }
  // Nothing more to purge: no event.
  std::int64_t seq = Last().seq;
  EXPECT_EQ(housekeeping.RunOnce()->sessions, 0);
  EXPECT_EQ(Last().seq, seq);
  // The thread purges on its own: absolute timeout passes, the thread runs, the row goes.
  clock_.Advance(hours(13));
  HousekeepingOptions fast;
  fast.interval = std::chrono::milliseconds(10);
  Housekeeping thread(*store_, audit_, clock_, fast);
  thread.Start();
  bool purged = false;
  for (int i = 0; i < 500 && !purged; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto work = std::move(store_->Begin()).value();
    purged = !work->FindSession(Blake2bHex(fresh_session)).value().has_value();
  }
  thread.Stop();
  EXPECT_TRUE(purged);
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

}  // namespace
}  // namespace liaison::app
