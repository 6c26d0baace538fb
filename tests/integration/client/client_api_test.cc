// libtimclient's synchronous contract, linked directly: return codes before
// init, after uninit, on malformed JSON and NULL pointers; results always
// arrive on the library's callback thread, never inside the call. No timd is
// needed: the socket points nowhere, so calls that reach out fail with 9508.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "TIMCloud.h"

namespace {

using namespace std::chrono_literals;

const char kText[] = R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}]})";

// Collects one TIMCommCallback result.
struct Result {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int code = 0;
  std::string desc;
  std::string json;
  std::thread::id thread;

  static void Callback(int32_t code, const char* desc, const char* json, const void* user_data) {
    auto* r = static_cast<Result*>(const_cast<void*>(user_data));
    std::lock_guard lock(r->mu);
    r->done = true;
    r->code = code;
    r->desc = desc ? desc : "(null)";
    r->json = json ? json : "(null)";
    r->thread = std::this_thread::get_id();
    r->cv.notify_all();
  }
  bool Wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, [this] { return done; });
  }
};

void NoMsg(const char*, const void*) {}

std::string InitConfig() {
  return std::string(R"({"timd_socket":"/nonexistent/timd-client-api-test.sock","timd_consumer":"api-test"})");
}

class ClientApiTest : public ::testing::Test {
 protected:
  void TearDown() override { TIMUninit(); }
};

