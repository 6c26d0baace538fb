#include "support/prosody_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/free_port.h"

namespace timd::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr int kPortAttempts = 3;

// Prosody's on-disk names %xx-encode every non-alphanumeric byte.
std::string EncodeStoreName(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string LuaQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Runs a shell command; throws with its output on failure.
void RunOrThrow(const std::string& cmd, const std::string& out_file) {
  std::string full = cmd + " >" + out_file + " 2>&1";
  int rc = std::system(full.c_str());
  if (rc != 0) {
    throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + cmd + "\n" +
                             FileTail(out_file));
  }
}

}  // namespace

bool PortAccepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

ProsodyServer::ProsodyServer(std::string domain, std::vector<std::string> cert_names)
    : domain_(std::move(domain)), cert_names_(std::move(cert_names)) {
  if (cert_names_.empty()) cert_names_ = {domain_};
  if (domain_ == kDomain && cert_names_.size() == 1) {
    cert_names_.insert(cert_names_.end(), {"conference.localhost", "upload.localhost"});
  }
}

ProsodyServer::~ProsodyServer() { process_.Kill9(); }

std::string ProsodyServer::dir() const { return dir_ ? dir_->path() : std::string(); }
std::string ProsodyServer::ca_file() const { return dir() + "/certs/server.crt"; }
std::string ProsodyServer::log_file() const { return dir() + "/prosody.log"; }

std::string ProsodyServer::LogTail(size_t max_bytes) const {
  return FileTail(log_file(), max_bytes) + FileTail(dir() + "/prosody.out", max_bytes / 2);
}

void ProsodyServer::Prepare() {
  dir_ = std::make_unique<TempDir>("timd-prosody");
  std::filesystem::create_directories(dir() + "/certs");
  std::filesystem::create_directories(dir() + "/data");
  std::filesystem::create_directories(dir() + "/plugins");
  std::string names;
  for (const std::string& name : cert_names_) names += (names.empty() ? "DNS:" : ",DNS:") + name;
  if (upload_size_limit_ != 0) names += ",IP:127.0.0.1";
  RunOrThrow("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + dir() + "/certs/server.key -out " + ca_file() +
                 " -days 3650 -subj /CN=" + cert_names_.front() + " -addext subjectAltName=" + names,
             dir() + "/openssl.out");
}

void ProsodyServer::WriteConfig() {
  const std::string d = dir();
  std::ostringstream c;
  c << "run_as_root = true\n"
    << "pidfile = " << LuaQuote(d + "/prosody.pid") << "\n"
    << "data_path = " << LuaQuote(d + "/data") << "\n"
    << "plugin_paths = { " << LuaQuote(d + "/plugins") << ", "
    << LuaQuote(std::string(TIMD_TEST_SOURCE_DIR) + "/tools/prosody") << " }\n"
    << "interfaces = { \"127.0.0.1\" }\n"
    << "c2s_ports = { " << c2s_port_ << " }\n"
    << "c2s_direct_tls_ports = { " << direct_tls_port_ << " }\n"
    << "s2s_ports = { }\n"
    << "http_ports = { " << http_port_ << " }\n"
    << "http_interfaces = { \"127.0.0.1\" }\n"
    << (upload_size_limit_ == 0 ? "https_ports = { }\n" : HttpUploadGlobals())
    << "log = { { levels = { min = \"info\" }, to = \"file\", filename = "
    << LuaQuote(d + "/prosody.log") << " } }\n"
    << "ssl = { certificate = " << LuaQuote(ca_file())
    << "; key = " << LuaQuote(d + "/certs/server.key") << " }\n"
    << "modules_enabled = { \"roster\"; \"saslauth\"; \"tls\"; \"disco\"; \"carbons\"; "
       "\"ping\"; \"mam\"; \"smacks\"; \"offline\"; \"csi_simple\"; \"pep\"; \"admin_shell\" }\n"
    << "modules_disabled = { \"s2s\" }\n"
    << (token_secret_.empty() ? "authentication = \"internal_hashed\"\n"
                              : "authentication = \"timd_token\"\ntimd_token_secret_file = " +
                                    LuaQuote(d + "/token.secret") + "\n")
    << "c2s_require_encryption = true\n"
    << "default_archive_policy = true\n"
    << "archive_expires_after = \"never\"\n"
    << "storage_archive_item_limit = 100000\n"
    << "smacks_hibernation_time = 10\n"
    << extra_config_ << "VirtualHost \"" << domain_ << "\"\n"
    << HttpUploadComponent();
  WriteFile(d + "/prosody.cfg.lua", c.str());
  WriteTokenSecret();

  // Catches config mistakes with a clear message; once per test process.
  static std::once_flag checked;
  std::call_once(checked, [&] {
    RunOrThrow("prosodyctl --config " + d + "/prosody.cfg.lua check config",
               d + "/check-config.out");
  });
}

