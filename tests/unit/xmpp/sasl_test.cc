#include "xmpp/sasl.h"

#include <gsasl.h>
#include <gtest/gtest.h>

#include <string>

namespace timd::xmpp {
namespace {

constexpr char kUser[] = "alice";
constexpr char kPassword[] = "s3cr\xc3\xa9t pw";

std::string Base64Decode(const std::string& in) {
  char* out = nullptr;
  size_t len = 0;
  EXPECT_EQ(gsasl_base64_from(in.data(), in.size(), &out, &len), GSASL_OK);
  std::string result(out, len);
  gsasl_free(out);
  return result;
}

std::string Base64Encode(const std::string& in) {
  char* out = nullptr;
  size_t len = 0;
  EXPECT_EQ(gsasl_base64_to(in.data(), in.size(), &out, &len), GSASL_OK);
  std::string result(out, len);
  gsasl_free(out);
  return result;
}

// An in-process GNU SASL server that knows one account.
class SaslServer {
 public:
  SaslServer() {
    EXPECT_EQ(gsasl_init(&context_), GSASL_OK);
    gsasl_callback_set(context_, &Callback);
  }
  ~SaslServer() {
    if (session_ != nullptr) gsasl_finish(session_);
    gsasl_done(context_);
  }

  bool Start(const char* mechanism) { return gsasl_server_start(context_, mechanism, &session_) == GSASL_OK; }

  // Returns the gsasl result; `out` gets the base64 reply.
  int Step(const std::string& in, std::string* out) {
    char* reply = nullptr;
    int rc = gsasl_step64(session_, in.c_str(), &reply);
    *out = reply != nullptr ? reply : "";
    gsasl_free(reply);
    return rc;
  }

 private:
  static int Callback(Gsasl*, Gsasl_session* session, Gsasl_property property) {
    if (property != GSASL_PASSWORD) return GSASL_NO_CALLBACK;
    const char* authid = gsasl_property_fast(session, GSASL_AUTHID);
    if (authid == nullptr || std::string(authid) != kUser) return GSASL_NO_CALLBACK;
    return gsasl_property_set(session, GSASL_PASSWORD, kPassword);
  }

