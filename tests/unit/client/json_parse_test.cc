// App JSON -> requests: ParseMessage, ParseGetMsgListParam, ParseSdkConfig,
// ParseSetConfig (reference §5.1, §5.2, §5.10, §6.2).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using timclient::ParseResult;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

ParseResult Msg(const char* text, tim::v1::SendMessageRequest* out) {
  std::string why;
  return timclient::ParseMessage(text, out, &why);
}

TEST(ClientJsonParseMessage, TextMessageWithOptions) {
  tim::v1::SendMessageRequest req;
  req.set_conv_id("bob");
  req.set_conv_type(tim::v1::CONV_C2C);
  std::string why;
  ASSERT_EQ(timclient::ParseMessage(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],
      "message_cloud_custom_str":"cc","message_need_read_receipt":true,
      "message_msg_id":"ignored","message_seq":5,"message_sender":"me"})",
                                    &req, &why),
            ParseResult::kOk)
      << why;
  ASSERT_EQ(req.elems_size(), 1);
  EXPECT_EQ(req.elems(0).type(), tim::v1::ELEM_TEXT);
  EXPECT_EQ(req.elems(0).text().content(), "hi");
  EXPECT_EQ(req.cloud_custom_str(), "cc");
  EXPECT_TRUE(req.need_read_receipt());
  EXPECT_EQ(req.client_msg_id(), "");  // message_msg_id is read-only in TIM
  EXPECT_EQ(req.conv_id(), "bob");     // conversation comes from the call arguments
  EXPECT_EQ(req.conv_type(), tim::v1::CONV_C2C);
}

TEST(ClientJsonParseMessage, OtherSendableElements) {
  tim::v1::SendMessageRequest req;
  ASSERT_EQ(Msg(R"({"message_elem_array":[
      {"elem_type":3,"custom_elem_data":"d","custom_elem_desc":"ds","custom_elem_ext":"e","custom_elem_sound":"s"},
      {"elem_type":6,"face_elem_index":12,"face_elem_buf":"b"},
      {"elem_type":7,"location_elem_desc":"here","location_elem_longitude":113.5,"location_elem_latitude":22},
      {"elem_type":1,"image_elem_orig_path":"/tmp/a.png","image_elem_level":1},
      {"elem_type":2,"sound_elem_file_path":"/tmp/a.ogg","sound_elem_file_size":100,"sound_elem_file_time":3},
      {"elem_type":4,"file_elem_file_path":"/tmp/a.txt","file_elem_file_name":"a.txt","file_elem_file_size":18446744073709551615},
      {"elem_type":9,"video_elem_video_path":"/tmp/v.mp4","video_elem_video_type":"mp4","video_elem_video_size":7,
       "video_elem_video_duration":9,"video_elem_image_width":640,"video_elem_image_height":360}]})",
                &req),
            ParseResult::kOk);
  ASSERT_EQ(req.elems_size(), 7);
  EXPECT_EQ(req.elems(0).type(), tim::v1::ELEM_CUSTOM);
  EXPECT_EQ(req.elems(0).custom().data(), "d");
  EXPECT_EQ(req.elems(0).custom().desc(), "ds");
  EXPECT_EQ(req.elems(0).custom().ext(), "e");
  EXPECT_EQ(req.elems(0).custom().sound(), "s");
  EXPECT_EQ(req.elems(1).type(), tim::v1::ELEM_FACE);
  EXPECT_EQ(req.elems(1).face().index(), 12);
  EXPECT_EQ(req.elems(1).face().data(), "b");
  EXPECT_EQ(req.elems(2).type(), tim::v1::ELEM_LOCATION);
  EXPECT_EQ(req.elems(2).location().desc(), "here");
  EXPECT_DOUBLE_EQ(req.elems(2).location().longitude(), 113.5);
  EXPECT_DOUBLE_EQ(req.elems(2).location().latitude(), 22.0);
  EXPECT_EQ(req.elems(3).type(), tim::v1::ELEM_IMAGE);
  EXPECT_EQ(req.elems(3).file().local_path(), "/tmp/a.png");
  EXPECT_EQ(req.elems(4).type(), tim::v1::ELEM_SOUND);
  EXPECT_EQ(req.elems(4).file().file_size(), 100u);
  EXPECT_EQ(req.elems(4).file().duration_s(), 3u);
  EXPECT_EQ(req.elems(5).type(), tim::v1::ELEM_FILE);
  EXPECT_EQ(req.elems(5).file().file_name(), "a.txt");
  EXPECT_EQ(req.elems(5).file().file_size(), kMax);
  EXPECT_EQ(req.elems(6).type(), tim::v1::ELEM_VIDEO);
  EXPECT_EQ(req.elems(6).file().media_type(), "video/mp4");
  EXPECT_EQ(req.elems(6).file().duration_s(), 9u);
  EXPECT_EQ(req.elems(6).file().width(), 640u);
  EXPECT_EQ(req.elems(6).file().height(), 360u);
}