void ProsodyServer::EnableHttpUpload(uint64_t size_limit_bytes) {
  if (dir_) throw std::logic_error("ProsodyServer::EnableHttpUpload after Start");
  if (size_limit_bytes == 0) throw std::invalid_argument("ProsodyServer::EnableHttpUpload: zero size limit");
  upload_size_limit_ = size_limit_bytes;
}

std::string ProsodyServer::HttpUploadGlobals() const {
  return "https_ports = { " + std::to_string(https_port_) + " }\n" +
         "https_interfaces = { \"127.0.0.1\" }\n" +
         "https_ssl = { certificate = " + LuaQuote(ca_file()) + "; key = " + LuaQuote(dir() + "/certs/server.key") +
         " }\n";
}

std::string ProsodyServer::HttpUploadComponent() const {
  if (upload_size_limit_ == 0) return "";
  const std::string limit = std::to_string(upload_size_limit_);
  // http_host: the slot URLs name 127.0.0.1, which resolves everywhere
  // (upload.<domain> does not). The quotas are far above any test's use.
  return "Component " + LuaQuote(upload_jid()) + " \"http_file_share\"\n" +
         "    http_file_share_size_limit = " + limit + "\n" +
         "    http_file_share_daily_quota = 1024*1024*1024*1024\n" +
         "    http_host = \"127.0.0.1\"\n";
}

void ProsodyServer::UseTokenAuth(const std::string& secret) {
  if (secret.empty()) throw std::invalid_argument("ProsodyServer::UseTokenAuth: empty secret");
  token_secret_ = secret;
  if (dir_) WriteConfig();  // a restart picks up the new secret
}

void ProsodyServer::WriteTokenSecret() {
  if (token_secret_.empty()) return;
  const std::string file = dir() + "/token.secret";
  WriteFile(file, token_secret_ + "\n");
  ::chmod(file.c_str(), 0600);
}

void ProsodyServer::Launch() {
  process_.Spawn({"prosody", "-F", "--config", dir() + "/prosody.cfg.lua"}, dir() + "/prosody.out");
}

bool ProsodyServer::WaitUntilListening() {
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto st = process_.TryWait()) {
      throw std::runtime_error("prosody exited early (" + DescribeWaitStatus(*st) + "):\n" +
                               LogTail());
    }
    if (ReadFile(log_file()).find("Failed to open server port") != std::string::npos) {
      return false;
    }
    if (PortAccepts(c2s_port_) && PortAccepts(direct_tls_port_) && (https_port_ == 0 || PortAccepts(https_port_))) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.Kill9();
  throw std::runtime_error("prosody did not listen on 127.0.0.1:" + std::to_string(c2s_port_) +
                           " within 10 s:\n" + LogTail());
}

void ProsodyServer::Start() {
  if (running()) throw std::logic_error("ProsodyServer::Start: already running");
  if (!dir_) Prepare();
  // A port can be taken by someone else between picking and binding: retry
  // with fresh ports.
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    auto ports = FreePorts(upload_size_limit_ == 0 ? 3 : 4);
    c2s_port_ = ports[0];
    direct_tls_port_ = ports[1];
    http_port_ = ports[2];
    if (upload_size_limit_ != 0) https_port_ = ports[3];
    WriteConfig();
    std::filesystem::remove(log_file());
    Launch();
    if (WaitUntilListening()) return;
    process_.Kill9();
  }
  throw std::runtime_error("prosody could not bind its ports:\n" + LogTail());
}

void ProsodyServer::Stop() {
  if (!running()) return;
  auto st = process_.Terminate();
  if (!st) throw std::runtime_error("prosody did not stop on SIGTERM:\n" + LogTail());
  if (!WIFEXITED(*st) || WEXITSTATUS(*st) != 0) {
    throw std::runtime_error("prosody stopped with " + DescribeWaitStatus(*st) + ":\n" + LogTail());
  }
}

void ProsodyServer::Kill9() { process_.Kill9(); }

void ProsodyServer::Restart() {
  if (!dir_) throw std::logic_error("ProsodyServer::Restart before Start");
  Stop();
  Launch();
  if (!WaitUntilListening()) {
    process_.Kill9();
    throw std::runtime_error("prosody could not re-bind its ports:\n" + LogTail());
  }
}

void ProsodyServer::AddUser(const std::string& name, const std::string& password) {
  if (!dir_) throw std::logic_error("ProsodyServer::AddUser before Start");
  std::string accounts = dir() + "/data/" + EncodeStoreName(domain_) + "/accounts";
  std::filesystem::create_directories(accounts);
  WriteFile(accounts + "/" + EncodeStoreName(name) + ".dat",
            "return { [\"password\"] = " + LuaQuote(password) + "; };\n");
}

}  // namespace timd::test
