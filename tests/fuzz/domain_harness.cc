#include "fuzz/domain_harness.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "fuzz/quiet_protobuf.h"

namespace timd::fuzz {
namespace {

std::string* g_dir_to_remove = nullptr;

void RemoveDir() {
  std::error_code ec;
  std::filesystem::remove_all(*g_dir_to_remove, ec);
}

}  // namespace

DomainHarness& DomainHarness::Get() {
  static DomainHarness* const harness = new DomainHarness();
  return *harness;
}

DomainHarness::DomainHarness() {
  spdlog::set_level(spdlog::level::off);
  SilenceProtobufLog();
  std::string tmpl = (std::filesystem::temp_directory_path() / "timd-fuzz-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  g_dir_to_remove = &dir_;
  std::atexit(RemoveDir);

  uv_loop_init(&loop_);
  queue_ = std::make_unique<LoopQueue>(&loop_);
  auto db = store::Database::Open(dir_ + "/state.db");
  if (!db.ok()) throw std::runtime_error(db.status().message());
  db_ = std::move(db).value();
  store_ = std::make_unique<store::MessageStore>(*db_);
  settings_ = std::make_unique<store::Settings>(*db_);
  events::EventBus::Options bus_options;
  bus_options.min_commit_interval_ms = 0;  // commit every turn: each input ends committed
  bus_ = std::make_unique<events::EventBus>(
      &loop_, *db_, [q = queue_.get()](std::function<void()> task) { return q->Post(std::move(task)); },
      bus_options);
  consumers_ = std::make_unique<events::ConsumerCursors>(*settings_, *bus_);
  messaging_ = std::make_unique<domain::Messaging>(&loop_, *store_, *bus_, ids_, domain::Messaging::Options{});
  messaging_->set_own_jid(kOwnJid);
  history_ = std::make_unique<domain::MessageHistory>(*store_, *bus_, login_);
}

void DomainHarness::Turn() {
  for (int i = 0; i < 3; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
}

}  // namespace timd::fuzz
