#include "http/transfer_error.h"

namespace timd::http {

const char* ToString(TransferError error) {
  switch (error) {
    case TransferError::kNone: return "none";
    case TransferError::kBadRequest: return "bad-request";
    case TransferError::kResolveFailed: return "resolve-failed";
    case TransferError::kConnectionRefused: return "connection-refused";
    case TransferError::kTls: return "tls";
    case TransferError::kTimeout: return "timeout";
    case TransferError::kNetwork: return "network";
    case TransferError::kHttpStatus: return "http-status";
    case TransferError::kFileUnreadable: return "file-unreadable";
    case TransferError::kDiskFull: return "disk-full";
    case TransferError::kFileWrite: return "file-write";
    case TransferError::kTooLarge: return "too-large";
    case TransferError::kInternal: return "internal";
  }
  return "unknown";
}

TransferError ErrorFromCurl(CURLcode code, long http_status) {
  switch (code) {
    case CURLE_HTTP_RETURNED_ERROR: return TransferError::kHttpStatus;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return TransferError::kBadRequest;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransferError::kResolveFailed;
    case CURLE_COULDNT_CONNECT: return TransferError::kConnectionRefused;
    case CURLE_OPERATION_TIMEDOUT: return TransferError::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE: return TransferError::kTls;
    case CURLE_READ_ERROR: return TransferError::kFileUnreadable;
    case CURLE_WRITE_ERROR: return TransferError::kFileWrite;
    case CURLE_FILESIZE_EXCEEDED: return TransferError::kTooLarge;
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT: return TransferError::kInternal;
    default: break;
  }
  // A server that closes the connection after an error status (e.g. 413
  // while we still send) shows as a send error; its status says more.
  if (http_status >= 300) return TransferError::kHttpStatus;
  return TransferError::kNetwork;
}

}  // namespace timd::http
