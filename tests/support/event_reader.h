#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"

namespace timd::test {

// Runs one Subscribe stream on a background thread and collects its events.
// Without since_seq a subscription sees only events after the server set it
// up, which a test cannot observe: prefer since_seq = 0 (or a known seq)
// when the test must not miss anything.
class EventReader {
 public:
  using Predicate = std::function<bool(const tim::v1::Event&)>;

  EventReader(std::shared_ptr<grpc::Channel> channel, tim::v1::SubscribeRequest request);
  ~EventReader();  // cancels and joins
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // True as soon as any received event (earlier or later) satisfies `pred`.
  bool WaitFor(const Predicate& pred,
               std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // True once the stream has ended (server closed it, error, or Cancel()).
  bool WaitFinished(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  std::vector<tim::v1::Event> Events() const;
  bool finished() const;
  grpc::Status status() const;  // meaningful once finished()

  // Cancels the stream and joins the thread; idempotent.
  void Cancel();

 private:
  void Run(tim::v1::SubscribeRequest request);

  std::unique_ptr<timd::ApiStubs> stub_;
  grpc::ClientContext ctx_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<tim::v1::Event> events_;
  bool finished_ = false;
  grpc::Status status_;
  std::thread thread_;
};

// Predicates for common waits.
EventReader::Predicate HasTextMessage(const std::string& text);

// Messages inside NewMessages events. One event may batch several messages
// (those stored in one loop turn: an own send and a reply, say), so a test
// looks through all of them, never at the first alone.
using MessageMatch = std::function<bool(const tim::v1::Message&)>;
MessageMatch WithMsgId(const std::string& msg_id);
MessageMatch SentBy(const std::string& sender);
// A NewMessages event holding a message that matches.
EventReader::Predicate HasNewMessage(MessageMatch match);
// Every matching message of the NewMessages events among `events`, in order.
std::vector<tim::v1::Message> NewMessagesMatching(const std::vector<tim::v1::Event>& events,
                                                  const MessageMatch& match);
EventReader::Predicate HasPayload(tim::v1::Event::PayloadCase payload);

}  // namespace timd::test