TEST_F(ClientApiTest, EverythingBeforeInitReturnsSdkUninit) {
  char buffer[128] = "x";
  Result r;
  EXPECT_EQ(TIMUninit(), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMLogin("alice", "pw", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMLogout(Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMLogoutEx(TIMD_LOGOUT_FLAG_SERVER, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMSetConfig(R"({"set_config_callback_log_level":4})", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, kText, buffer, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgSendNewMsg("bob", kTIMConv_C2C, kText, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgGetMsgList("bob", kTIMConv_C2C, "", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgRevoke("bob", kTIMConv_C2C, R"({"message_msg_id":"m"})", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgModifyMessage(kText, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvGetConvList(Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvDelete("bob", kTIMConv_C2C, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvDeleteConversationList(R"(["c2c_bob"])", true, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvGetConvInfo("[]", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvGetConversationListByFilter(nullptr, 0, 10, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvGetUnreadMessageCountByFilter(nullptr, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgMarkAllMessageAsRead(Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvSetDraft("bob", kTIMConv_C2C, R"({"draft_user_define":"x"})"), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvCancelDraft("bob", kTIMConv_C2C), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvPinConversation("bob", kTIMConv_C2C, true, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvMarkConversation(R"(["c2c_bob"])", 1, true, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvSetConversationCustomData(R"(["c2c_bob"])", "x", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMGetLoginUserID(buffer), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(r.done) << "no callback after a refused call";
  // Setters work at any time.
  TIMAddRecvNewMsgCallback(NoMsg, nullptr);
  TIMRemoveRecvNewMsgCallback(NoMsg);
  TIMSetConvEventCallback(nullptr, nullptr);
}

TEST_F(ClientApiTest, MalformedInitConfigIsJsonError) {
  EXPECT_EQ(TIMInit(0, "{not json"), TIM_ERR_JSON);
  EXPECT_EQ(TIMLogin("alice", "pw", nullptr, nullptr), TIM_ERR_SDKUNINIT) << "a failed init leaves no SDK";
  EXPECT_EQ(TIMInit(0, nullptr), TIM_SUCC);
  EXPECT_EQ(TIMInit(0, ""), TIM_SUCC) << "a second init keeps the first";
}

TEST_F(ClientApiTest, BadArgumentsAndBadJsonAfterInit) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  Result r;
  char buffer[128];
  EXPECT_EQ(TIMLogin(nullptr, "pw", Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMLogin("", "pw", Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMLogin("alice", nullptr, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMLogoutEx(0x80, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMGetLoginUserID(nullptr), TIM_ERR_PARAM);
  EXPECT_EQ(TIMSetConfig(nullptr, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMSetConfig("{oops", Result::Callback, &r), TIM_ERR_JSON);
  EXPECT_EQ(TIMMsgSendMessage(nullptr, kTIMConv_C2C, kText, buffer, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, nullptr, buffer, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgSendMessage("bob", static_cast<TIMConvType>(42), kText, buffer, Result::Callback, &r),
            TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, "{\"message_elem_array\":[", buffer, Result::Callback, &r),
            TIM_ERR_JSON);
  EXPECT_EQ(TIMMsgSendNewMsg("bob", kTIMConv_C2C, "]]", Result::Callback, &r), TIM_ERR_JSON);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, R"({"message_elem_array":"no"})", buffer, Result::Callback, &r),
            TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgGetMsgList(nullptr, kTIMConv_C2C, "", Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgGetMsgList("bob", kTIMConv_C2C, "{x", Result::Callback, &r), TIM_ERR_JSON);
  EXPECT_EQ(TIMMsgRevoke(nullptr, kTIMConv_C2C, R"({"message_msg_id":"m"})", Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgRevoke("bob", kTIMConv_C2C, "{x", Result::Callback, &r), TIM_ERR_JSON);
  EXPECT_EQ(TIMMsgRevoke("bob", kTIMConv_C2C, kText, Result::Callback, &r), TIM_ERR_PARAM);  // no message_msg_id
  EXPECT_EQ(TIMMsgModifyMessage(nullptr, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMMsgModifyMessage(kText, Result::Callback, &r), TIM_ERR_PARAM);  // no id or conversation
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(r.done) << "no callback after a refused call";
  EXPECT_EQ(TIMGetLoginUserID(buffer), TIM_ERR_NOTLOGIN);
  EXPECT_STREQ(buffer, "");
}

TEST_F(ClientApiTest, ResultsArriveOnTheCallbackThreadWhenTimdIsUnreachable) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  Result login, send, list, convs, config;
  char msg_id[128] = "";
  EXPECT_EQ(TIMLogin("alice", "pw", Result::Callback, &login), TIM_SUCC);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, kText, msg_id, Result::Callback, &send), TIM_SUCC);
  EXPECT_NE(std::string(msg_id), "") << "the message ID is returned synchronously";
  EXPECT_EQ(TIMMsgGetMsgList("bob", kTIMConv_C2C, nullptr, Result::Callback, &list), TIM_SUCC);
  EXPECT_EQ(TIMConvGetConvList(Result::Callback, &convs), TIM_SUCC);
  EXPECT_EQ(TIMSetConfig(R"({"set_config_callback_log_level":5})", Result::Callback, &config), TIM_SUCC);
  for (Result* r : {&login, &send, &list, &convs}) {
    ASSERT_TRUE(r->Wait());
    EXPECT_EQ(r->code, 9508);
    EXPECT_NE(r->desc.find("timd unreachable"), std::string::npos) << r->desc;
    EXPECT_NE(r->thread, std::this_thread::get_id());
  }
  ASSERT_TRUE(config.Wait());
  EXPECT_EQ(config.code, 0);
  EXPECT_NE(config.json.find("\"set_config_callback_log_level\":5"), std::string::npos) << config.json;
  EXPECT_EQ(TIMGetLoginStatus(), kTIMLoginStatus_UnLogined);
  // Logout of a detached app succeeds.
  Result logout;
  EXPECT_EQ(TIMLogout(Result::Callback, &logout), TIM_SUCC);
  ASSERT_TRUE(logout.Wait());
  EXPECT_EQ(logout.code, 0);
}

TEST_F(ClientApiTest, EverythingAfterUninitReturnsSdkUninitAndInitWorksAgain) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  ASSERT_EQ(TIMUninit(), TIM_SUCC);
  Result r;
  char buffer[128];
  EXPECT_EQ(TIMUninit(), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMLogin("alice", "pw", Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMMsgSendMessage("bob", kTIMConv_C2C, kText, buffer, Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMConvGetConvList(Result::Callback, &r), TIM_ERR_SDKUNINIT);
  EXPECT_EQ(TIMGetLoginUserID(buffer), TIM_ERR_SDKUNINIT);
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  EXPECT_EQ(TIMConvGetConvList(Result::Callback, &r), TIM_SUCC);
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.code, 9508);
}

// Bad input to the conversation calls is refused at once, before timd.
TEST_F(ClientApiTest, ConversationCallsRefuseBadInputSynchronously) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  Result r;
  EXPECT_EQ(TIMConvDelete(nullptr, kTIMConv_C2C, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvDelete("bob", kTIMConv_Invalid, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvDeleteConversationList("[c2c_bob", true, Result::Callback, &r), TIM_ERR_JSON);
  EXPECT_EQ(TIMConvDeleteConversationList("[]", true, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvDeleteConversationList("[7]", true, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvGetConvInfo(R"([{"get_conversation_list_param_conv_id":"bob"}])", Result::Callback, &r),
            TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvGetConversationListByFilter(R"({"conversation_list_filter_conv_type":"x"})", 0, 1,
                                               Result::Callback, &r),
            TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvSetDraft("bob", kTIMConv_C2C, "{}"), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvSetDraft("bob", kTIMConv_C2C, R"({"draft_msg":{"message_elem_array":[]}})"), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvPinConversation("", kTIMConv_C2C, true, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvMarkConversation(nullptr, 1, true, Result::Callback, &r), TIM_ERR_PARAM);
  EXPECT_EQ(TIMConvSetConversationCustomData("{}", "x", Result::Callback, &r), TIM_ERR_PARAM);
  ASSERT_EQ(TIMUninit(), TIM_SUCC);
}

// Every accepted call's callback fires exactly once, even when TIMUninit
// follows at once.
TEST_F(ClientApiTest, UninitRightAfterCallsStillDeliversEveryResult) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  static std::atomic<int> fired{0};
  fired = 0;
  auto count = [](int32_t, const char*, const char*, const void*) { ++fired; };
  for (int i = 0; i < 20; ++i) ASSERT_EQ(TIMConvGetConvList(count, nullptr), TIM_SUCC);
  ASSERT_EQ(TIMUninit(), TIM_SUCC);
  EXPECT_EQ(fired.load(), 20);
}

// An app may call TIMUninit from inside a callback.
TEST_F(ClientApiTest, UninitInsideACallbackDoesNotDeadlock) {
  ASSERT_EQ(TIMInit(0, InitConfig().c_str()), TIM_SUCC);
  Result r;
  auto uninit = [](int32_t code, const char* desc, const char* json, const void* user_data) {
    Result::Callback(TIMUninit() == TIM_SUCC ? code : -100, desc, json, user_data);
  };
  ASSERT_EQ(TIMConvGetConvList(uninit, &r), TIM_SUCC);
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.code, 9508);
  EXPECT_EQ(TIMConvGetConvList(Result::Callback, &r), TIM_ERR_SDKUNINIT);
}

}  // namespace
