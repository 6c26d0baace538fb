#include "domain/text_validation.h"

#include <gtest/gtest.h>

#include <string>

namespace timd::domain {
namespace {

// The problem reported for `text`, or "" when it can be sent.
std::string ProblemOf(std::string_view text) { return XmlTextProblem(text).value_or(""); }

TEST(XmlTextProblem, AcceptsWhatXmlCarries) {
  EXPECT_EQ(ProblemOf(""), "");
  EXPECT_EQ(ProblemOf("plain <ascii> & 'quotes'"), "");
  EXPECT_EQ(ProblemOf("tab\tnewline\ncarriage return\r"), "");
  EXPECT_EQ(ProblemOf("\x20\x7f"), "");             // space and DEL are XML characters
  EXPECT_EQ(ProblemOf("\xc2\x80\xc2\x9f"), "");     // C1 controls are too
  EXPECT_EQ(ProblemOf("\xc3\xa9\xe2\x82\xac"), "");  // é €
  EXPECT_EQ(ProblemOf("\xed\x9f\xbf"), "");          // U+D7FF, just below the surrogates
  EXPECT_EQ(ProblemOf("\xee\x80\x80"), "");          // U+E000, just above them
  EXPECT_EQ(ProblemOf("\xef\xbf\xbd"), "");          // U+FFFD, the last one before U+FFFE
  EXPECT_EQ(ProblemOf("\xf0\x90\x80\x80"), "");      // U+10000
  EXPECT_EQ(ProblemOf("\xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), "");  // emoji, with a skin tone
  EXPECT_EQ(ProblemOf("\xf4\x8f\xbf\xbf"), "");      // U+10FFFF, the last code point
}

TEST(XmlTextProblem, RefusesControlCharactersOtherThanTabLfCr) {
  EXPECT_EQ(ProblemOf(std::string("a\0b", 3)), "byte 1: U+0000 (a control character) cannot be sent");
  EXPECT_EQ(ProblemOf("0123456789abcdefg\x01"), "byte 17: U+0001 (a control character) cannot be sent");
  EXPECT_EQ(ProblemOf("\x08"), "byte 0: U+0008 (a control character) cannot be sent");
  EXPECT_EQ(ProblemOf("\x0b"), "byte 0: U+000B (a control character) cannot be sent");
  EXPECT_EQ(ProblemOf("\x0c"), "byte 0: U+000C (a control character) cannot be sent");
  EXPECT_EQ(ProblemOf("\x1f"), "byte 0: U+001F (a control character) cannot be sent");
}

TEST(XmlTextProblem, RefusesNoncharactersFffeAndFfff) {
  EXPECT_EQ(ProblemOf("x\xef\xbf\xbe"), "byte 1: U+FFFE (a noncharacter) cannot be sent");
  EXPECT_EQ(ProblemOf("\xc3\xa9\xef\xbf\xbf"), "byte 2: U+FFFF (a noncharacter) cannot be sent");
}

TEST(XmlTextProblem, RefusesSurrogatesEncodedInUtf8) {
  EXPECT_EQ(ProblemOf("\xed\xa0\x80"),
            "byte 0: U+D800 (a UTF-16 surrogate, which UTF-8 must not encode) cannot be sent");
  EXPECT_EQ(ProblemOf("ok\xed\xbf\xbf"),
            "byte 2: U+DFFF (a UTF-16 surrogate, which UTF-8 must not encode) cannot be sent");
  // CESU-8 form of U+1F600: a surrogate pair, each half encoded on its own.
  EXPECT_EQ(ProblemOf("\xed\xa0\xbd\xed\xb8\x80"),
            "byte 0: U+D83D (a UTF-16 surrogate, which UTF-8 must not encode) cannot be sent");
}

TEST(XmlTextProblem, RefusesOverlongEncodings) {
  EXPECT_EQ(ProblemOf("\xc0\xaf"), "byte 0: an overlong UTF-8 encoding of U+002F cannot be sent");
  EXPECT_EQ(ProblemOf("\xc0\x80"), "byte 0: an overlong UTF-8 encoding of U+0000 cannot be sent");  // "modified UTF-8"
  EXPECT_EQ(ProblemOf("\xc1\xbf"), "byte 0: an overlong UTF-8 encoding of U+007F cannot be sent");
  EXPECT_EQ(ProblemOf("\xe0\x9f\xbf"), "byte 0: an overlong UTF-8 encoding of U+07FF cannot be sent");
  EXPECT_EQ(ProblemOf("\xf0\x8f\xbf\xbf"), "byte 0: an overlong UTF-8 encoding of U+FFFF cannot be sent");
}

TEST(XmlTextProblem, RefusesCodePointsAboveUnicode) {
  EXPECT_EQ(ProblemOf("\xf4\x90\x80\x80"), "byte 0: a code point above U+10FFFF cannot be sent");
  EXPECT_EQ(ProblemOf("\xf7\xbf\xbf\xbf"), "byte 0: a code point above U+10FFFF cannot be sent");
}

TEST(XmlTextProblem, RefusesTruncatedSequences) {
  EXPECT_EQ(ProblemOf("abc\xc3"), "byte 3: an incomplete UTF-8 sequence cannot be sent");
  EXPECT_EQ(ProblemOf("\xe2\x82"), "byte 0: an incomplete UTF-8 sequence cannot be sent");
  EXPECT_EQ(ProblemOf("\xf0\x9f\x98"), "byte 0: an incomplete UTF-8 sequence cannot be sent");
  EXPECT_EQ(ProblemOf("\xe2\x82z"), "byte 0: an incomplete UTF-8 sequence cannot be sent");  // cut by an ASCII byte
}

TEST(XmlTextProblem, RefusesBytesThatAreNeverUtf8) {
  EXPECT_EQ(ProblemOf("\x80"), "byte 0: 0x80 (not valid UTF-8) cannot be sent");  // stray continuation
  EXPECT_EQ(ProblemOf("ab\xbf"), "byte 2: 0xBF (not valid UTF-8) cannot be sent");
  EXPECT_EQ(ProblemOf("\xf8\x88\x80\x80\x80"), "byte 0: 0xF8 (not valid UTF-8) cannot be sent");
  EXPECT_EQ(ProblemOf("\xff"), "byte 0: 0xFF (not valid UTF-8) cannot be sent");
  EXPECT_EQ(ProblemOf("latin-1 caf\xe9!"), "byte 11: an incomplete UTF-8 sequence cannot be sent");
}

TEST(XmlTextProblem, ReportsTheFirstProblemOnly) {
  EXPECT_EQ(ProblemOf("\xe2\x82\xac\x02\xff"), "byte 3: U+0002 (a control character) cannot be sent");
}

TEST(XmlTextProblem, NeverQuotesTheText) {
  const std::string problem = ProblemOf("secret-password\x01");
  EXPECT_EQ(problem.find("secret"), std::string::npos) << problem;
}

}  // namespace
}  // namespace timd::domain
