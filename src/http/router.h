// Maps method + path to a handler. Patterns are literal segments and {name} parameters:
// "/api/organisations/{code}/sites". Built once at start-up, then read-only and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/actor.h"
#include "domain/user.h"
#include "http/message.h"

namespace liaison::http {

using PathParams = std::map<std::string, std::string>;
// `actor` is the authenticated caller, or "anonymous" (no principal) on public routes.
using Handler = std::function<Response(const Request&, const PathParams&, const app::Actor&)>;

// Deny by default: a route is protected unless it says otherwise.
enum class Access {
  kPublic,     // health, home page, login page, assets, POST /api/session (docs/contracts)
  kProtected,  // needs a session (or an API token whose scope the route lists)
};

// What the route table says about one route, for tests and documentation.
struct RouteInfo {
  std::string method;
  std::string pattern;
  Access access = Access::kProtected;
  std::vector<domain::TokenScope> token_scopes;  // API token scopes that may use the route
};

struct RouteMatch {
  const Handler* handler = nullptr;  // null when nothing matched
  PathParams params;
  std::string pattern;  // for the access log: never the raw path, which may hold identifiers
  Access access = Access::kProtected;
  std::vector<domain::TokenScope> token_scopes;
  bool path_known = false;  // the path matched some route, but maybe not this method
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  // `token_scopes` lists the API token scopes allowed on a protected route; by default none,
  // so tokens reach only routes that name their scope.
  void Add(std::string method, std::string pattern, Access access, Handler handler,
           std::vector<domain::TokenScope> token_scopes = {});
  RouteMatch Match(const std::string& method, const std::string& path) const;
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Access access;
    Handler handler;
    std::vector<domain::TokenScope> token_scopes;
  };
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace liaison::http
