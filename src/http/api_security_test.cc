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

  // An open review item for the safeguarding team of `code`, about a fresh register entry.
  std::int64_t ReviewItemOf(const std::string& code, const std::string& unique) {
    auto work = std::move(store_->Begin()).value();
    domain::OrgId la = work->GetOrganisationByCode("LA-CITY")->id;
    std::int64_t upload =
        *work->InsertRegisterUpload({0, la, "delta", "test", clock_.Now(), 0, 0, 0});
    domain::RegisterEntry entry;
    entry.owner = la;
    entry.local_id = "R" + unique;
    entry.family_name = "Nowak";
    domain::RegisterEntryId entry_id = *work->UpsertRegisterEntry(entry, upload);
    storage::RegisterReviewItem item;
    item.entry = entry_id;
    item.subject_key = "subject-" + unique;
    item.subject = "{}";
    item.reviewing_org = work->GetOrganisationByCode(code)->id;
    item.explanation = "[]";
    item.state = "open";
    item.created_at = clock_.Now();
    std::int64_t id = work->InsertReviewItem(item)->id;
    EXPECT_TRUE(work->Commit().ok());
    return id;
  }

  domain::PersonId PersonOwnedBy(const std::string& code) {
    auto work = std::move(store_->Begin()).value();
    domain::Person person;
    person.given_name = "Test";
    domain::PersonId id = *work->InsertPerson(person, work->GetOrganisationByCode(code)->id);
    EXPECT_TRUE(work->Commit().ok());
    return id;
  }

  // The demo user's id for `role`.
  domain::UserId DemoUserId(Role role) {
    auto work = std::move(store_->Begin()).value();
    std::string username = "demo." + std::string(domain::RoleSlug(role));
    return work->FindUserByUsername(username).value()->user.id;
  }

  // Marks the demo user of `role` as involved in `person`'s case.
  void Involve(domain::PersonId person, Role role) {
    domain::UserId user = DemoUserId(role);
    auto work = std::move(store_->Begin()).value();
    ASSERT_TRUE(
        work->InsertInvolvement({0, person, user, std::nullopt, "assigned", "test", clock_.Now()})
            .ok());
    ASSERT_TRUE(work->Commit().ok());
  }

  // A break-glass grant by the demo ED clinician on a person owned by `code`.
  std::int64_t GrantOn(const std::string& code) {
    domain::PersonId person = PersonOwnedBy(code);
    auto work = std::move(store_->Begin()).value();
    storage::BreakGlassGrant grant;
    grant.user = work->FindUserByUsername("demo.ed_clinician").value()->user.id;
    grant.person = person;
    grant.org = work->GetOrganisationByCode(code)->id;
    grant.reason = "matrix test grant";
    grant.granted_at = clock_.Now();
    grant.expires_at = clock_.Now() + std::chrono::hours(4);
    std::int64_t id = *work->InsertBreakGlassGrant(grant);
    EXPECT_TRUE(work->Commit().ok());
    return id;
  }

  // A fresh user in organisation `code`, for the account-management routes.
  std::string FreshUser(const std::string& code, const std::string& role_slug) {
    app::UserService users(*store_, audit_, clock_, app::PasswordCost::Minimum());
    std::string username = "fresh." + RandomHex(4);
    Result<domain::User> user = users.CreateUser(
        {"cli", "test"},
        {username, *domain::RoleFromSlug(role_slug), code, std::nullopt, "a long enough phrase"});
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return username;
  }

  // Puts the demo user's own password back after a route changed it.
  void RestoreDemoPassword(Role role) {
    app::UserService users(*store_, audit_, clock_, app::PasswordCost::Minimum());
    std::string slug(domain::RoleSlug(role));
    ASSERT_TRUE(users.ResetPassword({"cli", "test"}, "demo." + slug, slug + "-demo-2026").ok());
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
// Whether the caller is involved in the case (app/case_relationship.h); only routes whose
// action has a relationship rule are called both ways.
enum class Relation { kInvolved, kNotInvolved };

std::string DemoPassword(Role role) { return std::string(domain::RoleSlug(role)) + "-demo-2026"; }

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
  // Status when the role may act in this organisation only within the relationship, and the
  // caller is not involved (only for actions the policy gives a relationship rule).
  int not_involved_status = 403;
  // After the call: put back what the route changed about the caller (a password, a session).
  bool resets_own_password = false;
  bool ends_session = false;
  // Roles whose allowed answer differs, and why: the demo system_feed account belongs to a
  // trust, which holds no register to upload (403 not_a_local_authority, audited as a deny).
  std::map<Role, int> allowed_override = {};
};

