// The access matrix, generated from the route table: every route of the Api, for every role,
// in and out of the role's organisation scope, expecting exactly what app/access_policy.h
// says; and the ways credentials go wrong (none, expired, replayed, forged, malformed,
// oversized, outside a token's scope), which must all be 4xx, never 5xx, and audited.
// Calls Api::Handle directly; no network. SQLite, and the session flow on PostgreSQL too.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "app/access_policy.h"
#include "app/audit_anchor.h"
#include "app/demo_data.h"
#include "app/user_service.h"
#include "common/hash.h"
#include "common/time_format.h"
#include "http/api.h"
#include "storage/test_database.h"

namespace liaison::http {
namespace {

using app::Action;
using app::Scope;
using domain::Role;

std::string WebRoot() {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  return std::string(source != nullptr ? source : ".") + "/web";
}

std::string SetCookieValue(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie") return value;
  }
  return "";
}

std::string HeaderOf(const Response& response, std::string_view wanted) {
  for (const auto& [name, value] : response.headers) {
    if (name == wanted) return value;
  }
  return "";
}

struct Session {
  std::string id;
  std::string csrf;
};

class ApiSecurityTest : public ::testing::Test {
 protected:
  void Open(const std::string& url) {
    store_ = std::move(storage::OpenStore(url, {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
    Result<app::DemoSummary> demo =
        app::LoadDemoData(*store_, audit_, {app::PasswordCost::Minimum()});
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    ApiOptions options;
    options.web_root = WebRoot();
    options.password_cost = app::PasswordCost::Minimum();
    options.throttle.per_address_per_minute = 1000000;
    api_ = std::make_unique<Api>(*store_, audit_, clock_, options);
    ApiOptions tls = options;
    tls.transport = Transport::kTls;
    tls_api_ = std::make_unique<Api>(*store_, audit_, clock_, tls);
  }

  void SetUpDatabase(std::string_view backend) {
    Result<std::unique_ptr<storage::TestDatabase>> database =
        storage::TestDatabase::Create(backend);
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(database).value();
    Open(database_->url());
  }
  void SetUpSqlite() { SetUpDatabase("sqlite"); }

  void TearDown() override {
    tls_api_.reset();
    api_.reset();
    store_.reset();
    database_.reset();
  }

  Request Make(std::string method, std::string path, std::string body = "") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    if (!request.body.empty()) request.headers["content-type"] = "application/json";
    request.request_id = "req-" + std::to_string(++requests_);
    request.remote_address = "192.0.2.1";
    return request;
  }

  Response Call(Request request, const Session* session = nullptr) {
    if (session != nullptr) {
      request.headers["cookie"] = "theme=dark; liaison_session=" + session->id;
      if (request.method != "GET") request.headers["x-csrf-token"] = session->csrf;
    }
    request.headers["x-access-reason"] = "matrix test";
    Response response = api_->Handle(request);
    EXPECT_LT(response.status, 500) << request.method << " " << request.path << "\n"
                                    << response.body;
    return response;
  }

  std::optional<Session> Login(const std::string& username, const std::string& password,
                               const Api* api = nullptr) {
    Request request = Make("POST", "/api/session",
                           R"({"username":")" + username + R"(","password":")" + password + "\"}");
    Response response = (api != nullptr ? *api : *api_).Handle(request);
    if (response.status != 200) return std::nullopt;
    std::string cookie = SetCookieValue(response);
    size_t start = cookie.find('=') + 1;
    std::string id = cookie.substr(start, cookie.find(';') - start);
    size_t csrf = response.body.find("\"csrf_token\":\"") + 14;
    return Session{id, response.body.substr(csrf, 64)};
  }

  Session LoginAs(Role role) {
    for (const app::DemoUser& user : app::DemoUsers()) {
      if (user.role == role) {
        std::optional<Session> session = Login(user.username, user.password);
        EXPECT_TRUE(session.has_value()) << user.username;
        return session.value_or(Session{});
      }
    }
    ADD_FAILURE() << "no demo user for the role";
    return {};
  }

  domain::AuditEvent LastEvent() {
    domain::AuditEvent last;
    EXPECT_TRUE(store_
                    ->ScanAudit([&](const domain::AuditEvent& e) {
                      last = e;
                      return Status::Ok();
                    })
                    .ok());
    return last;
  }

  domain::PersonId PersonOwnedBy(const std::string& code) {
    auto work = std::move(store_->Begin()).value();
    domain::Person person;
    person.given_name = "Test";
    domain::PersonId id = *work->InsertPerson(person, work->GetOrganisationByCode(code)->id);
    EXPECT_TRUE(work->Commit().ok());
    return id;
  }

  app::CreatedApiToken TokenOf(const std::string& code, domain::TokenScope scope,
                               std::optional<int> days = std::nullopt) {
    app::UserService users(*store_, audit_, clock_, app::PasswordCost::Minimum());
    Result<app::CreatedApiToken> created =
        users.CreateToken({"cli", "test"}, {"feed " + RandomHex(4), scope, code, days});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.value();
  }

  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<app::AuditAnchor> anchor_ = app::NewMemoryAuditAnchor();
  app::AuditLog audit_{clock_, *anchor_};
  std::unique_ptr<Api> api_;
  std::unique_ptr<Api> tls_api_;
  int requests_ = 0;
};

// A minimal attendance at the demo trust's emergency department.
std::string AttendanceJson(const std::string& id, const std::string& extra = "") {
  return R"({"attendance_id":")" + id +
         R"(","site":"RDEMO-GEN","arrival":"2026-11-20T10:00:00Z","patient":{})" + extra + "}";
}

