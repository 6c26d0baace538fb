#include "domain/message_codec.h"
#include "domain/message_payload.h"

#include <gtest/gtest.h>

namespace timd::domain {
namespace {

google::protobuf::RepeatedPtrField<tim::v1::Elem> Texts(std::initializer_list<const char*> contents) {
  google::protobuf::RepeatedPtrField<tim::v1::Elem> elems;
  for (const char* content : contents) {
    auto* elem = elems.Add();
    elem->set_type(tim::v1::ELEM_TEXT);
    elem->mutable_text()->set_content(content);
  }
  return elems;
}

store::MessageRecord Stored(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems,
                            const std::string& cloud_custom_str = "", bool need_read_receipt = false) {
  tim::v1::Message content;
  *content.mutable_elems() = elems;
  content.set_cloud_custom_str(cloud_custom_str);
  content.set_need_read_receipt(need_read_receipt);
  store::MessageRecord r;
  r.msg_id = "m1";
  r.conv_id = r.sender = "bob@example.org";
  r.body = FallbackBody(elems);
  r.elems = EncodeContent(content);
  return r;
}

TEST(MessageCodec, SingleTextIsStoredAsTheBodyAlone) {
  auto r = Stored(Texts({"hello"}));
  EXPECT_EQ(r.elems, "");
  auto m = ToApiMessage(r, UserIds("example.org"));
  ASSERT_EQ(m.elems_size(), 1);
  EXPECT_EQ(m.elems(0).type(), tim::v1::ELEM_TEXT);
  EXPECT_EQ(m.elems(0).text().content(), "hello");
  EXPECT_EQ(m.sender(), "bob");
}

TEST(MessageCodec, OtherElementArraysRoundTrip) {
  auto elems = Texts({"a", "b"});
  auto* custom = elems.Add();
  custom->set_type(tim::v1::ELEM_CUSTOM);
  custom->mutable_custom()->set_data("payload");
  auto r = Stored(elems);
  EXPECT_NE(r.elems, "");
  auto m = ToApiMessage(r, UserIds("example.org"));
  ASSERT_EQ(m.elems_size(), 3);
  EXPECT_EQ(m.elems(1).text().content(), "b");
  EXPECT_EQ(m.elems(2).custom().data(), "payload");
}

TEST(MessageCodec, FieldsBeyondTheElementsRoundTrip) {
  auto r = Stored(Texts({"hello"}), "app data", true);
  EXPECT_NE(r.elems, "") << "a single text with extras needs more than the body";
  auto m = ToApiMessage(r, UserIds("example.org"));
  ASSERT_EQ(m.elems_size(), 1);
  EXPECT_EQ(m.elems(0).text().content(), "hello");
  EXPECT_EQ(m.cloud_custom_str(), "app data");
  EXPECT_TRUE(m.need_read_receipt());
}

TEST(MessageCodec, RowsWithAnEncodedSingleTextStillDecode) {
  // Written before single texts were stored as the body alone.
  tim::v1::Message holder;
  *holder.mutable_elems() = Texts({"old"});
  store::MessageRecord r;
  r.msg_id = "m0";
  r.body = "old";
  r.elems = holder.SerializeAsString();
  auto m = ToApiMessage(r, UserIds("example.org"));
  ASSERT_EQ(m.elems_size(), 1);
  EXPECT_EQ(m.elems(0).text().content(), "old");
}

TEST(MessageCodec, IdsDerivedFromTheMsgIdAreStable) {
  auto a = ToApiMessage(Stored(Texts({"x"})), UserIds("example.org"));
  auto b = ToApiMessage(Stored(Texts({"y"})), UserIds("example.org"));
  EXPECT_EQ(a.unique_id(), b.unique_id());  // same msg_id
  EXPECT_EQ(a.rand(), b.rand());
  EXPECT_LT(a.unique_id(), uint64_t{1} << 63);
  EXPECT_LE(a.rand(), 0xffffffffu);
}

}  // namespace
}  // namespace timd::domain
