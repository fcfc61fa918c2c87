#include "http/api.h"

#include <charconv>

#include "app/assess_service.h"
#include "app/attendance_intake.h"
#include "app/break_glass.h"
#include "app/organisation_service.h"
#include "app/person_service.h"
#include "app/register_service.h"
#include "app/user_service.h"
#include "common/log.h"
#include "http/dto.h"
#include "http/pages.h"
#include "http/register_dto.h"
#include "http/static_files.h"
#include "http/status_to_http.h"
#include "ingest/attendance_json.h"
#include "recognition/assess_json.h"

namespace liaison::http {
namespace {

Response Created(std::string body, std::string location) {
  Response response = JsonResponse(201, std::move(body));
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

Response NoContent() { return {204, "application/json", "", {}}; }

bool IsJson(const Request& request) {
  const std::string& type = request.Header("content-type");
  return type.starts_with("application/json") || type.starts_with("application/problem+json");
}

bool IsForm(const Request& request) {
  return request.Header("content-type").starts_with("application/x-www-form-urlencoded");
}

// Routes that take server-rendered forms (application/x-www-form-urlencoded) instead of JSON.
// Protected ones carry the session's CSRF token in a hidden csrf_token field.
bool IsFormRoute(const std::string& pattern) {
  return pattern == "/login" || pattern == "/logout" || pattern == "/account/password";
}

// Server-rendered forms are small; anything bigger is not one of ours.
constexpr size_t kMaxFormBytes = 4096;

bool IsStateChanging(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Why the caller needs the access, from the X-Access-Reason header, so every audited read
// says why. Bounded and stripped of control characters before it reaches the audit trail.
std::string ReasonFor(const Request& request) {
  std::string reason;
  for (char c : request.Header("x-access-reason")) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) reason.push_back(c);
    if (reason.size() == 200) break;
  }
  if (reason.empty()) reason = "not stated";
  return reason;
}

Status Unauthenticated(std::string reason, std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

Status PermissionDenied(std::string reason, std::string message) {
  return Status(StatusCode::kPermissionDenied, std::move(reason), std::move(message));
}

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or nullopt when absent.
// `malformed` is set when the cookie appears more than once (which one would be meant is
// ambiguous, a classic cookie-tossing trick) or the header cannot be read.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name,
                                       bool& malformed) {
  malformed = false;
  std::optional<std::string> found;
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (pair.substr(0, equals) != name) continue;
    if (found) {
      malformed = true;
      return std::nullopt;
    }
    std::string_view value = pair.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    found = std::string(value);
  }
  return found;
}

std::string SessionCookie(std::string_view value, Transport transport,
                          std::chrono::seconds max_age) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count()) +
         (transport == Transport::kTls ? "; Secure" : "");
}

// TLS on our own listener (the server marks the request) or ended at a proxy in front
// (configured): either way the browser reached us over HTTPS.
Transport TransportOf(const Request& request, const ApiOptions& options) {
  return request.transport == Transport::kTls ? Transport::kTls : options.transport;
}

// Percent-decoding for application/x-www-form-urlencoded ('+' is a space).
std::string FormDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size()) {
      int value = 0;
      auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (error == std::errc() && end == text.data() + i + 3) {
        out.push_back(static_cast<char>(value));
        i += 2;
      } else {
        out.push_back('%');
      }
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string FormField(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    size_t end = body.find('&');
    std::string_view pair = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return FormDecode(pair.substr(equals + 1));
    }
  }
  return {};
}

// The account page's contents for the signed-in user, with the CSRF token of the session the
// request came with (derived from the cookie, so nothing more is stored).
PageRenderer::AccountView AccountViewFor(const Request& request, const app::Actor& actor) {
  bool malformed = false;
  std::optional<std::string> session =
      CookieValue(request.Header("cookie"), kSessionCookie, malformed);
  PageRenderer::AccountView view;
  view.username = actor.principal->username;
  view.role = std::string(domain::RoleSlug(actor.principal->role));
  view.org = actor.principal->org_code;
  view.csrf_token = session ? app::AuthService::CsrfTokenFor(*session) : "";
  return view;
}

// To the sign-in page with the session cookie cleared.
Response SignedOutRedirect(const Request& request, const ApiOptions& options) {
  Response response{303, "text/html; charset=utf-8", "", {}};
  response.headers.emplace_back("Location", "/login");
  response.headers.emplace_back(
      "Set-Cookie", SessionCookie("", TransportOf(request, options), std::chrono::seconds(0)));
  return response;
}

