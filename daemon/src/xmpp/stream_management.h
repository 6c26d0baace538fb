// Stream management (XEP-0198) for one client stream: numbers outbound
// stanzas and keeps them until the server acknowledges them, counts inbound
// stanzas, negotiates <enable/>, answers and sends <r/>/<a/>, and resumes a
// dropped session (<resume/>, then <resumed/> or <failed/>).
//
// It writes its own elements through `write` and tells the owner (the
// stream core, xmpp::Client) what happened through return values; it never
// calls back into the owner, so the owner alone decides which callbacks to
// run and checks that it still exists afterwards. Without SM the outbound
// numbering and queue still work: the owner acknowledges by other means.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/jid.h"

namespace timd::xmpp {

inline constexpr std::string_view kStreamManagementNs = "urn:xmpp:sm:3";

// An outbound stanza the server has not acknowledged yet, with the sequence
// number Client::Send returned for it.
struct UnackedStanza {
  uint64_t seq = 0;
  std::string xml;  // serialized stanza, resent verbatim after a resume
};

// What a new Client needs to resume a dropped XEP-0198 session instead of
// binding afresh. Taken from Client::resume_state() of the old client.
struct ResumeState {
  std::string sm_id;             // the server's <enabled id=.../>
  Jid jid;                       // full JID of the session
  uint64_t inbound_handled = 0;  // h we report: inbound stanzas handled so far
  uint64_t outbound_sent = 0;    // last sequence number Send returned
  uint64_t outbound_acked = 0;   // highest sequence number the server acknowledged
  // Sequence number just before the SM session's first stanza: the server's
  // h counts from here (non-zero after a failed resume and a fresh session).
  uint64_t outbound_base = 0;
  std::vector<UnackedStanza> unacked;  // seq outbound_acked+1 .. outbound_sent, in order
};

class StreamManagement {
 public:
  using Write = std::function<void(std::string xml)>;

  // `owner_acks`: the owner answers the server's <r/> itself, by calling
  // Ack() once everything handed out is safe (Client::Callbacks::on_ack_requested).
  StreamManagement(bool owner_acks, Write write);

  // Adopts a previous stream's session. Returns false, binding afresh, when
  // the state is inconsistent; sequence numbers go on from it either way.
  bool Load(const ResumeState& resume);

  // A new stream begins. Returns true when it should resume the session
  // (one exists and `use_sm`); otherwise the session is forgotten.
  bool BeginStream(bool use_sm);
  // The server ends the session with the stream (a closing handshake, a
  // stream error): nothing to resume later.
  void EndSession();
  // The transport is gone: SM is off until the next stream enables it.
  void StreamClosed();

  // --- negotiation ---
  void SendEnable();
  enum class EnableReply { kIgnored, kEnabled, kRefused };
  EnableReply OnEnableReply(const Element& element);

  void SendResume();
  struct ResumeReply {
    enum class Kind { kIgnored, kResumed, kRefused, kCounterMismatch };
    Kind kind = Kind::kIgnored;
    // kResumed: the last sequence number the server handled. kRefused: the
    // same when <failed/> carried a valid h (XEP-0198 1.6), else nothing.
    std::optional<uint64_t> handled;
    size_t resent = 0;      // kResumed: unacknowledged stanzas written again, in order
    std::string condition;  // kRefused: e.g. "item-not-found"
  };
  // On <resumed/> SM is on again and what the server missed is resent,
  // each stanza with its old number.
  ResumeReply OnResumeReply(const Element& element);
  // The resume is over without success: forget the session, keep numbering.
  void DropSession();

  // --- online ---
  // Writes a stanza and returns its sequence number (1, 2, ...).
  uint64_t Send(std::string xml);
  // Counts an inbound stanza (only while SM is on).
  void CountInbound();

  enum class Event { kNone, kAcked, kAckRequested, kOverAcked };
  // An element in kStreamManagementNs while online. kAcked: acked() moved
  // on. kAckRequested: the owner should call Ack() (owner_acks only).
  // kOverAcked: the server acknowledged more than was sent, a protocol error.
  Event OnElement(const Element& element);
  // Outbound stanzas up to `handled` are acknowledged (by <a/> or by other
  // means). Returns true when that is news.
  bool Acknowledge(uint64_t handled);

  // Marks everything sent so far as asked about; false when nothing was
  // sent since the last request.
  bool MarkAckRequested();
  // <r/>; only while SM is on.
  void SendRequest();
  // <a h/> with everything handled so far; only while SM is on.
  void SendAck();
  // Answers the server's pending <r/> on the owner's behalf (owner_acks).
  void Ack();
  // Pending <r/>s die with their stream: a new stream asks again.
  void ForgetRequest();

  bool enabled() const { return enabled_; }
  bool resuming() const { return resuming_; }
  bool resumable() const { return resumable_; }
  uint64_t sent() const { return sent_; }
  uint64_t acked() const { return acked_; }
  // The session as it stands, bound as `jid`; nothing when not resumable.
  std::optional<ResumeState> Snapshot(const Jid& jid) const;

 private:
  std::optional<uint64_t> ServerHandled(const Element& element) const;

  const bool owner_acks_;
  Write write_;
  bool enabled_ = false;
  bool resumable_ = false;      // a session exists that a later stream may resume
  bool resuming_ = false;       // this stream sends <resume/> instead of binding
  bool server_awaits_ack_ = false;  // the server's <r/> waits for Ack()
  std::string id_;
  uint64_t inbound_handled_ = 0;  // h we report (sent modulo 2^32)
  uint64_t sent_ = 0;             // last outbound sequence number
  uint64_t base_ = 0;             // `sent_` when the SM session began: the server's h counts from here
  uint64_t ack_requested_ = 0;    // `sent_` when we last asked for an ack
  uint64_t acked_ = 0;
  std::deque<UnackedStanza> unacked_;  // seq acked_+1 .. sent_
};

}  // namespace timd::xmpp
