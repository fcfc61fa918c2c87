#include "http/server.h"

#include <atomic>
#include <charconv>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/hash.h"
#include "common/log.h"
#include "http/status_to_http.h"

namespace liaison::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

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
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void Start() { ReadRequest(shared_.options.read_timeout); }

 private:
  void ReadRequest(std::chrono::seconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    parser_->body_limit(shared_.options.body_limit);
    stream_.expires_after(timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code error, std::size_t) {
    if (error == bhttp::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::operation_aborted || error == asio::error::connection_reset ||
        error == asio::error::eof) {
      return Close();
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
    tcp::endpoint peer = stream_.socket().remote_endpoint(ignored);
    if (!ignored) request.remote_address = peer.address().to_string();
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
      AddStandardHeaders(response, request.request_id);
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
    Write(std::move(response), version, keep_alive && !shared_.stopping, true);
  }

  void Reject(Response response, const std::string& request_id) {
    AddStandardHeaders(response, request_id);
    spdlog::info("access request_id={} method=- route=rejected status={} bytes={} ms=0", request_id,
                 response.status, response.body.size());
    ++shared_.in_flight;
    Write(std::move(response), 11, false, true);
  }

  void Write(Response response, unsigned version, bool keep_alive, bool counted) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    message->set(bhttp::field::server, "liaison");
    message->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->insert(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    stream_.expires_after(shared_.options.read_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keep_alive, counted](
                           beast::error_code error, std::size_t) {
                         if (counted) --self->shared_.in_flight;
                         if (error || !keep_alive) return self->Close();
                         self->ReadRequest(self->shared_.options.idle_timeout);
                       });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Shared& shared_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, ServerHandlers handlers)
      : shared(options.worker_threads),
        io(std::max(1, options.threads)),
        acceptor(io),
        signals(io, SIGTERM, SIGINT),
        drain_timer(io) {
    shared.options = std::move(options);
    shared.handlers = std::move(handlers);
  }

  void Accept() {
    acceptor.async_accept(asio::make_strand(io),
                          [this](beast::error_code error, tcp::socket socket) {
                            if (!acceptor.is_open()) return;
                            if (!error) {
                              beast::error_code ignored;
                              socket.set_option(tcp::no_delay(true), ignored);
                              std::make_shared<Session>(std::move(socket), shared)->Start();
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
  asio::post(impl_->io, [this] { impl_->BeginShutdown(); });
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
