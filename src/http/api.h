// The HTTP application: routes, handlers over app/ services, the home and sign-in pages and
// static assets. Independent of the network code (server.cc), so tests call Handle() directly.
//
// Access is enforced here, once, before any handler runs: every route not tagged
// Access::kPublic needs a valid session cookie (with a matching X-CSRF-Token header on
// state-changing methods, or a csrf_token field in a server-rendered form's body) or an API
// token whose scope the route lists; otherwise the answer is
// 401 (403 for a CSRF mismatch or a token outside its scope). What an authenticated caller may
// then do is decided by app/access_policy.h inside the services. Thread-safe once built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/audit_log.h"
#include "app/auth_service.h"
#include "app/break_glass.h"
#include "app/case_relationship.h"
#include "app/login_throttle.h"
#include "app/password.h"
#include "app/register_matcher.h"
#include "common/clock.h"
#include "http/message.h"
#include "http/router.h"
#include "recognition/engine.h"
#include "storage/store.h"

namespace liaison::http {

inline constexpr std::string_view kSessionCookie = "liaison_session";

struct ApiOptions {
  std::string web_root = "web";  // holds templates/ and node_modules/nhsuk-frontend
  std::string version = "0.1.0";
  // Served over TLS: session cookies get Secure and responses get HSTS.
  Transport transport = Transport::kPlain;
  // Interactive in production; PasswordCost::Minimum() in tests only.
  app::PasswordCost password_cost = app::PasswordCost::Interactive();
  app::SessionOptions sessions = {};
  app::LoginThrottleOptions throttle = {};
  app::RelationshipOptions relationship = {};
  app::BreakGlassOptions break_glass = {};
  // The recognition engine for POST /api/assess; when null, the Api loads the shipped one.
  std::shared_ptr<const recognition::Engine> engine;
  // How attendances and lookups are matched against the register; the exact path only when
  // null (serve passes the matcher with the linker, app/register_linker.h).
  std::shared_ptr<const app::RegisterMatcher> register_matcher = nullptr;
};

class Api {
 public:
  Api(storage::Store& store, const app::AuditLog& audit, const Clock& clock, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Routes the request and returns a complete response, standard headers included. Never
  // throws: an unexpected exception becomes a logged 500 problem.
  Response Handle(const Request& request) const;

  // The route pattern for the access log ("/api/people/{id}"), or "unmatched".
  std::string RouteFor(const Request& request) const;

  // Every route, for the generated access-matrix test and the documentation.
  std::vector<RouteInfo> Routes() const { return router_.Routes(); }

 private:
  struct Services;
  Response Dispatch(const Request& request) const;
  void AddRoutes();
  // Account management, involvement and break-glass (#3, second slice), and the signed-in
  // pages whose forms carry the CSRF token.
  void AddSecurityRoutes();

  storage::Store& store_;
  const Clock& clock_;
  const ApiOptions options_;
  std::unique_ptr<Services> services_;
  Router router_;
};

}  // namespace liaison::http
