#include "http/message.h"

namespace liaison::http {

const std::string& Request::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto found = headers.find(name);
  return found == headers.end() ? kEmpty : found->second;
}

Response JsonResponse(int status, std::string body) {
  return {status, "application/json", std::move(body), {}};
}

Response HtmlResponse(int status, std::string body) {
  return {status, "text/html; charset=utf-8", std::move(body), {}};
}

void AddStandardHeaders(Response& response, const std::string& request_id, Transport transport) {
  response.headers.emplace_back("X-Request-Id", request_id);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // same-origin rather than no-referrer: browsers send "Origin: null" on form posts under
  // no-referrer, which would make the sign-in form's Origin check refuse every real sign-in.
  // Nothing is sent to other sites either way.
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'");
  if (transport == Transport::kTls) {
    response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  }
  bool cacheable = response.content_type.starts_with("text/css") ||
                   response.content_type.starts_with("application/javascript") ||
                   response.content_type.starts_with("image/") ||
                   response.content_type.starts_with("font/");
  response.headers.emplace_back("Cache-Control", cacheable ? "public, max-age=3600" : "no-store");
}

}  // namespace liaison::http
