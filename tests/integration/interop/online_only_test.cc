// Online-only messages (message_is_online_msg) on a real Prosody, with
// python3-slixmpp (mam_peer.py) reading what the server kept: timd sends
// XEP-0334 no-store hints, a timd peer reads the message as online-only and
// does not count it as unread, the sender cannot revoke it, and Prosody's
// archive (MAM) never returns it. It goes as a headline, so Prosody's
// offline storage keeps nothing for a peer that is offline: nothing comes
// at its next login (a normal message does).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "integration/alice_bob_fixture.h"
#include "integration/interop/json_line_peer.h"
#include "support/event_reader.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/requests.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

tim::v1::SendMessageRequest OnlineOnly(const std::string& peer, const std::string& text) {
  auto request = TextTo(peer, text, text);
  request.set_is_online_msg(true);
  return request;
}

grpc::Status Send(const TimdProcess& timd, const tim::v1::SendMessageRequest& request,
                  tim::v1::SendMessageResponse* response) {
  return SendWithin(*timd.Stubs(), request, response);
}

// What mam_peer.py logged in as `user` received and found in its archive
// of the conversation with alice.
struct ServerView {
  std::vector<json> received;
  std::vector<std::string> archived;
};

ServerView ViewOf(const ProsodyServer& prosody, const std::string& user) {
  JsonLinePeer peer("mam_peer.py", prosody, user, user + "-pw",
                    {"--with", std::string("alice@") + ProsodyServer::kDomain});
  ServerView view;
  const std::string archived = peer.WaitForLine("\"archived\"");
  EXPECT_FALSE(archived.empty()) << peer.output();
  if (archived.empty()) return view;
  view.archived = json::parse(archived)["archived"].get<std::vector<std::string>>();
  std::istringstream lines(peer.output());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"received\"") != std::string::npos) view.received.push_back(json::parse(line));
  }
  return view;
}

bool Contains(const std::vector<std::string>& all, const std::string& one) {
  return std::find(all.begin(), all.end(), one) != all.end();
}

class OnlineOnlyTest : public AliceBobFixture {};

TEST_F(OnlineOnlyTest, NeitherUnreadNorRevocableNorArchived) {
  EventReader bob_events(bob_.Channel(), FromStart());
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(Send(alice_, TextTo("bob", "kept live", "kept-live"), &sent).ok()) << alice_.log();
  ASSERT_TRUE(Send(alice_, OnlineOnly("bob", "online live"), &sent).ok()) << alice_.log();
  EXPECT_TRUE(sent.message().is_online_msg());
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("online live"))) << bob_.log();
  for (const auto& m : History(bob_, "alice")) {
    EXPECT_EQ(m.is_online_msg(), TextOf(m) == "online live") << TextOf(m);
  }
  EXPECT_EQ(UnreadWith(bob_, "alice"), 1u) << "only the stored message counts";

  tim::v1::RevokeMessageResponse revoked;
  const grpc::Status refused = Revoke(alice_, "bob", "online live", &revoked);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(TimCodeOf(refused), 7014) << refused.error_message();
  EXPECT_NE(refused.error_message().find("online-only"), std::string::npos) << refused.error_message();

  // carol is offline: the server keeps the normal message only.
  ASSERT_TRUE(Send(alice_, TextTo("carol", "kept offline", "kept-offline"), &sent).ok()) << alice_.log();
  ASSERT_TRUE(Send(alice_, OnlineOnly("carol", "online offline"), &sent).ok()) << alice_.log();

  const ServerView bob_view = ViewOf(prosody_, "bob");
  EXPECT_TRUE(Contains(bob_view.archived, "kept live"));
  EXPECT_FALSE(Contains(bob_view.archived, "online live")) << "MAM must not return an online-only message";

  const ServerView carol_view = ViewOf(prosody_, "carol");
  EXPECT_TRUE(Contains(carol_view.archived, "kept offline"));
  EXPECT_FALSE(Contains(carol_view.archived, "online offline")) << "MAM must not return an online-only message";
  std::vector<std::string> delivered;
  for (const auto& r : carol_view.received) delivered.push_back(r["received"]);
  EXPECT_TRUE(Contains(delivered, "kept offline")) << "offline storage works";
  EXPECT_FALSE(Contains(delivered, "online offline")) << "the server must not store an online-only message";
}

TEST_F(OnlineOnlyTest, NotQueuedWhileDisconnected) {
  EventReader alice_events(alice_.Channel(), FromStart());
  prosody_.Stop();
  ASSERT_TRUE(alice_events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && (e.network_status().status() == tim::v1::NET_DISCONNECTED ||
                                      e.network_status().status() == tim::v1::NET_CONNECTING ||
                                      e.network_status().status() == tim::v1::NET_CONNECT_FAILED);
  }, 20s)) << alice_.log();
  tim::v1::SendMessageResponse sent;
  const grpc::Status refused = Send(alice_, OnlineOnly("bob", "too late"), &sent);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_EQ(TimCodeOf(refused), 9508) << refused.error_message();
  EXPECT_TRUE(History(alice_, "bob").empty()) << "nothing stored, nothing queued";
}

}  // namespace
}  // namespace timd::test
