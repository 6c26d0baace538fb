#include "xmpp/http_upload_slot.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kMaxFileSizeVar = "max-file-size";

std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool IsHttpsUrl(std::string_view url) { return url.size() > 8 && url.substr(0, 8) == "https://"; }

// Header names the slot may carry (XEP-0363 §4); anything else is dropped.
bool AllowedHeader(std::string_view name) {
  auto equals = [&](std::string_view allowed) {
    if (name.size() != allowed.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(allowed[i]))) {
        return false;
      }
    }
    return true;
  };
  return equals("Authorization") || equals("Cookie") || equals("Expires");
}

std::string TrimmedLine(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return std::string(value);
}

SlotResult Failure(UploadError error, std::string message) {
  SlotResult result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

SlotResult ParseError(const Element& iq) {
  const std::string condition = ErrorCondition(iq);
  std::string text;
  const Element* error = iq.Child("error");
  if (error != nullptr) {
    if (const Element* t = error->Child("text", ns::kStanzaError)) text = t->text;
  }
  const std::string said = text.empty() ? condition : condition + ": " + text;
  const Element* too_large = error != nullptr ? error->Child("file-too-large", kHttpUploadNs) : nullptr;
  if (too_large != nullptr) {
    SlotResult result = Failure(UploadError::kFileTooLarge, "the upload service refuses the file size (" + said + ")");
    if (const Element* max = too_large->Child("max-file-size", kHttpUploadNs)) result.max_file_size = ParseSize(max->text);
    if (result.max_file_size) result.message += "; the limit is " + std::to_string(*result.max_file_size) + " bytes";
    return result;
  }
  if (condition == "not-acceptable") {
    return Failure(UploadError::kNotAcceptable, "the upload service refuses the file (" + said + ")");
  }
  if (condition == "service-unavailable") {
    return Failure(UploadError::kServiceUnavailable, "the upload service is unavailable (" + said + ")");
  }
  return Failure(UploadError::kRefused, "the upload service refused the slot (" + said + ")");
}

}  // namespace

const char* ToString(UploadError error) {
  switch (error) {
    case UploadError::kNone: return "none";
    case UploadError::kNoService: return "no-upload-service";
    case UploadError::kFileTooLarge: return "file-too-large";
    case UploadError::kNotAcceptable: return "not-acceptable";
    case UploadError::kServiceUnavailable: return "service-unavailable";
    case UploadError::kRefused: return "refused";
    case UploadError::kDisconnected: return "disconnected";
    case UploadError::kMalformedReply: return "malformed-reply";
  }
  return "unknown";
}

std::optional<UploadService> UploadServiceFromInfo(const std::string& jid, const DiscoInfo& info) {
  bool store_file = false;
  for (const DiscoIdentity& identity : info.identities) {
    store_file = store_file || (identity.category == "store" && identity.type == "file");
  }
  bool feature = false;
  for (const std::string& var : info.features) feature = feature || var == kHttpUploadNs;
  if (!store_file || !feature) return std::nullopt;
  UploadService service{jid, std::nullopt};
  for (const DiscoForm& form : info.forms) {
    if (form.form_type != kHttpUploadNs) continue;
    for (const auto& [var, values] : form.fields) {
      if (var == kMaxFileSizeVar && !values.empty()) service.max_file_size = ParseSize(values.front());
    }
  }
  return service;
}

Element BuildSlotRequest(const std::string& service_jid, const UploadRequest& request) {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "get");
  iq.SetAttr("to", service_jid);
  Element& slot_request = iq.AddChild(Element("request", std::string(kHttpUploadNs)));
  slot_request.SetAttr("filename", request.filename);
  slot_request.SetAttr("size", std::to_string(request.size));
  if (!request.content_type.empty()) slot_request.SetAttr("content-type", request.content_type);
  return iq;
}

SlotResult ParseSlotReply(const Element& iq) {
  if (iq.Attr("type") == "error") return ParseError(iq);
  if (iq.Attr("type") != "result") return Failure(UploadError::kMalformedReply, "the slot answer is not an iq result");
  const Element* slot = iq.Child("slot", kHttpUploadNs);
  const Element* put = slot != nullptr ? slot->Child("put", kHttpUploadNs) : nullptr;
  const Element* get = slot != nullptr ? slot->Child("get", kHttpUploadNs) : nullptr;
  if (put == nullptr || get == nullptr) {
    return Failure(UploadError::kMalformedReply, "the slot answer lacks <slot><put/><get/></slot>");
  }
  SlotResult result;
  result.slot.put_url = std::string(put->Attr("url"));
  result.slot.get_url = std::string(get->Attr("url"));
  if (!IsHttpsUrl(result.slot.put_url) || !IsHttpsUrl(result.slot.get_url)) {
    return Failure(UploadError::kMalformedReply, "the slot's put and get URLs must be https");
  }
  for (const Element& header : put->children) {
    if (header.name != "header" || header.xmlns != kHttpUploadNs) continue;
    const std::string name(header.Attr("name"));
    // A line break would let the server smuggle more headers into our PUT.
    if (!AllowedHeader(name) || header.text.find_first_of("\r\n") != std::string::npos) {
      spdlog::warn("http upload: slot header '{}' ignored (not allowed, or not one line)", name);
      continue;
    }
    result.slot.put_headers.emplace_back(name, TrimmedLine(header.text));
  }
  return result;
}

}  // namespace timd::xmpp
