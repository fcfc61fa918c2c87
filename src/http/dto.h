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
#include "app/person_service.h"
#include "app/user_service.h"
#include "common/status.h"
#include "domain/organisation.h"
#include "domain/person.h"
#include "ingest/attendance_fields.h"
#include "storage/store.h"

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

// --- accounts, involvement and break-glass (#3, second slice) ---
// {"role"?, "team"? (null or "" removes it), "disabled"? (bool)}; at least one.
Result<app::UserChange> DecodeUserChange(std::string_view body);
// {"password"}
Result<std::string> DecodeNewPassword(std::string_view body);
struct PasswordChange {
  std::string current_password;
  std::string new_password;
};
// {"current_password", "new_password"}
Result<PasswordChange> DecodePasswordChange(std::string_view body);
// {"username"} or {"team"}
Result<app::NewInvolvement> DecodeInvolvement(std::string_view body);
// {"reason"}; the length rules are the service's (so refusals are audited), this only bounds it.
Result<std::string> DecodeBreakGlassReason(std::string_view body);
struct GrantReview {
  std::string outcome;
  std::string note;
};
// {"outcome": "appropriate"|"inappropriate", "note"?}
Result<GrantReview> DecodeGrantReview(std::string_view body);

// {"users": [{"username","role","org","team"?,"disabled"}]}; team is the team's code.
std::string EncodeUsers(const std::vector<app::ManagedUser>& users, std::string_view org_code);
std::string EncodeManagedUser(const app::ManagedUser& user, std::string_view org_code);
// {"id","person_id","user_id","reason","granted_at","expires_at", review fields when reviewed}
std::string EncodeGrant(const storage::BreakGlassGrant& grant);
std::string EncodeGrants(const std::vector<storage::BreakGlassGrant>& grants);

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

// What became of one attendance sent to the API: {"index", "status", "field", "reason",
// "version", "warnings": [{"field", "reason"}]}. `field` and `reason` only when rejected;
// `version` only when stored; `warnings` only when there are some. Fields are JSON pointers
// within the attendance.
struct AttendanceItemResult {
  std::int64_t index = 0;
  std::string_view status;  // created, updated, unchanged, rejected
  std::string field;
  std::string reason;
  std::int64_t version = 0;
  std::vector<ingest::FieldWarning> warnings;
  // Stored versions only: alerts the point-of-care register check raised, and the concern
  // level the register sets ("review" when found). Encoded only when an alert was raised.
  int register_alerts = 0;
  std::string_view concern_level = "none";
};

// The answer to a batch: {"read", "accepted", "rejected", "warnings", "results": [...]}.
struct AttendanceBatchReport {
  std::int64_t read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t warnings = 0;
  std::vector<AttendanceItemResult> results;
};

// Most items in one batch body (the 1 MiB body limit usually binds first).
inline constexpr std::size_t kMaxBatchItems = 10000;

// A batch body: a JSON array of attendance objects. Returns each element's JSON text, to be
// decoded one by one so that a bad item rejects only itself. A body that is not JSON is 400
// invalid_json; not an array, invalid_type; more than kMaxBatchItems, too_many_items.
Result<std::vector<std::string>> SplitAttendanceBatch(std::string_view body);

std::string EncodeAttendanceResult(const AttendanceItemResult& result);
std::string EncodeAttendanceBatch(const AttendanceBatchReport& report);

}  // namespace liaison::http
