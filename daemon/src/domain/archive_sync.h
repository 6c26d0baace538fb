// The login's own message archive (XEP-0313) as the source of everything
// missed while timd was away: a cursor (the archive id of the newest message
// synced) kept in the settings table, moved by each catch-up page in the
// same transaction as the page's messages, and by live archived messages
// once caught up, so the next fresh session fetches exactly what is missing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "store/settings.h"
#include "xmpp/chat.h"
#include "xmpp/mam.h"

namespace timd::domain {

class ArchiveSync {
 public:
  using OnMessage = std::function<void(const xmpp::IncomingChat& chat)>;
  // `pulled`: the pass ran (the cursor may have moved); `outcome` says how.
  using PassDone = std::function<void(bool pulled, const std::string& outcome)>;
  using Progress = std::function<void(const std::string& progress)>;

  ArchiveSync(store::MessageStore& store, store::Settings& settings, events::EventBus& bus,
              const LoginState& login, uint32_t page_size, OnMessage on_message);
  ~ArchiveSync();

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }
  // The current stream's archive module; null while there is none.
  void set_mam(xmpp::MamManager* mam) { mam_ = mam; }
  void set_caught_up(bool caught_up) { caught_up_ = caught_up; }

  // A catch-up begins: its passes count the messages they pull together.
  void BeginCatchUp() { pulled_count_ = 0; }
  // Whether a cursor exists: without one (first login) offline storage
  // delivers what arrived meanwhile and there is nothing to pull.
  bool HasCursor();
  // One pass through the archive after the cursor to its end, moving the
  // cursor per page; `done` unless the stream ended first.
  void Pull(Progress progress, PassDone done);
  // A live message: while nothing is missing, an archived one moves the
  // cursor (written at the next commit, with the message).
  void OnLiveMessage(const xmpp::IncomingChat& chat);

 private:
  void PullAfter(const std::string& cursor, Progress progress, PassDone done, int64_t start_ms);
  // The server no longer knows `expired_cursor`: says so, then pulls what
  // was archived since shortly before the newest stored message.
  void RestartByTime(const std::string& expired_cursor, Progress progress, PassDone done);
  std::optional<std::string> ReadCursor();
  void SaveLiveCursor();  // pre-commit hook
  std::string CursorKey() const { return "mam_cursor:" + own_jid_; }

  store::MessageStore& store_;
  store::Settings& settings_;
  events::EventBus& bus_;
  const LoginState& login_;
  const uint32_t page_size_;
  OnMessage on_message_;
  std::string own_jid_;
  xmpp::MamManager* mam_ = nullptr;
  bool caught_up_ = false;   // live messages may advance the cursor
  uint64_t pulled_count_ = 0;
  std::string live_cursor_;  // newest live archive id, saved at the next commit
  size_t pre_commit_hook_ = 0;
  size_t rollback_hook_ = 0;
};

}  // namespace timd::domain
