#include "xmpp/chat.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>

#include "xmpp/hints.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kMarkersNs = "urn:xmpp:chat-markers:0";

// Reads exactly `digits` decimal digits at `pos`.
bool ReadNumber(std::string_view s, size_t& pos, size_t digits, int& value) {
  if (pos + digits > s.size()) return false;
  value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

Element BuildChatMessage(const OutgoingChat& message) {
  Element stanza("message", std::string(ns::kClient));
  // Online-only goes as a headline: servers deliver it to the peer's
  // online sessions only and never store it (Prosody's mod_offline keeps
  // chat messages despite the no-store hints; headlines it discards).
  stanza.SetAttr("type", message.no_store ? "headline" : "chat");
  stanza.SetAttr("to", message.to);
  stanza.SetAttr("id", message.id);
  stanza.AddTextChild("body", std::string(ns::kClient), message.body);
  stanza.AddChild(Element("origin-id", std::string(ns::kSid))).SetAttr("id", message.id);
  if (!message.payload.empty()) stanza.AddTextChild("tim", std::string(kTimdPayloadNs), message.payload);
  AddSharedFiles(stanza, message.files);
  if (message.location) AddGeoLocation(stanza, *message.location);
  stanza.AddChild(Element("markable", std::string(kMarkersNs)));
  stanza.AddChild(Element("request", "urn:xmpp:receipts"));  // XEP-0184
  if (message.no_store) {
    AddNoStoreHints(stanza);
  } else {
    stanza.AddChild(Element("store", std::string(ns::kHints)));
  }
  return stanza;
}

std::optional<IncomingChat> ParseChatMessage(const Element& stanza, const std::string& own_bare_jid) {
  if (stanza.name != "message" || (stanza.xmlns != ns::kClient && !stanza.xmlns.empty())) return std::nullopt;
  std::string type(stanza.Attr("type"));
  if (type.empty()) type = "normal";
  // A headline is a message here only as an online-only one (the hints).
  if (type == "headline" && !HasNoStoreHint(stanza)) return std::nullopt;
  if (type != "chat" && type != "normal" && type != "headline") return std::nullopt;
  const Element* body = stanza.Child("body", stanza.xmlns);
  std::optional<GeoLocation> location = ParseGeoLocation(stanza);
  if (body == nullptr && !location) return std::nullopt;

  IncomingChat chat;
  chat.from = stanza.Attr("from");
  chat.to = stanza.Attr("to");
  chat.type = std::move(type);
  chat.id = stanza.Attr("id");
  if (body != nullptr) chat.body = body->text;
  chat.location = std::move(location);
  chat.no_store = HasNoStoreHint(stanza);
  chat.stanza_id = OwnStanzaId(stanza, own_bare_jid);
  chat.delay_ms = EarliestDelayMs(stanza);
  chat.files = ParseSharedFiles(stanza);
  for (const Element& child : stanza.children) {
    if (child.xmlns == ns::kSid && child.name == "origin-id" && chat.origin_id.empty()) {
      chat.origin_id = child.Attr("id");
    } else if (child.xmlns == kTimdPayloadNs && child.name == "tim" && chat.payload.empty()) {
      chat.payload = child.text;
    } else if (child.xmlns == kMarkersNs && child.name == "markable") {
      chat.markable = true;
    }
  }
  return chat;
}

std::optional<BouncedChat> ParseBouncedChat(const Element& stanza) {
  if (stanza.name != "message" || stanza.Attr("type") != "error" || stanza.Attr("id").empty()) return std::nullopt;
  BouncedChat bounce;
  bounce.from = stanza.Attr("from");
  bounce.id = stanza.Attr("id");
  bounce.condition = "undefined-condition";
  const Element* error = stanza.Child("error");
  if (error == nullptr) return bounce;
  for (const Element& child : error->children) {
    if (child.xmlns != ns::kStanzaError) continue;
    if (child.name == "text") {
      bounce.text = child.text;
    } else {
      bounce.condition = child.name;
    }
  }
  return bounce;
}

std::optional<int64_t> ParseXmppTimestamp(std::string_view stamp) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadNumber(stamp, pos, 4, year) || !Expect(stamp, pos, '-') || !ReadNumber(stamp, pos, 2, month) ||
      !Expect(stamp, pos, '-') || !ReadNumber(stamp, pos, 2, day) || !Expect(stamp, pos, 'T') ||
      !ReadNumber(stamp, pos, 2, hour) || !Expect(stamp, pos, ':') || !ReadNumber(stamp, pos, 2, minute) ||
      !Expect(stamp, pos, ':') || !ReadNumber(stamp, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 60) {  // 60: leap second
    return std::nullopt;
  }
  int64_t millis = 0;
  if (pos < stamp.size() && stamp[pos] == '.') {
    ++pos;
    size_t digits = 0;
    int64_t scale = 100;
    while (pos < stamp.size() && std::isdigit(static_cast<unsigned char>(stamp[pos]))) {
      millis += (stamp[pos] - '0') * scale;  // digits past milliseconds are truncated
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < stamp.size() && (stamp[pos] == '+' || stamp[pos] == '-')) {
    int sign = stamp[pos] == '-' ? -1 : 1;
    ++pos;
    int off_hour, off_minute;
    if (!ReadNumber(stamp, pos, 2, off_hour) || !Expect(stamp, pos, ':') ||
        !ReadNumber(stamp, pos, 2, off_minute) || off_hour > 23 || off_minute > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (off_hour * 60 + off_minute);
  } else if (!Expect(stamp, pos, 'Z')) {
    return std::nullopt;
  }
  if (pos != stamp.size()) return std::nullopt;
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                    offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string FormatXmppTimestamp(int64_t unix_ms) {
  const time_t seconds = static_cast<time_t>(unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

ChatManager::ChatManager(Client& client, Listener listener, BounceListener on_bounce)
    : client_(client), listener_(std::move(listener)), on_bounce_(std::move(on_bounce)) {}

uint64_t ChatManager::Send(const OutgoingChat& message) {
  return client_.Send(BuildChatMessage(message));
}

bool ChatManager::HandleStanza(const Element& stanza) {
  if (stanza.name != "message") return false;
  if (on_bounce_) {
    if (std::optional<BouncedChat> bounce = ParseBouncedChat(stanza)) {
      on_bounce_(*bounce);
      return true;
    }
  }
  const std::string own = client_.bound_jid().Bare();
  if (payloads_ != nullptr && payloads_->Offer(stanza, ContextOf(stanza, MessageSource::kLive, own))) return true;
  std::optional<IncomingChat> chat = ParseChatMessage(stanza, own);
  if (!chat) return false;
  if (listener_) listener_(*chat);
  return true;
}

}  // namespace timd::xmpp
