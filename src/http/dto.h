// The JSON shapes of the API's resources, one decoder and one encoder each. Handlers use these
// and never build JSON by hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/auth_service.h"
#include "app/health.h"
#include "app/organisation_service.h"
#include "app/user_service.h"
#include "common/status.h"
#include "domain/organisation.h"
#include "domain/person.h"

namespace liaison::http {

// {"code", "name", "kind": "trust"|"local_authority"}
Result<domain::Organisation> DecodeOrganisation(std::string_view body);
// {"code", "name"}; the organisation comes from the path.
Result<app::NewSite> DecodeSite(std::string_view body, std::string org_code);
// {"code", "name", "kind": team kind slug}
Result<app::NewTeam> DecodeTeam(std::string_view body, std::string org_code);
// {"nhs_number", "given_name", "family_name", "birth_date", "sex", "postcode"}, all optional.
Result<domain::Person> DecodePerson(std::string_view body);

struct Credentials {
  std::string username;
  std::string password;
};
// {"username", "password"}: at most 64 and 1024 bytes.
Result<Credentials> DecodeCredentials(std::string_view body);
// {"username", "role", "org", "team" (optional), "password"}
Result<app::NewUser> DecodeNewUser(std::string_view body);
// {"name", "scope", "org", "expires_days" (optional, a whole number)}
Result<app::NewApiToken> DecodeNewToken(std::string_view body);

// {"user": {"username", "role", "org"}, "csrf_token"}
std::string EncodeSignIn(const app::SignIn& sign_in);
// {"user": {...}} for a user, {"token": {"id", "name", "scope", "org"}} for an API token.
std::string EncodePrincipal(const app::Principal& principal);
std::string EncodeUser(const domain::User& user, std::string_view org_code);
// {"id", "name", "scope", "org", "expires_at", "token"}: the secret, shown this once.
std::string EncodeCreatedToken(const app::CreatedApiToken& created, std::string_view org_code);

std::string EncodeOrganisation(const domain::Organisation& organisation);
std::string EncodeOrganisations(const std::vector<domain::Organisation>& organisations);
std::string EncodeOrganisationDetail(const app::OrganisationDetail& detail);
std::string EncodeSite(const domain::Site& site, std::string_view org_code);
std::string EncodeTeam(const domain::Team& team, std::string_view org_code);
std::string EncodePerson(const domain::Person& person);
std::string EncodeHealth(const std::vector<app::ComponentHealth>& components);

}  // namespace liaison::http
