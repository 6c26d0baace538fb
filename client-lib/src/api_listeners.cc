// The fifteen event-callback setters.
#include "TIMCloud.h"
#include "global.h"
#include "listeners.h"

using timclient::Listeners;
using timclient::Slot;

extern "C" {

void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data) {
  Listeners::Instance().AddRecvNewMsg(cb, user_data);
}
void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback cb) { Listeners::Instance().RemoveRecvNewMsg(cb); }

void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kMsgReadReceipt>(cb, user_data);
}
void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kMsgRevoke>(cb, user_data);
}
void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kMsgUploadProgress>(cb, user_data);
}
void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kMsgUpdate>(cb, user_data);
}
void TIMSetGroupTipsEventCallback(TIMGroupTipsEventCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kGroupTips>(cb, user_data);
}
void TIMSetConvEventCallback(TIMConvEventCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kConvEvent>(cb, user_data);
}
void TIMSetNetworkStatusListenerCallback(TIMNetworkStatusListenerCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kNetworkStatus>(cb, user_data);
}
void TIMSetKickedOfflineCallback(TIMKickedOfflineCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kKickedOffline>(cb, user_data);
}
void TIMSetUserSigExpiredCallback(TIMUserSigExpiredCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kUserSigExpired>(cb, user_data);
}
void TIMSetOnAddFriendCallback(TIMOnAddFriendCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kFriendAdded>(cb, user_data);
}
void TIMSetOnDeleteFriendCallback(TIMOnDeleteFriendCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kFriendDeleted>(cb, user_data);
}
void TIMSetUpdateFriendProfileCallback(TIMUpdateFriendProfileCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kFriendProfileUpdate>(cb, user_data);
}
void TIMSetFriendAddRequestCallback(TIMFriendAddRequestCallback cb, const void* user_data) {
  Listeners::Instance().Set<Slot::kFriendAddRequest>(cb, user_data);
}

void TIMSetLogCallback(TIMLogCallback cb, const void* user_data) {
  const bool had = Listeners::Instance().Get<Slot::kLog>().cb != nullptr;
  Listeners::Instance().Set<Slot::kLog>(cb, user_data);
  // LOG events are subscribed to only while a log callback is set.
  if (had != (cb != nullptr)) {
    if (auto ctx = timclient::CurrentContext()) ctx->RefreshSubscription();
  }
}

}  // extern "C"