// The organisation each demo role belongs to, and one of the other kind.
std::string OwnOrg(Role role) {
  for (const app::DemoUser& user : app::DemoUsers()) {
    if (user.role == role) return user.org_code;
  }
  return "";
}
std::string OtherOrg(Role role) { return OwnOrg(role) == "RDEMO" ? "LA-CITY" : "RDEMO"; }

// A role that may be given to a new user in `org`.
std::string RoleFor(const std::string& org) { return org == "RDEMO" ? "midwife" : "la_manager"; }

enum class Where { kInScope, kOutOfScope };

// One row of the matrix: how to call a route for a role, in or out of its scope, what the
// policy action is, and the status when allowed. Built per call so every case is fresh.
struct RouteCase {
  std::optional<Action> action;  // nullopt: any signed-in user (the session routes)
  int allowed_status = 200;
  // Status when the role may act but not in this organisation.
  int out_of_scope_status = 403;
  // True when the target organisation does not matter (the action spans organisations or
  // acts only in the caller's own).
  bool scope_free = false;
  std::function<Request(Role, Where)> build;
};

class MatrixTest : public ApiSecurityTest {
 protected:
  void SetUp() override { SetUpSqlite(); }

  std::map<std::string, RouteCase> Cases() {
    std::map<std::string, RouteCase> cases;
    auto unique = [this] { return std::to_string(++serial_); };
    cases["GET /api/session"] = {std::nullopt, 200, 403, true,
                                 [this](Role, Where) { return Make("GET", "/api/session"); }};
    cases["DELETE /api/session"] = {std::nullopt, 204, 403, true,
                                    [this](Role, Where) { return Make("DELETE", "/api/session"); }};
    cases["POST /api/users"] = {
        Action::kUserManage, 201, 403, false, [this, unique](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("POST", "/api/users",
                      R"({"username":"new.user)" + unique() + R"(","role":")" + RoleFor(org) +
                          R"(","org":")" + org + R"(","password":"a long enough phrase"})");
        }};
    cases["POST /api/tokens"] = {
        Action::kTokenManage, 201, 403, false, [this](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("POST", "/api/tokens",
                      R"({"name":"Feed","scope":"attendance_feed","org":")" + org + R"("})");
        }};
    cases["DELETE /api/tokens/{id}"] = {
        Action::kTokenManage, 204, 403, false, [this](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          app::CreatedApiToken token = TokenOf(org, domain::TokenScope::kRegisterUpload);
          return Make("DELETE", "/api/tokens/" + std::to_string(token.token.id.value()));
        }};
    cases["GET /api/organisations"] = {
        Action::kOrganisationRead, 200, 403, true,
        [this](Role, Where) { return Make("GET", "/api/organisations"); }};
    cases["POST /api/organisations"] = {
        Action::kOrganisationCreate, 201, 403, true, [this, unique](Role, Where) {
          return Make("POST", "/api/organisations",
                      R"({"code":"NEW)" + unique() + R"(","name":"New","kind":"trust"})");
        }};
    cases["GET /api/organisations/{code}"] = {
        Action::kOrganisationRead, 200, 403, false, [this](Role role, Where where) {
          return Make("GET", "/api/organisations/" +
                                 (where == Where::kInScope ? OwnOrg(role) : OtherOrg(role)));
        }};
    cases["POST /api/organisations/{code}/sites"] = {
        Action::kSiteCreate, 201, 403, false, [this, unique](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("POST", "/api/organisations/" + org + "/sites",
                      R"({"code":"S)" + unique() + R"(","name":"Site"})");
        }};
    cases["POST /api/organisations/{code}/teams"] = {
        Action::kTeamCreate, 201, 403, false, [this, unique](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("POST", "/api/organisations/" + org + "/teams",
                      R"({"code":"T)" + unique() + R"(","name":"Team","kind":"front_door"})");
        }};
    cases["POST /api/people"] = {Action::kPersonCreate, 201, 403, true, [this](Role, Where) {
                                   return Make("POST", "/api/people",
                                               R"({"given_name":"Ava","sex":"female"})");
                                 }};
    // Another organisation's person answers exactly like a missing one.
    cases["GET /api/people/{id}"] = {
        Action::kPersonRead, 200, 404, false, [this](Role role, Where where) {
          domain::PersonId id =
              PersonOwnedBy(where == Where::kInScope ? OwnOrg(role) : OtherOrg(role));
          return Make("GET", "/api/people/" + std::to_string(id.value()));
        }};
    // Feeds send for their own organisation whatever the body says, so scope does not apply.
    cases["POST /api/attendances"] = {
        Action::kAttendanceFeed, 201, 403, true, [this, unique](Role, Where) {
          return Make("POST", "/api/attendances", AttendanceJson("M" + unique()));
        }};
    cases["POST /api/attendances/batch"] = {
        Action::kAttendanceFeed, 200, 403, true, [this, unique](Role, Where) {
          return Make("POST", "/api/attendances/batch", "[" + AttendanceJson("B" + unique()) + "]");
        }};
    // Assessment stores nothing and reads no record, so organisation scope does not apply.
    cases["POST /api/assess"] = {Action::kAssess, 200, 403, true, [this, unique](Role, Where) {
                                   return Make("POST", "/api/assess",
                                               AttendanceJson("Q" + unique()));
                                 }};
    return cases;
  }

  int serial_ = 0;
};