class MatrixTest : public ApiSecurityTest {
 protected:
  void SetUp() override { SetUpSqlite(); }

  std::map<std::string, RouteCase> Cases() {
    std::map<std::string, RouteCase> cases;
    auto unique = [this] { return std::to_string(++serial_); };
    cases["GET /api/session"] = {std::nullopt, 200, 403, true,
                                 [this](Role, Where) { return Make("GET", "/api/session"); }};
    RouteCase sign_out = {std::nullopt, 204, 403, true,
                          [this](Role, Where) { return Make("DELETE", "/api/session"); }};
    sign_out.ends_session = true;
    cases["DELETE /api/session"] = sign_out;
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
          if (relation_ == Relation::kInvolved) Involve(id, role);
          return Make("GET", "/api/people/" + std::to_string(id.value()));
        }};
    // --- #3 second slice: involvement, break-glass, account management, signed-in pages ---
    cases["POST /api/people/{id}/involvements"] = {
        Action::kPersonInvolve, 204, 404, false, [this](Role role, Where where) {
          domain::PersonId id =
              PersonOwnedBy(where == Where::kInScope ? OwnOrg(role) : OtherOrg(role));
          return Make("POST", "/api/people/" + std::to_string(id.value()) + "/involvements",
                      R"({"username":"demo.)" + std::string(domain::RoleSlug(role)) + R"("})");
        }};
    // Break-glass on a person the caller is not involved in.
    cases["POST /api/people/{id}/break-glass"] = {
        Action::kBreakGlass, 201, 404, false, [this](Role role, Where where) {
          domain::PersonId id =
              PersonOwnedBy(where == Where::kInScope ? OwnOrg(role) : OtherOrg(role));
          return Make("POST", "/api/people/" + std::to_string(id.value()) + "/break-glass",
                      R"({"reason":"child in resus, parents not yet here"})");
        }};
    cases["GET /api/break-glass/reviews"] = {
        Action::kBreakGlassReview, 200, 403, true,
        [this](Role, Where) { return Make("GET", "/api/break-glass/reviews"); }};
    cases["POST /api/break-glass/reviews/{id}"] = {
        Action::kBreakGlassReview, 200, 404, false, [this](Role role, Where where) {
          std::int64_t id = GrantOn(where == Where::kInScope ? OwnOrg(role) : OtherOrg(role));
          return Make("POST", "/api/break-glass/reviews/" + std::to_string(id),
                      R"({"outcome":"appropriate","note":"checked"})");
        }};
    cases["GET /api/users"] = {Action::kUserManage, 200, 403, true,
                               [this](Role, Where) { return Make("GET", "/api/users"); }};
    // Another organisation's user answers like a missing one.
    cases["PATCH /api/users/{username}"] = {
        Action::kUserManage, 200, 404, false, [this](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("PATCH", "/api/users/" + FreshUser(org, RoleFor(org)),
                      R"({"disabled":true})");
        }};
    cases["PUT /api/users/{username}/password"] = {
        Action::kUserManage, 204, 404, false, [this](Role role, Where where) {
          std::string org = where == Where::kInScope ? OwnOrg(role) : OtherOrg(role);
          return Make("PUT", "/api/users/" + FreshUser(org, RoleFor(org)) + "/password",
                      R"({"password":"a different long phrase"})");
        }};
    RouteCase own_password = {Action::kOwnAccount, 204, 403, true, [this](Role role, Where) {
                                return Make("PUT", "/api/account/password",
                                            R"({"current_password":")" + DemoPassword(role) +
                                                R"(","new_password":"matrix changed phrase"})");
                              }};
    own_password.resets_own_password = true;
    cases["PUT /api/account/password"] = own_password;
    cases["GET /account"] = {std::nullopt, 200, 403, true,
                             [this](Role, Where) { return Make("GET", "/account"); }};
    RouteCase form_password = {Action::kOwnAccount, 303, 403, true, [this](Role role, Where) {
                                 Request request = Make("POST", "/account/password",
                                                        "current_password=" + DemoPassword(role) +
                                                            "&new_password=matrix+changed+phrase");
                                 request.headers["content-type"] =
                                     "application/x-www-form-urlencoded";
                                 return request;
                               }};
    form_password.resets_own_password = true;
    cases["POST /account/password"] = form_password;
    RouteCase logout = {std::nullopt, 303, 403, true, [this](Role, Where) {
                          Request request = Make("POST", "/logout", "x=1");
                          request.headers["content-type"] = "application/x-www-form-urlencoded";
                          return request;
                        }};
    logout.ends_session = true;
    cases["POST /logout"] = logout;
    // Feeds send for their own organisation whatever the body says, so scope does not apply.
    cases["POST /api/attendances"] = {
        Action::kAttendanceFeed, 201, 403, true, [this, unique](Role, Where) {
          return Make("POST", "/api/attendances", AttendanceJson("M" + unique()));
        }};
    cases["POST /api/attendances/batch"] = {
        Action::kAttendanceFeed, 200, 403, true, [this, unique](Role, Where) {
          return Make("POST", "/api/attendances/batch", "[" + AttendanceJson("B" + unique()) + "]");
        }};
    // The register. Uploads are for the caller's own authority whatever the body says.
    RouteCase upload = {
        Action::kRegisterUpload, 200, 403, true, [this, unique](Role, Where) {
          return Make(
              "POST", "/api/register/uploads",
              R"({"mode":"delta","entries":[{"id":"M)" + unique() +
                  R"(","status":"cp_plan","family_name":"Nowak","birth_date":"2020-01-02"}]})");
        }};
    upload.allowed_override = {{Role::kSystemFeed, 403}};
    cases["POST /api/register/uploads"] = upload;
    cases["GET /api/register/lookup"] = {Action::kRegisterLookup, 200, 403, true,
                                         [this](Role, Where) {
                                           Request request = Make("GET", "/api/register/lookup");
                                           request.query = "nhs_number=9434765919&silent=true";
                                           return request;
                                         }};
    cases["GET /api/register/review-queue"] = {
        Action::kRegisterReview, 200, 403, true,
        [this](Role, Where) { return Make("GET", "/api/register/review-queue"); }};
    // Another trust's review item answers exactly like a missing one.
    cases["POST /api/register/review-queue/{id}/decision"] = {
        Action::kRegisterReview, 200, 404, false, [this, unique](Role role, Where where) {
          std::int64_t id =
              ReviewItemOf(where == Where::kInScope ? OwnOrg(role) : OtherOrg(role), unique());
          return Make("POST", "/api/register/review-queue/" + std::to_string(id) + "/decision",
                      R"({"decision":"different"})");
        }};
    // Assessment stores nothing and reads no record, so organisation scope does not apply.
    cases["POST /api/assess"] = {Action::kAssess, 200, 403, true, [this, unique](Role, Where) {
                                   return Make("POST", "/api/assess",
                                               AttendanceJson("Q" + unique()));
                                 }};
    return cases;
  }

  int serial_ = 0;
  Relation relation_ = Relation::kNotInvolved;
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

