// TIMConvSubscribeUnreadMessageCountByFilter: the filters this process
// watches and the unread total each had when last asked. timd keeps no
// per-app filters (unread_counts.proto): after each event that can move a
// filter's total (TOTAL_UNREAD_CHANGED, CONV_EVENT) every watched filter is
// asked again with GetUnreadMessageCountByFilter, and the by-filter
// callback gets those whose total changed. Process-wide, like the listeners.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tim/v1/conversation_edits.pb.h"

namespace timclient {

class UnreadFilterWatch {
 public:
  static UnreadFilterWatch& Instance();

  // TIM_SUCC, or TIM_ERR_JSON / TIM_ERR_PARAM for a filter that does not parse
  // (and, unsubscribing, one that is not watched).
  int Subscribe(const char* filter_json);
  int Unsubscribe(const char* filter_json);
  // After an event that may have changed the totals: asks timd again for
  // every watched filter.
  void Refresh();

 private:
  struct Watched {
    std::string json;  // as the app gave it: what the callback reports
    tim::v1::ConversationListFilter filter;
    uint64_t asked = 0;     // generation of the newest question
    uint64_t answered = 0;  // generation of the newest answer taken
    std::optional<uint64_t> total;
  };
  // One question for timd, taken under mu_ and asked outside it (a failing
  // call may answer inline). `report` false for the first answer, which
  // only sets the starting point.
  struct Question {
    std::string key;
    uint64_t generation;
    bool report;
    tim::v1::ConversationListFilter filter;
  };
  static Question NextQuestion(const std::string& key, Watched& watched, bool report);
  void Ask(const Question& question);
  void OnAnswer(const std::string& key, uint64_t generation, bool report, uint64_t total);

  std::mutex mu_;
  std::map<std::string, Watched> watched_;  // by the serialized filter
};

}  // namespace timclient
