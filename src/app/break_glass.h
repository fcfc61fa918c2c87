// Break-glass: opening a person's record outside the relationship (app/case_relationship.h).
//
// A user whose role reads people only when involved (policy action person.break_glass) may,
// for a person of their own organisation, state a reason and receive a grant that lets them
// read that one record for a limited time (default 4 hours). Taking the grant is audited with
// the reason; every read under it is audited as "break_glass". The grants are listed for
// review by the organisation's safeguarding team (safeguarding nurses and named professionals,
// policy action break_glass.review), who record an outcome. Expired grants stop working at
// once (the check uses the injected clock); reviewed grants are purged after a retention
// period by the housekeeping job, unreviewed ones never. Thread-safe; stateless.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/case_relationship.h"
#include "storage/store.h"

namespace liaison::app {

struct BreakGlassOptions {
  std::chrono::minutes duration{4 * 60};
};

// A reason is 10 to 500 characters after trimming, without control characters: long enough to
// say something a reviewer can judge, short enough to stay a reason.
inline constexpr size_t kMinBreakGlassReason = 10;
inline constexpr size_t kMaxBreakGlassReason = 500;
inline constexpr size_t kMaxReviewNote = 1000;

// "appropriate" or "inappropriate".
bool IsReviewOutcome(std::string_view outcome);

class BreakGlassService {
 public:
  BreakGlassService(storage::Store& store, const AuditLog& audit, const Clock& clock,
                    BreakGlassOptions options = {}, RelationshipOptions relationship = {})
      : store_(store),
        audit_(audit),
        clock_(clock),
        options_(options),
        relationship_(relationship) {}

  // Errors: kInvalidArgument "invalid_reason" (/reason); kPermissionDenied "forbidden" for a
  // role without break-glass; kNotFound "unknown_person" for a missing or another
  // organisation's person; kFailedPrecondition "already_involved" when the user may already
  // read the record (no grant is needed, so none is taken).
  Result<storage::BreakGlassGrant> Open(const Actor& actor, domain::PersonId person,
                                        std::string_view reason);

  // The organisation's unreviewed grants, oldest first. Audited.
  Result<std::vector<storage::BreakGlassGrant>> ListForReview(const Actor& actor);

  // Errors: kInvalidArgument "invalid_outcome" (/outcome) or "invalid_note" (/note);
  // kNotFound "unknown_grant" for a missing or another organisation's grant;
  // kFailedPrecondition "already_reviewed".
  Result<storage::BreakGlassGrant> Review(const Actor& actor, std::int64_t grant_id,
                                          std::string_view outcome, std::string_view note);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const BreakGlassOptions options_;
  const RelationshipOptions relationship_;
};

}  // namespace liaison::app
