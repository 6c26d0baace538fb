// file_app: a file sent with TIMMsgSendMessage and fetched with
// TIMMsgDownloadElemToPath through libtimclient, as an app does it.
//
//   file_app --socket S --consumer C --user U --sig-file F --peer P --file PATH --out PATH
//
// Logs in, sends P a file element of --file (file_elem_file_path),
// printing "upload-progress <index> <cur> <total>" per
// TIMMsgElemUploadProgressCallback call and "send <code> <json>"; then
// downloads the sent element's file_elem_url to --out, printing
// "download-progress <json>" per "downloading" call and "download <code>";
// then a URL nobody serves (another slot): "download-bad <code> <desc>".
// With --snapshot IMAGE --snapshot-out PATH (--out is still required) the element is a video of
// --file with IMAGE as its snapshot (video_elem_image_path, 320x240), and
// instead of the downloads above its video_elem_image_url is downloaded as
// kTIMDownload_VideoThumb to PATH ("download-thumb <code>"), then a video
// whose snapshot does not exist is sent ("send-bad-snapshot <code> <desc>").
// Ends with "done".
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"
#include "integration/client/app_login.h"

namespace {

using timd::test::Call;
using timd::test::Print;

void OnUploadProgress(const char*, uint32_t index, uint32_t cur_size, uint32_t total_size, const void*) {
  Print("upload-progress " + std::to_string(index) + " " + std::to_string(cur_size) + " " +
            std::to_string(total_size));
}

std::string DownloadParam(const std::string& url, int type = kTIMDownload_File) {
  return nlohmann::json{{"msg_download_elem_param_type", type},
                        {"msg_download_elem_param_id", ""},
                        {"msg_download_elem_param_business_id", 0},
                        {"msg_download_elem_param_url", url}}
      .dump();
}

std::string VideoMessage(const std::string& video, const std::string& snapshot) {
  return nlohmann::json{{kTIMMsgElemArray,
                         {{{kTIMElemType, kTIMElem_Video},
                           {kTIMVideoElemVideoPath, video},
                           {kTIMVideoElemImagePath, snapshot},
                           {kTIMVideoElemImageWidth, 320},
                           {kTIMVideoElemImageHeight, 240}}}}}
      .dump();
}

// The --snapshot run: a video with its snapshot, the snapshot downloaded,
// then a snapshot path that does not exist.
void SendVideoWithSnapshot(const std::string& peer, const std::string& video, const std::string& snapshot,
                           const std::string& out) {
  const std::string message = VideoMessage(video, snapshot);
  Call send;
  if (send.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, message.c_str(), nullptr, Call::Callback,
                                            &send)) == 0) {
    const std::string url = nlohmann::json::parse(send.json)[kTIMMsgElemArray][0][kTIMVideoElemImageUrl];
    Call download;
    download.Finish("download-thumb", TIMMsgDownloadElemToPath(DownloadParam(url, kTIMDownload_VideoThumb).c_str(),
                                                               out.c_str(), Call::Callback, &download));
  }
  const std::string bad = VideoMessage(video, snapshot + ".missing");
  Call bad_send;
  bad_send.Finish("send-bad-snapshot", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, bad.c_str(), nullptr,
                                                         Call::Callback, &bad_send));
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string peer = args["--peer"], file = args["--file"], out = args["--out"];
  if (args["--user"].empty() || parsed.sig.empty() || peer.empty() || file.empty() || out.empty()) {
    std::cerr << "usage: file_app --socket S --consumer C --user U --sig-file F --peer P --file PATH --out PATH\n";
    return 2;
  }
  const bool logged_in = timd::test::InitAndLogin(parsed, [] {
    TIMSetMsgElemUploadProgressCallback(OnUploadProgress, nullptr);
  });
  if (!logged_in) return 1;
  if (!args["--snapshot"].empty()) {
    SendVideoWithSnapshot(peer, file, args["--snapshot"], args["--snapshot-out"]);
    TIMUninit();
    Print("done");
    return 0;
  }
  const std::string message =
      nlohmann::json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_File}, {kTIMFileElemFilePath, file}}}}}.dump();
  Call send;
  if (send.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, message.c_str(), nullptr, Call::Callback,
                                            &send)) == 0) {
    const std::string url = nlohmann::json::parse(send.json)[kTIMMsgElemArray][0][kTIMFileElemUrl];
    Call download;
    download.Finish("download",
                    TIMMsgDownloadElemToPath(DownloadParam(url).c_str(), out.c_str(), Call::Callback, &download));
    // http_file_share finds a file by its slot id, the path's first segment.
    const std::string gone = url.substr(0, url.find("/file_share/")) + "/file_share/no-such-slot/x";
    Call bad;
    bad.Finish("download-bad",
               TIMMsgDownloadElemToPath(DownloadParam(gone).c_str(), out.c_str(), Call::Callback, &bad));
  }
  TIMUninit();
  Print("done");
  return 0;
}