// What the policy table says a call should answer: role, then organisation scope, then the
// relationship.
int Expected(const RouteCase& c, Role role, Where where, Relation relation) {
  if (!c.action) return c.allowed_status;
  Scope scope = app::PolicyScope(role, *c.action);
  if (scope == Scope::kNone) return 403;
  if (scope == Scope::kOwnOrganisation && where == Where::kOutOfScope) {
    return c.out_of_scope_status;
  }
  if (app::PolicyRelationship(role, *c.action) == app::Relationship::kRequired &&
      relation == Relation::kNotInvolved) {
    return c.not_involved_status;
  }
  return c.allowed_override.contains(role) ? c.allowed_override.at(role) : c.allowed_status;
}

TEST_F(MatrixTest, EveryRouteForEveryRoleInAndOutOfScopeAndRelationshipFollowsThePolicy) {
  std::map<std::string, RouteCase> cases = Cases();
  int checked = 0;
  int relationship_denials = 0;
  for (Role role : domain::AllRoles()) {
    std::string slug(domain::RoleSlug(role));
    Session session = LoginAs(role);
    for (const RouteInfo& route : api_->Routes()) {
      if (route.access == Access::kPublic) continue;
      std::string key = route.method + " " + route.pattern;
      auto found = cases.find(key);
      ASSERT_NE(found, cases.end()) << key;
      const RouteCase& c = found->second;
      // Only actions with a relationship rule for some role are called both ways.
      bool relational = false;
      for (Role any : domain::AllRoles()) {
        relational = relational || (c.action && app::PolicyRelationship(any, *c.action) ==
                                                    app::Relationship::kRequired);
      }
      for (Where where : {Where::kInScope, Where::kOutOfScope}) {
        if (c.scope_free && where == Where::kOutOfScope) continue;
        for (Relation relation : {Relation::kNotInvolved, Relation::kInvolved}) {
          if (relation == Relation::kInvolved && !relational) continue;
          relation_ = relation;
          int expected = Expected(c, role, where, relation);
          Response response = Call(c.build(role, where), &session);
          std::string label = slug + " " + key + (where == Where::kInScope ? " (in" : " (out") +
                              (relation == Relation::kInvolved ? ", involved)" : ")");
          EXPECT_EQ(response.status, expected) << label << "\n" << response.body;
          ++checked;
          if (c.action && relation == Relation::kNotInvolved && where == Where::kInScope &&
              app::PolicyScope(role, *c.action) != Scope::kNone &&
              app::PolicyRelationship(role, *c.action) == app::Relationship::kRequired) {
            ++relationship_denials;
            EXPECT_NE(response.body.find("not_involved"), std::string::npos) << label;
          }
          // Every allow and every deny leaves an event naming the user.
          domain::AuditEvent last = LastEvent();
          if (c.action) {
            EXPECT_EQ(last.entry.outcome, expected == c.allowed_status ? "allow" : "deny") << label;
            EXPECT_TRUE(last.entry.actor.starts_with("user:")) << label;
          }
          if (c.resets_own_password && response.status == c.allowed_status) {
            RestoreDemoPassword(role);
          }
          if (c.ends_session || (c.resets_own_password && response.status == c.allowed_status)) {
            session = LoginAs(role);
          }
        }
      }
    }
  }
  relation_ = Relation::kNotInvolved;
  EXPECT_GT(checked, 14 * 20);
  // Every role that reads people only within the relationship was refused outside it.
  EXPECT_GE(relationship_denials, 8);
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
  EXPECT_EQ(HeaderOf(signed_in, "Location"), "/account");
  EXPECT_TRUE(SetCookieValue(signed_in).starts_with("liaison_session="));
  form.body = "username=demo.admin&password=wrong+password+here";
  Response refused = Call(form);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("Enter a correct username and password"), std::string::npos);
  form.headers["origin"] = "https://evil.example";
  EXPECT_EQ(Call(form).status, 403);
}

