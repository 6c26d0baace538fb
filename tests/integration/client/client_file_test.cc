// TIMMsgSendMessage with a file element, TIMMsgElemUploadProgressCallback
// and TIMMsgDownloadElemToPath through libtimclient (file_app) against
// alice's timd on a real Prosody with http_file_share.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/file_messages.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using json = nlohmann::json;

class ClientFileTest : public AliceFixture {
 protected:
  void SetUp() override {
    prosody_.EnableHttpUpload(4 * 1024 * 1024);
    AliceFixture::SetUp();
  }
};

TEST_F(ClientFileTest, SendWithUploadProgressThenDownloadWithProgress) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string file = work_.File("photo.bin");
  constexpr uint64_t kSize = 1536 * 1024;
  WriteRandomFile(file, kSize, 11);
  const std::string out = work_.File("copy.bin");
  auto args = AliceArgs("file-app");
  args.insert(args.end(), {"--peer", "bob", "--file", file, "--out", out});
  AppProcess app("tests/integration/client/file_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(60))) << app.output() << alice_.log();

  std::string last_upload, send_line, download_line, bad_line;
  int download_progress = 0;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("upload-progress ", 0) == 0) last_upload = line;
    if (line.rfind("send ", 0) == 0) send_line = line;
    if (line.rfind("download-progress ", 0) == 0) {
      ++download_progress;
      const json p = json::parse(line.substr(18));
      EXPECT_TRUE(p.contains("msg_download_elem_result_current_size")) << line;
      EXPECT_TRUE(p.contains("msg_download_elem_result_total_size")) << line;
    }
    if (line.rfind("download ", 0) == 0) download_line = line;
    if (line.rfind("download-bad ", 0) == 0) bad_line = line;
  }
  EXPECT_EQ(last_upload, "upload-progress 0 " + std::to_string(kSize) + " " + std::to_string(kSize)) << app.output();
  ASSERT_EQ(send_line.rfind("send 0 ", 0), 0u) << app.output();
  const json sent = json::parse(send_line.substr(7));
  const json& elem = sent["message_elem_array"][0];
  EXPECT_EQ(elem["elem_type"], 4);
  EXPECT_EQ(elem["file_elem_file_name"], "photo.bin");
  EXPECT_EQ(elem["file_elem_file_size"], kSize);
  EXPECT_EQ(elem["file_elem_file_id"].get<std::string>().size(), 40u);
  EXPECT_EQ(download_line.rfind("download 0", 0), 0u) << app.output();
  EXPECT_GE(download_progress, 1) << app.output();
  EXPECT_EQ(FileSha256Hex(out), FileSha256Hex(file));
  EXPECT_EQ(bad_line.rfind("download-bad 6009 ", 0), 0u) << app.output();
}

}  // namespace
}  // namespace timd::test
