// The HTTP server over real sockets on port 0: keep-alive, limits, malformed input, request
// ids, graceful shutdown, and the same over TLS (with a certificate made at test time). The
// handler here is a stand-in so these tests pin the network layer alone; the API's own
// behaviour is tested through Api::Handle.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/server.h"

namespace liaison::http {
namespace {

// A blocking client socket with a receive timeout, so a broken server fails a test rather
// than hanging it. StartTls() turns it into a TLS client with OpenSSL's C API, so the server's
// Asio code is checked against an independent implementation.
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
  ~Client() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
    if (context_ != nullptr) SSL_CTX_free(context_);
    ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  // Handshakes with TLS versions `min_version` to `max_version` (TLS1_2_VERSION, ...), not
  // checking the self-signed certificate. Returns 0, or the OpenSSL error code of the failure.
  unsigned long StartTls(int min_version, int max_version) {
    ERR_clear_error();
    context_ = SSL_CTX_new(TLS_client_method());
    // Level 0 lets this client offer TLS 1.1 at all, so refusing it is the server's doing.
    SSL_CTX_set_security_level(context_, 0);
    SSL_CTX_set_cipher_list(context_, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(context_, min_version);
    SSL_CTX_set_max_proto_version(context_, max_version);
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    if (SSL_connect(ssl_) == 1) return 0;
    unsigned long error = ERR_peek_last_error();
    return error != 0 ? error : 1;
  }
  std::string TlsVersion() const { return SSL_get_version(ssl_); }
  std::string Cipher() const { return SSL_get_cipher_name(ssl_); }

  void Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ssl_ != nullptr
                      ? SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent))
                      : ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
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
      ssize_t n = Receive(chunk, sizeof(chunk));
      if (n <= 0) return {};
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  // True when the server has closed the connection (under TLS: sent close_notify, or at
  // least closed the socket).
  bool Closed() {
    char byte;
    if (ssl_ == nullptr) {
      // A reset counts: a server that closes with unread input (plain HTTP on a TLS port)
      // resets rather than ends the connection.
      ssize_t n = ::recv(fd_, &byte, 1, 0);
      return n == 0 || (n < 0 && errno == ECONNRESET);
    }
    int n = SSL_read(ssl_, &byte, 1);
    int error = SSL_get_error(ssl_, n);
    ERR_clear_error();
    return n <= 0 && (error == SSL_ERROR_ZERO_RETURN ||
                      (error == SSL_ERROR_SYSCALL && errno != EAGAIN && errno != EWOULDBLOCK));
  }

 private:
  ssize_t Receive(char* into, size_t size) {
    if (ssl_ == nullptr) return ::recv(fd_, into, size, 0);
    return SSL_read(ssl_, into, static_cast<int>(size));
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
};

// A self-signed P-256 certificate for "localhost" and its key, written as PEM into a fresh
// temporary folder that the destructor removes.
class TestCertificate {
 public:
  TestCertificate() {
    std::string pattern = (std::filesystem::temp_directory_path() / "liaison-tls-XXXXXX").string();
    folder_ = ::mkdtemp(pattern.data());
    certificate_file = folder_ + "/cert.pem";
    key_file = folder_ + "/key.pem";
    other_key_file = folder_ + "/other-key.pem";
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -60);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
    WritePem(certificate_file, [&](FILE* file) { PEM_write_X509(file, certificate); });
    WritePem(key_file, [&](FILE* file) {
      PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr);
    });
    EVP_PKEY* other = EVP_EC_gen("P-256");
    WritePem(other_key_file, [&](FILE* file) {
      PEM_write_PrivateKey(file, other, nullptr, nullptr, 0, nullptr, nullptr);
    });
    EVP_PKEY_free(other);
    X509_free(certificate);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() { std::filesystem::remove_all(folder_); }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  const std::string& folder() const { return folder_; }

  std::string certificate_file;
  std::string key_file;
  std::string other_key_file;  // a valid key that does not match the certificate

 private:
  template <class Write>
  static void WritePem(const std::string& path, Write write) {
    FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr) << path;
    write(file);
    std::fclose(file);
  }

  std::string folder_;
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
      AddStandardHeaders(response, request.request_id, request.transport);
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
  // HSTS means nothing over plain HTTP, and would break TLS ended at a proxy.
  EXPECT_EQ(first.find("Strict-Transport-Security"), std::string::npos);
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

// --- TLS ---------------------------------------------------------------------------------

class HttpsServerTest : public HttpServerTest {
 protected:
  static void SetUpTestSuite() { certificate_ = new TestCertificate(); }
  static void TearDownTestSuite() {
    delete certificate_;
    certificate_ = nullptr;
  }

  void StartTlsServer(ServerOptions options = {}) {
    options.tls = TlsOptions{certificate_->certificate_file, certificate_->key_file};
    StartServer(options);
  }

  static TestCertificate* certificate_;
};

TestCertificate* HttpsServerTest::certificate_ = nullptr;

TEST_F(HttpsServerTest, ServesOverTls13WithHsts) {
  StartTlsServer();
  Client client(port_);
  ASSERT_EQ(client.StartTls(TLS1_3_VERSION, TLS1_3_VERSION), 0u);
  EXPECT_EQ(client.TlsVersion(), "TLSv1.3");
  client.Send(Get("/one"));
  std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_NE(response.find("\"path\":\"/one\""), std::string::npos);
  EXPECT_NE(response.find("Strict-Transport-Security: max-age=31536000"), std::string::npos);
}