// The sign-in form hands on to the account page, whose forms carry the session's CSRF token in
// a hidden field; form posts are checked like the header.
TEST_F(AbuseTest, FormsCarryTheSessionsCsrfTokenAndPostsAreCheckedLikeTheHeader) {
  Session session = *Login("demo.midwife", "midwife-demo-2026");
  Request page = Make("GET", "/account");
  page.headers["cookie"] = "liaison_session=" + session.id;
  Response account = Call(page);
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(account.content_type, "text/html; charset=utf-8");
  std::string hidden = R"(<input type="hidden" name="csrf_token" value=")" + session.csrf + "\">";
  size_t first = account.body.find(hidden);
  ASSERT_NE(first, std::string::npos) << account.body;
  EXPECT_NE(account.body.find(hidden, first + 1), std::string::npos);  // both forms
  EXPECT_NE(account.body.find(R"(action="/logout")"), std::string::npos);

  auto form_post = [&](const std::string& path, const std::string& body) {
    Request request = Make("POST", path, body);
    request.headers["content-type"] = "application/x-www-form-urlencoded";
    request.headers["cookie"] = "liaison_session=" + session.id;
    return Call(request);
  };
  // No token, a wrong token, or a token in a JSON body are all refused, and audited.
  EXPECT_EQ(form_post("/logout", "x=1").status, 403);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  std::string wrong = session.csrf.substr(0, 63) + (session.csrf.back() == '0' ? "1" : "0");
  EXPECT_EQ(form_post("/logout", "csrf_token=" + wrong).status, 403);
  Request json = Make("POST", "/logout", R"({"csrf_token":")" + session.csrf + "\"}");
  json.headers["cookie"] = "liaison_session=" + session.id;
  EXPECT_EQ(Call(json).status, 403);
  // API routes never read the token from a body, and never take forms.
  EXPECT_EQ(form_post("/api/people", "csrf_token=" + session.csrf).status, 403);
  Request api_form = Make("POST", "/api/people", "given_name=Ava");
  api_form.headers["content-type"] = "application/x-www-form-urlencoded";
  EXPECT_EQ(Call(api_form, &session).status, 415);
  // A wrong current password re-renders the page with the error, still with the token.
  Response refused = form_post("/account/password", "csrf_token=" + session.csrf +
                                                        "&current_password=nope+nope+nope"
                                                        "&new_password=a+fine+new+phrase");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("the current password is not right"), std::string::npos);
  EXPECT_NE(refused.body.find(hidden), std::string::npos);
  // The right token signs out: 303 to the sign-in page, cookie cleared, session gone.
  Response out = form_post("/logout", "csrf_token=" + session.csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(HeaderOf(out, "Location"), "/login");
  EXPECT_NE(SetCookieValue(out).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call(Make("GET", "/api/session"), &session).status, 401);
}