TEST(ClientJsonParseMessage, VideoSnapshotGoesWithItsPath) {
  tim::v1::SendMessageRequest req;
  ASSERT_EQ(Msg(R"({"message_elem_array":[
      {"elem_type":9,"video_elem_video_path":"/tmp/v.mp4","video_elem_image_path":"/tmp/v.png",
       "video_elem_image_type":"png","video_elem_image_size":5,"video_elem_image_width":64,"video_elem_image_height":48},
      {"elem_type":9,"video_elem_video_path":"/tmp/w.mp4","video_elem_image_type":"png"}]})",
                &req),
            ParseResult::kOk);
  ASSERT_EQ(req.elems_size(), 2);
  const auto& snapshot = req.elems(0).file().snapshot();
  EXPECT_EQ(snapshot.local_path(), "/tmp/v.png");
  EXPECT_EQ(snapshot.media_type(), "image/png");
  EXPECT_EQ(snapshot.file_size(), 5u);
  EXPECT_EQ(snapshot.width(), 64u);
  EXPECT_EQ(snapshot.height(), 48u);
  EXPECT_FALSE(req.elems(1).file().has_snapshot());  // no path, no snapshot
}

TEST(ClientJsonParseMessage, BadJsonIsKJson) {
  tim::v1::SendMessageRequest req;
  EXPECT_EQ(Msg("{", &req), ParseResult::kJson);
  EXPECT_EQ(Msg("", &req), ParseResult::kJson);
  EXPECT_EQ(Msg("not json", &req), ParseResult::kJson);
  EXPECT_EQ(Msg(R"({"message_elem_array":[}])", &req), ParseResult::kJson);
}

TEST(ClientJsonParseMessage, WrongFieldsAreKParam) {
  tim::v1::SendMessageRequest req;
  EXPECT_EQ(Msg(nullptr, &req), ParseResult::kParam);
  EXPECT_EQ(Msg("[]", &req), ParseResult::kParam);
  EXPECT_EQ(Msg("{}", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":{}})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[1]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"text_elem_content":"x"}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":"0","text_elem_content":"x"}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":0}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":5}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":5}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":8}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":12,"merge_elem_title":"t"}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":99}]})", &req), ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":7,"location_elem_longitude":"1"}]})", &req),
            ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"x"}],"message_need_read_receipt":1})",
                &req),
            ParseResult::kParam);
  EXPECT_EQ(Msg(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"x"}],"message_cloud_custom_str":[]})",
                &req),
            ParseResult::kParam);
  EXPECT_EQ(req.elems_size(), 0);  // failures leave the request untouched
}

TEST(ClientJsonParseMessage, WhyExplains) {
  tim::v1::SendMessageRequest req;
  std::string why;
  ASSERT_EQ(timclient::ParseMessage(R"({"message_elem_array":[{"elem_type":0}]})", &req, &why), ParseResult::kParam);
  EXPECT_NE(why.find("text_elem_content"), std::string::npos) << why;
}

ParseResult List(const char* text, tim::v1::GetMessagesRequest* out) {
  std::string why;
  return timclient::ParseGetMsgListParam(text, out, &why);
}

TEST(ClientJsonParseMsgList, DefaultsForNullAndEmpty) {
  tim::v1::GetMessagesRequest req;
  req.set_before_seq(9);
  EXPECT_EQ(List(nullptr, &req), ParseResult::kOk);
  EXPECT_EQ(req.before_seq(), 0u);
  EXPECT_EQ(req.count(), 0u);
  EXPECT_EQ(List("", &req), ParseResult::kOk);
  EXPECT_EQ(List("{}", &req), ParseResult::kOk);
}

TEST(ClientJsonParseMsgList, LastMessageAnchorsBeforeItsSeq) {
  tim::v1::GetMessagesRequest req;
  req.set_conv_id("bob");
  ASSERT_EQ(List(R"({"msg_getmsglist_param_count":30,"msg_getmsglist_param_is_ramble":true,
      "msg_getmsglist_param_is_forward":false,
      "msg_getmsglist_param_last_msg":{"message_seq":18446744073709551615,"message_msg_id":"x"}})",
                 &req),
            ParseResult::kOk);
  EXPECT_EQ(req.count(), 30u);
  EXPECT_EQ(req.before_seq(), kMax);
  EXPECT_EQ(req.conv_id(), "bob");
  EXPECT_TRUE(req.is_ramble());
}

