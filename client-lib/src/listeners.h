// The app's event callbacks: several new-message listeners (removal by
// pointer) and one (callback, user_data) pair for each other event; a new
// set replaces, NULL unregisters. Process-wide and independent of
// TIMInit/TIMUninit, so callbacks may be set before init. Readers take a copy
// at dispatch time.
#pragma once

#include <array>
#include <atomic>
#include <mutex>
#include <vector>

#include "TIMCloud.h"

namespace timclient {

template <typename Callback>
struct Listener {
  Callback cb = nullptr;
  const void* user_data = nullptr;
};

enum class Slot {
  kMsgReadReceipt,
  kMsgRevoke,
  kMsgUploadProgress,
  kGroupTips,
  kConvEvent,
  kNetworkStatus,
  kKickedOffline,
  kUserSigExpired,
  kFriendAdded,
  kFriendDeleted,
  kFriendProfileUpdate,
  kFriendAddRequest,
  kLog,
  kMsgUpdate,
  kConvTotalUnreadChanged,
  kConvUnreadChangedByFilter,
  kCount
};

// The C callback type stored in each slot.
template <Slot S> struct SlotType;
template <> struct SlotType<Slot::kMsgReadReceipt> { using type = TIMMsgReadedReceiptCallback; };
template <> struct SlotType<Slot::kMsgRevoke> { using type = TIMMsgRevokeCallback; };
template <> struct SlotType<Slot::kMsgUploadProgress> { using type = TIMMsgElemUploadProgressCallback; };
template <> struct SlotType<Slot::kGroupTips> { using type = TIMGroupTipsEventCallback; };
template <> struct SlotType<Slot::kConvEvent> { using type = TIMConvEventCallback; };
template <> struct SlotType<Slot::kNetworkStatus> { using type = TIMNetworkStatusListenerCallback; };
template <> struct SlotType<Slot::kKickedOffline> { using type = TIMKickedOfflineCallback; };
template <> struct SlotType<Slot::kUserSigExpired> { using type = TIMUserSigExpiredCallback; };
template <> struct SlotType<Slot::kFriendAdded> { using type = TIMOnAddFriendCallback; };
template <> struct SlotType<Slot::kFriendDeleted> { using type = TIMOnDeleteFriendCallback; };
template <> struct SlotType<Slot::kFriendProfileUpdate> { using type = TIMUpdateFriendProfileCallback; };
template <> struct SlotType<Slot::kFriendAddRequest> { using type = TIMFriendAddRequestCallback; };
template <> struct SlotType<Slot::kLog> { using type = TIMLogCallback; };
template <> struct SlotType<Slot::kMsgUpdate> { using type = TIMMsgUpdateCallback; };
template <> struct SlotType<Slot::kConvTotalUnreadChanged> {
  using type = TIMConvTotalUnreadMessageCountChangedCallback;
};
template <> struct SlotType<Slot::kConvUnreadChangedByFilter> {
  using type = TIMConvTotalUnreadMessageCountChangedByFilterCallback;
};

class Listeners {
 public:
  static Listeners& Instance();

  void AddRecvNewMsg(TIMRecvNewMsgCallback cb, const void* user_data);
  void RemoveRecvNewMsg(TIMRecvNewMsgCallback cb);
  std::vector<Listener<TIMRecvNewMsgCallback>> RecvNewMsg() const;

  // As in TIM, the total-unread callback fires only once the app has asked
  // for the total (TIMConvGetTotalUnreadMessageCount), so its first report
  // follows a known starting point.
  void StartTotalUnreadReports() { total_unread_reports_ = true; }
  bool ReportsTotalUnread() const { return total_unread_reports_; }

  template <Slot S>
  void Set(typename SlotType<S>::type cb, const void* user_data) {
    std::lock_guard lock(mu_);
    slots_[static_cast<size_t>(S)] = {reinterpret_cast<AnyCallback>(cb), cb ? user_data : nullptr};
  }
  template <Slot S>
  Listener<typename SlotType<S>::type> Get() const {
    std::lock_guard lock(mu_);
    const auto& slot = slots_[static_cast<size_t>(S)];
    return {reinterpret_cast<typename SlotType<S>::type>(slot.cb), slot.user_data};
  }

 private:
  using AnyCallback = void (*)();
  mutable std::mutex mu_;
  std::vector<Listener<TIMRecvNewMsgCallback>> recv_new_msg_;
  std::array<Listener<AnyCallback>, static_cast<size_t>(Slot::kCount)> slots_{};
  std::atomic<bool> total_unread_reports_{false};
};

}  // namespace timclient
