// Pure pieces of the API layer: peer lookup, admission, address checks,
// status mapping and request parsing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include "api/api_server.h"
#include "api/grpc_status.h"
#include "api/peer_groups.h"
#include "api/peer_registry.h"
#include "api/raw_messages.h"
#include "api/unix_listener.h"
#include "common/listen_address.h"
#include "tim/v1/common.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/events.pb.h"

namespace timd::api {
namespace {

TEST(PeerRegistryTest, LooksUpByGrpcPeerString) {
  PeerRegistry peers;
  peers.Add(7, PeerCredentials{42, 1000, 100, {}});
  auto found = peers.LookupPeer("fd:7");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->pid, 42);
  EXPECT_EQ(found->uid, 1000u);
  EXPECT_FALSE(peers.LookupPeer("fd:8"));
  EXPECT_FALSE(peers.LookupPeer("ipv4:127.0.0.1:5000"));
  EXPECT_FALSE(peers.LookupPeer("fd:7x"));
}

TEST(PeerRegistryTest, ReusedFdOverwritesStaleEntry) {
  PeerRegistry peers;
  peers.Add(7, PeerCredentials{1, 1000, 100, {}});
  peers.Add(7, PeerCredentials{2, 2000, 200, {}});
  EXPECT_EQ(peers.Lookup(7)->uid, 2000u);
  peers.Remove(7);
  EXPECT_FALSE(peers.Lookup(7));
}

TEST(AdmissionPolicyTest, AdmitsOwnersAndAllowedIdentities) {
  AdmissionPolicy policy;
  policy.own_uid = 500;
  policy.socket_gid = 600;
  policy.allow_uids = {1001};
  policy.allow_gids = {700};
  auto peer = [](uid_t uid, gid_t gid) { return PeerCredentials{1, uid, gid, {}}; };
  EXPECT_TRUE(policy.Admits(peer(0, 1), {}));       // root
  EXPECT_TRUE(policy.Admits(peer(500, 1), {}));     // timd itself
  EXPECT_TRUE(policy.Admits(peer(1001, 1), {}));    // allow_uids
  EXPECT_TRUE(policy.Admits(peer(1002, 600), {}));  // socket group
  EXPECT_TRUE(policy.Admits(peer(1002, 700), {}));  // allow_gids
  EXPECT_TRUE(policy.Admits(peer(1002, 1), {5, 700}));  // supplementary
  EXPECT_TRUE(policy.Admits(peer(1002, 1), {600}));
  EXPECT_FALSE(policy.Admits(peer(1002, 1), {5, 6}));
  policy.socket_gid.reset();
  EXPECT_FALSE(policy.Admits(peer(1002, 600), {}));
}

TEST(AdmissionPolicyTest, ReadsOwnSupplementaryGroupsFromProc) {
  std::vector<gid_t> groups(static_cast<size_t>(getgroups(0, nullptr)));
  groups.resize(static_cast<size_t>(getgroups(static_cast<int>(groups.size()), groups.data())));
  auto read = ProcSupplementaryGroups(getpid());
  std::sort(groups.begin(), groups.end());
  std::sort(read.begin(), read.end());
  EXPECT_EQ(read, groups);
  EXPECT_TRUE(ProcSupplementaryGroups(-1).empty());
}

TEST(LoopbackAddressTest, AcceptsOnlyLoopback) {
  EXPECT_TRUE(ValidateLoopbackAddress("127.0.0.1:50051").ok());
  EXPECT_TRUE(ValidateLoopbackAddress("127.1.2.3:0").ok());
  EXPECT_TRUE(ValidateLoopbackAddress("[::1]:50051").ok());
  EXPECT_TRUE(ValidateLoopbackAddress("localhost:1").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("0.0.0.0:50051").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("[::]:50051").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("192.168.1.2:50051").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("example.org:50051").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("127.0.0.1").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("127.0.0.1:70000").ok());
  EXPECT_FALSE(ValidateLoopbackAddress("127.0.0.1:x").ok());
}

TEST(LoopbackAddressTest, AnyHostIsAValidListenAddress) {
  EXPECT_TRUE(ValidateListenAddress("0.0.0.0:50051").ok());
  EXPECT_TRUE(ValidateListenAddress("[::]:50051").ok());
  EXPECT_FALSE(ValidateListenAddress(":50051").ok());
  EXPECT_FALSE(ValidateListenAddress("0.0.0.0").ok());
  EXPECT_FALSE(ValidateListenAddress("0.0.0.0:65536").ok());
}

TEST(GrpcStatusTest, CarriesCodeMessageAndDetail) {
  grpc::Status ok = ToGrpcStatus(Status::Ok());
  EXPECT_TRUE(ok.ok());
  grpc::Status status = ToGrpcStatus(Status(Code::kOutOfRange, tim_err::kDatabaseNotFound, "too old"), {17, 5});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(), "too old");
  tim::v1::ErrorDetail detail;
  ASSERT_TRUE(detail.ParseFromString(status.error_details()));
  EXPECT_EQ(detail.tim_code(), tim_err::kDatabaseNotFound);
  EXPECT_EQ(detail.oldest_available_seq(), 17u);
  EXPECT_EQ(detail.requested_since_seq(), 5u);
  EXPECT_EQ(detail.message(), "too old");
}

