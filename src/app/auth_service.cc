#include "app/auth_service.h"

#include <algorithm>

#include <sodium.h>

#include "common/hash.h"
#include "common/log.h"

namespace liaison::app {
namespace {

Status Unauthenticated(std::string reason, std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

Status InvalidCredentials() {
  return Unauthenticated("invalid_credentials", "the username or password is not right");
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

bool AuthService::LooksLikeSessionId(std::string_view text) {
  return text.size() == kSessionIdLength && IsLowerHex(text);
}

bool AuthService::LooksLikeApiToken(std::string_view text) {
  return text.size() == kApiTokenLength && text.starts_with(kApiTokenPrefix) &&
         IsLowerHex(text.substr(kApiTokenPrefix.size()));
}

std::string AuthService::CsrfTokenFor(std::string_view session_id) {
  return Blake2bHex("liaison-csrf\x1f" + std::string(session_id));
}

bool AuthService::CsrfTokenMatches(std::string_view session_id, std::string_view presented) {
  std::string expected = CsrfTokenFor(session_id);
  if (presented.size() != expected.size()) return false;
  InitCrypto();
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

std::string AuthService::NewApiTokenSecret() {
  return std::string(kApiTokenPrefix) + RandomHex(32);
}

const std::string& AuthService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    Result<std::string> hash = HashPassword(RandomHex(16), cost_);
    // If memory is short the dummy stays empty and unknown usernames fail at once: a timing
    // difference only while hashing itself is failing, rather than refusing every sign-in.
    dummy_hash_ = hash.ok() ? *hash : "";
  });
  return dummy_hash_;
}

Status AuthService::AuditFailure(std::string_view action, std::string_view record_type,
                                 std::string_view record_id, std::string_view why) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(work.Append({"anonymous", std::string(action), std::string(record_type),
                               std::string(record_id), std::string(why), "deny"}));
  return work.Commit();
}

Status AuthService::AuditRejected(std::string_view kind, std::string_view why) {
  return AuditFailure(kind == "token" ? "token.authenticate" : "session.authenticate", kind, "",
                      why);
}

Status AuthService::AuditDenied(const Actor& actor, std::string_view action, std::string_view why) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(work.Append({actor.id, std::string(action), "request", "",
                               actor.reason + " [denied: " + std::string(why) + "]", "deny"}));
  return work.Commit();
}

std::chrono::seconds AuthService::RetryAfter(std::string_view username,
                                             std::string_view address) const {
  Result<std::chrono::seconds> wait = throttle_.RetryAfter(Lower(username), address);
  // If the database cannot say, ask for the shortest lockout rather than none.
  if (!wait.ok()) return throttle_.options().first_lockout;
  return std::max(*wait, std::chrono::seconds(1));
}

Result<SignIn> AuthService::Login(std::string_view username_text, std::string_view password,
                                  std::string_view address) {
  if (username_text.size() > kMaxUsernameBytes) {
    return InvalidArgument("invalid_username", "a username has at most 64 characters", "/username");
  }
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument("invalid_password", "a password has at most 1024 bytes", "/password");
  }
  std::string username = Lower(username_text);
  ASSIGN_OR_RETURN(std::chrono::seconds wait, throttle_.Admit(username, address));
  if (wait > std::chrono::seconds(0)) {
    // Not audited: throttling exists to shed load, and a write per refused attempt would undo
    // it. The log line carries no username.
    spdlog::warn("sign-in throttled");
    return Status(StatusCode::kResourceExhausted, "too_many_attempts",
                  "too many sign-in attempts; try again later");
  }
  std::optional<storage::UserCredentials> found;
  {
    // The lookup's unit of work ends before hashing, so no lock is held for ~100 ms.
    ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
    ASSIGN_OR_RETURN(found, work->FindUserByUsername(username));
  }
  // Verify against a dummy hash when there is no such user, so both cost the same.
  bool verified = VerifyPassword(found ? found->password_hash : DummyHash(), password);
  // A disabled account answers like a wrong password, so the answer reveals nothing about the
  // account; a right password for it does not clear the failure count either.
  bool disabled = found && found->user.disabled_at.has_value();
  if (!found || !verified || disabled) {
    RETURN_IF_ERROR(throttle_.RecordFailure(username));
    RETURN_IF_ERROR(AuditFailure("session.create", "user",
                                 found ? std::to_string(found->user.id.value()) : "",
                                 !found      ? "unknown username"
                                 : !verified ? "wrong password"
                                             : "account disabled"));
    return InvalidCredentials();
  }
  RETURN_IF_ERROR(throttle_.RecordSuccess(username));
  SignIn sign_in;
  sign_in.user = found->user;
  sign_in.session_id = RandomHex(32);
  sign_in.csrf_token = CsrfTokenFor(sign_in.session_id);
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisation(found->user.org));
  sign_in.org_code = org.code;
  RETURN_IF_ERROR(
      work.store().InsertSession({Blake2bHex(sign_in.session_id), found->user.id, now, now}));
  std::string user_id = std::to_string(found->user.id.value());
  RETURN_IF_ERROR(work.Append({"user:" + user_id, "session.create", "user", user_id, "sign-in"}));
  RETURN_IF_ERROR(work.Commit());
  return sign_in;
}

