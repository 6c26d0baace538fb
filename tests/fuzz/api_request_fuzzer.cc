// Fuzz target: API requests as an app sends them, run through the daemon's
// validation and handling on a real store (DomainHarness).
//
// Input: the first byte picks the request type (its low 3 bits, modulo 5)
// and how the rest makes the request: with bit 3 clear the rest is the
// serialized request (what gRPC hands the service); with bit 3 set its
// fields are read from the rest (FuzzedDataProvider), so that mutations
// reach the texts directly, and the request then makes the same trip
// through the wire format (where, as in gRPC, a string that is not UTF-8
// fails it).
//   0 SendMessageRequest -> Messaging::Send (offline: into the outbox)
//   1 GetMessagesRequest -> MessageHistory::GetMessages
//   2 LoginRequest       -> UserIds::ToJid (what Login checks first)
//   3 SubscribeRequest   -> consumer name check, ConsumerCursors::StartFor, EventBus::Subscribe
//   4 AckEventsRequest   -> ConsumerCursors::Ack
// Checked besides the sanitizers: a refusal carries an error code and a
// message; a message accepted into the outbox becomes a stanza that
// travels in XML with its body, address and id intact; a user ID's
// canonical form maps back to itself.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "fuzz/domain_harness.h"
#include "fuzz/parse_stream.h"
#include "tim/v1/events.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/session.pb.h"
#include "xmpp/chat.h"

