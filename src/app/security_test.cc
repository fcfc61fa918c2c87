// Passwords, the access policy, the login throttle, sessions, API tokens and account
// administration, on SQLite with the minimum argon2id cost.
#include <filesystem>

#include <gtest/gtest.h>

#include "app/access_policy.h"
#include "app/auth_service.h"
#include "app/demo_data.h"
#include "app/login_throttle.h"
#include "app/organisation_service.h"
#include "app/password.h"
#include "app/user_service.h"
#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

using domain::Role;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(PasswordTest, HashesVerifyAndAreSalted) {
  Result<std::string> first = HashPassword("correct pony battery", PasswordCost::Minimum());
  Result<std::string> second = HashPassword("correct pony battery", PasswordCost::Minimum());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->starts_with("$argon2id$"));
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(VerifyPassword(*first, "correct pony battery"));
  EXPECT_FALSE(VerifyPassword(*first, "correct pony batterY"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
}

TEST(PasswordTest, RulesFollowNcscGuidance) {
  struct Case {
    const char* password;
    const char* reason;  // "" when accepted
  };
  const Case cases[] = {
      {"short", "weak_password"},
      {"elevenchars", "weak_password"},
      {"purple monkey dishwasher", ""},
      {"alllowercaseisfine", ""},
      {"Password1234", "weak_password"},  // deny-list, case-insensitive
      {"qwertyuiop123", "weak_password"},
      {"aaaaaaaaaaaaaaa", "weak_password"},
      {"my name is ada.nurse ok", "weak_password"},  // contains the username
      {"ünïcödé pässwörd", ""},
      {"\xff\xfe not utf-8 at all", "invalid_password"},
  };
  for (const Case& c : cases) {
    Status status = CheckPasswordRules(c.password, "ada.nurse");
    EXPECT_EQ(status.reason(), c.reason) << c.password;
    if (!status.ok()) {
      EXPECT_EQ(status.field(), "/password");
      EXPECT_EQ(status.message().find(c.password), std::string::npos);
    }
  }
  EXPECT_EQ(CheckPasswordRules(std::string(300, 'x') + "y", "u").reason(), "invalid_password");
  EXPECT_TRUE(IsCommonPassword("PASSWORD"));
  for (const DemoUser& user : DemoUsers()) {
    EXPECT_TRUE(CheckPasswordRules(user.password, user.username).ok()) << user.username;
  }
}

TEST(AccessPolicyTest, DeniesByDefaultAndKnowsEveryRole) {
  Principal nurse{
      Principal::Kind::kUser, 1, Role::kLiaisonNurse, domain::OrgId(1), "T", {}, {}, "n"};
  Actor actor = ActorFor(nurse, "care");
  EXPECT_EQ(actor.id, "user:1");
  EXPECT_TRUE(Decide(actor, Action::kPersonRead, domain::OrgId(1)).allowed);
  EXPECT_EQ(Decide(actor, Action::kPersonRead, domain::OrgId(2)).why, "out_of_scope");
  EXPECT_FALSE(Decide(actor, Action::kPersonRead, domain::OrgId()).allowed);
  EXPECT_EQ(Decide(actor, Action::kUserManage, domain::OrgId(1)).why, "role_not_permitted");
  EXPECT_TRUE(Decide(actor, Action::kOrganisationRead, std::nullopt).allowed);
  // Without a principal only local operators pass.
  Actor anonymous{"anonymous", "x", std::nullopt, ActorOrigin::kNetwork};
  EXPECT_FALSE(Decide(anonymous, Action::kOrganisationRead, std::nullopt).allowed);
  EXPECT_FALSE(Decide(anonymous, Action::kPersonRead, domain::OrgId(1)).allowed);
  EXPECT_TRUE(Decide({"cli", "x"}, Action::kOrganisationCreate, std::nullopt).allowed);
  EXPECT_TRUE(Decide({"system:demo", "x"}, Action::kPersonRead, domain::OrgId(9)).allowed);
  // A token reaches only its scope's action.
  Principal feed{Principal::Kind::kToken,
                 3,
                 Role::kSystemFeed,
                 domain::OrgId(1),
                 "T",
                 {},
                 domain::TokenScope::kAttendanceFeed,
                 "feed"};
  Actor token = ActorFor(feed, "feed");
  EXPECT_EQ(token.id, "token:3");
  EXPECT_TRUE(Decide(token, Action::kAttendanceFeed, domain::OrgId(1)).allowed);
  EXPECT_EQ(Decide(token, Action::kRegisterUpload, domain::OrgId(1)).why, "token_scope");
  EXPECT_FALSE(Decide(token, Action::kOrganisationRead, std::nullopt).allowed);
  // Every human role can find its way around the directory; nobody but admins manages users.
  for (Role role : domain::AllRoles()) {
    bool human = role != Role::kSystemFeed;
    EXPECT_EQ(PolicyScope(role, Action::kOrganisationRead) != Scope::kNone, human);
    EXPECT_EQ(PolicyScope(role, Action::kUserManage) != Scope::kNone, role == Role::kAdmin);
    EXPECT_NE(PolicyScope(role, Action::kPersonRead), Scope::kAnyOrganisation);
  }
}

// The throttle keeps its state in the database; each test gets a fresh SQLite file.
class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-throttle-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(storage::OpenStore("sqlite:" + (dir_ / "t.db").string(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
};

TEST_F(LoginThrottleTest, BacksOffLocksOutAndForgivesOnSuccess) {
  LoginThrottle throttle(*store_, clock_, {});
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(*throttle.Admit("ada", "10.0.0.1"), seconds(0));
    ASSERT_TRUE(throttle.RecordFailure("ada").ok());
  }
  EXPECT_EQ(*throttle.Admit("ada", "10.0.0.1"), seconds(0));
  ASSERT_TRUE(throttle.RecordFailure("ada").ok());  // the sixth: locked for a minute
  EXPECT_EQ(*throttle.Admit("ada", "10.0.0.2"), seconds(60));
  EXPECT_EQ(*throttle.Admit("bob", "10.0.0.2"), seconds(0));  // others unaffected
  clock_.Advance(seconds(61));
  EXPECT_EQ(*throttle.Admit("ada", "10.0.0.3"), seconds(0));
  ASSERT_TRUE(throttle.RecordFailure("ada").ok());  // the seventh: two minutes
  EXPECT_EQ(*throttle.RetryAfter("ada", "10.0.0.3"), seconds(120));
  clock_.Advance(seconds(121));
  ASSERT_TRUE(throttle.RecordSuccess("ada").ok());
  EXPECT_EQ(*throttle.RetryAfter("ada", "10.0.0.3"), seconds(0));
}

TEST_F(LoginThrottleTest, LimitsAttemptsPerAddress) {
  LoginThrottle throttle(*store_, clock_, {.per_address_per_minute = 3});
  EXPECT_EQ(*throttle.Admit("a", "10.0.0.9"), seconds(0));
  EXPECT_EQ(*throttle.Admit("b", "10.0.0.9"), seconds(0));
  EXPECT_EQ(*throttle.Admit("c", "10.0.0.9"), seconds(0));
  EXPECT_GT(*throttle.Admit("d", "10.0.0.9"), seconds(0));
  EXPECT_EQ(*throttle.Admit("d", "10.0.0.10"), seconds(0));
  clock_.Advance(minutes(1));
  EXPECT_EQ(*throttle.Admit("d", "10.0.0.9"), seconds(0));
}

// Two throttles over the same database stand for two `serve` processes, or one restarted:
// a lockout earned through one holds in the other.
TEST_F(LoginThrottleTest, ProcessesAndRestartsShareTheLockout) {
  auto first = std::make_unique<LoginThrottle>(*store_, clock_, LoginThrottleOptions{});
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(*first->Admit("ada", "10.0.0.1"), seconds(0));
    ASSERT_TRUE(first->RecordFailure("ada").ok());
  }
  first.reset();  // "restart"
  std::unique_ptr<storage::Store> other =
      std::move(storage::OpenStore("sqlite:" + (dir_ / "t.db").string(), {})).value();
  LoginThrottle second(*other, clock_, {});
  EXPECT_EQ(*second.Admit("ada", "10.0.0.7"), seconds(60));
  // The database holds hashes, never the username or address.
  auto work = std::move(other->Begin()).value();
  EXPECT_EQ(work->LockThrottle("ada")->count, 0);
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-auth-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(storage::OpenStore("sqlite:" + (dir_ / "a.db").string(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
    throttle_ = std::make_unique<LoginThrottle>(*store_, clock_, LoginThrottleOptions{});
    auth_holder_ = std::make_unique<AuthService>(*store_, audit_, clock_, *throttle_,
                                                 PasswordCost::Minimum(), SessionOptions());
    users_holder_ = std::make_unique<UserService>(*store_, audit_, clock_, PasswordCost::Minimum());
    OrganisationService orgs(*store_, audit_);
    ASSERT_TRUE(orgs.Create(cli_, {{}, "RXA", "Trust A", domain::OrgKind::kTrust}).ok());
    ASSERT_TRUE(orgs.Create(cli_, {{}, "LAX", "Council X", domain::OrgKind::kLocalAuthority}).ok());
    ASSERT_TRUE(
        orgs.AddTeam(cli_, {"RXA", "ED", "ED", domain::TeamKind::kEmergencyDepartment}).ok());
    Result<domain::User> user = users_holder_->CreateUser(
        cli_, {"ada", Role::kLiaisonNurse, "RXA", "ED", "purple monkey dish"});
    ASSERT_TRUE(user.ok()) << user.status().ToString();
  }
  void TearDown() override {
    users_holder_.reset();
    auth_holder_.reset();
    throttle_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<domain::AuditEvent> Events() {
    std::vector<domain::AuditEvent> events;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& e) {
                      events.push_back(e);
                      return Status::Ok();
                    })
                    .ok());
    return events;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
  // Built in SetUp, once the store exists.
  std::unique_ptr<LoginThrottle> throttle_;
  std::unique_ptr<AuthService> auth_holder_;
  std::unique_ptr<UserService> users_holder_;
  Actor cli_{"cli", "administration"};
};

TEST_F(AuthTest, SignInGivesASessionThatExpiresWhenIdleOrOld) {
  Result<SignIn> signed_in = auth_holder_->Login("ada", "purple monkey dish", "127.0.0.1");
  ASSERT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  EXPECT_EQ(signed_in->org_code, "RXA");
  EXPECT_TRUE(AuthService::LooksLikeSessionId(signed_in->session_id));
  EXPECT_TRUE(AuthService::CsrfTokenMatches(signed_in->session_id, signed_in->csrf_token));
  EXPECT_FALSE(AuthService::CsrfTokenMatches(signed_in->session_id, "x"));
  Result<Principal> principal = auth_holder_->AuthenticateSession(signed_in->session_id);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->role, Role::kLiaisonNurse);
  EXPECT_EQ(principal->org_code, "RXA");
  EXPECT_TRUE(principal->team.has_value());

  // Used every 20 minutes it stays alive until the absolute timeout of 12 hours.
  for (int i = 0; i < 35; ++i) {
    clock_.Advance(minutes(20));
    ASSERT_TRUE(auth_holder_->AuthenticateSession(signed_in->session_id).ok()) << i;
  }
  clock_.Advance(minutes(21));
  EXPECT_EQ(auth_holder_->AuthenticateSession(signed_in->session_id).status().reason(),
            "session_expired");
  // Once expired it is gone: replaying it is "invalid".
  EXPECT_EQ(auth_holder_->AuthenticateSession(signed_in->session_id).status().reason(),
            "session_invalid");

  Result<SignIn> again = auth_holder_->Login("ADA", "purple monkey dish", "127.0.0.1");
  ASSERT_TRUE(again.ok());
  clock_.Advance(minutes(31));
  EXPECT_EQ(auth_holder_->AuthenticateSession(again->session_id).status().reason(),
            "session_expired");
}

TEST_F(AuthTest, LogoutEndsTheSessionAndForgedIdsAreRefused) {
  Result<SignIn> signed_in = auth_holder_->Login("ada", "purple monkey dish", "127.0.0.1");
  ASSERT_TRUE(signed_in.ok());
  Result<Principal> principal = auth_holder_->AuthenticateSession(signed_in->session_id);
  ASSERT_TRUE(principal.ok());
  ASSERT_TRUE(auth_holder_->Logout(*principal, signed_in->session_id).ok());
  EXPECT_EQ(auth_holder_->AuthenticateSession(signed_in->session_id).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_holder_->AuthenticateSession(RandomHex(32)).status().reason(), "session_invalid");
  EXPECT_EQ(auth_holder_->AuthenticateSession("not-hex").status().reason(), "session_invalid");
  std::vector<domain::AuditEvent> events = Events();
  EXPECT_EQ(events.back().entry.action, "session.authenticate");
  EXPECT_EQ(events.back().entry.outcome, "deny");
}

TEST_F(AuthTest, WrongPasswordsAndUnknownUsersLookAlikeAndLockOut) {
  Result<SignIn> wrong = auth_holder_->Login("ada", "purple monkey dishes", "127.0.0.1");
  Result<SignIn> unknown = auth_holder_->Login("nobody", "purple monkey dish", "127.0.0.1");
  EXPECT_EQ(wrong.status().reason(), "invalid_credentials");
  EXPECT_EQ(unknown.status().reason(), "invalid_credentials");
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  // Five failures are free; the sixth locks the username.
  for (int i = 0; i < 5; ++i) (void)auth_holder_->Login("ada", "nope nope nope", "127.0.0.2");
  Result<SignIn> locked = auth_holder_->Login("ada", "purple monkey dish", "127.0.0.3");
  EXPECT_EQ(locked.status().reason(), "too_many_attempts");
  EXPECT_EQ(auth_holder_->RetryAfter("ada", "127.0.0.3"), seconds(60));
  // Unknown usernames lock out the same way, so a lockout reveals nothing.
  for (int i = 0; i < 6; ++i) (void)auth_holder_->Login("ghost", "nope nope nope", "127.0.0.4");
  EXPECT_EQ(auth_holder_->Login("ghost", "nope nope nope", "127.0.0.5").status().reason(),
            "too_many_attempts");
  clock_.Advance(seconds(61));
  EXPECT_TRUE(auth_holder_->Login("ada", "purple monkey dish", "127.0.0.3").ok());
  EXPECT_EQ(auth_holder_->Login(std::string(65, 'a'), "x", "1").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(auth_holder_->Login("ada", std::string(2000, 'x'), "1").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AuthTest, TokensAreScopedExpireAndCanBeRevoked) {
  Result<CreatedApiToken> token =
      users_holder_->CreateToken(cli_, {"ED feed", domain::TokenScope::kAttendanceFeed, "RXA", 30});
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_TRUE(AuthService::LooksLikeApiToken(token->secret));
  Result<Principal> principal = auth_holder_->AuthenticateToken(token->secret);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->kind, Principal::Kind::kToken);
  EXPECT_EQ(principal->role, Role::kSystemFeed);
  EXPECT_EQ(principal->token_scope, domain::TokenScope::kAttendanceFeed);
  EXPECT_EQ(auth_holder_->AuthenticateToken("lia_" + RandomHex(32)).status().reason(),
            "token_invalid");
  EXPECT_EQ(auth_holder_->AuthenticateToken("Bearer nonsense").status().reason(), "token_invalid");
  clock_.Advance(std::chrono::days(31));
  EXPECT_EQ(auth_holder_->AuthenticateToken(token->secret).status().reason(), "token_expired");

  Result<CreatedApiToken> forever = users_holder_->CreateToken(
      cli_, {"Register", domain::TokenScope::kRegisterUpload, "LAX", {}});
  ASSERT_TRUE(forever.ok());
  ASSERT_TRUE(auth_holder_->AuthenticateToken(forever->secret).ok());
  ASSERT_TRUE(users_holder_->RevokeToken(cli_, forever->token.id).ok());
  EXPECT_EQ(auth_holder_->AuthenticateToken(forever->secret).status().reason(), "token_revoked");
  EXPECT_EQ(users_holder_->RevokeToken(cli_, domain::ApiTokenId(99)).reason(), "unknown_token");
}

TEST_F(AuthTest, UserAdministrationIsValidatedAndAuthorised) {
  EXPECT_EQ(
      users_holder_->CreateUser(cli_, {"ada", Role::kMidwife, "RXA", {}, "another good phrase"})
          .status()
          .reason(),
      "duplicate_username");
  EXPECT_EQ(
      users_holder_->CreateUser(cli_, {"bo", Role::kMidwife, "RXA", {}, "another good phrase"})
          .status()
          .reason(),
      "invalid_username");
  EXPECT_EQ(users_holder_->CreateUser(cli_, {"bob", Role::kMidwife, "RXA", {}, "password1234"})
                .status()
                .reason(),
            "weak_password");
  EXPECT_EQ(
      users_holder_->CreateUser(cli_, {"bob", Role::kLaFrontDoor, "RXA", {}, "another good phrase"})
          .status()
          .reason(),
      "role_not_valid_for_organisation");
  EXPECT_EQ(
      users_holder_->CreateUser(cli_, {"bob", Role::kMidwife, "RXA", "NOPE", "another good phrase"})
          .status()
          .reason(),
      "unknown_team");
  EXPECT_EQ(
      users_holder_->CreateUser(cli_, {"bob", Role::kMidwife, "NOPE", {}, "another good phrase"})
          .status()
          .reason(),
      "unknown_organisation");
  // A signed-in admin manages its own organisation only; a nurse manages nobody.
  ASSERT_TRUE(
      users_holder_->CreateUser(cli_, {"root", Role::kAdmin, "RXA", {}, "admin phrase for tests"})
          .ok());
  Result<SignIn> admin = auth_holder_->Login("root", "admin phrase for tests", "1");
  ASSERT_TRUE(admin.ok());
  Actor admin_actor =
      ActorFor(*auth_holder_->AuthenticateSession(admin->session_id), "administration");
  EXPECT_TRUE(
      users_holder_
          ->CreateUser(admin_actor, {"bob", Role::kMidwife, "RXA", {}, "another good phrase"})
          .ok());
  Result<domain::User> elsewhere = users_holder_->CreateUser(
      admin_actor, {"carl", Role::kLaManager, "LAX", {}, "another good phrase"});
  EXPECT_EQ(elsewhere.status().reason(), "out_of_scope");
  Result<SignIn> nurse = auth_holder_->Login("ada", "purple monkey dish", "1");
  Actor nurse_actor = ActorFor(*auth_holder_->AuthenticateSession(nurse->session_id), "care");
  EXPECT_EQ(
      users_holder_->CreateUser(nurse_actor, {"dee", Role::kMidwife, "RXA", {}, "another good one"})
          .status()
          .reason(),
      "forbidden");
  std::vector<domain::AuditEvent> events = Events();
  EXPECT_EQ(events.back().entry.action, "user.manage");
  EXPECT_EQ(events.back().entry.outcome, "deny");
  EXPECT_EQ(events.back().entry.actor, nurse_actor.id);
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

}  // namespace
}  // namespace liaison::app
