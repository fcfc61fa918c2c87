#include "http/router.h"

namespace liaison::http {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

void Router::Add(std::string method, std::string pattern, Access access, Handler handler,
                 std::vector<domain::TokenScope> token_scopes) {
  std::vector<std::string> segments = SplitPath(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segments), access,
                     std::move(handler), std::move(token_scopes)});
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> routes;
  for (const Route& route : routes_) {
    routes.push_back({route.method, route.pattern, route.access, route.token_scopes});
  }
  return routes;
}

RouteMatch Router::Match(const std::string& method, const std::string& path) const {
  RouteMatch match;
  std::vector<std::string> segments = SplitPath(path);
  for (const Route& route : routes_) {
    bool prefix = !route.segments.empty() && route.segments.back() == "{*}";
    if (prefix ? segments.size() < route.segments.size()
               : segments.size() != route.segments.size()) {
      continue;
    }
    PathParams params;
    bool matched = true;
    for (size_t i = 0; i < route.segments.size() && matched; ++i) {
      const std::string& want = route.segments[i];
      if (want == "{*}") {
        std::string rest;
        for (size_t j = i; j < segments.size(); ++j) rest += (j > i ? "/" : "") + segments[j];
        params["*"] = rest;
        break;
      }
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty()) matched = false;
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else if (want != segments[i]) {
        matched = false;
      }
    }
    if (!matched) continue;
    match.path_known = true;
    match.allowed_methods.push_back(route.method);
    if (route.method == method && match.handler == nullptr) {
      match.handler = &route.handler;
      match.params = std::move(params);
      match.pattern = route.pattern;
      match.access = route.access;
      match.token_scopes = route.token_scopes;
    }
  }
  return match;
}

}  // namespace liaison::http