TEST_F(HttpsServerTest, PrefersTls13AndOffersTls12OnlyWithEcdheAead) {
  StartTlsServer();
  Client modern(port_);
  ASSERT_EQ(modern.StartTls(TLS1_2_VERSION, 0), 0u);
  EXPECT_EQ(modern.TlsVersion(), "TLSv1.3");
  Client older(port_);
  ASSERT_EQ(older.StartTls(TLS1_2_VERSION, TLS1_2_VERSION), 0u);
  EXPECT_EQ(older.TlsVersion(), "TLSv1.2");
  std::string cipher = older.Cipher();
  EXPECT_TRUE(cipher.starts_with("ECDHE-")) << cipher;
  EXPECT_TRUE(cipher.find("GCM") != std::string::npos ||
              cipher.find("CHACHA20") != std::string::npos)
      << cipher;
  older.Send(Get("/x"));
  EXPECT_EQ(StatusOf(older.ReadResponse()), 200);
}

TEST_F(HttpsServerTest, Tls11ClientsAreRefusedByTheServer) {
  StartTlsServer();
  Client client(port_);
  unsigned long error = client.StartTls(TLS1_1_VERSION, TLS1_1_VERSION);
  // The server's protocol_version alert, not a client that could not even offer TLS 1.1.
  EXPECT_EQ(ERR_GET_REASON(error), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION)
      << ERR_error_string(error, nullptr);
}

TEST_F(HttpsServerTest, PlainHttpOnTheTlsPortGetsNoHttpResponseAndTheServerStaysUp) {
  StartTlsServer();
  {
    Client plain(port_);
    plain.Send(Get("/one"));
    std::string response = plain.ReadResponse();
    EXPECT_EQ(response.find("HTTP/"), std::string::npos) << response;
    EXPECT_TRUE(plain.Closed());
  }
  Client after(port_);
  ASSERT_EQ(after.StartTls(TLS1_2_VERSION, 0), 0u);
  after.Send(Get("/alive"));
  EXPECT_EQ(StatusOf(after.ReadResponse()), 200);
}

TEST_F(HttpsServerTest, ASilentClientIsClosedAfterTheHandshakeTimeout) {
  ServerOptions options;
  options.handshake_timeout = std::chrono::seconds(1);
  StartTlsServer(options);
  Client silent(port_);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.Closed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST_F(HttpsServerTest, KeepsTlsConnectionsAliveAcrossRequests) {
  StartTlsServer();
  Client client(port_);
  ASSERT_EQ(client.StartTls(TLS1_2_VERSION, 0), 0u);
  client.Send(Get("/one"));
  EXPECT_NE(client.ReadResponse().find("\"path\":\"/one\""), std::string::npos);
  client.Send(Get("/two"));
  EXPECT_NE(client.ReadResponse().find("\"path\":\"/two\""), std::string::npos);
  client.Send(Get("/three") + Get("/four"));
  EXPECT_NE(client.ReadResponse().find("/three"), std::string::npos);
  EXPECT_NE(client.ReadResponse().find("/four"), std::string::npos);
  // Malformed HTTP inside TLS still gets its 400, encrypted.
  client.Send("NOT HTTP AT ALL\r\n\r\n");
  std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 400);
  EXPECT_NE(response.find("Strict-Transport-Security"), std::string::npos);
}

TEST_F(HttpsServerTest, ShutdownFinishesTlsRequestsInFlightThenStops) {
  StartTlsServer();
  auto slow = std::make_unique<Client>(port_);
  ASSERT_EQ(slow->StartTls(TLS1_3_VERSION, 0), 0u);
  slow->Send(Get("/slow"));
  while (!started_slow_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Shutdown();
  std::string response = slow->ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(slow->Closed());  // close_notify from the server
  slow.reset();
  runner_.join();
  Client late(port_);
  EXPECT_FALSE(late.connected());
}

TEST_F(HttpsServerTest, ListenFailsOnMissingInvalidOrMismatchedFiles) {
  struct Case {
    std::string certificate;
    std::string key;
    std::string reason;
  };
  std::string garbage = certificate_->folder() + "/garbage.pem";
  {
    FILE* file = std::fopen(garbage.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("not a certificate\n", file);
    std::fclose(file);
  }
  const Case cases[] = {
      {certificate_->folder() + "/missing.pem", certificate_->key_file,
       "tls_certificate_unreadable"},
      {certificate_->certificate_file, certificate_->folder() + "/missing.pem",
       "tls_key_unreadable"},
      {garbage, certificate_->key_file, "tls_certificate_invalid"},
      {certificate_->certificate_file, garbage, "tls_key_invalid"},
      {certificate_->certificate_file, certificate_->other_key_file, "tls_key_mismatch"},
  };
  for (const Case& c : cases) {
    ServerOptions options;
    options.port = 0;
    options.tls = TlsOptions{c.certificate, c.key};
    Server server(options, {});
    Result<std::string> where = server.Listen();
    ASSERT_FALSE(where.ok()) << c.reason;
    EXPECT_EQ(where.status().reason(), c.reason) << where.status().ToString();
    EXPECT_EQ(where.status().message().find('\n'), std::string::npos);
  }
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
