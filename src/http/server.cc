#include "http/server.h"

#include <atomic>
#include <charconv>
#include <fstream>
#include <thread>
#include <type_traits>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/hash.h"
#include "common/log.h"
#include "http/status_to_http.h"

namespace liaison::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// TLS 1.2 suites: forward-secret key exchange (ECDHE) with an AEAD cipher only, as in
// Mozilla's "intermediate" profile without the DHE suites. TLS 1.3 suites are all AEAD; the
// list only fixes their order.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr char kGroups[] = "X25519:P-256:P-384";

bool Readable(const std::string& path) { return std::ifstream(path).good(); }

// The first queued OpenSSL error as text ("" when none); clears the queue. Names what is wrong
// with a file (e.g. "no start line"), never its contents.
std::string TakeOpensslError() {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "";
  const char* reason = ERR_reason_error_string(code);
  return reason ? std::string(": ") + reason : "";
}

// Builds the server's TLS context. OpenSSL's own calls, so that nothing throws; every failure
// is a one-line Status naming the file, before any port is opened.
Result<std::unique_ptr<ssl::context>> MakeTlsContext(const TlsOptions& tls) {
  if (!Readable(tls.certificate_chain_file)) {
    return InvalidArgument("tls_certificate_unreadable",
                           "cannot read the TLS certificate file " + tls.certificate_chain_file,
                           "/tls/certificate_chain_file");
  }
  if (!Readable(tls.private_key_file)) {
    return InvalidArgument("tls_key_unreadable",
                           "cannot read the TLS private key file " + tls.private_key_file,
                           "/tls/private_key_file");
  }
  std::unique_ptr<ssl::context> context;
  try {
    context = std::make_unique<ssl::context>(ssl::context::tls_server);
  } catch (const std::exception&) {  // asio throws only if OpenSSL cannot allocate a context
    return Internal("tls_context_failed", "OpenSSL could not create a TLS context");
  }
  SSL_CTX* native = context->native_handle();
  ERR_clear_error();
  bool configured = SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) == 1 &&
                    SSL_CTX_set_cipher_list(native, kTls12Ciphers) == 1 &&
                    SSL_CTX_set_ciphersuites(native, kTls13Suites) == 1 &&
                    SSL_CTX_set1_groups_list(native, kGroups) == 1;
  if (!configured) {
    return Internal("tls_context_failed",
                    "OpenSSL refused the TLS protocol settings" + TakeOpensslError());
  }
  // No compression (CRIME), no renegotiation (a client-driven CPU cost with no use for us).
  // No session resumption: OpenSSL's ticket key lives for the whole process, so a ticket would
  // weaken forward secrecy for that long; keep-alive already spares most handshakes.
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(native, 0);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  // An encrypted key would otherwise make OpenSSL prompt on the terminal; refuse it instead.
  SSL_CTX_set_default_passwd_cb(native, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(native, tls.certificate_chain_file.c_str()) != 1) {
    return InvalidArgument(
        "tls_certificate_invalid",
        "no PEM certificate in " + tls.certificate_chain_file + TakeOpensslError(),
        "/tls/certificate_chain_file");
  }
  // OpenSSL checks the key against the certificate while loading it, so a mismatch shows up
  // here as an X509 error rather than from SSL_CTX_check_private_key.
  bool loaded =
      SSL_CTX_use_PrivateKey_file(native, tls.private_key_file.c_str(), SSL_FILETYPE_PEM) == 1;
  unsigned long failure = ERR_peek_last_error();
  if ((!loaded && ERR_GET_LIB(failure) == ERR_LIB_X509 &&
       ERR_GET_REASON(failure) == X509_R_KEY_VALUES_MISMATCH) ||
      (loaded && SSL_CTX_check_private_key(native) != 1)) {
    ERR_clear_error();
    return InvalidArgument("tls_key_mismatch",
                           "the TLS private key does not belong to the certificate",
                           "/tls/private_key_file");
  }
  if (!loaded) {
    return InvalidArgument(
        "tls_key_invalid",
        "no unencrypted PEM private key in " + tls.private_key_file + TakeOpensslError(),
        "/tls/private_key_file");
  }
  return context;
}