TEST_F(MatrixTest, EveryProtectedRouteHasACaseAndEveryPublicRouteIsListed) {
  std::map<std::string, RouteCase> cases = Cases();
  std::set<std::string> public_routes;
  for (const RouteInfo& route : api_->Routes()) {
    std::string key = route.method + " " + route.pattern;
    if (route.access == Access::kPublic) {
      public_routes.insert(key);
    } else {
      EXPECT_TRUE(cases.contains(key)) << "no matrix case for protected route " << key;
    }
  }
  // The public routes are exactly those docs/contracts names.
  EXPECT_EQ(public_routes, (std::set<std::string>{"GET /healthz", "GET /readyz", "GET /",
                                                  "GET /login", "POST /login", "POST /api/session",
                                                  "GET /assets/nhsuk-frontend/{*}"}));
}

TEST_F(MatrixTest, EveryRouteForEveryRoleInAndOutOfScopeFollowsThePolicy) {
  std::map<std::string, RouteCase> cases = Cases();
  int checked = 0;
  for (Role role : domain::AllRoles()) {
    std::string slug(domain::RoleSlug(role));
    Session session = LoginAs(role);
    for (const RouteInfo& route : api_->Routes()) {
      if (route.access == Access::kPublic) continue;
      std::string key = route.method + " " + route.pattern;
      auto found = cases.find(key);
      ASSERT_NE(found, cases.end()) << key;
      const RouteCase& c = found->second;
      for (Where where : {Where::kInScope, Where::kOutOfScope}) {
        if (c.scope_free && where == Where::kOutOfScope) continue;
        Scope scope = c.action ? app::PolicyScope(role, *c.action) : Scope::kAnyOrganisation;
        int expected = scope == Scope::kNone ? 403
                       : (scope == Scope::kOwnOrganisation && where == Where::kOutOfScope)
                           ? c.out_of_scope_status
                           : c.allowed_status;
        Response response = Call(c.build(role, where), &session);
        std::string label = slug + " " + key + (where == Where::kInScope ? " (in)" : " (out)");
        EXPECT_EQ(response.status, expected) << label << "\n" << response.body;
        ++checked;
        // Every allow and every deny leaves an event naming the user.
        domain::AuditEvent last = LastEvent();
        if (c.action) {
          EXPECT_EQ(last.entry.outcome, expected == c.allowed_status ? "allow" : "deny") << label;
          EXPECT_TRUE(last.entry.actor.starts_with("user:")) << label;
        }
        if (key == "DELETE /api/session") session = LoginAs(role);
      }
    }
  }
  EXPECT_GT(checked, 14 * 12);
}

