// Builders and checks for tests of messages with files (image, sound,
// file, video elements uploaded through XEP-0363).
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/sha256_stream.h"
#include "support/event_reader.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"
#include "tim/v1/common.pb.h"
#include "tim/v1/messages.pb.h"
#include "timd/api_stubs.h"

namespace timd::test {

// A C2C message to `peer` with one file-like element of `type` whose local
// file is `path`.
inline tim::v1::SendMessageRequest FileTo(const std::string& peer, const std::string& path,
                                          tim::v1::ElemType type = tim::v1::ELEM_FILE,
                                          const std::string& client_msg_id = "") {
  tim::v1::SendMessageRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_client_msg_id(client_msg_id);
  auto* elem = request.add_elems();
  elem->set_type(type);
  elem->mutable_file()->set_local_path(path);
  return request;
}

// A C2C message to `peer` with a video of `video` and the snapshot image
// `snapshot` (640x360).
inline tim::v1::SendMessageRequest VideoWithSnapshot(const std::string& peer, const std::string& video,
                                                     const std::string& snapshot,
                                                     const std::string& client_msg_id = "") {
  auto request = FileTo(peer, video, tim::v1::ELEM_VIDEO, client_msg_id);
  auto* image = request.mutable_elems(0)->mutable_file()->mutable_snapshot();
  image->set_local_path(snapshot);
  image->set_width(640);
  image->set_height(360);
  return request;
}

// Lower-case hex SHA-256 of a file's bytes.
inline std::string FileSha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  http::Sha256Stream sha;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    sha.Update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  std::string hex;
  char digits[3];
  for (unsigned char byte : sha.Finish()) {
    std::snprintf(digits, sizeof digits, "%02x", byte);
    hex += digits;
  }
  return hex;
}

// DownloadElemToPath of a video's snapshot (type 0, kTIMDownload_VideoThumb)
// from `url` to `path`, checked against `sha256` when not empty.
inline grpc::Status DownloadSnapshot(const TimdProcess& timd, const tim::v1::FileElem& snapshot,
                                     const std::string& path, tim::v1::DownloadElemToPathResponse* response) {
  tim::v1::DownloadElemToPathRequest download;
  download.set_type(0);
  download.set_url(snapshot.url());
  download.set_sha256(snapshot.sha256());
  download.set_path(path);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return timd.Stubs()->messages->DownloadElemToPath(&ctx, download, response);
}

// An upload progress event with some bytes up.
inline bool SomeBytesUp(const tim::v1::Event& e) {
  return e.has_msg_upload_progress() && e.msg_upload_progress().cur_size() > 0;
}

// An upload progress event whose message is completely up.
inline bool AllBytesUp(const tim::v1::Event& e) {
  return e.has_msg_upload_progress() && e.msg_upload_progress().cur_size() == e.msg_upload_progress().total_size();
}

// The upload progress events read so far.
inline std::vector<tim::v1::MsgUploadProgressEvent> UploadProgress(const EventReader& events) {
  std::vector<tim::v1::MsgUploadProgressEvent> progress;
  for (const auto& e : events.Events()) {
    if (e.has_msg_upload_progress()) progress.push_back(e.msg_upload_progress());
  }
  return progress;
}

// The most bytes the upload progress events read so far report.
inline uint64_t BytesUp(const EventReader& events) {
  uint64_t most = 0;
  for (const auto& e : events.Events()) {
    if (e.has_msg_upload_progress()) most = std::max<uint64_t>(most, e.msg_upload_progress().cur_size());
  }
  return most;
}

// A NewMessages event holding `msg_id`.
inline EventReader::Predicate NewMessage(const std::string& msg_id) { return HasNewMessage(WithMsgId(msg_id)); }

// Every copy of `msg_id` the events read so far carried.
inline std::vector<tim::v1::Message> Copies(const EventReader& events, const std::string& msg_id) {
  return NewMessagesMatching(events.Events(), WithMsgId(msg_id));
}

// Creates `user` (password user + "-secret") on a started `prosody` and
// starts `timd` logged in as that user.
inline void StartLoggedIn(ProsodyServer& prosody, TimdProcess& timd, const std::string& user) {
  prosody.AddUser(user, user + "-secret");
  timd.UseProsody(prosody);
  timd.LoginAs(user, user + "-secret");
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();
}

// Prosody with http_file_share (files up to `kUploadLimit`), alice's and
// bob's timd logged in.
class TwoDaemonsWithUpload : public ::testing::Test {
 public:
  static constexpr uint64_t kUploadLimit = 4 * 1024 * 1024;

 protected:

  virtual uint64_t upload_limit() const { return kUploadLimit; }

  void SetUp() override {
    prosody_.EnableHttpUpload(upload_limit());
    prosody_.Start();
    ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody_, alice_, "alice"));
    ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody_, bob_, "bob"));
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
  TempDir files_;
};

}  // namespace timd::test