// Why a handshake failed, in a word for the log. OpenSSL's own text is not logged: it may
// quote what the peer sent.
std::string_view HandshakeFailure(const beast::error_code& error) {
  if (error == beast::error::timeout) return "timeout";
  if (error == asio::error::eof || error == asio::error::connection_reset ||
      error == ssl::error::stream_truncated) {
    return "closed_by_peer";
  }
  if (error.category() == asio::error::get_ssl_category()) {
    switch (ERR_GET_REASON(static_cast<unsigned long>(error.value()))) {
      case SSL_R_HTTP_REQUEST:
      case SSL_R_HTTPS_PROXY_REQUEST:
      case SSL_R_WRONG_VERSION_NUMBER:
        return "not_tls";
      case SSL_R_UNSUPPORTED_PROTOCOL:
      case SSL_R_VERSION_TOO_LOW:
      case SSL_R_NO_PROTOCOLS_AVAILABLE:
        return "protocol_version";
      case SSL_R_NO_SHARED_CIPHER:
        return "no_shared_cipher";
      default:
        return "tls_error";
    }
  }
  return "other";
}

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Percent-decodes a path. Returns false for malformed escapes or an encoded NUL or slash,
// which would let a path slip past routing.
bool DecodePath(std::string_view raw, std::string& out) {
  out.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out.push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size()) return false;
    int value = 0;
    auto [end, error] = std::from_chars(raw.data() + i + 1, raw.data() + i + 3, value, 16);
    if (error != std::errc() || end != raw.data() + i + 3 || value == 0 || value == '/') {
      return false;
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return true;
}

// State shared by the acceptor and every session.
struct Shared {
  explicit Shared(int workers) : worker_pool(static_cast<std::size_t>(std::max(1, workers))) {}
  ServerOptions options;
  ServerHandlers handlers;
  asio::thread_pool worker_pool;
  std::unique_ptr<ssl::context> tls_context;  // set by Listen() when options.tls is
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

// One connection, over plain TCP (PlainStream) or TLS (TlsStream). Everything after the
// handshake is the same code; `if constexpr` marks the few TLS-only steps.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  template <class... StreamArgs>
  explicit Session(Shared& shared, StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...), shared_(shared) {}

