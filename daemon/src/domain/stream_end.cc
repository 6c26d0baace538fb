#include "domain/stream_end.h"

#include <string>

namespace timd::domain {

bool IsPermanent(xmpp::ClientError error) {
  switch (error) {
    case xmpp::ClientError::kNetwork:
    case xmpp::ClientError::kTimeout:
    case xmpp::ClientError::kStreamError:
    case xmpp::ClientError::kMalformedXml:
    case xmpp::ClientError::kBindFailed:
    case xmpp::ClientError::kPingTimeout:
      return false;
    default:
      return true;
  }
}

Status StatusOf(const xmpp::ClientCloseInfo& info) {
  using E = xmpp::ClientError;
  switch (info.error) {
    case E::kAuthNotAuthorized:
      return Status(Code::kUnauthenticated, tim_err::kLoginAuthFailed, "authentication failed: " + info.detail);
    case E::kAuthAccountDisabled:
      return Status(Code::kPermissionDenied, tim_err::kLoginAuthFailed, "account disabled: " + info.detail);
    case E::kAuthCredentialsExpired:
      return Status(Code::kUnauthenticated, tim_err::kUserSigExpired, "credentials expired: " + info.detail);
    case E::kAuthNoMechanism:
      return Status(Code::kUnauthenticated, tim_err::kLoginAuthFailed,
                    "no acceptable authentication mechanism: " + info.detail);
    case E::kConflict:
      return Status(Code::kAborted, tim_err::kKickedOffByOther, "kicked offline: " + info.detail);
    case E::kTimeout:
      return Status(Code::kUnavailable, tim_err::kNetConnTimeout, "connection timed out: " + info.detail);
    case E::kTls:
      return Status(Code::kUnavailable, tim_err::kNetDisconnect, "TLS failed: " + info.detail);
    case E::kTlsRequired:
      return Status(Code::kUnavailable, tim_err::kNetDisconnect, "server offers no TLS: " + info.detail);
    default:
      return Status(Code::kUnavailable, tim_err::kNetDisconnect,
                    std::string(xmpp::ToString(info.error)) + ": " + info.detail);
  }
}

}  // namespace timd::domain
