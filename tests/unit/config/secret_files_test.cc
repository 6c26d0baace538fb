// ResolveSecretFiles: credentials, missing secret files, modes wider than 0640.
#include "config/secret_files.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace timd {
namespace {

class SecretFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/timd-secret-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ::unsetenv("CREDENTIALS_DIRECTORY");
  }
  void TearDown() override {
    ::unsetenv("CREDENTIALS_DIRECTORY");
    std::filesystem::remove_all(dir_);
  }
  std::string Secret(const std::string& name, mode_t mode) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "secret\n";
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(SecretFilesTest, OwnerOnlyAndGroupReadableFilesPass) {
  Config config;
  config.password_file = Secret("password", 0600);
  config.api_tls_key = Secret("key.pem", 0740);
  EXPECT_FALSE(ResolveSecretFiles(config).has_value());
  EXPECT_EQ(config.password_file, dir_ + "/password");
}

TEST_F(SecretFilesTest, ModeWiderThan0640IsRefusedWithTheFix) {
  for (mode_t mode : {0644, 0660, 0604, 0650}) {
    Config config;
    config.password_file = Secret("password", mode);
    auto refusal = ResolveSecretFiles(config);
    ASSERT_TRUE(refusal.has_value()) << std::oct << mode;
    EXPECT_EQ(refusal->exit_code, EX_NOPERM);
    EXPECT_NE(refusal->message.find("chmod 0600 " + config.password_file), std::string::npos) << refusal->message;
    EXPECT_EQ(refusal->message.find('\n'), std::string::npos);
  }
  Config key_only;
  key_only.api_tls_key = Secret("key.pem", 0644);
  auto refusal = ResolveSecretFiles(key_only);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->exit_code, EX_NOPERM);
  EXPECT_NE(refusal->message.find("tls_key " + key_only.api_tls_key), std::string::npos) << refusal->message;
}

TEST_F(SecretFilesTest, MissingFileIsRefusedNamingLoadCredential) {
  Config config;
  config.password_file = dir_ + "/none";
  auto refusal = ResolveSecretFiles(config);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->exit_code, EX_NOINPUT);
  EXPECT_NE(refusal->message.find(dir_ + "/none"), std::string::npos) << refusal->message;
  EXPECT_NE(refusal->message.find("LoadCredential=password:"), std::string::npos) << refusal->message;
}

TEST_F(SecretFilesTest, BareNameIsACredentialUnderCredentialsDirectory) {
  Secret("password", 0400);
  ::setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
  Config config;
  config.password_file = "password";
  EXPECT_FALSE(ResolveSecretFiles(config).has_value());
  EXPECT_EQ(config.password_file, dir_ + "/password");

  Config missing;
  missing.password_file = "token";  // LoadCredential= names another credential
  auto refusal = ResolveSecretFiles(missing);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->exit_code, EX_NOINPUT);
  EXPECT_NE(refusal->message.find(dir_ + "/token"), std::string::npos) << refusal->message;
}

}  // namespace
}  // namespace timd
