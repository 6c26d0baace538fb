// Transport against real loopback servers: plain TCP, direct TLS with a
// certificate generated at runtime, STARTTLS, and the failure paths.
#include "xmpp/transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace timd::xmpp {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "timd-transport-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Self-signed certificate for `dns_name`; `prefix`.crt and `prefix`.key.
void MakeCertificate(const TempDir& dir, const std::string& prefix, const std::string& dns_name) {
  std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout " +
                        dir.File(prefix + ".key") + " -out " + dir.File(prefix + ".crt") + " -subj /CN=" + dns_name +
                        " -addext subjectAltName=DNS:" + dns_name + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// A one-connection loopback server on its own thread (blocking sockets).
class TestServer {
 public:
  enum class Mode { kPlainEcho, kTlsEcho, kStartTlsEcho };

  TestServer(Mode mode, std::string cert = {}, std::string key = {})
      : mode_(mode), cert_(std::move(cert)), key_(std::move(key)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 1);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TestServer() {
    shutdown(listener_, SHUT_RDWR);
    thread_.join();
    close(listener_);
  }
  uint16_t port() const { return port_; }

 private:
  void Serve() {
    int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    if (mode_ == Mode::kPlainEcho) {
      char buf[4096];
      ssize_t n;
      while ((n = read(fd, buf, sizeof buf)) > 0) {
        if (write(fd, buf, n) != n) break;
      }
    } else {
      if (mode_ == Mode::kStartTlsEcho) {
        std::string line;
        char c;
        while (read(fd, &c, 1) == 1 && c != '\n') line += c;
        if (write(fd, "proceed\n", 8) != 8) {
          close(fd);
          return;
        }
      }
      ServeTls(fd);
    }
    close(fd);
  }

  void ServeTls(int fd) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(ctx, cert_.c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(ctx, key_.c_str(), SSL_FILETYPE_PEM);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      char buf[4096];
      int n;
      while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) SSL_write(ssl, buf, n);
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  }

  Mode mode_;
  std::string cert_, key_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

struct Outcome {
  std::optional<TransportError> error;
  std::string detail;
  std::string received;
  std::string tls;
};

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // drains the transport's close callbacks
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was leaked";
  }

  // Connects, sends `message` (after STARTTLS when `starttls`), closes once
  // it is echoed back, and returns what happened.
  Outcome Exchange(TransportOptions options, const std::string& message, bool starttls = false) {
    Outcome outcome;
    std::unique_ptr<Transport> transport;
    Transport::Callbacks callbacks;
    callbacks.on_connected = [&] { transport->Write(starttls ? "starttls\n" : message); };
    callbacks.on_tls_ready = [&] { transport->Write(message); };
    callbacks.on_data = [&](std::string_view bytes) {
      if (starttls && !transport->tls_active()) {
        if (bytes == "proceed\n") transport->StartTls();
        return;
      }
      outcome.received += bytes;
      if (outcome.received.size() >= message.size()) {
        outcome.tls = transport->tls_description();
        transport->Close();
      }
    };
    callbacks.on_closed = [&](TransportError error, const std::string& detail) {
      EXPECT_FALSE(outcome.error.has_value()) << "on_closed fired twice";
      outcome.error = error;
      outcome.detail = detail;
      uv_stop(&loop_);
    };
    transport = std::make_unique<Transport>(&loop_, options, callbacks);
    transport->Connect();
    RunWithDeadline();
    transport.reset();
    return outcome;
  }

  void RunWithDeadline() {
    uv_timer_t deadline;
    uv_timer_init(&loop_, &deadline);
    deadline.data = this;
    uv_timer_start(&deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 10000, 0);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);
  }

  TransportOptions Options(uint16_t port) {
    TransportOptions options;
    options.host = "127.0.0.1";
    options.port = port;
    options.tls_server_name = "localhost";
    options.connect_timeout_ms = 5000;
    return options;
  }

  uv_loop_t loop_;
  TempDir dir_;
};

TEST_F(TransportTest, PlainEcho) {
  TestServer server(TestServer::Mode::kPlainEcho);
  Outcome outcome = Exchange(Options(server.port()), "hello over tcp");
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(*outcome.error, TransportError::kNone) << outcome.detail;
  EXPECT_EQ(outcome.received, "hello over tcp");
  EXPECT_EQ(outcome.tls, "");
}

TEST_F(TransportTest, HostNameIsResolved) {
  TestServer server(TestServer::Mode::kPlainEcho);
  TransportOptions options = Options(server.port());
  options.host = "localhost";  // resolves to ::1 first on some hosts; must fall back to 127.0.0.1
  Outcome outcome = Exchange(options, "resolved");
  EXPECT_EQ(outcome.received, "resolved");
  EXPECT_EQ(outcome.error, TransportError::kNone) << outcome.detail;
}