TEST_F(MatrixTest, EveryProtectedRouteAnswers401WithoutCredentials) {
  std::map<std::string, RouteCase> cases = Cases();
  for (const RouteInfo& route : api_->Routes()) {
    if (route.access == Access::kPublic) continue;
    Request request =
        cases.at(route.method + " " + route.pattern).build(Role::kAdmin, Where::kInScope);
    Response response = Call(request);
    EXPECT_EQ(response.status, 401) << route.pattern;
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_NE(HeaderOf(response, "WWW-Authenticate"), "");
  }
}

TEST_F(MatrixTest, ATokenReachesOnlyRoutesOfItsScope) {
  std::map<std::string, RouteCase> cases = Cases();
  app::CreatedApiToken token = TokenOf("RDEMO", domain::TokenScope::kAttendanceFeed);
  for (const RouteInfo& route : api_->Routes()) {
    if (route.access == Access::kPublic) continue;
    Request request =
        cases.at(route.method + " " + route.pattern).build(Role::kAdmin, Where::kInScope);
    request.headers["authorization"] = "Bearer " + token.secret;
    Response response = Call(request);
    bool listed = false;
    for (domain::TokenScope scope : route.token_scopes)
      listed = listed || scope == token.token.scope;
    int allowed = cases.at(route.method + " " + route.pattern).allowed_status;
    EXPECT_EQ(response.status, listed ? allowed : 403) << route.pattern << "\n" << response.body;
    if (!listed) {
      EXPECT_EQ(LastEvent().entry.outcome, "deny");
      EXPECT_EQ(LastEvent().entry.actor, "token:" + std::to_string(token.token.id.value()));
    }
  }
}