  void Start() {
    if constexpr (kTls) {
      Lowest().expires_after(shared_.options.handshake_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
    } else {
      ReadRequest(shared_.options.read_timeout);
    }
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void OnHandshake(beast::error_code error) {
    if (error) {
      // Plain HTTP on this port lands here too: no reply, because any reply would be in
      // clear text on a port that promises TLS.
      spdlog::info("tls handshake failed reason={}", HandshakeFailure(error));
      return CloseSocket();
    }
    handshake_done_ = true;
    ReadRequest(shared_.options.read_timeout);
  }

  void ReadRequest(std::chrono::seconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    parser_->body_limit(shared_.options.body_limit);
    Lowest().expires_after(timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::operation_aborted || error == asio::error::connection_reset ||
        error == asio::error::eof) {
      return Close();
    }
    // A broken TLS record or a peer gone without close_notify: OpenSSL has already sent any
    // alert, and nothing more can be said on this connection.
    if (error == ssl::error::stream_truncated ||
        error.category() == asio::error::get_ssl_category()) {
      return CloseSocket();
    }
    std::string request_id = RandomHex(8);
    if (error == bhttp::error::body_limit) {
      return Reject(ProblemResponse(413, "payload_too_large",
                                    "the request body is larger than " +
                                        std::to_string(shared_.options.body_limit) + " bytes",
                                    request_id),
                    request_id);
    }
    if (error == bhttp::error::header_limit) {
      return Reject(ProblemResponse(431, "headers_too_large", "the request headers are too large",
                                    request_id),
                    request_id);
    }
    if (error) {
      return Reject(ProblemResponse(400, "malformed_request", "the request is not valid HTTP/1.1",
                                    request_id),
                    request_id);
    }
    ++shared_.in_flight;
    Serve(parser_->release(), std::move(request_id));
  }

  Request ToRequest(const bhttp::request<bhttp::string_body>& raw, std::string request_id,
                    bool& path_ok) {
    Request request;
    request.method = std::string(raw.method_string());
    std::string_view target = raw.target();
    size_t question = target.find('?');
    path_ok = DecodePath(target.substr(0, question), request.path) && !request.path.empty() &&
              request.path.front() == '/';
    if (question != std::string_view::npos) request.query = target.substr(question + 1);
    for (const auto& field : raw) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[name] = std::string(field.value());
    }
    std::string incoming = request.Header("x-request-id");
    request.request_id = IsSafeRequestId(incoming) ? incoming : std::move(request_id);
    request.body = std::move(raw.body());
    beast::error_code ignored;
    tcp::endpoint peer = Lowest().socket().remote_endpoint(ignored);
    if (!ignored) request.remote_address = peer.address().to_string();
    request.transport = kTls ? Transport::kTls : Transport::kPlain;
    return request;
  }

  void Serve(bhttp::request<bhttp::string_body> raw, std::string request_id) {
    auto started = std::chrono::steady_clock::now();
    bool path_ok = true;
    bool keep_alive = raw.keep_alive();
    unsigned version = raw.version();
    Request request = ToRequest(raw, std::move(request_id), path_ok);
    if (!path_ok) {
      Response response =
          ProblemResponse(400, "invalid_path", "the request path is malformed", request.request_id);
      AddStandardHeaders(response, request.request_id, request.transport);
      return Finish(std::move(request), std::move(response), "invalid", started, version,
                    keep_alive);
    }
    // Handle on a worker; come back to this connection's strand to write.
    asio::post(shared_.worker_pool, [self = shared_from_this(), request = std::move(request),
                                     started, version, keep_alive]() mutable {
      std::string route = self->shared_.handlers.route_for(request);
      Response response = self->shared_.handlers.handle(request);
      asio::post(self->stream_.get_executor(),
                 [self, request = std::move(request), response = std::move(response),
                  route = std::move(route), started, version, keep_alive]() mutable {
                   self->Finish(std::move(request), std::move(response), route, started, version,
                                keep_alive);
                 });
    });
  }

  void Finish(Request request, Response response, const std::string& route,
              std::chrono::steady_clock::time_point started, unsigned version, bool keep_alive) {
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    // Route patterns, never raw paths: a path may carry an identifier.
    spdlog::info("access request_id={} method={} route={} status={} bytes={} ms={:.2f}",
                 request.request_id, request.method, route, response.status, response.body.size(),
                 elapsed.count());
    Write(std::move(response), version, keep_alive && !shared_.stopping);
  }

  void Reject(Response response, const std::string& request_id) {
    AddStandardHeaders(response, request_id, kTls ? Transport::kTls : Transport::kPlain);
    spdlog::info("access request_id={} method=- route=rejected status={} bytes={} ms=0", request_id,
                 response.status, response.body.size());
    ++shared_.in_flight;
    Write(std::move(response), 11, false);
  }

  // Writes the answer to a request counted in shared_.in_flight, and releases the count once
  // the connection is ready for the next request or closed (after close_notify under TLS),
  // so that graceful shutdown waits for both.
  void Write(Response response, unsigned version, bool keep_alive) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    message->set(bhttp::field::server, "liaison");
    message->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    Lowest().expires_after(shared_.options.read_timeout);
    bhttp::async_write(
        stream_, *message,
        [self = shared_from_this(), message, keep_alive](beast::error_code error, std::size_t) {
          auto release = [self] { --self->shared_.in_flight; };
          if (error) {
            self->CloseSocket();
            return release();
          }
          if (!keep_alive) return self->Close(release);
          release();
          self->ReadRequest(self->shared_.options.idle_timeout);
        });
  }

