// TIMInit's "timd_instance": the socket of the systemd instance timd@NAME.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "instance_socket.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

// Sets an environment variable for one test, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_.empty() ? unsetenv(name_) : setenv(name_, old_.c_str(), 1); }

 private:
  const char* name_;
  std::string old_;
};

TEST(ClientJsonSdkInstance, InstanceNamesItsSocketUnderRunTimd) {
  ScopedEnv runtime("TIMD_RUNTIME_DIR", nullptr);
  ScopedEnv socket("TIMD_SOCKET", "/tmp/elsewhere.sock");
  timclient::SdkConfig cfg;
  std::string why;
  ASSERT_EQ(timclient::ParseSdkConfig(R"({"timd_instance":"work"})", &cfg, &why), ParseResult::kOk) << why;
  timclient::ApplySdkConfigDefaults(&cfg);
  EXPECT_EQ(cfg.socket, "/run/timd/work.sock");  // the instance wins over $TIMD_SOCKET
}

TEST(ClientJsonSdkInstance, RuntimeDirMovesInstanceSockets) {
  ScopedEnv runtime("TIMD_RUNTIME_DIR", "/tmp/scratch/run");
  EXPECT_EQ(timclient::InstanceSocketPath("alice.bob_2-x"), "/tmp/scratch/run/alice.bob_2-x.sock");
}

TEST(ClientJsonSdkInstance, BadNamesAndBothKeysAreRefused) {
  timclient::SdkConfig cfg;
  std::string why;
  for (const char* json : {R"({"timd_instance":"../etc"})", R"({"timd_instance":".hidden"})",
                           R"({"timd_instance":"a/b"})", R"({"timd_instance":7})",
                           R"({"timd_instance":"work","timd_socket":"/tmp/t.sock"})"}) {
    why.clear();
    EXPECT_EQ(timclient::ParseSdkConfig(json, &cfg, &why), ParseResult::kParam) << json;
    EXPECT_FALSE(why.empty()) << json;
  }
  EXPECT_FALSE(timclient::IsValidInstanceName(std::string(65, 'a')));
  EXPECT_TRUE(timclient::IsValidInstanceName("work"));
}

}  // namespace