TEST_F(MatrixTest, AssessAnswersTheContractAndAuditsWithoutPatientIdentifiers) {
  Session session = LoginAs(Role::kEdClinician);
  const std::string attendance =
      R"({"attendance_id":"Z1","site":"RDEMO-GEN","arrival":"2026-11-20T10:00:00Z","patient":{"nhs_number":"9990000018","given_name":"Testchild","birth_date":"2026-09-01"},"injuries":[{"type":"bruise","site":"ear"}]})";
  Response response =
      Call(Make("POST", "/api/assess", R"({"attendance":)" + attendance + R"(,"history":[]})"),
           &session);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body.rfind(R"({"level":"suspect","note":")", 0), 0u) << response.body;
  EXPECT_NE(response.body.find(R"("rule":"CG89-BR-NIM")"), std::string::npos);
  domain::AuditEvent last = LastEvent();
  EXPECT_EQ(last.entry.action, "recognition.assess");
  EXPECT_EQ(last.entry.outcome, "allow");
  EXPECT_TRUE(last.entry.record_id.starts_with("level=suspect findings=")) << last.entry.record_id;
  for (std::string_view identifier :
       {"9990000018", "999 000 0018", "Testchild", "2026-09-01", "Z1"}) {
    EXPECT_EQ(last.entry.record_id.find(identifier), std::string::npos) << identifier;
    EXPECT_EQ(last.entry.reason.find(identifier), std::string::npos) << identifier;
  }
  // A bare attendance is the same request.
  EXPECT_EQ(Call(Make("POST", "/api/assess", attendance), &session).status, 200);
  // Strict wrapper, fields named.
  Response unknown =
      Call(Make("POST", "/api/assess", R"({"attendance":)" + attendance + R"(,"histroy":[]})"),
           &session);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find(R"("field":"/histroy")"), std::string::npos) << unknown.body;
  Response bad_enum = Call(
      Make("POST", "/api/assess", AttendanceJson("Z2", R"(,"mobility":"crawling")")), &session);
  EXPECT_EQ(bad_enum.status, 400);
  EXPECT_NE(bad_enum.body.find(R"("field":"/mobility")"), std::string::npos) << bad_enum.body;
  EXPECT_EQ(Call(Make("POST", "/api/assess", "{"), &session).status, 400);
  // A role outside the trust's clinical staff is refused, and the refusal audited.
  Session social_worker = LoginAs(Role::kLaFrontDoor);
  EXPECT_EQ(Call(Make("POST", "/api/assess", attendance), &social_worker).status, 403);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
}

TEST_F(MatrixTest, PublicRoutesNeedNoCredentials) {
  EXPECT_EQ(Call(Make("GET", "/healthz")).status, 200);
  EXPECT_EQ(Call(Make("GET", "/readyz")).status, 200);
  Response home = Call(Make("GET", "/"));
  EXPECT_EQ(home.status, 200);
  Response login = Call(Make("GET", "/login"));
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("<form method=\"post\" action=\"/login\""), std::string::npos);
  EXPECT_EQ(Call(Make("GET", "/assets/nhsuk-frontend/nhsuk-frontend.min.css")).status, 200);
  EXPECT_EQ(Call(Make("GET", "/nowhere")).status, 404);
}

class SessionFlowTest : public ApiSecurityTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override { SetUpDatabase(GetParam()); }
};

TEST_P(SessionFlowTest, SignInUseCsrfAndSignOut) {
  Request request =
      Make("POST", "/api/session",
           R"({"username":"demo.liaison_nurse","password":"liaison_nurse-demo-2026"})");
  Response response = Call(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find(
                R"("user":{"username":"demo.liaison_nurse","role":"liaison_nurse","org":"RDEMO"})"),
            std::string::npos)
      << response.body;
  std::string cookie = SetCookieValue(response);
  EXPECT_TRUE(cookie.starts_with("liaison_session="));
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_EQ(HeaderOf(response, "Strict-Transport-Security"), "");

  Session session = *Login("demo.liaison_nurse", "liaison_nurse-demo-2026");
  EXPECT_EQ(Call(Make("GET", "/api/session"), &session).status, 200);
  // A state-changing request needs the CSRF token, exactly.
  Request create = Make("POST", "/api/people", R"({"given_name":"Ava"})");
  create.headers["cookie"] = "liaison_session=" + session.id;
  EXPECT_EQ(Call(create).status, 403);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  create.headers["x-csrf-token"] =
      session.csrf.substr(0, 63) + (session.csrf.back() == '0' ? "1" : "0");
  EXPECT_EQ(Call(create).status, 403);
  create.headers["x-csrf-token"] = session.csrf;
  EXPECT_EQ(Call(create).status, 201);

  EXPECT_EQ(Call(Make("DELETE", "/api/session"), &session).status, 204);
  // Replaying the ended session is refused, and audited.
  Response replay = Call(Make("GET", "/api/session"), &session);
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.body.find("session_invalid"), std::string::npos);
  EXPECT_EQ(LastEvent().entry.action, "session.authenticate");
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
}

