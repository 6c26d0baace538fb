// Contexts for the payload module tests: a message as it would be offered
// live, from a carbon or from the archive (see message_payload.h).
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <utility>

#include "xmpp/client.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

inline constexpr const char* kOwnJid = "alice@example.org";

inline MessageContext TestContext(MessageSource source, std::string stanza_id = "", int64_t delay_ms = 0) {
  MessageContext context;
  context.source = source;
  context.own_bare_jid = kOwnJid;
  context.stanza_id = std::move(stanza_id);
  context.delay_ms = delay_ms;
  return context;
}

// An id one byte over the bound payloads accept.
inline std::string OversizeId() { return std::string(kMaxReferencedIdBytes + 1, 'x'); }

// A client that never connects: modules can be built on it, and send nothing.
struct OfflineClient {
  OfflineClient() {
    uv_loop_init(&loop);
    client = std::make_unique<Client>(&loop, ClientOptions{}, Client::Callbacks{});
  }
  ~OfflineClient() {
    client.reset();
    uv_run(&loop, UV_RUN_NOWAIT);
    uv_loop_close(&loop);
  }
  uv_loop_t loop;
  std::unique_ptr<Client> client;
};

}  // namespace timd::xmpp
