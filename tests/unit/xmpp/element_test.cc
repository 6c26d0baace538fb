#include "xmpp/element.h"

#include <gtest/gtest.h>

#include <string>

namespace timd::xmpp {
namespace {

TEST(IsXmlText, AcceptsTheCharactersXmlCarries) {
  EXPECT_TRUE(IsXmlText(""));
  EXPECT_TRUE(IsXmlText("tab\tLF\nCR\r <&>'\""));
  EXPECT_TRUE(IsXmlText("\xc2\x80 \xc3\xa9 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbd \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"));
}

TEST(IsXmlText, RefusesControlsNoncharactersAndBadUtf8) {
  for (const std::string bad : {std::string("a\0b", 3), std::string("\x01"), std::string("\x1f"),
                                std::string("\xef\xbf\xbe"), std::string("\xef\xbf\xbf"),    // U+FFFE, U+FFFF
                                std::string("\xed\xa0\x80"), std::string("\xed\xbf\xbf"),    // surrogates
                                std::string("\xc0\xaf"), std::string("\xe0\x80\xaf"),        // overlong
                                std::string("\xf4\x90\x80\x80"), std::string("\xf8\x88\x80\x80\x80"),  // > U+10FFFF
                                std::string("\x80"), std::string("\xc3"), std::string("\xe2\x82")}) {  // broken
    EXPECT_FALSE(IsXmlText(bad)) << testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace timd::xmpp
