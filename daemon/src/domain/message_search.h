// TIMMsgSearchLocalMessages (history.proto SearchLocalMessages): full-text
// search of the local store through store/search_store.h.
#pragma once

#include "domain/done.h"
#include "domain/login_state.h"
#include "store/search_store.h"
#include "tim/v1/history.pb.h"

namespace timd::domain {

class MessageSearch {
 public:
  MessageSearch(store::MessageStore& store, const LoginState& login) : search_(store.database()), login_(login) {}

  Result<tim::v1::SearchLocalMessagesResponse> Search(const tim::v1::SearchLocalMessagesRequest& request);

 private:
  // The store query of `request`, or why it cannot be asked.
  Result<store::SearchQuery> QueryOf(const tim::v1::SearchLocalMessagesRequest& request) const;

  store::SearchStore search_;
  const LoginState& login_;
};

}  // namespace timd::domain
