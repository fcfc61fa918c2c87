// The HTTP server over real sockets on port 0: keep-alive, limits, malformed input, request
// ids and graceful shutdown. The handler here is a stand-in so these tests pin the network
// layer alone; the API's own behaviour is tested through Api::Handle.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/server.h"

namespace liaison::http {
namespace {

// A blocking client socket with a receive timeout, so a broken server fails a test rather
// than hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  void Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (413); the reply is still readable
      sent += static_cast<size_t>(n);
    }
  }

  // Reads one response: headers, then Content-Length bytes of body. "" on EOF or timeout.
  std::string ReadResponse() {
    while (true) {
      size_t header_end = buffer_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        size_t length = 0;
        size_t at = buffer_.find("Content-Length: ");
        if (at != std::string::npos && at < header_end) {
          length = std::stoul(buffer_.substr(at + 16));
        }
        size_t total = header_end + 4 + length;
        if (buffer_.size() >= total) {
          std::string response = buffer_.substr(0, total);
          buffer_.erase(0, total);
          return response;
        }
      }
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) return {};
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // True when the server has closed the connection.
  bool Closed() {
    char byte;
    return ::recv(fd_, &byte, 1, 0) == 0;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

int StatusOf(const std::string& response) {
  if (response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string Get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    ServerHandlers handlers;
    handlers.handle = [this](const Request& request) {
      if (request.path == "/slow") {
        started_slow_ = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
      }
      Response response = JsonResponse(200, "{\"path\":\"" + request.path + "\",\"bytes\":" +
                                                std::to_string(request.body.size()) + "}");
      AddStandardHeaders(response, request.request_id);
      return response;
    };
    handlers.route_for = [](const Request& request) { return request.path; };
    server_ = std::make_unique<Server>(options, handlers);
    Result<std::string> where = server_->Listen();
    ASSERT_TRUE(where.ok()) << where.status().ToString();
    port_ = static_cast<std::uint16_t>(std::stoi(where->substr(where->rfind(':') + 1)));
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
  }

  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::uint16_t port_ = 0;
  std::atomic<bool> started_slow_{false};
};

TEST_F(HttpServerTest, KeepsConnectionsAliveAcrossRequests) {
  StartServer();
  Client client(port_);
  ASSERT_TRUE(client.connected());
  client.Send(Get("/one"));
  std::string first = client.ReadResponse();
  EXPECT_EQ(StatusOf(first), 200);
  EXPECT_NE(first.find("\"path\":\"/one\""), std::string::npos);
  client.Send(Get("/two"));
  EXPECT_NE(client.ReadResponse().find("\"path\":\"/two\""), std::string::npos);
  // Pipelined requests are answered in order.
  client.Send(Get("/three") + Get("/four"));
  EXPECT_NE(client.ReadResponse().find("/three"), std::string::npos);
  EXPECT_NE(client.ReadResponse().find("/four"), std::string::npos);
}

TEST_F(HttpServerTest, OversizedBodiesGet413AndTheConnectionCloses) {
  ServerOptions options;
  options.body_limit = 1000;
  StartServer(options);
  Client client(port_);
  client.Send(
      "POST /x HTTP/1.1\r\nHost: l\r\nContent-Type: application/json\r\n"
      "Content-Length: 5000\r\n\r\n" +
      std::string(5000, 'a'));
  std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 413);
  EXPECT_NE(response.find("application/problem+json"), std::string::npos);
  EXPECT_NE(response.find("\"code\":\"payload_too_large\""), std::string::npos);
  EXPECT_TRUE(client.Closed());
}

TEST_F(HttpServerTest, ABodyAtTheLimitIsAccepted) {
  ServerOptions options;
  options.body_limit = 1000;
  StartServer(options);
  Client client(port_);
  client.Send("POST /x HTTP/1.1\r\nHost: l\r\nContent-Length: 1000\r\n\r\n" +
              std::string(1000, 'a'));
  std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_NE(response.find("\"bytes\":1000"), std::string::npos);
}

TEST_F(HttpServerTest, OversizedHeadersGet431) {
  ServerOptions options;
  options.header_limit = 2048;
  StartServer(options);
  Client client(port_);
  client.Send(Get("/x", "X-Big: " + std::string(4096, 'b') + "\r\n"));
  std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 431);
  EXPECT_NE(response.find("\"code\":\"headers_too_large\""), std::string::npos);
}

TEST_F(HttpServerTest, MalformedRequestsGet400NeverACrash) {
  StartServer();
  const char* garbage[] = {
      "NOT HTTP AT ALL\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: l\r\nContent-Length: abc\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
  };
  for (const char* bytes : garbage) {
    Client client(port_);
    client.Send(bytes);
    std::string response = client.ReadResponse();
    EXPECT_EQ(StatusOf(response), 400) << bytes;
    EXPECT_NE(response.find("\"code\":\"malformed_request\""), std::string::npos) << bytes;
  }
  // The server is still up.
  Client after(port_);
  after.Send(Get("/alive"));
  EXPECT_EQ(StatusOf(after.ReadResponse()), 200);
}

TEST_F(HttpServerTest, EncodedSlashesAndBadEscapesInPathsAreRejected) {
  StartServer();
  for (const char* path : {"/a%2fb", "/a%zz", "/a%00b", "/a%2"}) {
    Client client(port_);
    client.Send(Get(path));
    std::string response = client.ReadResponse();
    EXPECT_EQ(StatusOf(response), 400) << path;
    EXPECT_NE(response.find("invalid_path"), std::string::npos) << path;
  }
  Client client(port_);
  client.Send(Get("/caf%C3%A9"));
  EXPECT_NE(client.ReadResponse().find("/café"), std::string::npos);
}

TEST_F(HttpServerTest, RequestIdsAreEchoedWhenSafeAndReplacedWhenNot) {
  StartServer();
  Client client(port_);
  client.Send(Get("/x", "X-Request-Id: trace-123\r\n"));
  EXPECT_NE(client.ReadResponse().find("X-Request-Id: trace-123"), std::string::npos);
  client.Send(Get("/x", "X-Request-Id: <script>\r\n"));
  std::string response = client.ReadResponse();
  EXPECT_EQ(response.find("<script>"), std::string::npos);
  EXPECT_NE(response.find("X-Request-Id: "), std::string::npos);
}

TEST_F(HttpServerTest, ShutdownFinishesRequestsInFlightThenStops) {
  StartServer();
  Client slow(port_);
  slow.Send(Get("/slow"));
  while (!started_slow_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Shutdown();
  std::string response = slow.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  runner_.join();
  Client late(port_);
  EXPECT_FALSE(late.connected());
}

TEST(ParseListenAddressTest, AcceptsHostPortFormsAndRejectsTheRest) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:8080")->second, 8080);
  EXPECT_EQ(ParseListenAddress("[::1]:0")->first, "[::1]");
  EXPECT_EQ(ParseListenAddress(":9000")->first, "127.0.0.1");
  for (const char* bad : {"8080", "host:", "host:70000", "host:-1", "host:80x"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace liaison::http
