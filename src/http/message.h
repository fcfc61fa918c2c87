// HTTP request and response as plain values, so handlers, the router and their tests never
// see Boost.Beast (which lives in server.cc alone).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace liaison::http {

enum class Transport { kPlain, kTls };

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query, e.g. "/api/people/3"
  std::string query;   // raw query string without '?'
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string request_id;
  std::string remote_address;  // the peer's IP address, for rate limits; "" when unknown
  // kTls when this request came over the server's own TLS listener. (TLS ended at a proxy in
  // front is ApiOptions::transport's business: the server cannot see it.)
  Transport transport = Transport::kPlain;

  // The header's value, or "" when absent. `name` in lower case.
  const std::string& Header(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

Response JsonResponse(int status, std::string body);
Response HtmlResponse(int status, std::string body);

// Adds the headers every response carries: request id, content-type sniffing off, no
// referrer to other sites, a strict Content-Security-Policy, no framing, and no caching of API
// answers; and Strict-Transport-Security when served over TLS (never over plain HTTP, where it
// means nothing and would break a deployment that terminates TLS elsewhere).
void AddStandardHeaders(Response& response, const std::string& request_id,
                        Transport transport = Transport::kPlain);

}  // namespace liaison::http