template <typename Id>
Result<Id> ParseId(const std::string& text, std::string_view what) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return InvalidArgument("invalid_id",
                           "a " + std::string(what) + " id is a positive whole number", "/id");
  }
  return Id(value);
}

// Decodes one attendance's JSON text and stores it in `batch`. A bad attendance is a result
// with status "rejected", never a failure: only the database failing is.
Result<AttendanceItemResult> StoreAttendance(app::AttendanceBatch& batch,
                                             ingest::AttendanceJsonDecoder& decoder,
                                             std::string_view text, std::int64_t index) {
  AttendanceItemResult item;
  item.index = index;
  Result<ingest::DecodedAttendance> decoded = decoder.Decode(text);
  if (!decoded.ok()) {
    item.status = app::IntakeStatusSlug(app::IntakeStatus::kRejected);
    item.field = decoded.status().field();
    item.reason = decoded.status().reason();
    return item;
  }
  ASSIGN_OR_RETURN(app::IntakeResult stored, batch.Add(decoded->attendance));
  item.status = app::IntakeStatusSlug(stored.status);
  item.field = stored.field;
  item.reason = stored.reason;
  item.version = stored.version;
  item.register_alerts = stored.register_alerts;
  item.concern_level = stored.concern_level.Slug();
  item.warnings = std::move(decoded->warnings);
  if (stored.unknown_site) {
    item.warnings.push_back({"/site", std::string(app::kUnknownSiteReason)});
  }
  return item;
}

// Checks the credentials a request presents and returns the actor they stand for.
Result<app::Actor> Authenticate(app::AuthService& auth, const Request& request,
                                const RouteMatch& match) {
  std::string reason = ReasonFor(request);
  const std::string& authorization = request.Header("authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() > 256 || !authorization.starts_with(kBearer)) {
      RETURN_IF_ERROR(auth.AuditRejected("token", "malformed Authorization header"));
      return Unauthenticated("token_invalid", "send an API token as Authorization: Bearer TOKEN");
    }
    ASSIGN_OR_RETURN(
        app::Principal principal,
        auth.AuthenticateToken(std::string_view(authorization).substr(kBearer.size())));
    app::Actor actor = app::ActorFor(principal, std::move(reason));
    bool in_scope = false;
    for (domain::TokenScope scope : match.token_scopes) {
      in_scope = in_scope || (principal.token_scope && scope == *principal.token_scope);
    }
    if (!in_scope) {
      RETURN_IF_ERROR(auth.AuditDenied(actor, "request", "route outside the token's scope"));
      return PermissionDenied("token_scope", "this API token's scope does not cover this resource");
    }
    return actor;
  }
  bool malformed = false;
  std::optional<std::string> session =
      CookieValue(request.Header("cookie"), kSessionCookie, malformed);
  if (malformed) {
    RETURN_IF_ERROR(auth.AuditRejected("session", "malformed session cookie"));
    return Unauthenticated("session_invalid", "sign in again");
  }
  // No credentials at all is not audited: it is every unauthenticated visit, and carries no
  // claim to be anyone.
  if (!session) return Unauthenticated("unauthenticated", "sign in, or send an API token");
  ASSIGN_OR_RETURN(app::Principal principal, auth.AuthenticateSession(*session));
  app::Actor actor = app::ActorFor(principal, std::move(reason));
  // The token comes in the X-CSRF-Token header, or, from one of our own forms, in its hidden
  // csrf_token field; either way it is checked the same way.
  std::string presented = request.Header("x-csrf-token");
  if (presented.empty() && IsFormRoute(match.pattern) && IsForm(request) &&
      request.body.size() <= kMaxFormBytes) {
    presented = FormField(request.body, "csrf_token");
  }
  if (IsStateChanging(request.method) && !app::AuthService::CsrfTokenMatches(*session, presented)) {
    RETURN_IF_ERROR(auth.AuditDenied(actor, "request", "missing or wrong CSRF token"));
    return PermissionDenied("csrf_token_invalid",
                            "send the csrf_token from sign-in in the X-CSRF-Token header");
  }
  return actor;
}

}  // namespace

// The engine the options give, or the shipped one (compiled in, so loading cannot fail on a
// missing file).
std::shared_ptr<const recognition::Engine> EngineFor(const ApiOptions& options) {
  if (options.engine) return options.engine;
  Result<std::unique_ptr<recognition::Engine>> loaded = recognition::Engine::LoadDefault();
  LIAISON_CHECK(loaded.ok());
  return std::shared_ptr<const recognition::Engine>(std::move(*loaded));
}

