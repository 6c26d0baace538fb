// Names of transfer errors, and how libcurl's results map onto them.
#pragma once

#include <curl/curl.h>

#include "http/transfer.h"

namespace timd::http {

// The error for a finished transfer whose libcurl code is `code` (not
// CURLE_OK) and whose last HTTP status is `http_status` (0 when none).
TransferError ErrorFromCurl(CURLcode code, long http_status);

}  // namespace timd::http
