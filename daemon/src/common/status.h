// A result type shared by the daemon's layers: a canonical code (the gRPC
// codes, without depending on gRPC) plus a TIM ERR_* code and a message.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace timd {

// Numeric values equal grpc::StatusCode so the API layer maps them 1:1.
enum class Code : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// TIM error codes (TIMErrorCode.h) used by the daemon.
namespace tim_err {
inline constexpr int kSucc = 0;
inline constexpr int kInvalidConversation = 6004;      // ERR_INVALID_CONVERSATION
inline constexpr int kFileTransAuthFailed = 6006;      // ERR_FILE_TRANS_AUTH_FAILED
inline constexpr int kFileTransUploadFailed = 6008;    // ERR_FILE_TRANS_UPLOAD_FAILED
inline constexpr int kFileTransDownloadFailed = 6009;  // ERR_FILE_TRANS_DOWNLOAD_FAILED
inline constexpr int kRequestTimeout = 6012;
inline constexpr int kNotLoggedIn = 6014;
inline constexpr int kInvalidMsgElem = 6016;
inline constexpr int kInvalidParameters = 6017;
inline constexpr int kIoOperationFailed = 6022;
inline constexpr int kNoNetwork = 6200;
inline constexpr int kLoginAuthFailed = 6207;
inline constexpr int kRevokeTimeLimitExceed = 6223;  // ERR_REVOKE_TIME_LIMIT_EXCEED
inline constexpr int kKickedOffByOther = 6208;
inline constexpr int kInvalidIdentifier = 7003;
inline constexpr int kFileNotFound = 7004;  // ERR_SDK_COMM_FILE_NOT_FOUND
inline constexpr int kFileTooLarge = 7005;  // ERR_SDK_COMM_FILE_TOO_LARGE
inline constexpr int kFileSizeEmpty = 7006; // ERR_SDK_COMM_FILE_SIZE_EMPTY
inline constexpr int kCallFrequencyLimit = 7008;  // ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT
inline constexpr int kSdkInternalError = 7012;
inline constexpr int kInterfaceNotSupported = 7013;
inline constexpr int kDatabaseFailure = 7010;
inline constexpr int kDatabaseNotFound = 7011;
inline constexpr int kInvalidOperation = 7014;  // ERR_SDK_INVALID_OPERATION
inline constexpr int kLoginInProcess = 7501;
inline constexpr int kLogoutInProcess = 7502;
inline constexpr int kMsgBodySizeLimit = 8001;
inline constexpr int kMsgModifyConflict = 8006;  // ERR_SDK_MSG_MODIFY_CONFLICT
inline constexpr int kInvalidCancelMessage = 8020;         // ERR_SDK_INVALID_CANCEL_MESSAGE
inline constexpr int kSendMessageFailedWithCancel = 8021;  // ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL
inline constexpr int kNetDisconnect = 9508;
inline constexpr int kNetConnTimeout = 9510;
inline constexpr int kNetWaitAckTimeout = 9520;
inline constexpr int kSvrMsgInvalidId = 20003;
inline constexpr int kSvrMsgPushDeny = 20006;
inline constexpr int kUserSigExpired = 70001;
}  // namespace tim_err

class Status {
 public:
  Status() = default;
  Status(Code code, int tim_code, std::string message)
      : code_(code), tim_code_(tim_code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  int tim_code() const { return tim_code_; }
  const std::string& message() const { return message_; }

 private:
  Code code_ = Code::kOk;
  int tim_code_ = tim_err::kSucc;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace timd