TEST_F(AbuseTest, ADisabledUsersSessionsAndPasswordStopWorking) {
  Session admin = *Login("demo.admin", "admin-demo-2026");
  Session midwife = *Login("demo.midwife", "midwife-demo-2026");
  ASSERT_EQ(Call(Make("GET", "/api/session"), &midwife).status, 200);
  Response disabled =
      Call(Make("PATCH", "/api/users/demo.midwife", R"({"disabled":true})"), &admin);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_NE(disabled.body.find(R"("disabled":true)"), std::string::npos);
  // Replaying the session after the disable: 401, audited.
  Response replay = Call(Make("GET", "/api/session"), &midwife);
  EXPECT_EQ(replay.status, 401);
  EXPECT_EQ(LastEvent().entry.action, "session.authenticate");
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  EXPECT_FALSE(Login("demo.midwife", "midwife-demo-2026").has_value());
  // Bad bodies are 400 naming the field; an admin cannot disable themselves.
  EXPECT_EQ(Call(Make("PATCH", "/api/users/demo.midwife", R"({"disabled":"yes"})"), &admin).status,
            400);
  EXPECT_EQ(Call(Make("PATCH", "/api/users/demo.midwife", R"({"colour":"red"})"), &admin).status,
            400);
  EXPECT_EQ(Call(Make("PATCH", "/api/users/demo.midwife", "{}"), &admin).status, 400);
  EXPECT_EQ(Call(Make("PATCH", "/api/users/demo.admin", R"({"disabled":true})"), &admin).status,
            409);
  ASSERT_EQ(Call(Make("PATCH", "/api/users/demo.midwife", R"({"disabled":false})"), &admin).status,
            200);
  EXPECT_TRUE(Login("demo.midwife", "midwife-demo-2026").has_value());
  Response listed = Call(Make("GET", "/api/users"), &admin);
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(R"({"username":"demo.midwife","role":"midwife","org":"RDEMO",)"
                             R"("team":"MATERNITY","disabled":false})"),
            std::string::npos)
      << listed.body;
  EXPECT_EQ(listed.body.find("LA-NORTH"), std::string::npos);
  EXPECT_EQ(listed.body.find("password"), std::string::npos);
}