Result<Principal> AuthService::AuthenticateSession(std::string_view session_id) {
  if (!LooksLikeSessionId(session_id)) {
    RETURN_IF_ERROR(AuditRejected("session", "malformed session id"));
    return Unauthenticated("session_invalid", "sign in again");
  }
  std::string id_hash = Blake2bHex(session_id);
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(std::optional<storage::SessionRecord> session,
                   work.store().FindSession(id_hash));
  if (!session) {
    RETURN_IF_ERROR(work.Append(
        {"anonymous", "session.authenticate", "session", "", "unknown or ended session", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Unauthenticated("session_invalid", "sign in again");
  }
  std::string user_id = std::to_string(session->user.value());
  if (now - session->last_seen_at > options_.idle_timeout ||
      now - session->created_at > options_.absolute_timeout || now < session->created_at) {
    RETURN_IF_ERROR(work.store().DeleteSession(id_hash));
    RETURN_IF_ERROR(work.Append(
        {"user:" + user_id, "session.authenticate", "user", user_id, "session expired", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Unauthenticated("session_expired", "your session has ended; sign in again");
  }
  ASSIGN_OR_RETURN(domain::User user, work.store().GetUser(session->user));
  if (user.disabled_at) {
    // Disabling deletes the user's sessions; this catches one created in a race with it.
    RETURN_IF_ERROR(work.store().DeleteSession(id_hash));
    RETURN_IF_ERROR(work.Append(
        {"user:" + user_id, "session.authenticate", "user", user_id, "account disabled", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Unauthenticated("session_invalid", "sign in again");
  }
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisation(user.org));
  if (now - session->last_seen_at >= options_.touch_interval) {
    RETURN_IF_ERROR(work.store().TouchSession(id_hash, now));
  }
  RETURN_IF_ERROR(work.Commit());
  Principal principal;
  principal.kind = Principal::Kind::kUser;
  principal.id = user.id.value();
  principal.role = user.role;
  principal.org = user.org;
  principal.org_code = org.code;
  principal.team = user.team;
  principal.username = user.username;
  return principal;
}

Result<Principal> AuthService::AuthenticateToken(std::string_view token) {
  if (!LooksLikeApiToken(token)) {
    RETURN_IF_ERROR(AuditRejected("token", "malformed token"));
    return Unauthenticated("token_invalid", "the API token is not valid");
  }
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(std::optional<domain::ApiToken> found,
                   work.store().FindApiTokenByHash(Blake2bHex(token)));
  if (!found || !found->ActiveAt(now)) {
    std::string why = !found                                           ? "unknown token"
                      : found->revoked_at && *found->revoked_at <= now ? "token revoked"
                                                                       : "token expired";
    std::string record_id = found ? std::to_string(found->id.value()) : "";
    RETURN_IF_ERROR(
        work.Append({"anonymous", "token.authenticate", "token", record_id, why, "deny"}));
    RETURN_IF_ERROR(work.Commit());
    if (!found) return Unauthenticated("token_invalid", "the API token is not valid");
    return Unauthenticated(why == "token revoked" ? "token_revoked" : "token_expired",
                           "the API token is no longer valid");
  }
  ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisation(found->org));
  RETURN_IF_ERROR(work.Commit());
  Principal principal;
  principal.kind = Principal::Kind::kToken;
  principal.id = found->id.value();
  principal.role = domain::Role::kSystemFeed;
  principal.org = found->org;
  principal.org_code = org.code;
  principal.token_scope = found->scope;
  principal.username = found->name;
  return principal;
}

Status AuthService::Logout(const Principal& principal, std::string_view session_id) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(work.store().DeleteSession(Blake2bHex(session_id)));
  std::string user_id = std::to_string(principal.id);
  RETURN_IF_ERROR(work.Append({"user:" + user_id, "session.delete", "user", user_id, "sign-out"}));
  return work.Commit();
}

}  // namespace liaison::app