std::shared_ptr<const app::RegisterMatcher> MatcherOf(const ApiOptions& options) {
  return options.register_matcher ? options.register_matcher : app::DefaultRegisterMatcher();
}

struct Api::Services {
  Services(storage::Store& store, const app::AuditLog& audit, const Clock& clock,
           const ApiOptions& options)
      : engine(EngineFor(options)),
        assess(store, audit, *engine),
        organisations(store, audit),
        people(store, audit, clock, options.relationship),
        attendances(store, audit, clock, MatcherOf(options)),
        registers(store, audit, clock, MatcherOf(options)),
        throttle(store, clock, options.throttle),
        users(store, audit, clock, options.password_cost, &throttle),
        break_glass(store, audit, clock, options.break_glass, options.relationship),
        auth(store, audit, clock, throttle, options.password_cost, options.sessions),
        pages(options.web_root + "/templates"),
        assets(options.web_root + "/node_modules/nhsuk-frontend/dist/nhsuk") {}
  std::shared_ptr<const recognition::Engine> engine;
  app::AssessService assess;  // uses engine, so declared after it
  app::OrganisationService organisations;
  app::PersonService people;
  app::AttendanceIntake attendances;
  app::RegisterService registers;
  app::LoginThrottle throttle;
  app::UserService users;  // uses throttle, so declared after it
  app::BreakGlassService break_glass;
  app::AuthService auth;  // uses throttle, so declared after it
  PageRenderer pages;
  StaticFiles assets;
};

