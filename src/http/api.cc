#include "http/api.h"

#include <charconv>

#include "app/organisation_service.h"
#include "app/person_service.h"
#include "common/log.h"
#include "http/dto.h"
#include "http/pages.h"
#include "http/static_files.h"
#include "http/status_to_http.h"

namespace liaison::http {
namespace {

Response Created(std::string body, std::string location) {
  Response response = JsonResponse(201, std::move(body));
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

bool IsJson(const Request& request) {
  const std::string& type = request.Header("content-type");
  return type.starts_with("application/json") || type.starts_with("application/problem+json");
}

// Until sign-in exists (#3) requests act as "anonymous"; the reason for a read comes from
// the X-Access-Reason header so every audited read says why.
app::Actor ActorFor(const Request& request) {
  std::string reason = request.Header("x-access-reason");
  if (reason.empty()) reason = "not stated";
  if (reason.size() > 200) reason.resize(200);
  return {"anonymous", std::move(reason)};
}

Result<domain::PersonId> ParsePersonId(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return InvalidArgument("invalid_id", "a person id is a positive whole number", "/id");
  }
  return domain::PersonId(value);
}

}  // namespace

struct Api::Services {
  Services(storage::Store& store, const app::AuditLog& audit, const Clock& clock,
           const ApiOptions& options)
      : organisations(store, audit),
        people(store, audit, clock),
        pages(options.web_root + "/templates"),
        assets(options.web_root + "/node_modules/nhsuk-frontend/dist/nhsuk") {}
  app::OrganisationService organisations;
  app::PersonService people;
  PageRenderer pages;
  StaticFiles assets;
};

Api::Api(storage::Store& store, const app::AuditLog& audit, const Clock& clock, ApiOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      services_(std::make_unique<Services>(store, audit, clock, options_)) {
  AddRoutes();
}

Api::~Api() = default;

void Api::AddRoutes() {
  Services& s = *services_;
  router_.Add("GET", "/healthz", Access::kPublic, [](const Request&, const PathParams&) {
    return JsonResponse(200, R"({"status":"ok"})");
  });
  router_.Add("GET", "/readyz", Access::kPublic, [this](const Request&, const PathParams&) {
    std::vector<app::ComponentHealth> health = app::CheckHealth(store_);
    return JsonResponse(app::AllHealthy(health) ? 200 : 503, EncodeHealth(health));
  });
  router_.Add("GET", "/", Access::kPublic, [this, &s](const Request& request, const PathParams&) {
    Result<std::string> page = s.pages.Home(app::CheckHealth(store_), options_.version);
    if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
    return HtmlResponse(200, *std::move(page));
  });
  router_.Add("GET", "/assets/nhsuk-frontend/{*}", Access::kPublic,
              [&s](const Request& request, const PathParams& params) {
                return s.assets.Serve(params.at("*"), request.request_id);
              });

  router_.Add("GET", "/api/organisations", Access::kProtected,
              [&s](const Request& request, const PathParams&) {
                Result<std::vector<domain::Organisation>> list =
                    s.organisations.List(ActorFor(request));
                if (!list.ok()) return ProblemResponse(list.status(), request.request_id);
                return JsonResponse(200, EncodeOrganisations(*list));
              });
  router_.Add("POST", "/api/organisations", Access::kProtected,
              [&s](const Request& request, const PathParams&) {
                Result<domain::Organisation> decoded = DecodeOrganisation(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Organisation> created =
                    s.organisations.Create(ActorFor(request), *decoded);
                if (!created.ok()) return ProblemResponse(created.status(), request.request_id);
                return Created(EncodeOrganisation(*created), "/api/organisations/" + created->code);
              });
  router_.Add("GET", "/api/organisations/{code}", Access::kProtected,
              [&s](const Request& request, const PathParams& params) {
                Result<app::OrganisationDetail> detail =
                    s.organisations.Get(ActorFor(request), params.at("code"));
                if (!detail.ok()) return ProblemResponse(detail.status(), request.request_id);
                return JsonResponse(200, EncodeOrganisationDetail(*detail));
              });
  router_.Add("POST", "/api/organisations/{code}/sites", Access::kProtected,
              [&s](const Request& request, const PathParams& params) {
                Result<app::NewSite> decoded = DecodeSite(request.body, params.at("code"));
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Site> site = s.organisations.AddSite(ActorFor(request), *decoded);
                if (!site.ok()) return ProblemResponse(site.status(), request.request_id);
                return Created(EncodeSite(*site, decoded->org_code),
                               "/api/organisations/" + decoded->org_code);
              });
  router_.Add("POST", "/api/organisations/{code}/teams", Access::kProtected,
              [&s](const Request& request, const PathParams& params) {
                Result<app::NewTeam> decoded = DecodeTeam(request.body, params.at("code"));
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Team> team = s.organisations.AddTeam(ActorFor(request), *decoded);
                if (!team.ok()) return ProblemResponse(team.status(), request.request_id);
                return Created(EncodeTeam(*team, decoded->org_code),
                               "/api/organisations/" + decoded->org_code);
              });
  router_.Add(
      "POST", "/api/people", Access::kProtected, [&s](const Request& request, const PathParams&) {
        Result<domain::Person> decoded = DecodePerson(request.body);
        if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
        Result<domain::Person> person = s.people.Create(ActorFor(request), *decoded);
        if (!person.ok()) return ProblemResponse(person.status(), request.request_id);
        return Created(EncodePerson(*person), "/api/people/" + std::to_string(person->id.value()));
      });
  router_.Add("GET", "/api/people/{id}", Access::kProtected,
              [&s](const Request& request, const PathParams& params) {
                Result<domain::PersonId> id = ParsePersonId(params.at("id"));
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<domain::Person> person = s.people.Get(ActorFor(request), *id);
                if (!person.ok()) return ProblemResponse(person.status(), request.request_id);
                return JsonResponse(200, EncodePerson(*person));
              });
}

std::string Api::RouteFor(const Request& request) const {
  RouteMatch match = router_.Match(request.method, request.path);
  return match.handler != nullptr ? match.pattern : "unmatched";
}

Response Api::Dispatch(const Request& request) const {
  RouteMatch match = router_.Match(request.method, request.path);
  if (match.handler == nullptr) {
    if (match.path_known) {
      Response response =
          ProblemResponse(405, "method_not_allowed",
                          "this resource does not accept " + request.method, request.request_id);
      std::string allow;
      for (const std::string& method : match.allowed_methods) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      response.headers.emplace_back("Allow", allow);
      return response;
    }
    return ProblemResponse(404, "not_found", "there is nothing at this address",
                           request.request_id);
  }
  if ((request.method == "POST" || request.method == "PUT" || request.method == "PATCH") &&
      !IsJson(request)) {
    return ProblemResponse(415, "unsupported_media_type", "send the body as application/json",
                           request.request_id);
  }
  return (*match.handler)(request, match.params);
}

Response Api::Handle(const Request& request) const {
  Response response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& error) {
    // The last resort: no exception should get here, and none may take the server down.
    spdlog::error("request_id={} unhandled exception: {}", request.request_id, error.what());
    response = ProblemResponse(500, "internal_error",
                               "Something went wrong. Quote the request id to your IT service.",
                               request.request_id);
  }
  AddStandardHeaders(response, request.request_id);
  return response;
}

}  // namespace liaison::http
