// The domain as the API layer sees it: one interface per TIM manager, plus
// the event bus and the durable consumer cursors that tim.v1.Events serves.
// Everything here lives on the loop thread.
#pragma once

#include "domain/conversation_calls.h"
#include "domain/message_calls.h"
#include "domain/session_calls.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"

namespace timd::domain {

struct Services {
  SessionCalls& session;
  MessageCalls& messages;
  ConversationCalls& conversations;
  events::EventBus& bus;
  events::ConsumerCursors& consumers;
};

}  // namespace timd::domain