Api::Api(storage::Store& store, const app::AuditLog& audit, const Clock& clock, ApiOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      services_(std::make_unique<Services>(store, audit, clock, options_)) {
  AddRoutes();
  AddSecurityRoutes();
}

Api::~Api() = default;

void Api::AddRoutes() {
  Services& s = *services_;
  const ApiOptions& o = options_;
  const std::vector<domain::TokenScope> kAnyToken = {domain::TokenScope::kAttendanceFeed,
                                                     domain::TokenScope::kRegisterUpload};

  // --- public: health, pages, assets, sign-in --------------------------------------------
  router_.Add("GET", "/healthz", Access::kPublic,
              [](const Request&, const PathParams&, const app::Actor&) {
                return JsonResponse(200, R"({"status":"ok"})");
              });
  router_.Add("GET", "/readyz", Access::kPublic,
              [this](const Request&, const PathParams&, const app::Actor&) {
                std::vector<app::ComponentHealth> health = app::CheckHealth(store_);
                return JsonResponse(app::AllHealthy(health) ? 200 : 503, EncodeHealth(health));
              });
  router_.Add("GET", "/", Access::kPublic,
              [this, &s](const Request& request, const PathParams&, const app::Actor&) {
                Result<std::string> page = s.pages.Home(app::CheckHealth(store_), options_.version);
                if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
                return HtmlResponse(200, *std::move(page));
              });
  router_.Add("GET", "/login", Access::kPublic,
              [&s, &o](const Request& request, const PathParams&, const app::Actor&) {
                Result<std::string> page = s.pages.Login("", "", o.version);
                if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
                return HtmlResponse(200, *std::move(page));
              });
  // The sign-in form without JavaScript: form-encoded, answers with the page again or a
  // redirect home with the session cookie.
  router_.Add(
      "POST", "/login", Access::kPublic,
      [&s, &o](const Request& request, const PathParams&, const app::Actor&) {
        // Login CSRF: a cross-site form must not sign the victim into another account.
        const std::string& origin = request.Header("origin");
        if (!origin.empty() && origin != "http://" + request.Header("host") &&
            origin != "https://" + request.Header("host")) {
          return ProblemResponse(403, "cross_site_request", "sign in from Liaison's own page",
                                 request.request_id);
        }
        if (request.body.size() > kMaxFormBytes) {
          return ProblemResponse(413, "payload_too_large", "the form is too large",
                                 request.request_id);
        }
        std::string username = FormField(request.body, "username");
        std::string password = FormField(request.body, "password");
        Result<app::SignIn> signed_in = s.auth.Login(username, password, request.remote_address);
        if (signed_in.ok()) {
          // On to the account page, whose forms carry this session's CSRF token.
          Response response{303, "text/html; charset=utf-8", "", {}};
          response.headers.emplace_back("Location", "/account");
          response.headers.emplace_back(
              "Set-Cookie", SessionCookie(signed_in->session_id, TransportOf(request, o),
                                          o.sessions.absolute_timeout));
          return response;
        }
        const Status& status = signed_in.status();
        int code = HttpStatusFor(status.code());
        std::string message = status.code() == StatusCode::kResourceExhausted
                                  ? "Too many attempts. Wait a few minutes, then try again."
                              : status.code() == StatusCode::kUnavailable
                                  ? "Liaison cannot sign you in just now. Try again shortly."
                                  : "Enter a correct username and password.";
        std::string shown = username.size() <= app::kMaxUsernameBytes ? username : "";
        Result<std::string> page = s.pages.Login(message, shown, o.version);
        if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
        Response response = HtmlResponse(code >= 500 ? 503 : code, *std::move(page));
        if (code == 429) {
          response.headers.emplace_back(
              "Retry-After",
              std::to_string(s.auth.RetryAfter(username, request.remote_address).count()));
        }
        return response;
      });
  router_.Add("POST", "/api/session", Access::kPublic,
              [&s, &o](const Request& request, const PathParams&, const app::Actor&) {
                Result<Credentials> credentials = DecodeCredentials(request.body);
                if (!credentials.ok()) {
                  return ProblemResponse(credentials.status(), request.request_id);
                }
                Result<app::SignIn> signed_in = s.auth.Login(
                    credentials->username, credentials->password, request.remote_address);
                if (!signed_in.ok()) {
                  Response response = ProblemResponse(signed_in.status(), request.request_id);
                  if (response.status == 429) {
                    std::chrono::seconds wait =
                        s.auth.RetryAfter(credentials->username, request.remote_address);
                    response.headers.emplace_back(
                        "Retry-After", std::to_string(std::max<long long>(1, wait.count())));
                  }
                  return response;
                }
                Response response = JsonResponse(200, EncodeSignIn(*signed_in));
                response.headers.emplace_back(
                    "Set-Cookie", SessionCookie(signed_in->session_id, TransportOf(request, o),
                                                o.sessions.absolute_timeout));
                return response;
              });
  router_.Add("GET", "/assets/nhsuk-frontend/{*}", Access::kPublic,
              [&s](const Request& request, const PathParams& params, const app::Actor&) {
                return s.assets.Serve(params.at("*"), request.request_id);
              });

  // --- the session itself -------------------------------------------------------------
  router_.Add(
      "GET", "/api/session", Access::kProtected,
      [](const Request&, const PathParams&, const app::Actor& actor) {
        return JsonResponse(200, EncodePrincipal(*actor.principal));
      },
      kAnyToken);
  router_.Add("DELETE", "/api/session", Access::kProtected,
              [&s, &o](const Request& request, const PathParams&, const app::Actor& actor) {
                bool malformed = false;
                std::optional<std::string> session =
                    CookieValue(request.Header("cookie"), kSessionCookie, malformed);
                Status ended = s.auth.Logout(*actor.principal, session.value_or(""));
                if (!ended.ok()) return ProblemResponse(ended, request.request_id);
                Response response = NoContent();
                response.headers.emplace_back(
                    "Set-Cookie",
                    SessionCookie("", TransportOf(request, o), std::chrono::seconds(0)));
                return response;
              });

  // --- accounts -----------------------------------------------------------------------
  router_.Add("POST", "/api/users", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<app::NewUser> decoded = DecodeNewUser(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::User> user = s.users.CreateUser(actor, *decoded);
                if (!user.ok()) return ProblemResponse(user.status(), request.request_id);
                return Created(EncodeUser(*user, decoded->org_code),
                               "/api/users/" + user->username);
              });
  router_.Add("POST", "/api/tokens", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<app::NewApiToken> decoded = DecodeNewToken(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<app::CreatedApiToken> created = s.users.CreateToken(actor, *decoded);
                if (!created.ok()) return ProblemResponse(created.status(), request.request_id);
                return Created(EncodeCreatedToken(*created, decoded->org_code),
                               "/api/tokens/" + std::to_string(created->token.id.value()));
              });
  router_.Add("DELETE", "/api/tokens/{id}", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<domain::ApiTokenId> id =
                    ParseId<domain::ApiTokenId>(params.at("id"), "token");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Status revoked = s.users.RevokeToken(actor, *id);
                if (!revoked.ok()) return ProblemResponse(revoked, request.request_id);
                return NoContent();
              });

  // --- the directory and people ------------------------------------------------------------
  router_.Add("GET", "/api/organisations", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<std::vector<domain::Organisation>> list = s.organisations.List(actor);
                if (!list.ok()) return ProblemResponse(list.status(), request.request_id);
                return JsonResponse(200, EncodeOrganisations(*list));
              });
  router_.Add("POST", "/api/organisations", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<domain::Organisation> decoded = DecodeOrganisation(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Organisation> created = s.organisations.Create(actor, *decoded);
                if (!created.ok()) return ProblemResponse(created.status(), request.request_id);
                return Created(EncodeOrganisation(*created), "/api/organisations/" + created->code);
              });
  router_.Add("GET", "/api/organisations/{code}", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<app::OrganisationDetail> detail =
                    s.organisations.Get(actor, params.at("code"));
                if (!detail.ok()) return ProblemResponse(detail.status(), request.request_id);
                return JsonResponse(200, EncodeOrganisationDetail(*detail));
              });
  router_.Add("POST", "/api/organisations/{code}/sites", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<app::NewSite> decoded = DecodeSite(request.body, params.at("code"));
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Site> site = s.organisations.AddSite(actor, *decoded);
                if (!site.ok()) return ProblemResponse(site.status(), request.request_id);
                return Created(EncodeSite(*site, decoded->org_code),
                               "/api/organisations/" + decoded->org_code);
              });
  router_.Add("POST", "/api/organisations/{code}/teams", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<app::NewTeam> decoded = DecodeTeam(request.body, params.at("code"));
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Team> team = s.organisations.AddTeam(actor, *decoded);
                if (!team.ok()) return ProblemResponse(team.status(), request.request_id);
                return Created(EncodeTeam(*team, decoded->org_code),
                               "/api/organisations/" + decoded->org_code);
              });
  router_.Add("POST", "/api/people", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<domain::Person> decoded = DecodePerson(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<domain::Person> person = s.people.Create(actor, *decoded);
                if (!person.ok()) return ProblemResponse(person.status(), request.request_id);
                return Created(EncodePerson(*person),
                               "/api/people/" + std::to_string(person->id.value()));
              });
  router_.Add("GET", "/api/people/{id}", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<domain::PersonId> id = ParseId<domain::PersonId>(params.at("id"), "person");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<domain::Person> person = s.people.Get(actor, *id);
                if (!person.ok()) return ProblemResponse(person.status(), request.request_id);
                return JsonResponse(200, EncodePerson(*person));
              });

  // --- attendance feeds ------------------------------------------------------------------
  const std::vector<domain::TokenScope> kFeedToken = {domain::TokenScope::kAttendanceFeed};
  // One attendance: 201 when a version was stored, 200 when it was already there unchanged;
  // a bad attendance is a problem naming its field.
  router_.Add(
      "POST", "/api/attendances", Access::kProtected,
      [&s](const Request& request, const PathParams&, const app::Actor& actor) {
        Result<std::unique_ptr<app::AttendanceBatch>> batch = s.attendances.Begin(actor);
        if (!batch.ok()) return ProblemResponse(batch.status(), request.request_id);
        ingest::AttendanceJsonDecoder decoder;
        Result<AttendanceItemResult> item = StoreAttendance(**batch, decoder, request.body, 0);
        if (!item.ok()) return ProblemResponse(item.status(), request.request_id);
        if (item->status == app::IntakeStatusSlug(app::IntakeStatus::kRejected)) {
          // The intake rejects only for ownership (another organisation's site or record);
          // the decoder for the content.
          bool ownership = item->reason.ends_with("_of_another_organisation");
          return ProblemResponse(
              Status(ownership ? StatusCode::kPermissionDenied : StatusCode::kInvalidArgument,
                     item->reason,
                     ownership ? "this attendance belongs to another organisation"
                               : "the attendance is not valid",
                     item->field),
              request.request_id);
        }
        if (Status committed = (*batch)->Commit(); !committed.ok()) {
          return ProblemResponse(committed, request.request_id);
        }
        bool unchanged = item->status == app::IntakeStatusSlug(app::IntakeStatus::kUnchanged);
        return JsonResponse(unchanged ? 200 : 201, EncodeAttendanceResult(*item));
      },
      kFeedToken);
  // A JSON array of attendances, stored in one unit of work: 200 with a result per item, bad
  // items rejected one by one. Only a body that is not a JSON array is a 400.
  router_.Add(
      "POST", "/api/attendances/batch", Access::kProtected,
      [&s](const Request& request, const PathParams&, const app::Actor& actor) {
        Result<std::unique_ptr<app::AttendanceBatch>> batch = s.attendances.Begin(actor);
        if (!batch.ok()) return ProblemResponse(batch.status(), request.request_id);
        Result<std::vector<std::string>> items = SplitAttendanceBatch(request.body);
        if (!items.ok()) return ProblemResponse(items.status(), request.request_id);
        ingest::AttendanceJsonDecoder decoder;
        AttendanceBatchReport report;
        report.results.reserve(items->size());
        for (std::size_t index = 0; index < items->size(); ++index) {
          Result<AttendanceItemResult> item =
              StoreAttendance(**batch, decoder, (*items)[index], static_cast<std::int64_t>(index));
          if (!item.ok()) return ProblemResponse(item.status(), request.request_id);
          ++report.read;
          if (item->status == app::IntakeStatusSlug(app::IntakeStatus::kRejected)) {
            ++report.rejected;
          } else {
            ++report.accepted;
          }
          report.warnings += static_cast<std::int64_t>(item->warnings.size());
          report.results.push_back(*std::move(item));
        }
        if (Status committed = (*batch)->Commit(); !committed.ok()) {
          return ProblemResponse(committed, request.request_id);
        }
        return JsonResponse(200, EncodeAttendanceBatch(report));
      },
      kFeedToken);

  // --- the register (docs/register.md) -------------------------------------------------
  const std::vector<domain::TokenScope> kRegisterToken = {domain::TokenScope::kRegisterUpload};
  // A local authority's upload, as JSON: 200 with a report; bad entries rejected one by one.
  router_.Add(
      "POST", "/api/register/uploads", Access::kProtected,
      [&s](const Request& request, const PathParams&, const app::Actor& actor) {
        Result<RegisterUploadBody> body = DecodeRegisterUpload(request.body);
        if (!body.ok()) return ProblemResponse(body.status(), request.request_id);
        Result<std::unique_ptr<app::RegisterUploadBatch>> batch =
            s.registers.BeginUpload(actor, std::nullopt, body->mode);
        if (!batch.ok()) return ProblemResponse(batch.status(), request.request_id);
        RegisterUploadReport report;
        report.mode = body->mode == app::UploadMode::kFull ? "full" : "delta";
        for (std::size_t index = 0; index < body->rows.size(); ++index) {
          Result<ingest::RegisterRow>& row = body->rows[index];
          const std::int64_t at = static_cast<std::int64_t>(index);
          ++report.summary.read;
          if (!row.ok()) {
            ++report.summary.rejected;
            report.issues.push_back({at, row.status().field(), row.status().reason()});
            continue;
          }
          std::vector<ingest::RowIssue> warnings = row->warnings;
          row->line = at;
          Result<std::optional<ingest::RowIssue>> refused = (*batch)->Add(*std::move(row));
          if (!refused.ok()) return ProblemResponse(refused.status(), request.request_id);
          if (*refused) {
            ++report.summary.rejected;
            report.issues.push_back({at,
                                     "/entries/" + std::to_string(index) + "/" + (*refused)->field,
                                     (*refused)->reason});
            continue;
          }
          ++report.summary.accepted;
          for (ingest::RowIssue& warning : warnings) {
            ++report.summary.warnings;
            report.issues.push_back({at, "/entries/" + std::to_string(index) + "/" + warning.field,
                                     warning.reason, ingest::IssueKind::kWarning});
          }
        }
        Result<std::int64_t> removed = (*batch)->Finish(report.summary);
        if (!removed.ok()) return ProblemResponse(removed.status(), request.request_id);
        report.removed = *removed;
        return JsonResponse(200, EncodeRegisterUploadReport(report));
      },
      kRegisterToken);
  // The point-of-care lookup, by NHS number or demographics.
  router_.Add("GET", "/api/register/lookup", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<LookupRequest> lookup = DecodeLookupQuery(request.query);
                if (!lookup.ok()) return ProblemResponse(lookup.status(), request.request_id);
                Result<app::LookupResult> result =
                    s.registers.Lookup(actor, lookup->query, lookup->silent);
                if (!result.ok()) return ProblemResponse(result.status(), request.request_id);
                return JsonResponse(200, EncodeLookupResult(*result));
              });
  // Potential matches, for the safeguarding team of the caller's trust only.
  router_.Add("GET", "/api/register/review-queue", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<std::vector<app::ReviewQueueItem>> queue = s.registers.ReviewQueue(actor);
                if (!queue.ok()) return ProblemResponse(queue.status(), request.request_id);
                return JsonResponse(200, EncodeReviewQueue(*queue));
              });
  router_.Add("POST", "/api/register/review-queue/{id}/decision", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<std::int64_t> id = ParseId<std::int64_t>(params.at("id"), "review item");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<bool> same = DecodeReviewDecision(request.body);
                if (!same.ok()) return ProblemResponse(same.status(), request.request_id);
                Result<storage::RegisterReviewItem> item = s.registers.Decide(actor, *id, *same);
                if (!item.ok()) return ProblemResponse(item.status(), request.request_id);
                return JsonResponse(200, EncodeReviewDecision(*item));
              });
}