  Gsasl* context_ = nullptr;
  Gsasl_session* session_ = nullptr;
};

struct ScramRun {
  SaslServer server;
  SaslClient client;
  std::string client_first, server_first, client_final, server_final;
  int server_final_rc = 0;
};

// Runs a SCRAM exchange up to (not including) the client's check of <success/>.
void RunScram(ScramRun& run, const char* mechanism, const char* password) {
  ASSERT_TRUE(run.server.Start(mechanism));
  ASSERT_TRUE(run.client.Start(mechanism, kUser, password, &run.client_first)) << run.client.error();
  EXPECT_FALSE(run.client.completed());
  ASSERT_EQ(run.server.Step(run.client_first, &run.server_first), GSASL_NEEDS_MORE);
  ASSERT_EQ(run.client.Step(run.server_first, &run.client_final), SaslClient::StepResult::kContinue)
      << run.client.error();
  EXPECT_FALSE(run.client.completed());
  run.server_final_rc = run.server.Step(run.client_final, &run.server_final);
}

TEST(SaslClient, ScramSha1SucceedsAndVerifiesTheServer) {
  ScramRun run;
  RunScram(run, "SCRAM-SHA-1", kPassword);
  // No channel binding: the GS2 header must be "n,,".
  EXPECT_EQ(Base64Decode(run.client_first).rfind("n,,n=alice,r=", 0), 0u);
  ASSERT_EQ(run.server_final_rc, GSASL_OK);
  EXPECT_EQ(Base64Decode(run.server_final).rfind("v=", 0), 0u);
  std::string unused;
  EXPECT_EQ(run.client.Step(run.server_final, &unused), SaslClient::StepResult::kDone) << run.client.error();
  EXPECT_TRUE(run.client.completed());
}

TEST(SaslClient, ScramSha256Succeeds) {
  ScramRun run;
  RunScram(run, "SCRAM-SHA-256", kPassword);
  ASSERT_EQ(run.server_final_rc, GSASL_OK);
  std::string unused;
  EXPECT_EQ(run.client.Step(run.server_final, &unused), SaslClient::StepResult::kDone);
  EXPECT_TRUE(run.client.completed());
}

TEST(SaslClient, WrongPasswordIsRejectedByTheServer) {
  ScramRun run;
  RunScram(run, "SCRAM-SHA-1", "wrong password");
  EXPECT_NE(run.server_final_rc, GSASL_OK);
  EXPECT_NE(run.server_final_rc, GSASL_NEEDS_MORE);
  EXPECT_FALSE(run.client.completed());
}

TEST(SaslClient, TamperedServerSignatureFails) {
  ScramRun run;
  RunScram(run, "SCRAM-SHA-1", kPassword);
  ASSERT_EQ(run.server_final_rc, GSASL_OK);
  std::string final_message = Base64Decode(run.server_final);
  ASSERT_GT(final_message.size(), 4u);
  char& c = final_message[3];
  c = c == 'A' ? 'B' : 'A';
  std::string unused;
  EXPECT_EQ(run.client.Step(Base64Encode(final_message), &unused), SaslClient::StepResult::kError);
  EXPECT_FALSE(run.client.completed());
  EXPECT_FALSE(run.client.error().empty());
  EXPECT_EQ(run.client.error().find(kPassword), std::string::npos);
}

TEST(SaslClient, ScramSuccessWithoutDataFails) {
  ScramRun run;
  RunScram(run, "SCRAM-SHA-1", kPassword);
  std::string unused;
  // A bare <success/> (or "=") would skip server authentication.
  EXPECT_EQ(run.client.Step("=", &unused), SaslClient::StepResult::kError);
  EXPECT_FALSE(run.client.completed());
}

TEST(SaslClient, PlainCompletesAtStart) {
  SaslServer server;
  ASSERT_TRUE(server.Start("PLAIN"));
  SaslClient client;
  std::string initial;
  ASSERT_TRUE(client.Start("PLAIN", kUser, kPassword, &initial));
  EXPECT_TRUE(client.completed());
  std::string reply;
  EXPECT_EQ(server.Step(initial, &reply), GSASL_OK);
  std::string unused;
  EXPECT_EQ(client.Step("", &unused), SaslClient::StepResult::kDone);
}

TEST(SaslClient, UnknownMechanismFailsToStart) {
  SaslClient client;
  std::string initial;
  EXPECT_FALSE(client.Start("X-NOT-A-MECHANISM", kUser, kPassword, &initial));
  EXPECT_FALSE(client.error().empty());
  std::string unused;
  EXPECT_EQ(client.Step("abc", &unused), SaslClient::StepResult::kError);
}

TEST(SaslClient, ChooseMechanism) {
  using V = std::vector<std::string>;
  EXPECT_EQ(SaslClient::ChooseMechanism({"SCRAM-SHA-1", "PLAIN"}, true, true), "SCRAM-SHA-1");
  EXPECT_EQ(SaslClient::ChooseMechanism({"PLAIN", "SCRAM-SHA-1"}, true, true), "SCRAM-SHA-1");
  EXPECT_EQ(SaslClient::ChooseMechanism({"SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN"}, true, true), "SCRAM-SHA-256");
  EXPECT_EQ(SaslClient::ChooseMechanism({"SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN"}, true, true), "SCRAM-SHA-1");
  EXPECT_EQ(SaslClient::ChooseMechanism({"SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"}, true, true), "");
  EXPECT_EQ(SaslClient::ChooseMechanism({"PLAIN"}, true, true), "PLAIN");
  EXPECT_EQ(SaslClient::ChooseMechanism({"PLAIN"}, false, true), "");  // not encrypted
  EXPECT_EQ(SaslClient::ChooseMechanism({"PLAIN"}, true, false), "");  // not allowed
  EXPECT_EQ(SaslClient::ChooseMechanism({"GSSAPI", "DIGEST-MD5", "X-OAUTH2"}, true, true), "");
  EXPECT_EQ(SaslClient::ChooseMechanism({"scram-sha-1"}, true, true), "");
  EXPECT_EQ(SaslClient::ChooseMechanism(V{}, true, true), "");
}

}  // namespace
}  // namespace timd::xmpp