grpc::ByteBuffer BytesOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

TEST(RawMessagesTest, ParsesARequestAndSerializesAResponse) {
  tim::v1::GetMessagesRequest sent;
  sent.set_conv_id("bob@example.org");
  sent.set_count(7);
  tim::v1::GetMessagesRequest parsed;
  ASSERT_TRUE(ParseRequest(BytesOf(sent.SerializeAsString()), parsed).ok());
  EXPECT_EQ(parsed.conv_id(), "bob@example.org");
  EXPECT_EQ(parsed.count(), 7u);

  tim::v1::AckEventsResponse response;
  response.set_seq(42);
  grpc::ByteBuffer raw;
  ASSERT_TRUE(SerializeResponse(response, raw).ok());
  grpc::Slice slice;
  ASSERT_TRUE(raw.DumpToSingleSlice(&slice).ok());
  tim::v1::AckEventsResponse read;
  ASSERT_TRUE(read.ParseFromArray(slice.begin(), static_cast<int>(slice.size())));
  EXPECT_EQ(read.seq(), 42u);
}

TEST(RawMessagesTest, RefusesInvalidUtf8WithTheMethodsTimCode) {
  tim::v1::SendMessageRequest send;
  send.set_conv_id("bob");
  send.add_elems()->mutable_text()->set_content("bad \xff utf8");  // serialized anyway, with a logged error
  tim::v1::SendMessageRequest send_parsed;
  Status refused = ParseRequest(BytesOf(send.SerializeAsString()), send_parsed);
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.tim_code(), tim_err::kInvalidMsgElem);
  EXPECT_EQ(refused.message(), "request is not a valid tim.v1.SendMessageRequest: text fields must be valid UTF-8");

  tim::v1::GetMessagesRequest get;
  get.set_conv_id("bob\xed\xa0\x80");  // a UTF-16 surrogate
  tim::v1::GetMessagesRequest get_parsed;
  refused = ParseRequest(BytesOf(get.SerializeAsString()), get_parsed);
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.tim_code(), tim_err::kInvalidParameters);
  EXPECT_EQ(refused.message(), "request is not a valid tim.v1.GetMessagesRequest: text fields must be valid UTF-8");
}

TEST(RawMessagesTest, RefusesBytesThatAreNotProtobuf) {
  tim::v1::GetMessagesRequest parsed;
  Status refused = ParseRequest(BytesOf("\x0a\x05" "ab"), parsed);  // field 1 claims 5 bytes, 2 follow
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.tim_code(), tim_err::kInvalidParameters);
  EXPECT_EQ(refused.message(), "request is not a valid tim.v1.GetMessagesRequest: malformed protobuf bytes");
}

}  // namespace
}  // namespace timd::api
