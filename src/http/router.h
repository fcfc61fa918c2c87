// Maps method + path to a handler. Patterns are literal segments and {name} parameters:
// "/api/organisations/{code}/sites". Built once at start-up, then read-only and thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace liaison::http {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

enum class Access {
  kPublic,     // health, home page, assets
  kProtected,  // needs a signed-in user or an API token (#3)
};

struct RouteMatch {
  const Handler* handler = nullptr;  // null when nothing matched
  PathParams params;
  std::string pattern;  // for the access log: never the raw path, which may hold identifiers
  Access access = Access::kProtected;
  bool path_known = false;  // the path matched some route, but maybe not this method
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler);
  RouteMatch Match(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Access access;
    Handler handler;
  };
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace liaison::http
