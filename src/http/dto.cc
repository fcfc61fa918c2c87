#include "http/dto.h"

#include <boost/json.hpp>

#include "common/time_format.h"
#include "http/json_reader.h"

namespace liaison::http {
namespace {

boost::json::object OrganisationObject(const domain::Organisation& organisation) {
  return {{"code", organisation.code},
          {"name", organisation.name},
          {"kind", domain::OrgKindSlug(organisation.kind)}};
}

boost::json::object SiteObject(const domain::Site& site, std::string_view org_code) {
  return {{"code", site.code}, {"name", site.name}, {"org", org_code}};
}

boost::json::object TeamObject(const domain::Team& team, std::string_view org_code) {
  return {{"code", team.code},
          {"name", team.name},
          {"kind", domain::TeamKindSlug(team.kind)},
          {"org", org_code}};
}

boost::json::object UserObject(std::string_view username, domain::Role role,
                               std::string_view org_code) {
  return {{"username", username}, {"role", domain::RoleSlug(role)}, {"org", org_code}};
}

boost::json::object AttendanceResultObject(const AttendanceItemResult& result) {
  boost::json::object item;
  item["index"] = result.index;
  item["status"] = result.status;
  if (result.status == "rejected") {
    item["field"] = result.field;
    item["reason"] = result.reason;
  } else {
    item["version"] = result.version;
    if (result.register_alerts > 0) {
      item["register_alerts"] = result.register_alerts;
      item["concern_level"] = result.concern_level;
    }
  }
  if (!result.warnings.empty()) {
    boost::json::array warnings;
    for (const ingest::FieldWarning& warning : result.warnings) {
      warnings.push_back({{"field", warning.field}, {"reason", warning.reason}});
    }
    item["warnings"] = std::move(warnings);
  }
  return item;
}

}  // namespace

Result<Credentials> DecodeCredentials(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  Credentials credentials;
  ASSIGN_OR_RETURN(credentials.username, reader.RequiredString("username", 64));
  ASSIGN_OR_RETURN(credentials.password, reader.RequiredString("password", 1024));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return credentials;
}

Result<app::NewUser> DecodeNewUser(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::NewUser user;
  ASSIGN_OR_RETURN(user.username, reader.RequiredString("username", 64));
  ASSIGN_OR_RETURN(std::string role, reader.RequiredString("role", 64));
  std::optional<domain::Role> parsed = domain::RoleFromSlug(role);
  if (!parsed) return InvalidArgument("invalid_enum", "role is one of the role slugs", "/role");
  user.role = *parsed;
  ASSIGN_OR_RETURN(user.org_code, reader.RequiredString("org", 32));
  ASSIGN_OR_RETURN(user.team_code, reader.OptionalString("team", 32));
  ASSIGN_OR_RETURN(user.password, reader.RequiredString("password", 1024));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return user;
}

Result<app::NewApiToken> DecodeNewToken(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::NewApiToken token;
  ASSIGN_OR_RETURN(token.name, reader.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string scope, reader.RequiredString("scope", 32));
  std::optional<domain::TokenScope> parsed = domain::TokenScopeFromSlug(scope);
  if (!parsed) {
    return InvalidArgument("invalid_enum", "scope is attendance_feed or register_upload", "/scope");
  }
  token.scope = *parsed;
  ASSIGN_OR_RETURN(token.org_code, reader.RequiredString("org", 32));
  ASSIGN_OR_RETURN(std::optional<std::string> days, reader.OptionalString("expires_days", 4));
  if (days) {
    int value = 0;
    for (char c : *days) {
      if (c < '0' || c > '9') {
        return InvalidArgument("invalid_number", "expires_days is a whole number of days",
                               "/expires_days");
      }
      value = value * 10 + (c - '0');
    }
    token.expires_in_days = value;
  }
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return token;
}

std::string EncodeSignIn(const app::SignIn& sign_in) {
  boost::json::object body{
      {"user", UserObject(sign_in.user.username, sign_in.user.role, sign_in.org_code)},
      {"csrf_token", sign_in.csrf_token}};
  return boost::json::serialize(body);
}

std::string EncodePrincipal(const app::Principal& principal) {
  boost::json::object body;
  if (principal.kind == app::Principal::Kind::kUser) {
    body["user"] = UserObject(principal.username, principal.role, principal.org_code);
  } else {
    body["token"] = {
        {"id", principal.id},
        {"name", principal.username},
        {"scope", principal.token_scope ? domain::TokenScopeSlug(*principal.token_scope)
                                        : std::string_view("none")},
        {"org", principal.org_code}};
  }
  return boost::json::serialize(body);
}

std::string EncodeUser(const domain::User& user, std::string_view org_code) {
  return boost::json::serialize(UserObject(user.username, user.role, org_code));
}

std::string EncodeCreatedToken(const app::CreatedApiToken& created, std::string_view org_code) {
  boost::json::object body{{"id", created.token.id.value()},
                           {"name", created.token.name},
                           {"scope", domain::TokenScopeSlug(created.token.scope)},
                           {"org", org_code},
                           {"token", created.secret}};
  if (created.token.expires_at) {
    body["expires_at"] = FormatTimestamp(*created.token.expires_at);
  }
  return boost::json::serialize(body);
}

Result<app::UserChange> DecodeUserChange(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::UserChange change;
  ASSIGN_OR_RETURN(std::optional<std::string> role, reader.OptionalString("role", 64));
  if (role) {
    change.role = domain::RoleFromSlug(*role);
    if (!change.role)
      return InvalidArgument("invalid_enum", "role is one of the role slugs", "/role");
  }
  ASSIGN_OR_RETURN(change.team_code, reader.NullableString("team", 32));
  ASSIGN_OR_RETURN(change.disabled, reader.OptionalBool("disabled"));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  if (!change.role && !change.team_code && !change.disabled) {
    return InvalidArgument("missing_field", "change at least one of role, team and disabled",
                           "/role");
  }
  return change;
}

Result<std::string> DecodeNewPassword(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  ASSIGN_OR_RETURN(std::string password, reader.RequiredString("password", 1024));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return password;
}

Result<PasswordChange> DecodePasswordChange(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  PasswordChange change;
  ASSIGN_OR_RETURN(change.current_password, reader.RequiredString("current_password", 1024));
  ASSIGN_OR_RETURN(change.new_password, reader.RequiredString("new_password", 1024));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return change;
}

Result<app::NewInvolvement> DecodeInvolvement(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::NewInvolvement involvement;
  ASSIGN_OR_RETURN(involvement.username, reader.OptionalString("username", 64));
  ASSIGN_OR_RETURN(involvement.team_code, reader.OptionalString("team", 32));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  if (involvement.username.has_value() == involvement.team_code.has_value()) {
    return InvalidArgument("invalid_involvement", "name either a username or a team", "/username");
  }
  return involvement;
}

Result<std::string> DecodeBreakGlassReason(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  ASSIGN_OR_RETURN(std::optional<std::string> reason, reader.OptionalString("reason", 65536));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return reason.value_or("");
}

Result<GrantReview> DecodeGrantReview(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  GrantReview review;
  ASSIGN_OR_RETURN(review.outcome, reader.RequiredString("outcome", 32));
  ASSIGN_OR_RETURN(std::optional<std::string> note, reader.OptionalString("note", 1000));
  review.note = note.value_or("");
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return review;
}

namespace {

boost::json::object ManagedUserObject(const app::ManagedUser& managed, std::string_view org_code) {
  boost::json::object item = UserObject(managed.user.username, managed.user.role, org_code);
  if (managed.team_code) item["team"] = *managed.team_code;
  item["disabled"] = managed.user.disabled_at.has_value();
  return item;
}

boost::json::object GrantObject(const storage::BreakGlassGrant& grant) {
  boost::json::object item{{"id", grant.id},
                           {"person_id", grant.person.value()},
                           {"user_id", grant.user.value()},
                           {"reason", grant.reason},
                           {"granted_at", FormatTimestamp(grant.granted_at)},
                           {"expires_at", FormatTimestamp(grant.expires_at)}};
  if (grant.reviewed_at) {
    item["reviewed_at"] = FormatTimestamp(*grant.reviewed_at);
    item["outcome"] = grant.review_outcome;
    item["note"] = grant.review_note;
  }
  return item;
}

}  // namespace

std::string EncodeUsers(const std::vector<app::ManagedUser>& users, std::string_view org_code) {
  boost::json::array items;
  for (const app::ManagedUser& user : users) items.push_back(ManagedUserObject(user, org_code));
  return boost::json::serialize(boost::json::object{{"users", std::move(items)}});
}

std::string EncodeManagedUser(const app::ManagedUser& user, std::string_view org_code) {
  return boost::json::serialize(ManagedUserObject(user, org_code));
}

std::string EncodeGrant(const storage::BreakGlassGrant& grant) {
  return boost::json::serialize(GrantObject(grant));
}

std::string EncodeGrants(const std::vector<storage::BreakGlassGrant>& grants) {
  boost::json::array items;
  for (const storage::BreakGlassGrant& grant : grants) items.push_back(GrantObject(grant));
  return boost::json::serialize(boost::json::object{{"grants", std::move(items)}});
}

Result<domain::Organisation> DecodeOrganisation(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  domain::Organisation organisation;
  ASSIGN_OR_RETURN(organisation.code, reader.RequiredString("code", 32));
  ASSIGN_OR_RETURN(organisation.name, reader.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", 32));
  std::optional<domain::OrgKind> parsed = domain::OrgKindFromSlug(kind);
  if (!parsed) {
    return InvalidArgument("invalid_enum", "kind is trust or local_authority", "/kind");
  }
  organisation.kind = *parsed;
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return organisation;
}

Result<app::NewSite> DecodeSite(std::string_view body, std::string org_code) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::NewSite site;
  site.org_code = std::move(org_code);
  ASSIGN_OR_RETURN(site.code, reader.RequiredString("code", 32));
  ASSIGN_OR_RETURN(site.name, reader.RequiredString("name"));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return site;
}

Result<app::NewTeam> DecodeTeam(std::string_view body, std::string org_code) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  app::NewTeam team;
  team.org_code = std::move(org_code);
  ASSIGN_OR_RETURN(team.code, reader.RequiredString("code", 32));
  ASSIGN_OR_RETURN(team.name, reader.RequiredString("name"));
  ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", 64));
  std::optional<domain::TeamKind> parsed = domain::TeamKindFromSlug(kind);
  if (!parsed) return InvalidArgument("invalid_enum", "kind is not a known team kind", "/kind");
  team.kind = *parsed;
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return team;
}

