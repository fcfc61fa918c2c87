// The one place that maps a Status to an HTTP status and a problem+json body.
#pragma once

#include <string>

#include "common/status.h"
#include "http/message.h"

namespace liaison::http {

int HttpStatusFor(StatusCode code);

// application/problem+json with type, title, status, detail, code, field and request_id.
Response ProblemResponse(const Status& status, const std::string& request_id);
// For failures found before a Status exists (routing, parsing): same body shape.
Response ProblemResponse(int http_status, const std::string& code, const std::string& detail,
                         const std::string& request_id, const std::string& field = {});

}  // namespace liaison::http