TEST_P(SessionFlowTest, SessionsExpireWhenIdle) {
  Session session = *Login("demo.admin", "admin-demo-2026");
  clock_.Advance(std::chrono::minutes(31));
  Response response = Call(Make("GET", "/api/organisations"), &session);
  EXPECT_EQ(response.status, 401);
  EXPECT_NE(response.body.find("session_expired"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SessionFlowTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

class AbuseTest : public ApiSecurityTest {
 protected:
  void SetUp() override { SetUpSqlite(); }
};

TEST_F(AbuseTest, TlsSessionsGetSecureCookiesAndHsts) {
  Request request =
      Make("POST", "/api/session", R"({"username":"demo.admin","password":"admin-demo-2026"})");
  Response response = tls_api_->Handle(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(SetCookieValue(response).find("; Secure"), std::string::npos);
  EXPECT_EQ(HeaderOf(response, "Strict-Transport-Security"), "max-age=31536000");
}

TEST_F(AbuseTest, WrongPasswordsAndUnknownUsersLookTheSameThenLockOut) {
  Response wrong = Call(
      Make("POST", "/api/session", R"({"username":"demo.admin","password":"not the password"})"));
  Response unknown = Call(
      Make("POST", "/api/session", R"({"username":"nobody.here","password":"not the password"})"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  auto without_id = [](std::string body) { return body.substr(0, body.find("\"request_id\"")); };
  EXPECT_EQ(without_id(wrong.body), without_id(unknown.body));
  for (int i = 0; i < 5; ++i) {
    (void)Call(
        Make("POST", "/api/session", R"({"username":"demo.admin","password":"not the password"})"));
  }
  Response locked = Call(
      Make("POST", "/api/session", R"({"username":"demo.admin","password":"admin-demo-2026"})"));
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(HeaderOf(locked, "Retry-After"), "60");
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(Login("demo.admin", "admin-demo-2026").has_value());
}

TEST_F(AbuseTest, BadCredentialsAreAlways4xxAndAudited) {
  std::string big(20000, 'a');
  const char* cookies[] = {
      "liaison_session=",
      "liaison_session=zzzz",
      "liaison_session=0000000000000000000000000000000000000000000000000000000000000000",
      "liaison_session=\"unterminated",
      "liaison_session",
      ";;;=;=",
      "liaison_session=a; liaison_session=b",
  };
  for (const char* cookie : cookies) {
    Request request = Make("GET", "/api/organisations");
    request.headers["cookie"] = cookie;
    Response response = Call(request);
    EXPECT_EQ(response.status, 401) << cookie;
  }
  Request huge_cookie = Make("GET", "/api/organisations");
  huge_cookie.headers["cookie"] = "liaison_session=" + big;
  EXPECT_EQ(Call(huge_cookie).status, 401);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  for (std::string authorization : {std::string("Bearer"), std::string("Basic YTpi"),
                                    std::string("Bearer lia_") + RandomHex(32),
                                    std::string("Bearer ") + big, std::string("bearer x")}) {
    Request request = Make("GET", "/api/session");
    request.headers["authorization"] = authorization;
    EXPECT_EQ(Call(request).status, 401) << authorization.substr(0, 20);
    EXPECT_EQ(LastEvent().entry.action, "token.authenticate");
  }
  // Oversized or malformed sign-in bodies are 400, not 500.
  EXPECT_EQ(
      Call(Make("POST", "/api/session", R"({"username":")" + big + R"(","password":"x"})")).status,
      400);
  EXPECT_EQ(
      Call(Make("POST", "/api/session", R"({"username":"demo.admin","password":")" + big + R"("})"))
          .status,
      400);
  EXPECT_EQ(Call(Make("POST", "/api/session", "{not json")).status, 400);
  EXPECT_EQ(Call(Make("POST", "/api/session", R"({"username":"a"})")).status, 400);
}

TEST_F(AbuseTest, ExpiredAndRevokedTokensAreRefused) {
  app::CreatedApiToken expiring = TokenOf("RDEMO", domain::TokenScope::kAttendanceFeed, 1);
  app::CreatedApiToken revoked = TokenOf("RDEMO", domain::TokenScope::kRegisterUpload);
  Request request = Make("GET", "/api/session");
  request.headers["authorization"] = "Bearer " + expiring.secret;
  EXPECT_EQ(Call(request).status, 200);
  clock_.Advance(std::chrono::hours(25));
  Response expired = Call(request);
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body.find("token_expired"), std::string::npos);

  Session admin = *Login("demo.admin", "admin-demo-2026");
  EXPECT_EQ(Call(Make("DELETE", "/api/tokens/" + std::to_string(revoked.token.id.value())), &admin)
                .status,
            204);
  request.headers["authorization"] = "Bearer " + revoked.secret;
  Response refused = Call(request);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("token_revoked"), std::string::npos);
}

TEST_F(AbuseTest, GuessingAnotherOrganisationsIdsLooksLikeNothingIsThereAndIsAudited) {
  Session social_worker = *Login("demo.hospital_social_worker", "hospital_social_worker-demo-2026");
  domain::PersonId trust_person = PersonOwnedBy("RDEMO");
  Response theirs =
      Call(Make("GET", "/api/people/" + std::to_string(trust_person.value())), &social_worker);
  Response missing = Call(Make("GET", "/api/people/99999999"), &social_worker);
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(missing.status, 404);
  auto without_id = [](std::string body) { return body.substr(0, body.find("\"request_id\"")); };
  EXPECT_EQ(without_id(theirs.body), without_id(missing.body));
  bool denied = false;
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& e) {
                    denied = denied || (e.entry.action == "person.read" &&
                                        e.entry.record_id == std::to_string(trust_person.value()) &&
                                        e.entry.outcome == "deny");
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(denied);
  EXPECT_EQ(Call(Make("GET", "/api/people/abc"), &social_worker).status, 400);
  EXPECT_TRUE(app::VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_F(AbuseTest, TheLoginFormSignsInWithoutJavaScript) {
  Request form = Make("POST", "/login", "username=demo.admin&password=admin-demo-2026");
  form.headers["content-type"] = "application/x-www-form-urlencoded";
  Response signed_in = Call(form);
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_EQ(HeaderOf(signed_in, "Location"), "/");
  EXPECT_TRUE(SetCookieValue(signed_in).starts_with("liaison_session="));
  form.body = "username=demo.admin&password=wrong+password+here";
  Response refused = Call(form);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("Enter a correct username and password"), std::string::npos);
  form.headers["origin"] = "https://evil.example";
  EXPECT_EQ(Call(form).status, 403);
}

// The attendance routes, called as a trust's feed would: with an attendance_feed token.
class AttendanceApiTest : public ApiSecurityTest {
 protected:
  void SetUp() override {
    SetUpSqlite();
    token_ = TokenOf("RDEMO", domain::TokenScope::kAttendanceFeed);
  }

  Response Post(std::string path, std::string body) {
    Request request = Make("POST", std::move(path), std::move(body));
    request.headers["authorization"] = "Bearer " + token_.secret;
    return Call(request);
  }

  app::CreatedApiToken token_;
};

TEST_F(AttendanceApiTest, OneAttendanceIsCreatedThenUnchangedThenUpdated) {
  std::string first = AttendanceJson("A1", R"(,"notes":"fell")");
  Response created = Post("/api/attendances", first);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body, R"({"index":0,"status":"created","version":1})");
  Response again = Post("/api/attendances", first);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"index":0,"status":"unchanged","version":1})");
  Response changed = Post("/api/attendances", AttendanceJson("A1", R"(,"notes":"fell again")"));
  EXPECT_EQ(changed.status, 201);
  EXPECT_EQ(changed.body, R"({"index":0,"status":"updated","version":2})");
  EXPECT_EQ(LastEvent().entry.action, "attendance.update");
  EXPECT_EQ(LastEvent().entry.actor, "token:" + std::to_string(token_.token.id.value()));
  EXPECT_TRUE(app::VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_F(AttendanceApiTest, BadAttendancesAreProblemsNamingTheField) {
  Response bad_enum = Post("/api/attendances", AttendanceJson("A2", R"(,"department":"moon")"));
  EXPECT_EQ(bad_enum.status, 400);
  EXPECT_EQ(bad_enum.content_type, "application/problem+json");
  EXPECT_NE(bad_enum.body.find(R"("code":"invalid_enum")"), std::string::npos) << bad_enum.body;
  EXPECT_NE(bad_enum.body.find(R"("field":"/department")"), std::string::npos);
  EXPECT_EQ(Post("/api/attendances", "{not json").status, 400);
  EXPECT_EQ(Post("/api/attendances", "[]").status, 400);
  // Another organisation's site is refused.
  auto work = std::move(store_->Begin()).value();
  ASSERT_TRUE(
      work->InsertSite({{}, work->GetOrganisationByCode("LA-CITY")->id, "LA-SITE", "X"}).ok());
  ASSERT_TRUE(work->Commit().ok());
  work.reset();
  Response foreign = Post("/api/attendances", R"({"attendance_id":"F1","site":"LA-SITE",)"
                                              R"("arrival":"2026-11-20T10:00:00Z","patient":{}})");
  EXPECT_EQ(foreign.status, 403);
  EXPECT_NE(foreign.body.find("site_of_another_organisation"), std::string::npos);
}

TEST_F(AttendanceApiTest, ABatchReportsEveryItemAndNeverFailsOnBadRows) {
  std::string good = AttendanceJson("B1");
  std::string body = "[" + good + "," + AttendanceJson("B2", R"(,"mobility":"flying")") + "," +
                     good + "," +
                     R"({"attendance_id":"B3","site":"NOWHERE","arrival":"2026-11-20T10:00:00Z",)"
                     R"("patient":{"nhs_number":"9434765918"}},)" +
                     R"("text",{"site":"RDEMO-GEN"}])";
  Response response = Post("/api/attendances/batch", body);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_NE(response.body.find(R"({"read":6,"accepted":3,"rejected":3,"warnings":2,)"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find(R"({"index":0,"status":"created","version":1})"), std::string::npos);
  EXPECT_NE(response.body.find(
                R"({"index":1,"status":"rejected","field":"/mobility","reason":"invalid_enum"})"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find(R"({"index":2,"status":"unchanged","version":1})"),
            std::string::npos);
  EXPECT_NE(response.body.find(R"("field":"/site","reason":"unknown_site")"), std::string::npos);
  EXPECT_NE(response.body.find(R"("reason":"unverified_nhs_number")"), std::string::npos);
  // The number itself never comes back.
  EXPECT_EQ(response.body.find("9434765918"), std::string::npos);
  EXPECT_EQ(*std::move(store_->Begin()).value()->CountAttendanceVersions(), 2);

  Response malformed = Post("/api/attendances/batch", "[{\"attendance_id\":");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.content_type, "application/problem+json");
  EXPECT_EQ(Post("/api/attendances/batch", good).status, 400);  // an object, not an array
  Response empty = Post("/api/attendances/batch", "[]");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, R"({"read":0,"accepted":0,"rejected":0,"warnings":0,"results":[]})");
}

}  // namespace
}  // namespace liaison::http