TEST(ClientJsonParseMsgList, LastMsgSeqIncludesThatMessage) {
  tim::v1::GetMessagesRequest req;
  ASSERT_EQ(List(R"({"msg_getmsglist_param_last_msg_seq":41,"msg_getmsglist_param_is_remble":false})", &req),
            ParseResult::kOk);
  EXPECT_EQ(req.before_seq(), 42u);
  EXPECT_FALSE(req.is_ramble());
  ASSERT_EQ(List(R"({"msg_getmsglist_param_last_msg_seq":0,"msg_getmsglist_param_is_remble":true})", &req),
            ParseResult::kOk);
  EXPECT_EQ(req.before_seq(), 0u);
  EXPECT_TRUE(req.is_ramble());  // the <= 7.1 spelling
}

TEST(ClientJsonParseMsgList, MessageTypeArrayFilters) {
  tim::v1::GetMessagesRequest req;
  ASSERT_EQ(List(R"({"msg_getmsglist_param_message_type_array":[1,4]})", &req), ParseResult::kOk);
  ASSERT_EQ(req.message_types_size(), 2);
  EXPECT_EQ(req.message_types(0), tim::v1::ELEM_IMAGE);
  EXPECT_EQ(req.message_types(1), tim::v1::ELEM_FILE);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_message_type_array":[14]})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_message_type_array":["image"]})", &req), ParseResult::kParam);
}

TEST(ClientJsonParseMsgList, ForwardAnchorsAfterItsSeqWithTimeRange) {
  tim::v1::GetMessagesRequest req;
  req.set_before_seq(7);
  ASSERT_EQ(List(R"({"msg_getmsglist_param_is_forward":true,"msg_getmsglist_param_last_msg":{"message_seq":50},
      "msg_getmsglist_param_time_begin":100,"msg_getmsglist_param_time_period":60})",
                 &req),
            ParseResult::kOk);
  EXPECT_TRUE(req.is_forward());
  EXPECT_EQ(req.after_seq(), 50u);
  EXPECT_EQ(req.before_seq(), 0u);
  EXPECT_EQ(req.time_begin(), 100u);
  EXPECT_EQ(req.time_period(), 60u);
  ASSERT_EQ(List(R"({"msg_getmsglist_param_is_forward":true,"msg_getmsglist_param_last_msg_seq":50})", &req),
            ParseResult::kOk);
  EXPECT_EQ(req.after_seq(), 49u);  // the message with seq 50 is included
}

TEST(ClientJsonParseMsgList, UnsupportedOrWrongIsKParam) {
  tim::v1::GetMessagesRequest req;
  EXPECT_EQ(List("{x", &req), ParseResult::kJson);
  EXPECT_EQ(List("[1]", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_count":-1})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_count":1.5})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_count":4294967296})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_is_forward":"no"})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_last_msg":"m"})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_last_msg":{}})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_message_seq_array":[1,2]})", &req), ParseResult::kParam);
  EXPECT_EQ(List(R"({"msg_getmsglist_param_message_type_array":[]})", &req), ParseResult::kOk);
}

