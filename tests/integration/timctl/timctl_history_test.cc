// timctl history (both directions), find, find-locator, search,
// set-local-data, delete, clear-history, save and batch-send against a
// real Prosody and timd: their --json output, what the store holds after them, and a
// refusal's exit code 3 with its TIM code.
#include <gtest/gtest.h>

#include "alice_timd_fixture.h"

namespace timd::test {
namespace {

class TimctlHistoryTest : public AliceTimdFixture {
 protected:
  void SetUp() override {
    AliceTimdFixture::SetUp();
    if (HasFatalFailure()) return;
    for (const char* id : {"h-1", "h-2", "h-3"}) {
      auto sent = Timctl({"send", "bob", std::string("text ") + id, "--id", id});
      ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << timd_.log();
    }
  }

  // The msg_ids of `command`'s --json "messages", in order.
  std::vector<std::string> Ids(std::vector<std::string> command) {
    command.push_back("--json");
    auto result = Timctl(command);
    EXPECT_EQ(result.exit_code, 0) << result.Describe();
    std::vector<std::string> ids;
    if (result.exit_code != 0) return ids;
    const auto lines = result.JsonLines();  // the loop below must not outlive it
    if (!lines.at(0).contains("messages")) return ids;  // proto JSON leaves an empty list out
    for (const auto& m : lines.at(0)["messages"]) ids.push_back(m["msg_id"]);
    return ids;
  }
};

using IdList = std::vector<std::string>;

TEST_F(TimctlHistoryTest, PagesFindsAndKeepsLocalData) {
  EXPECT_EQ(Ids({"history", "bob", "--count", "2"}), (IdList{"h-3", "h-2"}));
  EXPECT_EQ(Ids({"history", "bob", "--forward", "--count", "2"}), (IdList{"h-1", "h-2"}));
  auto page = Timctl({"history", "bob", "--forward", "--count", "2"});
  EXPECT_NE(page.out.find("(newer messages: --forward --after "), std::string::npos) << page.out;

  EXPECT_EQ(Ids({"find", "h-2", "nothing-here", "h-1"}), (IdList{"h-2", "h-1"}));
  auto found = Timctl({"find", "h-2", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.Describe();
  const std::string seq = found.JsonLines().at(0)["messages"][0]["seq"];
  EXPECT_EQ(Ids({"find-locator", "bob", "--seq", seq}), (IdList{"h-2"}));

  auto search = Timctl({"search", "TEXT H-3", "--peer", "bob", "--json"});
  ASSERT_EQ(search.exit_code, 0) << search.Describe();
  EXPECT_EQ(search.JsonLines().at(0)["total_count"], 1) << search.out;
  EXPECT_EQ(search.JsonLines().at(0)["items"][0]["messages"][0]["msg_id"], "h-3") << search.out;
  auto search_all = Timctl({"search", "h-1", "h-2"});
  ASSERT_EQ(search_all.exit_code, 0) << search_all.Describe();
  EXPECT_EQ(search_all.out, "1 found\nbob: 2 message(s)\n");

  auto data = Timctl({"set-local-data", "h-1", "--int", "7", "--str", "pinned", "--json"});
  ASSERT_EQ(data.exit_code, 0) << data.Describe();
  EXPECT_EQ(data.JsonLines().at(0)["message"]["custom_str"], "pinned");
  auto again = Timctl({"find", "h-1", "--json"});
  EXPECT_EQ(again.JsonLines().at(0)["messages"][0]["custom_int"], 7) << again.out;
}

TEST_F(TimctlHistoryTest, DeletesAndClearsLocally) {
  auto unknown = Timctl({"delete", "bob", "h-1", "no-such-message", "--json"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorJson()["tim_code"], 7011) << unknown.err;
  EXPECT_EQ(Ids({"history", "bob"}), (IdList{"h-3", "h-2", "h-1"}));

  auto deleted = Timctl({"delete", "bob", "h-2"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.Describe();
  EXPECT_EQ(deleted.out, "deleted\n");
  EXPECT_EQ(Ids({"history", "bob"}), (IdList{"h-3", "h-1"}));

  auto cleared = Timctl({"clear-history", "bob"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.Describe();
  EXPECT_EQ(cleared.out, "cleared\n");
  EXPECT_EQ(Ids({"history", "bob"}), IdList{});
  EXPECT_EQ(Ids({"find", "h-3"}), IdList{});
}

TEST_F(TimctlHistoryTest, SavesAndBatchSends) {
  auto saved = Timctl({"save", "bob", "kept here", "--id", "s-1", "--from-peer", "--json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.Describe();
  const auto message = saved.JsonLines().at(0)["messages"][0];
  EXPECT_EQ(message["status"], "MSG_LOCAL_IMPORTED") << saved.out;
  EXPECT_EQ(message["sender"], "bob");
  EXPECT_EQ(Ids({"history", "bob", "--count", "1"}), (IdList{"s-1"}));
  auto again = Timctl({"save", "bob", "kept twice", "--id", "s-1", "--json"});
  EXPECT_EQ(again.exit_code, 3) << again.Describe();
  EXPECT_EQ(again.ErrorJson()["tim_code"], 6017) << again.err;

  auto batch = Timctl({"batch-send", "bob", "not a user", "--text", "hello all"});
  ASSERT_EQ(batch.exit_code, 0) << batch.Describe();
  EXPECT_EQ(batch.out.rfind("bob: sent ", 0), 0u) << batch.out;
  EXPECT_NE(batch.out.find("\nnot a user: failed 7003 "), std::string::npos) << batch.out;
  const std::string sent_id = batch.out.substr(10, batch.out.find('\n') - 10);
  EXPECT_EQ(Ids({"history", "bob", "--count", "1"}), IdList{sent_id});
}

TEST_F(TimctlHistoryTest, RambleAndTypeFilters) {
  auto card = Timctl({"send", "bob", "--message-json",
                      R"({"message_elem_array":[{"elem_type":3,"custom_elem_data":"{}","custom_elem_desc":"a card"}]})",
                      "--id", "c-1"});
  ASSERT_EQ(card.exit_code, 0) << card.Describe();
  EXPECT_EQ(Ids({"history", "bob", "--type", "custom"}), (IdList{"c-1"}));
  EXPECT_EQ(Ids({"history", "bob", "--type", "text", "--count", "2"}), (IdList{"h-3", "h-2"}));
  // alice's own archive holds what her store holds: the same page, no copies.
  EXPECT_EQ(Ids({"history", "bob", "--ramble", "--count", "10"}), (IdList{"c-1", "h-3", "h-2", "h-1"}));
  EXPECT_EQ(Ids({"history", "bob", "--ramble", "--count", "10"}), (IdList{"c-1", "h-3", "h-2", "h-1"}));
  EXPECT_EQ(Ids({"history", "bob", "--ramble", "--forward", "--count", "10"}), (IdList{"h-1", "h-2", "h-3", "c-1"}));

  auto by_type = Timctl({"search", "--type", "custom", "--peer", "bob", "--json"});
  ASSERT_EQ(by_type.exit_code, 0) << by_type.Describe();
  EXPECT_EQ(by_type.JsonLines().at(0)["total_count"], 1) << by_type.out;
  EXPECT_EQ(by_type.JsonLines().at(0)["items"][0]["messages"][0]["msg_id"], "c-1") << by_type.out;
  auto nothing = Timctl({"search", "--peer", "bob", "--json"});
  EXPECT_EQ(nothing.exit_code, 3) << nothing.Describe();
  EXPECT_EQ(nothing.ErrorJson()["tim_code"], 6017) << nothing.err;
}

}  // namespace
}  // namespace timd::test