void Api::AddSecurityRoutes() {
  Services& s = *services_;
  const ApiOptions& o = options_;

  // --- administrators manage the accounts of their organisation --------------------------
  router_.Add("GET", "/api/users", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<std::vector<app::ManagedUser>> users = s.users.ListUsers(actor);
                if (!users.ok()) return ProblemResponse(users.status(), request.request_id);
                return JsonResponse(200, EncodeUsers(*users, actor.principal->org_code));
              });
  // Role, team, and disabling or enabling; disabling ends the user's sessions at once.
  router_.Add("PATCH", "/api/users/{username}", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<app::UserChange> change = DecodeUserChange(request.body);
                if (!change.ok()) return ProblemResponse(change.status(), request.request_id);
                Result<app::ManagedUser> user =
                    s.users.UpdateUser(actor, params.at("username"), *change);
                if (!user.ok()) return ProblemResponse(user.status(), request.request_id);
                return JsonResponse(200, EncodeManagedUser(*user, actor.principal->org_code));
              });
  router_.Add("PUT", "/api/users/{username}/password", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<std::string> password = DecodeNewPassword(request.body);
                if (!password.ok()) return ProblemResponse(password.status(), request.request_id);
                Status reset = s.users.ResetPassword(actor, params.at("username"), *password);
                if (!reset.ok()) return ProblemResponse(reset, request.request_id);
                return NoContent();
              });
  // Anyone signed in changes their own password, giving the current one.
  router_.Add("PUT", "/api/account/password", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<PasswordChange> change = DecodePasswordChange(request.body);
                if (!change.ok()) return ProblemResponse(change.status(), request.request_id);
                Status changed = s.users.ChangeOwnPassword(actor, change->current_password,
                                                           change->new_password);
                if (!changed.ok()) {
                  Response response = ProblemResponse(changed, request.request_id);
                  if (response.status == 429) {
                    response.headers.emplace_back(
                        "Retry-After",
                        std::to_string(s.auth.RetryAfter(actor.principal->username, "").count()));
                  }
                  return response;
                }
                return NoContent();
              });

  // --- involvement and break-glass -----------------------------------------------------------
  router_.Add("POST", "/api/people/{id}/involvements", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<domain::PersonId> id = ParseId<domain::PersonId>(params.at("id"), "person");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<app::NewInvolvement> involvement = DecodeInvolvement(request.body);
                if (!involvement.ok()) {
                  return ProblemResponse(involvement.status(), request.request_id);
                }
                Status added = s.people.AddInvolvement(actor, *id, *involvement);
                if (!added.ok()) return ProblemResponse(added, request.request_id);
                return NoContent();
              });
  router_.Add("POST", "/api/people/{id}/break-glass", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<domain::PersonId> id = ParseId<domain::PersonId>(params.at("id"), "person");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<std::string> reason = DecodeBreakGlassReason(request.body);
                if (!reason.ok()) return ProblemResponse(reason.status(), request.request_id);
                Result<storage::BreakGlassGrant> grant = s.break_glass.Open(actor, *id, *reason);
                if (!grant.ok()) return ProblemResponse(grant.status(), request.request_id);
                return Created(EncodeGrant(*grant), "/api/people/" + params.at("id"));
              });
  router_.Add("GET", "/api/break-glass/reviews", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<std::vector<storage::BreakGlassGrant>> grants =
                    s.break_glass.ListForReview(actor);
                if (!grants.ok()) return ProblemResponse(grants.status(), request.request_id);
                return JsonResponse(200, EncodeGrants(*grants));
              });
  router_.Add("POST", "/api/break-glass/reviews/{id}", Access::kProtected,
              [&s](const Request& request, const PathParams& params, const app::Actor& actor) {
                Result<domain::PersonId> id =
                    ParseId<domain::PersonId>(params.at("id"), "break-glass access");
                if (!id.ok()) return ProblemResponse(id.status(), request.request_id);
                Result<GrantReview> review = DecodeGrantReview(request.body);
                if (!review.ok()) return ProblemResponse(review.status(), request.request_id);
                Result<storage::BreakGlassGrant> grant =
                    s.break_glass.Review(actor, id->value(), review->outcome, review->note);
                if (!grant.ok()) return ProblemResponse(grant.status(), request.request_id);
                return JsonResponse(200, EncodeGrant(*grant));
              });

  // --- the signed-in pages: every form carries the session's CSRF token ------------------
  router_.Add("GET", "/account", Access::kProtected,
              [&s, &o](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<std::string> page =
                    s.pages.Account(AccountViewFor(request, actor), o.version);
                if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
                return HtmlResponse(200, *std::move(page));
              });
  router_.Add("POST", "/account/password", Access::kProtected,
              [&s, &o](const Request& request, const PathParams&, const app::Actor& actor) {
                if (request.body.size() > kMaxFormBytes) {
                  return ProblemResponse(413, "payload_too_large", "the form is too large",
                                         request.request_id);
                }
                Status changed =
                    s.users.ChangeOwnPassword(actor, FormField(request.body, "current_password"),
                                              FormField(request.body, "new_password"));
                if (changed.ok()) return SignedOutRedirect(request, o);
                PageRenderer::AccountView view = AccountViewFor(request, actor);
                view.error =
                    changed.code() == StatusCode::kUnavailable
                        ? "Liaison cannot change your password just now. Try again shortly."
                        : changed.message();
                view.error_field =
                    changed.field() == "/current_password" ? "current_password" : "new_password";
                Result<std::string> page = s.pages.Account(view, o.version);
                if (!page.ok()) return ProblemResponse(page.status(), request.request_id);
                int code = HttpStatusFor(changed.code());
                return HtmlResponse(code >= 500 ? 503 : code, *std::move(page));
              });
  router_.Add("POST", "/logout", Access::kProtected,
              [&s, &o](const Request& request, const PathParams&, const app::Actor& actor) {
                bool malformed = false;
                std::optional<std::string> session =
                    CookieValue(request.Header("cookie"), kSessionCookie, malformed);
                Status ended = s.auth.Logout(*actor.principal, session.value_or(""));
                if (!ended.ok()) return ProblemResponse(ended, request.request_id);
                return SignedOutRedirect(request, o);
              });

  // --- recognition ---------------------------------------------------------------------------
  // One attendance, or {"attendance": {...}, "history": [...]}: 200 with the assessment. The
  // attendance is not stored; the audit event records the answer's level, not the patient.
  router_.Add("POST", "/api/assess", Access::kProtected,
              [&s](const Request& request, const PathParams&, const app::Actor& actor) {
                Result<recognition::AssessRequest> decoded =
                    recognition::DecodeAssessRequest(request.body);
                if (!decoded.ok()) return ProblemResponse(decoded.status(), request.request_id);
                Result<recognition::Assessment> assessment =
                    s.assess.Assess(actor, {decoded->attendance, decoded->history, std::nullopt});
                if (!assessment.ok()) {
                  return ProblemResponse(assessment.status(), request.request_id);
                }
                return JsonResponse(200, recognition::EncodeAssessment(*assessment));
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
  // Deny by default: only routes tagged public run without credentials.
  app::Actor actor{"anonymous", ReasonFor(request), std::nullopt, app::ActorOrigin::kNetwork};
  if (match.access != Access::kPublic) {
    Result<app::Actor> authenticated = Authenticate(services_->auth, request, match);
    if (!authenticated.ok()) {
      Response response = ProblemResponse(authenticated.status(), request.request_id);
      if (response.status == 401) {
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"liaison\"");
      }
      return response;
    }
    actor = *std::move(authenticated);
  }
  if ((request.method == "POST" || request.method == "PUT" || request.method == "PATCH") &&
      !(IsFormRoute(match.pattern) && IsForm(request)) && !IsJson(request)) {
    return ProblemResponse(415, "unsupported_media_type", "send the body as application/json",
                           request.request_id);
  }
  return (*match.handler)(request, match.params, actor);
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
  AddStandardHeaders(response, request.request_id, TransportOf(request, options_));
  return response;
}

}  // namespace liaison::http
