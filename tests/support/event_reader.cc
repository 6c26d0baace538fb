#include "support/event_reader.h"

#include <algorithm>

namespace timd::test {

EventReader::EventReader(std::shared_ptr<grpc::Channel> channel, tim::v1::SubscribeRequest request)
    : stub_(std::make_unique<timd::ApiStubs>(std::move(channel))) {
  thread_ = std::thread([this, request = std::move(request)] { Run(request); });
}

EventReader::~EventReader() { Cancel(); }

void EventReader::Run(tim::v1::SubscribeRequest request) {
  auto reader = stub_->events->Subscribe(&ctx_, request);
  tim::v1::Event event;
  while (reader->Read(&event)) {
    std::lock_guard lock(mu_);
    events_.push_back(event);
    cv_.notify_all();
  }
  grpc::Status status = reader->Finish();
  std::lock_guard lock(mu_);
  status_ = status;
  finished_ = true;
  cv_.notify_all();
}

bool EventReader::WaitFor(const Predicate& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  size_t checked = 0;
  return cv_.wait_for(lock, timeout, [&] {
    for (; checked < events_.size(); ++checked) {
      if (pred(events_[checked])) return true;
    }
    return false;
  });
}

bool EventReader::WaitFinished(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return finished_; });
}

std::vector<tim::v1::Event> EventReader::Events() const {
  std::lock_guard lock(mu_);
  return events_;
}

bool EventReader::finished() const {
  std::lock_guard lock(mu_);
  return finished_;
}

grpc::Status EventReader::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void EventReader::Cancel() {
  ctx_.TryCancel();
  if (thread_.joinable()) thread_.join();
}

EventReader::Predicate HasTextMessage(const std::string& text) {
  return [text](const tim::v1::Event& e) {
    if (!e.has_new_messages()) return false;
    const auto& msgs = e.new_messages().messages();
    return std::any_of(msgs.begin(), msgs.end(), [&](const tim::v1::Message& m) {
      return std::any_of(m.elems().begin(), m.elems().end(), [&](const tim::v1::Elem& el) {
        return el.has_text() && el.text().content() == text;
      });
    });
  };
}

MessageMatch WithMsgId(const std::string& msg_id) {
  return [msg_id](const tim::v1::Message& m) { return m.msg_id() == msg_id; };
}

MessageMatch SentBy(const std::string& sender) {
  return [sender](const tim::v1::Message& m) { return m.sender() == sender; };
}

EventReader::Predicate HasNewMessage(MessageMatch match) {
  return [match = std::move(match)](const tim::v1::Event& e) {
    const auto& msgs = e.new_messages().messages();
    return e.has_new_messages() && std::any_of(msgs.begin(), msgs.end(), match);
  };
}

std::vector<tim::v1::Message> NewMessagesMatching(const std::vector<tim::v1::Event>& events,
                                                  const MessageMatch& match) {
  std::vector<tim::v1::Message> out;
  for (const auto& e : events) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (match(m)) out.push_back(m);
    }
  }
  return out;
}

EventReader::Predicate HasPayload(tim::v1::Event::PayloadCase payload) {
  return [payload](const tim::v1::Event& e) { return e.payload_case() == payload; };
}

}  // namespace timd::test