TEST_F(AbuseTest, BreakGlassOverHttpIsBoundedAuditedAndExpires) {
  Session clinician = *Login("demo.ed_clinician", "ed_clinician-demo-2026");
  Session named = *Login("demo.named_professional", "named_professional-demo-2026");
  domain::PersonId person = PersonOwnedBy("RDEMO");
  std::string path = "/api/people/" + std::to_string(person.value());
  EXPECT_EQ(Call(Make("GET", path), &clinician).status, 403);
  // Oversized, short, missing and malformed reasons: 4xx, audited, never 5xx.
  Response huge =
      Call(Make("POST", path + "/break-glass", R"({"reason":")" + std::string(100000, 'r') + "\"}"),
           &clinician);
  EXPECT_EQ(huge.status, 400);
  Response oversized =
      Call(Make("POST", path + "/break-glass", R"({"reason":")" + std::string(501, 'r') + "\"}"),
           &clinician);
  EXPECT_EQ(oversized.status, 400);
  EXPECT_NE(oversized.body.find(R"("field":"/reason")"), std::string::npos);
  EXPECT_EQ(LastEvent().entry.action, "person.break_glass");
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  EXPECT_EQ(Call(Make("POST", path + "/break-glass", R"({"reason":"x"})"), &clinician).status, 400);
  EXPECT_EQ(Call(Make("POST", path + "/break-glass", "{}"), &clinician).status, 400);
  EXPECT_EQ(Call(Make("POST", path + "/break-glass", "[1]"), &clinician).status, 400);
  EXPECT_EQ(
      Call(Make("POST", "/api/people/0/break-glass", R"({"reason":"a fine reason"})"), &clinician)
          .status,
      400);

  Response opened = Call(
      Make("POST", path + "/break-glass", R"({"reason":"child in resus, parents not yet here"})"),
      &clinician);
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_NE(opened.body.find(R"("expires_at":"2026-11-26T13:00:00.000000Z")"), std::string::npos)
      << opened.body;
  EXPECT_EQ(Call(Make("GET", path), &clinician).status, 200);
  // Four hours later the grant has expired: refused again, and the refusal is audited.
  clock_.Advance(std::chrono::hours(4));
  clinician = *Login("demo.ed_clinician", "ed_clinician-demo-2026");
  named = *Login("demo.named_professional", "named_professional-demo-2026");
  Response expired = Call(Make("GET", path), &clinician);
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("not_involved"), std::string::npos);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");

  Response reviews = Call(Make("GET", "/api/break-glass/reviews"), &named);
  ASSERT_EQ(reviews.status, 200);
  EXPECT_NE(reviews.body.find("child in resus, parents not yet here"), std::string::npos);
  size_t id_at = reviews.body.find(R"("id":)") + 5;
  std::string id = reviews.body.substr(id_at, reviews.body.find(',', id_at) - id_at);
  EXPECT_EQ(
      Call(Make("POST", "/api/break-glass/reviews/" + id, R"({"outcome":"sure"})"), &named).status,
      400);
  Response reviewed = Call(
      Make("POST", "/api/break-glass/reviews/" + id, R"({"outcome":"inappropriate","note":"no"})"),
      &named);
  EXPECT_EQ(reviewed.status, 200) << reviewed.body;
  EXPECT_NE(reviewed.body.find(R"("outcome":"inappropriate")"), std::string::npos);
  EXPECT_EQ(
      Call(Make("POST", "/api/break-glass/reviews/" + id, R"({"outcome":"appropriate"})"), &named)
          .status,
      409);
  EXPECT_EQ(Call(Make("GET", "/api/break-glass/reviews"), &named).body, R"({"grants":[]})");
  // Someone involved needs no break-glass.
  Involve(person, Role::kEdClinician);
  EXPECT_EQ(
      Call(Make("POST", path + "/break-glass", R"({"reason":"child in resus again"})"), &clinician)
          .status,
      409);
  EXPECT_TRUE(app::VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_F(AbuseTest, PasswordsChangeOverTheApiUnderTheSameRules) {
  Session midwife = *Login("demo.midwife", "midwife-demo-2026");
  EXPECT_EQ(Call(Make("PUT", "/api/account/password",
                      R"({"current_password":"midwife-demo-2026","new_password":"short"})"),
                 &midwife)
                .status,
            400);
  EXPECT_EQ(
      Call(Make("PUT", "/api/account/password",
                R"({"current_password":"wrong wrong wrong","new_password":"a fine new phrase"})"),
           &midwife)
          .status,
      403);
  EXPECT_EQ(LastEvent().entry.outcome, "deny");
  // Wrong current passwords count as failed sign-ins: five more, and the account is locked.
  for (int i = 0; i < 5; ++i) {
    (void)Call(
        Make("PUT", "/api/account/password",
             R"({"current_password":"wrong wrong wrong","new_password":"a fine new phrase"})"),
        &midwife);
  }
  Response locked =
      Call(Make("PUT", "/api/account/password",
                R"({"current_password":"midwife-demo-2026","new_password":"a fine new phrase"})"),
           &midwife);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(HeaderOf(locked, "Retry-After"), "60");
  EXPECT_FALSE(Login("demo.midwife", "midwife-demo-2026").has_value());
  clock_.Advance(std::chrono::seconds(61));
  midwife = *Login("demo.midwife", "midwife-demo-2026");
  EXPECT_EQ(Call(Make("PUT", "/api/account/password",
                      R"({"current_password":")" + std::string(5000, 'x') +
                          R"(","new_password":"a fine new phrase"})"),
                 &midwife)
                .status,
            400);
  Session admin = *Login("demo.admin", "admin-demo-2026");
  EXPECT_EQ(Call(Make("PUT", "/api/users/demo.midwife/password", R"({"password":"password1234"})"),
                 &admin)
                .status,
            400);
  EXPECT_EQ(Call(Make("PUT", "/api/users/demo.la_manager/password",
                      R"({"password":"a fine new phrase"})"),
                 &admin)
                .status,
            404);
  ASSERT_EQ(
      Call(Make("PUT", "/api/users/demo.midwife/password", R"({"password":"a fine new phrase"})"),
           &admin)
          .status,
      204);
  EXPECT_EQ(Call(Make("GET", "/api/session"), &midwife).status, 401);
  EXPECT_TRUE(Login("demo.midwife", "a fine new phrase").has_value());
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

