// The HTTP/1.1 server on Boost.Beast: keep-alive, limits on header size, body size and time,
// request ids, an access log without patient identifiers, graceful shutdown on SIGTERM or
// SIGINT (stop accepting, finish requests in flight, then return), and optionally HTTPS only
// (TLS 1.2 or 1.3 through Asio and OpenSSL). All Beast and Asio-ssl code is in server.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "http/message.h"

namespace liaison::http {

// PEM files for HTTPS. Read once, by Listen().
struct TlsOptions {
  std::string certificate_chain_file;  // the server's certificate first, then intermediates
  std::string private_key_file;        // unencrypted: a server cannot type a passphrase
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address, "[::1]" or "localhost"
  std::uint16_t port = 8080;       // 0 picks a free port
  int threads = 2;                 // network threads: reading, writing, TLS
  // Threads that run the handlers, so slow work (argon2id at sign-in costs ~100 ms and
  // 64 MiB; database round trips) never stalls the network threads. Also bounds how many
  // password hashes run at once, and so their memory.
  int worker_threads = 2;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds read_timeout{30};  // to receive one whole request
  std::chrono::seconds idle_timeout{60};  // between keep-alive requests
  std::chrono::seconds shutdown_grace{10};
  // When set, the port speaks only TLS (1.2 minimum, 1.3 preferred) and requests are marked
  // Transport::kTls; a client that does not complete a handshake is closed without a reply.
  std::optional<TlsOptions> tls;
  std::chrono::seconds handshake_timeout{10};
  // For the close_notify exchange: a peer that never answers must not hold the connection.
  std::chrono::milliseconds tls_shutdown_timeout{2000};
};

struct ServerHandlers {
  std::function<Response(const Request&)> handle;
  // The route pattern for the access log.
  std::function<std::string(const Request&)> route_for;
};

// Owns the listening socket and its threads. Listen() then Run() from one thread; Shutdown()
// from any thread or a signal.
class Server {
 public:
  Server(ServerOptions options, ServerHandlers handlers);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key when configured (so a bad file fails before the port
  // opens), then binds and listens. Returns where: "127.0.0.1:43817" or "[::1]:43817".
  Result<std::string> Listen();
  // Serves until Shutdown() or SIGTERM/SIGINT, then drains in-flight requests.
  void Run();
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses "HOST:PORT", "[::1]:PORT" or ":PORT" into host and port.
Result<std::pair<std::string, std::uint16_t>> ParseListenAddress(const std::string& text);

}  // namespace liaison::http
