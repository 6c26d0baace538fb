#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace timd::test {

// A private Prosody for one test: own temp dir, self-signed certificate,
// loopback-only free ports, VirtualHost "localhost" (or `domain`). Failures
// throw std::runtime_error (gtest reports them as test failures).
class ProsodyServer {
 public:
  static constexpr const char* kDomain = "localhost";

  // `cert_names`: the DNS names the certificate is valid for (default: the
  // domain, plus its conference. and upload. components for localhost).
  explicit ProsodyServer(std::string domain = kDomain, std::vector<std::string> cert_names = {});
  ~ProsodyServer();
  ProsodyServer(const ProsodyServer&) = delete;
  ProsodyServer& operator=(const ProsodyServer&) = delete;

  // Lua lines appended to the global section of the config; call before Start().
  void AddGlobalConfig(const std::string& lua) { extra_config_ += lua + "\n"; }
  // Authenticates with HMAC-signed tokens (tools/prosody/mod_auth_timd_token.lua,
  // loaded from the source tree) instead of passwords; see support/token.h.
  // Call before Start(), or before Restart() to rotate the secret.
  void UseTokenAuth(const std::string& secret);

  // Enables XEP-0363 HTTP upload (mod_http_file_share) on the component
  // upload_jid(), served over HTTPS on a free 127.0.0.1 port with the
  // fixture's certificate (then also valid for IP 127.0.0.1, which the slot
  // URLs name). Files larger than `size_limit_bytes` are refused; no daily
  // quota applies. Off by default; call before Start().
  void EnableHttpUpload(uint64_t size_limit_bytes);

  // Creates the dir, cert and config, starts prosody and waits until the c2s
  // port accepts connections.
  void Start();
  // SIGTERM and wait (expects a clean exit).
  void Stop();
  // SIGKILL: the server vanishes without closing streams.
  void Kill9();
  // Starts again on the same ports and data (stopping it first if running).
  void Restart();
  bool running() const { return process_.running(); }

  // Creates (or overwrites) an account; works while running or stopped.
  // `name` must be lower case.
  void AddUser(const std::string& name, const std::string& password);

  const std::string& domain() const { return domain_; }
  uint16_t c2s_port() const { return c2s_port_; }
  uint16_t direct_tls_port() const { return direct_tls_port_; }
  uint16_t http_port() const { return http_port_; }
  uint16_t https_port() const { return https_port_; }  // 0 unless EnableHttpUpload
  std::string upload_jid() const { return "upload." + domain_; }
  std::string ca_file() const;  // the self-signed cert, usable as CA file
  std::string dir() const;      // the temp dir (config, data, certs, logs)
  std::string log_file() const;
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  void Prepare();
  void WriteConfig();
  void WriteTokenSecret();
  std::string HttpUploadGlobals() const;
  std::string HttpUploadComponent() const;
  void Launch();
  bool WaitUntilListening();

  std::string domain_;
  std::vector<std::string> cert_names_;
  std::unique_ptr<TempDir> dir_;
  std::string extra_config_;
  std::string token_secret_;  // empty: password accounts (internal_hashed)
  uint16_t c2s_port_ = 0;
  uint16_t direct_tls_port_ = 0;
  uint16_t http_port_ = 0;
  uint16_t https_port_ = 0;
  uint64_t upload_size_limit_ = 0;  // 0: no upload component
  ChildProcess process_;
};

// True when a TCP connection to 127.0.0.1:port succeeds.
bool PortAccepts(uint16_t port);

}  // namespace timd::test
