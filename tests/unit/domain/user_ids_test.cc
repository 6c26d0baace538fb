#include "domain/user_ids.h"

#include <gtest/gtest.h>

namespace timd::domain {
namespace {

TEST(UserIds, LocalPartLivesOnOwnDomain) {
  UserIds ids("example.org");
  auto jid = ids.ToJid("Bob");
  ASSERT_TRUE(jid.ok());
  EXPECT_EQ(jid.value(), "bob@example.org");
  EXPECT_EQ(ids.ToUserId("bob@example.org"), "bob");
}

TEST(UserIds, ForeignJidsKeepTheirDomain) {
  UserIds ids("example.org");
  auto jid = ids.ToJid("carol@Other.NET");
  ASSERT_TRUE(jid.ok());
  EXPECT_EQ(jid.value(), "carol@other.net");
  EXPECT_EQ(ids.ToUserId("carol@other.net"), "carol@other.net");
  // A subdomain is not the own domain.
  EXPECT_EQ(ids.ToUserId("dave@sub.example.org"), "dave@sub.example.org");
}

TEST(UserIds, RejectsResourcesAndReservedForms) {
  UserIds ids("example.org");
  for (const char* bad : {"", "@TIM#SYSTEM", "bob/phone", "bob@example.org/phone", "@example.org", "bob@",
                          "b\xef\xbf\xbf" "b", "caf\xe9"}) {  // U+FFFF and Latin-1 cannot go into a stanza
    auto jid = ids.ToJid(bad);
    EXPECT_FALSE(jid.ok()) << bad;
    if (!jid.ok()) {
      EXPECT_EQ(jid.status().code(), Code::kInvalidArgument) << bad;
      EXPECT_EQ(jid.status().tim_code(), tim_err::kInvalidIdentifier) << bad;
    }
  }
}

}  // namespace
}  // namespace timd::domain
