#include "xmpp/stream_management.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {

StreamManagement::StreamManagement(bool owner_acks, Write write)
    : owner_acks_(owner_acks), write_(std::move(write)) {}

bool StreamManagement::Load(const ResumeState& resume) {
  sent_ = acked_ = base_ = resume.outbound_sent;
  bool contiguous = !resume.sm_id.empty() && resume.outbound_base <= resume.outbound_acked &&
                    resume.outbound_acked <= resume.outbound_sent &&
                    resume.unacked.size() == resume.outbound_sent - resume.outbound_acked;
  for (size_t i = 0; contiguous && i < resume.unacked.size(); ++i) {
    contiguous = resume.unacked[i].seq == resume.outbound_acked + 1 + i;
  }
  if (!contiguous) {
    spdlog::warn("XMPP: ignoring an inconsistent stream resumption state; binding afresh");
    return false;
  }
  resumable_ = true;
  id_ = resume.sm_id;
  inbound_handled_ = resume.inbound_handled;
  acked_ = resume.outbound_acked;
  base_ = resume.outbound_base;
  unacked_.assign(resume.unacked.begin(), resume.unacked.end());
  return true;
}

bool StreamManagement::BeginStream(bool use_sm) {
  enabled_ = false;
  resuming_ = resumable_ && use_sm;
  if (!resuming_) DropSession();
  return resuming_;
}

void StreamManagement::EndSession() { resumable_ = false; }

void StreamManagement::StreamClosed() { enabled_ = false; }

void StreamManagement::DropSession() {
  resumable_ = resuming_ = false;
  id_.clear();
  unacked_.clear();
  acked_ = ack_requested_ = base_ = sent_;
  inbound_handled_ = 0;
}

void StreamManagement::SendEnable() {
  Element enable("enable", std::string(kStreamManagementNs));
  enable.SetAttr("resume", "true");
  write_(enable.Serialize());
}

StreamManagement::EnableReply StreamManagement::OnEnableReply(const Element& element) {
  if (element.xmlns != kStreamManagementNs) return EnableReply::kIgnored;
  if (element.name == "failed") {
    spdlog::info("XMPP: the server refused stream management; acks are emulated with pings");
    return EnableReply::kRefused;
  }
  if (element.name != "enabled") return EnableReply::kIgnored;
  enabled_ = true;
  id_ = std::string(element.Attr("id"));
  resumable_ = (element.Attr("resume") == "true" || element.Attr("resume") == "1") && !id_.empty();
  inbound_handled_ = 0;
  base_ = sent_;
  return EnableReply::kEnabled;
}

void StreamManagement::SendResume() {
  spdlog::info("XMPP: resuming session {} (h={})", id_, inbound_handled_);
  Element resume("resume", std::string(kStreamManagementNs));
  resume.SetAttr("previd", id_);
  resume.SetAttr("h", std::to_string(static_cast<uint32_t>(inbound_handled_)));
  write_(resume.Serialize());
}

StreamManagement::ResumeReply StreamManagement::OnResumeReply(const Element& element) {
  ResumeReply reply;
  if (element.xmlns != kStreamManagementNs) return reply;
  if (element.name == "failed") {
    resuming_ = false;
    reply.kind = ResumeReply::Kind::kRefused;
    reply.condition = DefinedCondition(element, ns::kStanzaError);
    if (element.HasAttr("h")) reply.handled = ServerHandled(element);
    return reply;
  }
  if (element.name != "resumed") return reply;
  std::optional<uint64_t> handled = ServerHandled(element);
  if (!handled.has_value() || *handled < acked_) {
    reply.kind = ResumeReply::Kind::kCounterMismatch;
    return reply;
  }
  resuming_ = false;
  enabled_ = true;
  sent_ = ack_requested_ = *handled;
  for (const UnackedStanza& stanza : unacked_) {
    if (stanza.seq <= *handled) continue;
    write_(stanza.xml);
    ++sent_;
    ++reply.resent;
  }
  reply.kind = ResumeReply::Kind::kResumed;
  reply.handled = handled;
  return reply;
}

uint64_t StreamManagement::Send(std::string xml) {
  write_(xml);
  ++sent_;
  unacked_.push_back(UnackedStanza{sent_, std::move(xml)});
  return sent_;
}

void StreamManagement::CountInbound() {
  if (enabled_) ++inbound_handled_;
}

StreamManagement::Event StreamManagement::OnElement(const Element& element) {
  if (element.xmlns != kStreamManagementNs || !enabled_) return Event::kNone;
  if (element.name == "r") {
    if (!owner_acks_) {
      SendAck();
      return Event::kNone;
    }
    if (server_awaits_ack_) return Event::kNone;  // shares the answer already asked for
    server_awaits_ack_ = true;
    return Event::kAckRequested;
  }
  if (element.name != "a") return Event::kNone;
  std::optional<uint64_t> handled = ServerHandled(element);
  if (!handled.has_value()) return Event::kOverAcked;
  return Acknowledge(*handled) ? Event::kAcked : Event::kNone;
}

bool StreamManagement::Acknowledge(uint64_t handled) {
  if (handled <= acked_) return false;
  acked_ = handled;
  while (!unacked_.empty() && unacked_.front().seq <= handled) unacked_.pop_front();
  return true;
}

bool StreamManagement::MarkAckRequested() {
  if (ack_requested_ == sent_) return false;
  ack_requested_ = sent_;
  return true;
}

void StreamManagement::SendRequest() {
  if (enabled_) write_("<r xmlns='urn:xmpp:sm:3'/>");
}

void StreamManagement::SendAck() {
  if (!enabled_) return;
  write_("<a xmlns='urn:xmpp:sm:3' h='" + std::to_string(static_cast<uint32_t>(inbound_handled_)) + "'/>");
}

void StreamManagement::Ack() {
  if (!server_awaits_ack_) return;
  server_awaits_ack_ = false;
  SendAck();
}

void StreamManagement::ForgetRequest() { server_awaits_ack_ = false; }

std::optional<ResumeState> StreamManagement::Snapshot(const Jid& jid) const {
  if (!resumable_) return std::nullopt;
  ResumeState resume;
  resume.sm_id = id_;
  resume.jid = jid;
  resume.inbound_handled = inbound_handled_;
  resume.outbound_sent = sent_;
  resume.outbound_acked = acked_;
  resume.outbound_base = base_;
  resume.unacked.assign(unacked_.begin(), unacked_.end());
  return resume;
}

// Turns the server's h (modulo 2^32, counted from base_) into an outbound
// sequence number; nothing when h is not a number below 2^32 or
// acknowledges more than was sent. An h below an earlier one comes back as
// is: Acknowledge ignores it, a resume refuses it.
std::optional<uint64_t> StreamManagement::ServerHandled(const Element& element) const {
  uint32_t h = 0;
  try {
    unsigned long long value = std::stoull(std::string(element.Attr("h")));
    if (value > UINT32_MAX) return std::nullopt;
    h = static_cast<uint32_t>(value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  uint64_t count = sent_ - base_;
  uint64_t outstanding = static_cast<uint32_t>(static_cast<uint32_t>(count) - h);
  if (outstanding > count) return std::nullopt;
  return sent_ - outstanding;
}

}  // namespace timd::xmpp