TEST(ClientJsonParseSdkConfig, KeysDefaultsAndErrors) {
  timclient::SdkConfig cfg;
  std::string why;
  EXPECT_EQ(timclient::ParseSdkConfig(nullptr, &cfg, &why), ParseResult::kOk);
  EXPECT_EQ(timclient::ParseSdkConfig("", &cfg, &why), ParseResult::kOk);
  EXPECT_TRUE(cfg.socket.empty());
  ASSERT_EQ(timclient::ParseSdkConfig(R"({"timd_socket":"/tmp/t.sock","timd_consumer":"bot-1.a_b",
      "sdk_config_log_file_path":"/tmp"})",
                                      &cfg, &why),
            ParseResult::kOk)
      << why;
  EXPECT_EQ(cfg.socket, "/tmp/t.sock");
  EXPECT_EQ(cfg.consumer, "bot-1.a_b");
  EXPECT_EQ(timclient::ParseSdkConfig("{", &cfg, &why), ParseResult::kJson);
  EXPECT_EQ(timclient::ParseSdkConfig("7", &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseSdkConfig(R"({"timd_socket":1})", &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseSdkConfig(R"({"timd_consumer":"has space"})", &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(cfg.consumer, "bot-1.a_b");  // failures leave it untouched
}

TEST(ClientJsonParseSdkConfig, CallbackQueueBounds) {
  timclient::SdkConfig cfg;
  std::string why;
  ASSERT_EQ(timclient::ParseSdkConfig("{}", &cfg, &why), ParseResult::kOk);
  EXPECT_FALSE(cfg.callback_queue_events.has_value());
  EXPECT_FALSE(cfg.callback_queue_bytes.has_value());
  ASSERT_EQ(timclient::ParseSdkConfig(R"({"timd_callback_queue_events":16,"timd_callback_queue_bytes":65536})",
                                      &cfg, &why),
            ParseResult::kOk)
      << why;
  EXPECT_EQ(cfg.callback_queue_events, 16u);
  EXPECT_EQ(cfg.callback_queue_bytes, 65536u);
  for (const char* bad : {R"({"timd_callback_queue_events":0})", R"({"timd_callback_queue_events":1048577})",
                          R"({"timd_callback_queue_events":-1})", R"({"timd_callback_queue_events":"16"})",
                          R"({"timd_callback_queue_bytes":4095})", R"({"timd_callback_queue_bytes":1073741825})"}) {
    EXPECT_EQ(timclient::ParseSdkConfig(bad, &cfg, &why), ParseResult::kParam) << bad;
    EXPECT_NE(why.find("timd_callback_queue_"), std::string::npos) << why;
  }
  EXPECT_EQ(cfg.callback_queue_events, 16u);  // failures leave it untouched
}

TEST(ClientJsonParseSdkConfig, Defaults) {
  timclient::SdkConfig explicit_cfg{"/x.sock", "me", std::nullopt, std::nullopt, ""};
  timclient::ApplySdkConfigDefaults(&explicit_cfg);
  EXPECT_EQ(explicit_cfg.socket, "/x.sock");
  EXPECT_EQ(explicit_cfg.consumer, "me");

  const char* old = std::getenv("TIMD_SOCKET");
  std::string saved = old ? old : "";
  setenv("TIMD_SOCKET", "/env/timd.sock", 1);
  timclient::SdkConfig cfg;
  timclient::ApplySdkConfigDefaults(&cfg);
  EXPECT_EQ(cfg.socket, "/env/timd.sock");
  EXPECT_EQ(cfg.consumer, "client_json_test");  // this executable's basename
  unsetenv("TIMD_SOCKET");
  timclient::SdkConfig cfg2;
  timclient::ApplySdkConfigDefaults(&cfg2);
  EXPECT_EQ(cfg2.socket, "/run/timd/timd.sock");
  if (old) setenv("TIMD_SOCKET", saved.c_str(), 1);
}

TEST(ClientJsonParseSdkConfig, ConsumerNames) {
  EXPECT_TRUE(timclient::IsValidConsumerName("a.b_c-D9"));
  EXPECT_FALSE(timclient::IsValidConsumerName(""));
  EXPECT_FALSE(timclient::IsValidConsumerName("a/b"));
  EXPECT_FALSE(timclient::IsValidConsumerName(std::string(65, 'a')));
  EXPECT_EQ(timclient::SanitizeConsumerName("my app/ü"), "my_app___");
  EXPECT_EQ(timclient::SanitizeConsumerName(""), "app");
  EXPECT_EQ(timclient::SanitizeConsumerName(std::string(80, 'x')).size(), 64u);
}

TEST(ClientJsonParseSetConfig, KeysMergeAndRoundTrip) {
  timclient::SetConfig cfg;
  std::string why;
  EXPECT_EQ(timclient::SetConfigJson(cfg), "{}");
  ASSERT_EQ(timclient::ParseSetConfig(R"({"set_config_callback_log_level":5})", &cfg, &why), ParseResult::kOk);
  ASSERT_EQ(timclient::ParseSetConfig(R"({"set_config_log_level":3,"set_config_is_log_output_console":false})", &cfg,
                                      &why),
            ParseResult::kOk);
  EXPECT_EQ(cfg.callback_log_level, 5u);
  EXPECT_EQ(cfg.log_level, 3u);
  EXPECT_EQ(cfg.log_output_console, false);
  nlohmann::json j = nlohmann::json::parse(timclient::SetConfigJson(cfg));
  EXPECT_EQ(j["set_config_callback_log_level"], 5);
  EXPECT_EQ(j["set_config_log_level"], 3);
  EXPECT_EQ(j["set_config_is_log_output_console"], false);

  EXPECT_EQ(timclient::ParseSetConfig(nullptr, &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseSetConfig("{", &cfg, &why), ParseResult::kJson);
  EXPECT_EQ(timclient::ParseSetConfig(R"({"set_config_callback_log_level":8})", &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseSetConfig(R"({"set_config_callback_log_level":"4"})", &cfg, &why), ParseResult::kParam);
  EXPECT_EQ(cfg.callback_log_level, 5u);
}

}  // namespace
