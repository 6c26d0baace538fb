#include "domain/archive_sync.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace timd::domain {
namespace {

constexpr int64_t kArchiveRestartMarginMs = 10 * 60 * 1000;

}  // namespace

ArchiveSync::ArchiveSync(store::MessageStore& store, store::Settings& settings, events::EventBus& bus,
                         const LoginState& login, uint32_t page_size, OnMessage on_message)
    : store_(store),
      settings_(settings),
      bus_(bus),
      login_(login),
      page_size_(page_size),
      on_message_(std::move(on_message)) {
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { SaveLiveCursor(); });
  // The lost batch may have held messages up to this archive id.
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string&) { live_cursor_.clear(); });
}

ArchiveSync::~ArchiveSync() {
  bus_.RemovePreCommitHook(pre_commit_hook_);
  bus_.RemoveRollbackHook(rollback_hook_);
}

std::optional<std::string> ArchiveSync::ReadCursor() {
  try {
    return settings_.Get(CursorKey());
  } catch (const store::StoreError& e) {
    spdlog::error("cannot read the archive cursor: {}", e.what());
    return std::nullopt;
  }
}

bool ArchiveSync::HasCursor() { return ReadCursor().has_value(); }

void ArchiveSync::Pull(Progress progress, PassDone done) {
  const auto cursor = ReadCursor();
  if (!cursor) return done(false, "no archive cursor");
  spdlog::info("catching up from the archive after {}", *cursor);
  PullAfter(*cursor, std::move(progress), std::move(done), 0);
}

void ArchiveSync::PullAfter(const std::string& cursor, Progress progress, PassDone done, int64_t start_ms) {
  if (!mam_) return;
  xmpp::MamCallbacks callbacks;
  callbacks.on_message = on_message_;
  callbacks.on_page = [this, progress](const std::string& last_id, size_t count) {
    pulled_count_ += count;
    try {
      settings_.Set(CursorKey(), last_id);  // commits with the page's messages
    } catch (const store::StoreError& e) {
      spdlog::error("cannot store the archive cursor: {}", e.what());
    }
    spdlog::info("catch-up: {} archived messages so far", pulled_count_);
    progress("catching up: " + std::to_string(pulled_count_) + " archived messages so far");
  };
  callbacks.on_done = [this, done](bool complete) {
    if (!mam_) return;
    done(true, complete ? "caught up " + std::to_string(pulled_count_) + " archived messages"
                        : "archive catch-up ended incomplete");
  };
  callbacks.on_error = [this, cursor, progress, done](const std::string& condition) {
    if (condition == "disconnected" || !mam_) return;  // the stream's end takes over
    if (condition == "item-not-found" && !cursor.empty()) return RestartByTime(cursor, progress, done);
    spdlog::warn("archive catch-up failed: {}", condition);
    done(false, "archive catch-up failed: " + condition);
  };
  mam_->QueryArchive(cursor, "", page_size_, std::move(callbacks), start_ms);
}

void ArchiveSync::RestartByTime(const std::string& expired_cursor, Progress progress, PassDone done) {
  int64_t newest_ms = 0;
  try {
    newest_ms = store_.NewestServerTimeMs();
  } catch (const store::StoreError& e) {
    spdlog::error("cannot read the newest stored message: {}", e.what());
  }
  // The margin covers clock skew between the server's archive and the
  // times timd stored; the store drops the copies this fetches again.
  const int64_t start_ms = newest_ms > kArchiveRestartMarginMs ? newest_ms - kArchiveRestartMarginMs : 0;
  spdlog::warn("the server's archive no longer holds message {}, the last one timd synced: messages the "
               "archive has expired since may be missing; catching up with everything archived since {}",
               expired_cursor, start_ms > 0 ? xmpp::FormatXmppTimestamp(start_ms) : "its beginning");
  progress("archive cursor expired, catching up by time");
  PullAfter("", std::move(progress), std::move(done), start_ms);
}

void ArchiveSync::OnLiveMessage(const xmpp::IncomingChat& chat) {
  // Written once per commit, in the same transaction as the messages.
  if (caught_up_ && login_.store_failure().empty() && !chat.stanza_id.empty()) live_cursor_ = chat.stanza_id;
}

void ArchiveSync::SaveLiveCursor() {
  if (live_cursor_.empty()) return;
  try {
    settings_.Set(CursorKey(), live_cursor_);
  } catch (const store::StoreError& e) {
    spdlog::error("cannot store the archive cursor: {}", e.what());
  }
  live_cursor_.clear();
}

}  // namespace timd::domain