TEST_F(TransportTest, DirectTlsVerifiesWithCaFile) {
  MakeCertificate(dir_, "server", "localhost");
  TestServer server(TestServer::Mode::kTlsEcho, dir_.File("server.crt"), dir_.File("server.key"));
  TransportOptions options = Options(server.port());
  options.direct_tls = true;
  options.ca_file = dir_.File("server.crt");
  std::string big(100000, 'x');  // spans many TLS records
  Outcome outcome = Exchange(options, big);
  EXPECT_EQ(outcome.error, TransportError::kNone) << outcome.detail;
  EXPECT_EQ(outcome.received, big);
  EXPECT_EQ(outcome.tls.rfind("TLSv1.", 0), 0u) << outcome.tls;
}

TEST_F(TransportTest, StartTlsUpgrade) {
  MakeCertificate(dir_, "server", "localhost");
  TestServer server(TestServer::Mode::kStartTlsEcho, dir_.File("server.crt"), dir_.File("server.key"));
  TransportOptions options = Options(server.port());
  options.ca_file = dir_.File("server.crt");
  Outcome outcome = Exchange(options, "secret stuff", /*starttls=*/true);
  EXPECT_EQ(outcome.error, TransportError::kNone) << outcome.detail;
  EXPECT_EQ(outcome.received, "secret stuff");
  EXPECT_FALSE(outcome.tls.empty());
}

TEST_F(TransportTest, UnknownCaIsRejected) {
  MakeCertificate(dir_, "server", "localhost");
  MakeCertificate(dir_, "other", "localhost");
  TestServer server(TestServer::Mode::kTlsEcho, dir_.File("server.crt"), dir_.File("server.key"));
  TransportOptions options = Options(server.port());
  options.direct_tls = true;
  options.ca_file = dir_.File("other.crt");
  Outcome outcome = Exchange(options, "never");
  EXPECT_EQ(outcome.error, TransportError::kTls);
  EXPECT_NE(outcome.detail.find("certificate verification failed"), std::string::npos) << outcome.detail;
  EXPECT_EQ(outcome.received, "");
}

TEST_F(TransportTest, SystemStoreRejectsSelfSigned) {
  MakeCertificate(dir_, "server", "localhost");
  TestServer server(TestServer::Mode::kTlsEcho, dir_.File("server.crt"), dir_.File("server.key"));
  TransportOptions options = Options(server.port());
  options.direct_tls = true;
  Outcome outcome = Exchange(options, "never");
  EXPECT_EQ(outcome.error, TransportError::kTls);
  EXPECT_NE(outcome.detail.find("self-signed"), std::string::npos) << outcome.detail;
}

TEST_F(TransportTest, HostNameMismatchIsRejected) {
  MakeCertificate(dir_, "server", "localhost");
  TestServer server(TestServer::Mode::kTlsEcho, dir_.File("server.crt"), dir_.File("server.key"));
  TransportOptions options = Options(server.port());
  options.direct_tls = true;
  options.ca_file = dir_.File("server.crt");
  options.tls_server_name = "example.org";
  Outcome outcome = Exchange(options, "never");
  EXPECT_EQ(outcome.error, TransportError::kTls);
  EXPECT_NE(outcome.detail.find("hostname mismatch"), std::string::npos) << outcome.detail;
}

TEST_F(TransportTest, RefusedConnection) {
  uint16_t port;
  {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    close(fd);  // bound but never listening: the port refuses
  }
  Outcome outcome = Exchange(Options(port), "never");
  EXPECT_EQ(outcome.error, TransportError::kConnect) << outcome.detail;
}

TEST_F(TransportTest, DestroyInsideCallbackIsSafe) {
  TestServer server(TestServer::Mode::kPlainEcho);
  std::unique_ptr<Transport> transport;
  bool closed = false;
  Transport::Callbacks callbacks;
  callbacks.on_connected = [&] { transport->Write("bye"); };
  callbacks.on_data = [&](std::string_view) {
    transport.reset();  // destroys the transport from inside its own callback
    uv_stop(&loop_);
  };
  callbacks.on_closed = [&](TransportError, const std::string&) { closed = true; };
  transport = std::make_unique<Transport>(&loop_, Options(server.port()), callbacks);
  transport->Connect();
  RunWithDeadline();
  EXPECT_EQ(transport, nullptr);
  EXPECT_FALSE(closed);  // no callbacks after destruction
}

TEST_F(TransportTest, CloseBeforeConnectReportsOnce) {
  int calls = 0;
  Transport::Callbacks callbacks;
  callbacks.on_closed = [&](TransportError error, const std::string&) {
    ++calls;
    EXPECT_EQ(error, TransportError::kNone);
  };
  Transport transport(&loop_, Options(1), callbacks);
  transport.Connect();
  transport.Close();
  transport.Close();
  uv_run(&loop_, UV_RUN_NOWAIT);
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace timd::xmpp