namespace {

using timd::Code;
using timd::Result;
using timd::Status;
using timd::fuzz::DomainHarness;
using timd::xmpp::Element;

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "api_request_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// `tim_code_expected`: false where the daemon answers OUT_OF_RANGE with TIM code 0 on purpose.
void CheckRefusal(const Status& status, bool tim_code_expected = true) {
  if (status.ok()) return;
  if (status.message().empty()) Fail("a refusal without a message", std::to_string(static_cast<int>(status.code())));
  if (tim_code_expected && status.tim_code() == 0) Fail("a refusal without a TIM code", status.message());
}

// What goes on the wire for an outbox row must parse back as the same message.
void CheckTravelsInXml(const timd::store::MessageRecord& record) {
  const std::string xml = timd::xmpp::BuildChatMessage({record.conv_id, record.msg_id, record.body}).Serialize();
  timd::fuzz::ParsedStream parsed = timd::fuzz::ParseInClientStream(xml);
  if (!parsed.error.empty()) Fail("an accepted message makes a stanza that breaks the stream", parsed.error + "\n" + xml);
  const Element* body = parsed.stanzas.size() == 1 ? parsed.stanzas[0].Child("body") : nullptr;
  if (body == nullptr || body->text != record.body || parsed.stanzas[0].Attr("to") != record.conv_id ||
      parsed.stanzas[0].Attr("id") != record.msg_id) {
    Fail("an accepted message changes on the wire", xml);
  }
}

void SendMessage(const tim::v1::SendMessageRequest& request) {
  DomainHarness& harness = DomainHarness::Get();
  // An outcome may come later, once its row is committed (in Turn()).
  auto answered = std::make_shared<bool>(false);
  harness.messaging().Send(request, nullptr, [answered](Result<tim::v1::SendMessageResponse> result) {
    *answered = true;
    CheckRefusal(result.status());
  });
  if (*answered) return;  // refused
  for (const auto& record : harness.store().ListSending()) CheckTravelsInXml(record);
  // Nothing is ever sent here: empty the outbox for the next input.
  harness.messaging().FailPending(Status(Code::kUnavailable, timd::tim_err::kNetDisconnect, "not sent"));
}

void GetMessages(const tim::v1::GetMessagesRequest& request) {
  auto result = DomainHarness::Get().history().GetMessages(request);
  CheckRefusal(result.status());
  if (result.ok() && result.value().messages_size() > 500) Fail("GetMessages exceeds its page cap", "");
}

void Login(const tim::v1::LoginRequest& request) {
  const auto& ids = DomainHarness::Get().ids();
  auto jid = ids.ToJid(request.user_id());
  CheckRefusal(jid.status());
  if (!jid.ok()) return;
  auto again = ids.ToJid(ids.ToUserId(jid.value()));
  if (!again.ok() || again.value() != jid.value()) Fail("a canonical user ID does not map back", jid.value());
}

void Subscribe(const tim::v1::SubscribeRequest& request) {
  DomainHarness& harness = DomainHarness::Get();
  if (!request.consumer().empty() && !timd::events::ConsumerCursors::ValidName(request.consumer())) return;
  std::optional<uint64_t> since;
  if (request.has_since_seq()) since = request.since_seq();
  if (!request.consumer().empty() && !since) {
    auto start = harness.consumers().StartFor(request.consumer());
    CheckRefusal(start.status());
    if (!start.ok()) return;
    since = start.value();
  }
  timd::events::SubscriptionFilter filter;
  for (int kind : request.kinds()) filter.kinds.insert(kind);
  filter.min_log_level = request.min_log_level() == tim::v1::LOG_OFF ? tim::v1::LOG_INFO : request.min_log_level();
  auto sub = harness.bus().Subscribe(since, filter);
  CheckRefusal(sub.status(), /*tim_code_expected=*/false);
  harness.Turn();
  if (sub.ok()) {
    while (sub.value()->Pop()) {
    }
    sub.value()->Cancel();
  }
}

void AckEvents(const tim::v1::AckEventsRequest& request) {
  DomainHarness& harness = DomainHarness::Get();
  bool answered = false;
  harness.consumers().Ack(request.consumer(), request.seq(), [&](Result<uint64_t> stored) {
    answered = true;
    CheckRefusal(stored.status());
  });
  harness.Turn();
  if (!answered) Fail("AckEvents never answered", request.consumer());
}

// Field builders for the FuzzedDataProvider form.
void Fill(FuzzedDataProvider& in, tim::v1::SendMessageRequest& r) {
  r.set_conv_id(in.ConsumeRandomLengthString(80));
  r.set_conv_type(static_cast<tim::v1::ConvType>(in.ConsumeIntegralInRange(0, 3)));
  r.set_client_msg_id(in.ConsumeRandomLengthString(120));
  for (int n = in.ConsumeIntegralInRange(0, 4); n > 0; --n) {
    tim::v1::Elem& elem = *r.add_elems();
    elem.set_type(static_cast<tim::v1::ElemType>(in.ConsumeIntegralInRange(0, 12)));
    if (in.ConsumeBool()) {
      elem.mutable_text()->set_content(in.ConsumeRandomLengthString(1000));
    } else {
      elem.mutable_custom()->set_data(in.ConsumeRandomLengthString(100));
    }
  }
}
void Fill(FuzzedDataProvider& in, tim::v1::GetMessagesRequest& r) {
  r.set_conv_id(in.ConsumeRandomLengthString(80));
  r.set_conv_type(static_cast<tim::v1::ConvType>(in.ConsumeIntegralInRange(0, 3)));
  r.set_count(in.ConsumeIntegral<uint32_t>());
  r.set_before_seq(in.ConsumeIntegral<uint64_t>());
}
void Fill(FuzzedDataProvider& in, tim::v1::LoginRequest& r) {
  r.set_user_id(in.ConsumeRandomLengthString(80));
  r.set_user_sig(in.ConsumeRandomLengthString(80));
}
void Fill(FuzzedDataProvider& in, tim::v1::SubscribeRequest& r) {
  if (in.ConsumeBool()) r.set_since_seq(in.ConsumeIntegral<uint64_t>());
  for (int n = in.ConsumeIntegralInRange(0, 3); n > 0; --n) r.add_kinds(static_cast<tim::v1::EventKind>(in.ConsumeIntegralInRange(-1, 16)));
  r.set_min_log_level(static_cast<tim::v1::LogLevel>(in.ConsumeIntegralInRange(0, 7)));
  r.set_consumer(in.ConsumeRandomLengthString(80));
}
void Fill(FuzzedDataProvider& in, tim::v1::AckEventsRequest& r) {
  r.set_consumer(in.ConsumeRandomLengthString(80));
  r.set_seq(in.ConsumeIntegralInRange<uint64_t>(0, 100));
}

template <typename Request>
std::optional<Request> MakeRequest(bool built, const uint8_t* data, size_t size) {
  std::string wire(reinterpret_cast<const char*>(data), size);
  if (built) {
    FuzzedDataProvider in(data, size);
    Request fields;
    Fill(in, fields);
    wire = fields.SerializeAsString();
  }
  Request request;
  if (!request.ParseFromString(wire)) return std::nullopt;  // gRPC refuses it before the service
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool built = (data[0] & 8) != 0;
  const uint8_t* rest = data + 1;
  const size_t rest_size = size - 1;
  switch ((data[0] & 7) % 5) {
    case 0:
      if (auto r = MakeRequest<tim::v1::SendMessageRequest>(built, rest, rest_size)) SendMessage(*r);
      break;
    case 1:
      if (auto r = MakeRequest<tim::v1::GetMessagesRequest>(built, rest, rest_size)) GetMessages(*r);
      break;
    case 2:
      if (auto r = MakeRequest<tim::v1::LoginRequest>(built, rest, rest_size)) Login(*r);
      break;
    case 3:
      if (auto r = MakeRequest<tim::v1::SubscribeRequest>(built, rest, rest_size)) Subscribe(*r);
      break;
    default:
      if (auto r = MakeRequest<tim::v1::AckEventsRequest>(built, rest, rest_size)) AckEvents(*r);
      break;
  }
  DomainHarness::Get().Turn();
  return 0;
}
