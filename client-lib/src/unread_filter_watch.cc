#include "unread_filter_watch.h"

#include <chrono>

#include "TIMCloud.h"
#include "global.h"
#include "listeners.h"
#include "tim_json.h"

namespace timclient {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

// The filter's key and parsed form; a TIM code when it does not parse.
int ParseFilter(const char* filter_json, tim::v1::ConversationListFilter* filter, std::string* key) {
  std::string why;
  const ParseResult parsed = ParseConversationListFilter(filter_json, filter, &why);
  if (parsed != ParseResult::kOk) return parsed == ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM;
  *key = filter->SerializeAsString();
  return TIM_SUCC;
}

}  // namespace

UnreadFilterWatch& UnreadFilterWatch::Instance() {
  static UnreadFilterWatch watch;
  return watch;
}

int UnreadFilterWatch::Subscribe(const char* filter_json) {
  tim::v1::ConversationListFilter filter;
  std::string key;
  if (int code = ParseFilter(filter_json, &filter, &key); code != TIM_SUCC) return code;
  std::optional<Question> first;
  {
    std::lock_guard lock(mu_);
    auto [it, added] = watched_.try_emplace(key);
    it->second.json = filter_json ? filter_json : "";
    if (added) {
      it->second.filter = std::move(filter);
      first = NextQuestion(key, it->second, false);
    }
  }
  if (first) Ask(*first);
  return TIM_SUCC;
}

int UnreadFilterWatch::Unsubscribe(const char* filter_json) {
  tim::v1::ConversationListFilter filter;
  std::string key;
  if (int code = ParseFilter(filter_json, &filter, &key); code != TIM_SUCC) return code;
  std::lock_guard lock(mu_);
  return watched_.erase(key) == 1 ? TIM_SUCC : TIM_ERR_PARAM;
}

void UnreadFilterWatch::Refresh() {
  std::vector<Question> questions;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, watched] : watched_) questions.push_back(NextQuestion(key, watched, true));
  }
  for (const auto& question : questions) Ask(question);
}

UnreadFilterWatch::Question UnreadFilterWatch::NextQuestion(const std::string& key, Watched& watched, bool report) {
  return {key, ++watched.asked, report, watched.filter};
}

void UnreadFilterWatch::Ask(const Question& question) {
  auto ctx = CurrentContext();
  if (!ctx) return;  // before TIMInit: the first event after it asks
  tim::v1::GetUnreadMessageCountByFilterRequest request;
  *request.mutable_filter() = question.filter;
  ctx->Call(ctx->stubs().conversations->async(), &ConversationsAsync::GetUnreadMessageCountByFilter,
            std::move(request), kTimeout,
            [this, key = question.key, generation = question.generation, report = question.report](
                const TimError& error, tim::v1::GetUnreadMessageCountByFilterResponse& response) {
              if (error.code == 0) OnAnswer(key, generation, report, response.unread_count());
            });
}

void UnreadFilterWatch::OnAnswer(const std::string& key, uint64_t generation, bool report, uint64_t total) {
  std::string json;
  {
    std::lock_guard lock(mu_);
    auto it = watched_.find(key);
    // Unsubscribed meanwhile, or a newer question was answered first.
    if (it == watched_.end() || generation <= it->second.answered) return;
    Watched& watched = it->second;
    watched.answered = generation;
    const bool changed = watched.total != total;
    watched.total = total;
    if (!report || !changed) return;
    json = watched.json;
  }
  auto ctx = CurrentContext();
  if (!ctx) return;
  ctx->Post([json = std::move(json), total] {
    auto l = Listeners::Instance().Get<Slot::kConvUnreadChangedByFilter>();
    if (l.cb) l.cb(json.c_str(), static_cast<int>(total), l.user_data);
  });
}

}  // namespace timclient