Result<domain::Person> DecodePerson(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  domain::Person person;
  ASSIGN_OR_RETURN(std::optional<std::string> nhs, reader.OptionalString("nhs_number", 32));
  if (nhs) {
    Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(*nhs);
    if (!parsed.ok()) return parsed.status().WithField("/nhs_number");
    person.nhs_number = *parsed;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> given, reader.OptionalString("given_name"));
  ASSIGN_OR_RETURN(std::optional<std::string> family, reader.OptionalString("family_name"));
  person.given_name = given.value_or("");
  person.family_name = family.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> birth, reader.OptionalString("birth_date", 10));
  if (birth) {
    Result<std::chrono::year_month_day> date = ParseDate(*birth);
    if (!date.ok()) return date.status().WithField("/birth_date");
    person.birth_date = *date;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> sex, reader.OptionalString("sex", 16));
  if (sex) {
    std::optional<domain::Sex> parsed = domain::SexFromText(*sex);
    if (!parsed) {
      return InvalidArgument("invalid_enum", "sex is female, male, other or unknown", "/sex");
    }
    person.sex = *parsed;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> postcode, reader.OptionalString("postcode", 10));
  person.postcode = postcode.value_or("");
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  return person;
}

std::string EncodeOrganisation(const domain::Organisation& organisation) {
  return boost::json::serialize(OrganisationObject(organisation));
}

