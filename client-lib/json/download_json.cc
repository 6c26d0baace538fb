// TIMMsgDownloadElemToPath's JSON (reference §6.2): the download parameter
// -> DownloadElemToPathRequest, and the "downloading" progress payload.
#include "json_internal.h"

namespace timclient {

using internal::Json;

ParseResult ParseDownloadElemParam(const char* json, tim::v1::DownloadElemToPathRequest* out, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) {
    *why = "download parameter must be a JSON object";
    return ParseResult::kParam;
  }
  std::optional<uint64_t> type, business_id;
  if (!internal::ReadUint64(j, "msg_download_elem_param_type", false, &type, why) ||
      !internal::ReadString(j, "msg_download_elem_param_id", false, out->mutable_id(), why) ||
      !internal::ReadUint64(j, "msg_download_elem_param_business_id", false, &business_id, why) ||
      !internal::ReadString(j, "msg_download_elem_param_url", true, out->mutable_url(), why)) {
    return ParseResult::kParam;
  }
  if (type) out->set_type(static_cast<uint32_t>(*type));
  if (business_id) out->set_business_id(*business_id);
  return ParseResult::kOk;
}

std::string DownloadProgressJson(uint64_t current_size, uint64_t total_size) {
  Json j;
  j["msg_download_elem_result_current_size"] = current_size;
  j["msg_download_elem_result_total_size"] = total_size;
  return j.dump();
}

}  // namespace timclient
