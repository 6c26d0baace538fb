// timd-echo-peer: logs in to an XMPP server and answers every chat message
// with "echo: <body>" to the sender's bare JID. Prints "echo-peer ready as
// <jid>" on stdout once online; with --count-file it appends one line per
// received message ("<origin-id or id>\t<body>", with \, tab and newline
// escaped) so tests can check exactly what arrived. A message
// "burst <count> <pad> <prefix>" is answered instead with <count> messages
// "<prefix><i> " + <pad> times 'x' (i = 1..count), to flood the sender.
// With --burst-count it also sends a paced burst of numbered messages when
// it gets SIGUSR1 (see burst_sender.h).
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <uv.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "burst_sender.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/ping.h"
#include "xmpp/presence.h"

namespace {

using timd::xmpp::ChatManager;
using timd::xmpp::Client;
using timd::xmpp::ClientCloseInfo;
using timd::xmpp::ClientError;
using timd::xmpp::ClientOptions;
using timd::xmpp::IncomingChat;
using timd::xmpp::Jid;
using timd::xmpp::OutgoingChat;
using timd::xmpp::PingResponder;

std::string ReadPassword(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read password file " + path);
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

std::string EscapeField(const std::string& in) {
  std::string out;
  for (char c : in) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

struct Burst {
  uint64_t count = 0;
  size_t pad = 0;
  std::string prefix;
};

// "burst <count> <pad> <prefix>"
std::optional<Burst> ParseBurst(const std::string& body) {
  std::istringstream in(body);
  std::string word;
  Burst burst;
  if (!(in >> word) || word != "burst" || !(in >> burst.count >> burst.pad >> burst.prefix)) return std::nullopt;
  return burst;
}

struct Settings {
  std::string host = "127.0.0.1";
  uint16_t port = 5222;
  std::string domain = "localhost";
  std::string user;
  std::string password_file;
  std::string ca_file;
  std::string resource = "echo";
  std::string count_file;
  bool direct_tls = false;
  timd::echo_peer::BurstOptions burst;
};

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"XMPP echo peer: answers every chat message with \"echo: <body>\""};
  app.add_option("--host", settings.host, "XMPP server host")->capture_default_str();
  app.add_option("--port", settings.port, "XMPP server port")->capture_default_str();
  app.add_option("--domain", settings.domain, "XMPP domain")->capture_default_str();
  app.add_option("--user", settings.user, "account local part")->required();
  app.add_option("--password-file", settings.password_file, "file holding the password")->required();
  app.add_option("--ca-file", settings.ca_file, "CA certificate (default: system store)");
  app.add_option("--resource", settings.resource, "resource to bind")->capture_default_str();
  app.add_option("--count-file", settings.count_file, "append one line per received message");
  app.add_flag("--direct-tls", settings.direct_tls, "TLS right after connect instead of STARTTLS");
  auto* burst_to = app.add_option("--burst-to", settings.burst.to, "bare JID the burst goes to");
  app.add_option("--burst-count", settings.burst.count, "on SIGUSR1, send this many numbered messages")
      ->needs(burst_to);
  app.add_option("--burst-rate", settings.burst.rate_per_s, "burst messages per second (0 = unpaced)")
      ->capture_default_str();
  app.add_option("--burst-prefix", settings.burst.prefix, "burst ids and bodies are <prefix>-<00000..>")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  spdlog::set_default_logger(spdlog::stderr_color_mt("echo-peer"));

  ClientOptions options;
  options.transport.host = settings.host;
  options.transport.port = settings.port;
  options.transport.direct_tls = settings.direct_tls;
  options.transport.tls_server_name = settings.domain;
  options.transport.ca_file = settings.ca_file;
  options.domain = settings.domain;
  options.username = settings.user;
  options.resource = settings.resource;
  try {
    options.password = ReadPassword(settings.password_file);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  uv_loop_t* loop = uv_default_loop();
  uv_signal_t sigint, sigterm, sigusr1;
  uv_signal_init(loop, &sigint);
  uv_signal_init(loop, &sigterm);
  uv_signal_init(loop, &sigusr1);

  bool stopping = false;
  int exit_code = 0;
  std::ofstream count_out;
  if (!settings.count_file.empty()) count_out.open(settings.count_file, std::ios::app);

  std::unique_ptr<Client> client;
  std::unique_ptr<ChatManager> chat;
  std::unique_ptr<PingResponder> ping;
  std::unique_ptr<timd::echo_peer::BurstSender> burst;
  std::mt19937_64 random{std::random_device{}()};
  uint64_t next_id = 0;

  auto shut_down = [&] {
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigusr1), nullptr);
  };

  Client::Callbacks callbacks;
  callbacks.on_online = [&](const Jid& jid) {
    timd::xmpp::SendInitialPresence(*client);
    std::cout << "echo-peer ready as " << jid.Full() << std::endl;
  };
  callbacks.on_closed = [&](const ClientCloseInfo& info) {
    if (!stopping) {
      spdlog::error("connection lost ({}): {}", timd::xmpp::ToString(info.error), info.detail);
      exit_code = 1;
    }
    shut_down();
  };
  callbacks.on_acked = [&](uint64_t handled) {
    if (burst) burst->OnAcked(handled);
  };
  client = std::make_unique<Client>(loop, options, callbacks);
  ping = std::make_unique<PingResponder>(*client);
  const std::string id_prefix = "echo-" + std::to_string(random() % 1000000) + "-";
  chat = std::make_unique<ChatManager>(*client, [&](const IncomingChat& message) {
    if (count_out.is_open()) {
      count_out << EscapeField(message.origin_id.empty() ? message.id : message.origin_id) << '\t'
                << EscapeField(message.body) << std::endl;
    }
    std::optional<Jid> from = Jid::Parse(message.from);
    if (!from || from->Bare() == client->bound_jid().Bare()) return;
    if (auto burst = ParseBurst(message.body)) {
      const std::string pad(burst->pad, 'x');
      for (uint64_t i = 1; i <= burst->count; ++i) {
        chat->Send(OutgoingChat{from->Bare(), id_prefix + std::to_string(++next_id),
                                burst->prefix + std::to_string(i) + " " + pad});
      }
      return;
    }
    chat->Send(OutgoingChat{from->Bare(), id_prefix + std::to_string(++next_id), "echo: " + message.body});
  });
  if (settings.burst.count > 0) burst = std::make_unique<timd::echo_peer::BurstSender>(loop, *chat, settings.burst);
  client->AddHandler(ping.get());
  client->AddHandler(chat.get());

  auto on_signal = [](uv_signal_t* handle, int) { (*static_cast<std::function<void()>*>(handle->data))(); };
  std::function<void()> stop = [&] {
    if (stopping) return;
    stopping = true;
    spdlog::info("stopping");
    if (client->state() == timd::xmpp::ClientState::kOnline) timd::xmpp::SendUnavailablePresence(*client);
    client->Disconnect();
  };
  sigint.data = &stop;
  sigterm.data = &stop;
  uv_signal_start(&sigint, on_signal, SIGINT);
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  std::function<void()> start_burst = [&] {
    if (burst && client->state() == timd::xmpp::ClientState::kOnline) burst->Start();
  };
  sigusr1.data = &start_burst;
  uv_signal_start(&sigusr1, on_signal, SIGUSR1);

  client->Connect();
  uv_run(loop, UV_RUN_DEFAULT);
  burst.reset();
  chat.reset();
  ping.reset();
  client.reset();
  uv_run(loop, UV_RUN_DEFAULT);  // let the client's handles close
  uv_loop_close(loop);
  return exit_code;
}