namespace liaison::http {
namespace {

std::string ProblemField(const Response& response, std::string_view member) {
  std::string key = "\"" + std::string(member) + "\":\"";
  size_t start = response.body.find(key);
  if (start == std::string::npos) return "";
  start += key.size();
  return response.body.substr(start, response.body.find('"', start) - start);
}

TEST_F(MatrixTest, ARegisterUploadTokenUploadsForItsAuthorityAndReachesNothingElse) {
  app::CreatedApiToken token = TokenOf("LA-NORTH", domain::TokenScope::kRegisterUpload);
  Request upload =
      Make("POST", "/api/register/uploads",
           R"({"mode":"full","entries":[)"
           R"({"id":"N1","nhs_number":"9434765919","status":"cp_plan","start_date":"2026-01-01",)"
           R"("responsible_org":"LA-NORTH","contact_in_hours":"01632 960001"},)"
           R"({"id":"N2","family_name":"Nowak","birth_date":"2020-13-01","status":"cp_plan"},)"
           R"({"id":"N3","nhs_number":"9434765919","status":"looked_after"},)"
           R"({"id":"N4","nhs_number":"1234567890","family_name":"Khan","birth_date":"2019-01-01",)"
           R"("status":"child_in_need"},)"
           R"({"id":5,"status":"cp_plan"}]})");
  upload.headers["authorization"] = "Bearer " + token.secret;
  Response response = Call(upload);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find(R"("read":5,"accepted":2,"rejected":3,"warnings":1)"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find(R"("field":"/entries/1/birth_date","reason":"invalid_date")"),
            std::string::npos);
  EXPECT_NE(response.body.find(R"("field":"/entries/2/nhs_number","reason":"duplicate_child")"),
            std::string::npos);
  EXPECT_NE(
      response.body.find(
          R"("field":"/entries/3/nhs_number","reason":"invalid_nhs_number","kind":"warning")"),
      std::string::npos);
  EXPECT_NE(response.body.find(R"("field":"/entries/4/id","reason":"invalid_type")"),
            std::string::npos);
  EXPECT_EQ(response.body.find("1234567890"), std::string::npos);  // never echoed
  EXPECT_EQ(LastEvent().entry.action, "register.upload");

  Request lookup = Make("GET", "/api/register/lookup");
  lookup.query = "nhs_number=9434765919";
  lookup.headers["authorization"] = "Bearer " + token.secret;
  EXPECT_EQ(Call(lookup).status, 403);

  // A trust's token of this scope has no register to upload.
  app::CreatedApiToken trust = TokenOf("RDEMO", domain::TokenScope::kRegisterUpload);
  upload.headers["authorization"] = "Bearer " + trust.secret;
  Response refused = Call(upload);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(ProblemField(refused, "code"), "not_a_local_authority");
}

TEST_F(MatrixTest, AnAttendanceOfAChildOnAPlanAnswersWithTheAlertCountAndLevel) {
  Session manager = LoginAs(Role::kLaManager);
  Response uploaded = Call(Make("POST", "/api/register/uploads",
                                R"({"mode":"delta","entries":[{"id":"K1","nhs_number":)"
                                R"("9434765919","status":"cp_plan"}]})"),
                           &manager);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  app::CreatedApiToken feed = TokenOf("RDEMO", domain::TokenScope::kAttendanceFeed);
  Request attendance =
      Make("POST", "/api/attendances",
           R"({"attendance_id":"PLAN1","site":"RDEMO-GEN","arrival":"2026-11-20T10:00:00Z",)"
           R"("patient":{"nhs_number":"9434765919"}})");
  attendance.headers["authorization"] = "Bearer " + feed.secret;
  Response stored = Call(attendance);
  ASSERT_EQ(stored.status, 201) << stored.body;
  EXPECT_NE(stored.body.find(R"("register_alerts":1,"concern_level":"review")"), std::string::npos)
      << stored.body;

  Session clinician = LoginAs(Role::kEdClinician);
  Request lookup = Make("GET", "/api/register/lookup");
  lookup.query = "nhs_number=943+476+5919";
  Response found = Call(lookup, &clinician);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_NE(found.body.find(R"("found":true)"), std::string::npos);
  EXPECT_NE(found.body.find(R"("kind":"attendance","site":"RDEMO-GEN")"), std::string::npos)
      << found.body;  // the attendance's access is among the last 25
}

TEST_F(MatrixTest, BadLookupsAndDecisionsAre4xxNamingTheField) {
  Session clinician = LoginAs(Role::kEdClinician);
  struct Case {
    std::string query;
    std::string code;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {"nhs_number=9434765918", "invalid_nhs_number", "/nhs_number"},
           {"nhs_number=", "invalid_nhs_number", "/nhs_number"},
           {"", "missing_query", "/nhs_number"},
           {"given_name=Ava", "missing_query", "/nhs_number"},
           {"family_name=Nowak&birth_date=2020-02-30", "invalid_date", "/birth_date"},
           {"nhs_number=9434765919&silent=maybe", "invalid_boolean", "/silent"},
           {"nhs_number=9434765919&name=x", "unknown_parameter", "/name"},
           {"nhs_number=94347659%1", "invalid_query", "/nhs_number"},
           {"family_name=Nowak&birth_date=2020-01-01&sex=dunno", "invalid_enum", "/sex"}}) {
    Request lookup = Make("GET", "/api/register/lookup");
    lookup.query = c.query;
    Response response = Call(lookup, &clinician);
    EXPECT_EQ(response.status, 400) << c.query << "\n" << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    EXPECT_EQ(ProblemField(response, "code"), c.code) << c.query;
    EXPECT_EQ(ProblemField(response, "field"), c.field) << c.query;
    EXPECT_EQ(response.body.find("943476591"), std::string::npos) << response.body;
  }
  Request lookup = Make("GET", "/api/register/lookup");
  lookup.query = "family_name=Nowak&given_name=Ava&birth_date=2020-01-01&silent=true";
  Response missing = Call(lookup, &clinician);
  ASSERT_EQ(missing.status, 200);
  EXPECT_NE(
      missing.body.find(
          R"("message":"Not found on the register. This does not mean there is no concern.")"),
      std::string::npos)
      << missing.body;
  EXPECT_NE(missing.body.find(R"("demographic_matching":false)"), std::string::npos);

  Session nurse = LoginAs(Role::kSafeguardingNurse);
  EXPECT_EQ(Call(Make("POST", "/api/register/review-queue/abc/decision", R"({"decision":"same"})"),
                 &nurse)
                .status,
            400);
  EXPECT_EQ(
      Call(Make("POST", "/api/register/review-queue/999999/decision", R"({"decision":"same"})"),
           &nurse)
          .status,
      404);
  Response bad = Call(
      Make("POST", "/api/register/review-queue/1/decision", R"({"decision":"maybe"})"), &nurse);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ProblemField(bad, "field"), "/decision");
  Session manager = LoginAs(Role::kLaManager);
  for (std::string body : {"[]", R"({"mode":"sometimes","entries":[]})", R"({"mode":"full"})",
                           R"({"mode":"full","entries":[],"extra":1})", "not json"}) {
    Response response = Call(Make("POST", "/api/register/uploads", body), &manager);
    EXPECT_EQ(response.status, 400) << body << "\n" << response.body;
  }
}

}  // namespace
}  // namespace liaison::http
