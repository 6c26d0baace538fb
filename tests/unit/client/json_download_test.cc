// TIMMsgDownloadElemToPath's JSON: the download parameter -> request, and
// the "downloading" progress payload.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using timclient::ParseResult;

TEST(ClientJsonDownload, ParameterKeysBecomeTheRequest) {
  tim::v1::DownloadElemToPathRequest req;
  std::string why;
  ASSERT_EQ(timclient::ParseDownloadElemParam(
                R"({"msg_download_elem_param_type":1,"msg_download_elem_param_id":"ab12",
                    "msg_download_elem_param_business_id":0,"msg_download_elem_param_url":"https://h/f.bin"})",
                &req, &why),
            ParseResult::kOk)
      << why;
  EXPECT_EQ(req.type(), 1u);
  EXPECT_EQ(req.id(), "ab12");
  EXPECT_EQ(req.url(), "https://h/f.bin");
  EXPECT_TRUE(req.path().empty());  // the call's own argument

  EXPECT_EQ(timclient::ParseDownloadElemParam(R"({"msg_download_elem_param_type":1})", &req, &why),
            ParseResult::kParam);
  EXPECT_NE(why.find("msg_download_elem_param_url"), std::string::npos) << why;
  EXPECT_EQ(timclient::ParseDownloadElemParam(R"({"msg_download_elem_param_url":5})", &req, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseDownloadElemParam("[1]", &req, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseDownloadElemParam("{nope", &req, &why), ParseResult::kJson);
}

TEST(ClientJsonDownload, ProgressCarriesBothSizes) {
  const auto j = nlohmann::json::parse(timclient::DownloadProgressJson(5000000000ull, 6000000000ull));
  EXPECT_EQ(j["msg_download_elem_result_current_size"], 5000000000ull);
  EXPECT_EQ(j["msg_download_elem_result_total_size"], 6000000000ull);
}

}  // namespace