std::string EncodeOrganisations(const std::vector<domain::Organisation>& organisations) {
  boost::json::array items;
  for (const domain::Organisation& organisation : organisations) {
    items.push_back(OrganisationObject(organisation));
  }
  return boost::json::serialize(boost::json::object{{"organisations", std::move(items)}});
}

std::string EncodeOrganisationDetail(const app::OrganisationDetail& detail) {
  boost::json::object body = OrganisationObject(detail.organisation);
  boost::json::array sites;
  for (const domain::Site& site : detail.sites) {
    sites.push_back(SiteObject(site, detail.organisation.code));
  }
  boost::json::array teams;
  for (const domain::Team& team : detail.teams) {
    teams.push_back(TeamObject(team, detail.organisation.code));
  }
  body["sites"] = std::move(sites);
  body["teams"] = std::move(teams);
  return boost::json::serialize(body);
}

std::string EncodeSite(const domain::Site& site, std::string_view org_code) {
  return boost::json::serialize(SiteObject(site, org_code));
}

std::string EncodeTeam(const domain::Team& team, std::string_view org_code) {
  return boost::json::serialize(TeamObject(team, org_code));
}

std::string EncodePerson(const domain::Person& person) {
  boost::json::object body;
  body["id"] = person.id.value();
  body["nhs_number"] = person.nhs_number ? boost::json::value(person.nhs_number->digits())
                                         : boost::json::value(nullptr);
  body["given_name"] = person.given_name;
  body["family_name"] = person.family_name;
  body["birth_date"] = person.birth_date ? boost::json::value(FormatDate(*person.birth_date))
                                         : boost::json::value(nullptr);
  body["sex"] = domain::SexSlug(person.sex);
  body["postcode"] = person.postcode;
  return boost::json::serialize(body);
}

