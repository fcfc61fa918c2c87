#include "domain/audit_event.h"

#include "common/time_format.h"

namespace liaison::domain {

std::string AuditCanonicalText(const AuditEvent& event) {
  constexpr char kSep = '\x1f';
  std::string text;
  text.reserve(256);
  text += std::to_string(event.seq);
  for (const std::string* part :
       {&event.entry.actor, &event.entry.action, &event.entry.record_type, &event.entry.record_id,
        &event.entry.reason, &event.entry.outcome, &event.prev_hash}) {
    text += kSep;
    text += *part;
  }
  text += kSep;
  text += FormatTimestamp(event.at);
  return text;
}

}  // namespace liaison::domain
