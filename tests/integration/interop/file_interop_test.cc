// Files between timd and an independent client (python3-slixmpp,
// file_peer.py) over a real Prosody with http_file_share: slixmpp reads the
// OOB URL (and the XEP-0447 metadata) of a file timd uploaded and fetches
// the same bytes; a file slixmpp uploads itself and sends as a plain OOB
// message arrives at timd as a file element, which DownloadElemToPath
// fetches.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/interop/file_peer_fixture.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

using FileInteropTest = SlixmppFilePeerTest;

TEST_F(FileInteropTest, OobBothWaysWithSlixmpp) {
  ASSERT_NO_FATAL_FAILURE(StartWithCarolAs("file_peer.py"));

  const std::string path = files_.File("pic.png");
  WriteRandomFile(path, 200 * 1024, 5);
  tim::v1::SendMessageResponse sent;
  auto status = SendWithin(*alice_.Stubs(), FileTo("carol", path, tim::v1::ELEM_IMAGE), &sent, 30s);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  const tim::v1::FileElem& up = sent.message().elems(0).file();

  const std::string got_line = carol_->WaitForLine("\"oob\"");
  ASSERT_FALSE(got_line.empty()) << carol_->output();
  const json got = json::parse(got_line);
  EXPECT_EQ(got["oob"], up.url());
  EXPECT_EQ(got["body"], up.url());  // the fallback body other clients show
  EXPECT_EQ(got["size"], 200 * 1024);
  EXPECT_EQ(got["sha256"], FileSha256Hex(path));
  EXPECT_EQ(got["sfs_name"], "pic.png");
  EXPECT_EQ(got["sfs_size"], std::to_string(200 * 1024));
  EXPECT_EQ(got["sfs_media_type"], "image/png");
  EXPECT_EQ(got["sfs_hash"].get<std::string>().size(), 44u);  // base64 of 32 bytes

  const std::string sent_line = carol_->WaitForLine("\"sent_url\"");
  ASSERT_FALSE(sent_line.empty()) << carol_->output();
  const json theirs = json::parse(sent_line);
  const tim::v1::Message message = CarolsMessage();
  ASSERT_EQ(message.elems_size(), 1) << message.DebugString();  // the body only repeats the URL
  EXPECT_EQ(message.elems(0).type(), tim::v1::ELEM_FILE);
  EXPECT_EQ(message.elems(0).file().url(), theirs["sent_url"]);
  EXPECT_EQ(message.elems(0).file().id().size(), 40u);

  tim::v1::DownloadElemToPathRequest request;
  request.set_url(message.elems(0).file().url());
  request.set_path(files_.File("from-carol.txt"));
  tim::v1::DownloadElemToPathResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 30s);
  status = alice_.Stubs()->messages->DownloadElemToPath(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.sha256(), theirs["sha256"]);
}

}  // namespace
}  // namespace timd::test