std::string EncodeHealth(const std::vector<app::ComponentHealth>& components) {
  boost::json::object body;
  body["status"] = app::AllHealthy(components) ? "ok" : "unavailable";
  boost::json::array list;
  for (const app::ComponentHealth& component : components) {
    list.push_back({{"name", component.name}, {"ok", component.ok}, {"detail", component.detail}});
  }
  body["components"] = std::move(list);
  return boost::json::serialize(body);
}

Result<std::vector<std::string>> SplitAttendanceBatch(std::string_view body) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(body, error);
  if (error) return InvalidArgument("invalid_json", "the body is not valid JSON");
  if (!parsed.is_array()) {
    return InvalidArgument("invalid_type", "send a JSON array of attendances", "");
  }
  const boost::json::array& items = parsed.as_array();
  if (items.size() > kMaxBatchItems) {
    return InvalidArgument("too_many_items",
                           "send at most " + std::to_string(kMaxBatchItems) + " attendances", "");
  }
  std::vector<std::string> texts;
  texts.reserve(items.size());
  for (const boost::json::value& item : items) texts.push_back(boost::json::serialize(item));
  return texts;
}

std::string EncodeAttendanceResult(const AttendanceItemResult& result) {
  return boost::json::serialize(AttendanceResultObject(result));
}

std::string EncodeAttendanceBatch(const AttendanceBatchReport& report) {
  boost::json::object body;
  body["read"] = report.read;
  body["accepted"] = report.accepted;
  body["rejected"] = report.rejected;
  body["warnings"] = report.warnings;
  boost::json::array results;
  for (const AttendanceItemResult& result : report.results) {
    results.push_back(AttendanceResultObject(result));
  }
  body["results"] = std::move(results);
  return boost::json::serialize(body);
}

}  // namespace liaison::http
