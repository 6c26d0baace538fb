// Token vectors computed independently with
//   printf '<user>@<domain>:<expires>' | openssl dgst -sha256 -hmac '<key>'
#include <gtest/gtest.h>

#include "mint_token.h"

namespace timctl {
namespace {

TEST(MintToken, MatchesOpensslVector) {
  // printf 'alice@localhost:1700000000' | openssl dgst -sha256 -hmac 's3cret key'
  EXPECT_EQ(MintToken("alice@localhost", "s3cret key", 1700000000),
            "v1:1700000000:22f037466e45ea8304e4472c8ced17df3ec9ac709f556fee04a7d97950c882f9");
}

TEST(MintToken, StripsExactlyOneTrailingNewlineFromTheSecretFile) {
  EXPECT_EQ(SecretFromFileContents("s3cret key\n"), "s3cret key");
  EXPECT_EQ(SecretFromFileContents("s3cret key"), "s3cret key");
  EXPECT_EQ(SecretFromFileContents("line1\n\n"), "line1\n");
  EXPECT_EQ(SecretFromFileContents("key\r\n"), "key\r");
  // printf 'bob@example.org:4102444800' | openssl dgst -sha256 -hmac $'line1\n'
  EXPECT_EQ(MintToken("bob@example.org", SecretFromFileContents("line1\n\n"), 4102444800),
            "v1:4102444800:596c7b851902d4f103407c72d82e36e8e8e08581f12b8653ca182547ba5e4e11");
}

TEST(MintToken, CanonicalUserAtDomainLowerCases) {
  EXPECT_EQ(CanonicalUserAtDomain("Alice@LocalHost"), "alice@localhost");
  EXPECT_EQ(CanonicalUserAtDomain("alice"), std::nullopt);
  EXPECT_EQ(CanonicalUserAtDomain("@localhost"), std::nullopt);
  EXPECT_EQ(CanonicalUserAtDomain("alice@"), std::nullopt);
  EXPECT_EQ(CanonicalUserAtDomain("a@b@c"), std::nullopt);
  EXPECT_EQ(CanonicalUserAtDomain("al ice@b"), std::nullopt);
  EXPECT_EQ(CanonicalUserAtDomain("alice@b:1"), std::nullopt);
}

}  // namespace
}  // namespace timctl
