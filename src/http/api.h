// The HTTP application: routes, handlers over app/ services, the home page and static
// assets. Independent of the network code (server.cc), so tests call Handle() directly.
// Thread-safe once built.
#pragma once

#include <memory>
#include <string>

#include "app/audit_log.h"
#include "common/clock.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace liaison::http {

struct ApiOptions {
  std::string web_root = "web";  // holds templates/ and node_modules/nhsuk-frontend
  std::string version = "0.1.0";
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

 private:
  struct Services;
  Response Dispatch(const Request& request) const;
  void AddRoutes();

  storage::Store& store_;
  const Clock& clock_;
  const ApiOptions options_;
  std::unique_ptr<Services> services_;
  Router router_;
};

}  // namespace liaison::http
