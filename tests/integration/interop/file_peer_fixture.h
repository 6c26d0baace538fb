// For the interop tests of files between timd and a python3-slixmpp peer:
// Prosody with http_file_share (files up to 4 MB), alice's timd logged in,
// and carol as one of this directory's peer scripts (given the upload
// service's JID with --upload-jid), ready; `events` reads alice's events
// from the start.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "integration/interop/json_line_peer.h"
#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/requests.h"
#include "support/upload_session.h"

namespace timd::test {

class SlixmppFilePeerTest : public ::testing::Test {
 protected:
  void StartWithCarolAs(const std::string& script) {
    prosody_.EnableHttpUpload(4 * 1024 * 1024);
    prosody_.Start();
    prosody_.AddUser("carol", "carol-secret");
    ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody_, alice_, "alice"));
    carol_ = std::make_unique<JsonLinePeer>(script, prosody_, "carol", "carol-secret",
                                            std::vector<std::string>{"--upload-jid", prosody_.upload_jid()});
    ASSERT_FALSE(carol_->WaitForLine("\"ready\"").empty()) << carol_->output();
    events_ = std::make_unique<EventReader>(alice_.Channel(), FromStart());
  }

  // The last message from carol alice has received, once one came.
  tim::v1::Message CarolsMessage() {
    EXPECT_TRUE(events_->WaitFor(HasNewMessage(SentBy("carol")), std::chrono::seconds(20))) << alice_.log();
    const auto messages = NewMessagesMatching(events_->Events(), SentBy("carol"));
    return messages.empty() ? tim::v1::Message() : messages.back();
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  std::unique_ptr<JsonLinePeer> carol_;
  std::unique_ptr<EventReader> events_;
  TempDir files_;
};

}  // namespace timd::test