  // Ends the connection politely: under TLS, close_notify first (bounded by
  // tls_shutdown_timeout, as a peer may never answer), then the socket. `done` runs after.
  template <class Done>
  void Close(Done done) {
    if constexpr (kTls) {
      if (handshake_done_) {
        Lowest().expires_after(shared_.options.tls_shutdown_timeout);
        stream_.async_shutdown(
            [self = shared_from_this(), done = std::move(done)](beast::error_code) mutable {
              self->CloseSocket();
              done();
            });
        return;
      }
    }
    CloseSocket();
    done();
  }
  void Close() {
    Close([] {});
  }

  void CloseSocket() {
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().socket().close(ignored);
  }

  Stream stream_;
  bool handshake_done_ = false;  // TLS only: whether close_notify makes sense
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Shared& shared_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, ServerHandlers handlers)
      : shared(options.worker_threads),
        io(std::max(1, options.threads)),
        // One strand for the acceptor, the signals and the drain: the accept loop and
        // BeginShutdown() (closing the acceptor) must not run at once on two network threads,
        // or an accept can land on a half-closed acceptor and spin on a dead descriptor.
        acceptor(asio::make_strand(io)),
        signals(acceptor.get_executor(), SIGTERM, SIGINT),
        drain_timer(acceptor.get_executor()) {
    shared.options = std::move(options);
    shared.handlers = std::move(handlers);
  }

  void Accept() {
    acceptor.async_accept(
        asio::make_strand(io), [this](beast::error_code error, tcp::socket socket) {
          if (!acceptor.is_open()) return;
          if (!error) {
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            if (shared.tls_context) {
              std::make_shared<Session<TlsStream>>(shared, std::move(socket), *shared.tls_context)
                  ->Start();
            } else {
              std::make_shared<Session<PlainStream>>(shared, std::move(socket))->Start();
            }
          }
          Accept();
        });
  }

  void BeginShutdown() {
    if (shared.stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections; finishing {} requests in flight",
                 shared.in_flight.load());
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    drain_deadline = std::chrono::steady_clock::now() + shared.options.shutdown_grace;
    WaitForDrain();
  }

  void WaitForDrain() {
    if (shared.in_flight.load() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      io.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](beast::error_code) { WaitForDrain(); });
  }

  Shared shared;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
};

Server::Server(ServerOptions options, ServerHandlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {}

Server::~Server() = default;

Result<std::string> Server::Listen() {
  if (impl_->shared.options.tls) {
    ASSIGN_OR_RETURN(impl_->shared.tls_context, MakeTlsContext(*impl_->shared.options.tls));
  }
  std::string host = impl_->shared.options.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code error;
  asio::ip::address address = asio::ip::make_address(host, error);
  if (error) return InvalidArgument("invalid_listen_address", "not an IP address", "/listen");
  tcp::endpoint endpoint(address, impl_->shared.options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Unavailable("listen_failed", "cannot listen on this address: " + error.message());
  }
  tcp::endpoint bound = acceptor.local_endpoint();
  std::string where = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                              : bound.address().to_string();
  return where + ":" + std::to_string(bound.port());
}

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code error, int) {
    if (!error) impl_->BeginShutdown();
  });
  impl_->Accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->shared.options.threads; ++i) {
    threads.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (std::thread& thread : threads) thread.join();
  // Draining waited for every request in flight, so the workers are idle by now.
  impl_->shared.worker_pool.join();
}

void Server::Shutdown() {
  asio::post(impl_->acceptor.get_executor(), [this] { impl_->BeginShutdown(); });
}

Result<std::pair<std::string, std::uint16_t>> ParseListenAddress(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return InvalidArgument("invalid_listen_address", "use HOST:PORT, e.g. 127.0.0.1:8080",
                           "/listen");
  }
  std::string host = text.substr(0, colon);
  if (host.empty()) host = "127.0.0.1";
  unsigned port = 0;
  std::string_view digits = std::string_view(text).substr(colon + 1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      port > 65535) {
    return InvalidArgument("invalid_listen_address", "the port is a number from 0 to 65535",
                           "/listen");
  }
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

}  // namespace liaison::http
