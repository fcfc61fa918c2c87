// Who is acting and why: every use case takes one, and every audit event records both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/organisation.h"
#include "domain/user.h"

namespace liaison::app {

// An authenticated caller: a signed-in user or an API token. Built only by AuthService after
// checking a session or a token, so holding one means the credentials were valid. Value type.
struct Principal {
  enum class Kind { kUser, kToken };
  Kind kind = Kind::kUser;
  std::int64_t id = 0;  // the user's or the token's id
  domain::Role role = domain::Role::kSystemFeed;
  domain::OrgId org;
  std::string org_code;
  std::optional<domain::TeamId> team;
  std::optional<domain::TokenScope> token_scope;  // tokens only
  std::string username;                           // users only; the token's name for tokens
};

// Where an actor comes from. In-process callers (the command line, the demo loader, tests,
// benchmarks) are local operators: they already hold the database credentials, so no policy
// can restrain them, and the policy lets them act. Everything that arrives over the network
// is kNetwork and is judged by its principal alone; a network actor without one is refused.
enum class ActorOrigin { kLocal, kNetwork };

// `id` is what the audit trail records: "user:42", "token:7", "cli", "system:demo".
// See app/access_policy.h for how each is judged.
struct Actor {
  std::string id;
  std::string reason;  // why the access is needed, e.g. "direct care"
  std::optional<Principal> principal = std::nullopt;
  // kLocal by default so in-process callers read naturally ({"cli", "administration"});
  // the HTTP layer builds every actor with ActorFor() or as an explicit kNetwork anonymous.
  ActorOrigin origin = ActorOrigin::kLocal;
};

// The actor for an authenticated principal: "user:N" or "token:N".
Actor ActorFor(const Principal& principal, std::string reason);

}  // namespace liaison::app
