#include "decode/utf8.hpp"

#include <gtest/gtest.h>

namespace kmetrics::kubelet {
namespace {

TEST(Utf8, ValidInputs) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("coredns-558bd4d5db-4dpjz and more than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));                // U+00E9
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));               // U+20AC
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80 ok"));        // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));           // U+10FFFF
}

TEST(Utf8, FirstBadByteOffset) {
  EXPECT_EQ(utf8_error_offset("abc\xc3\x28"), 3u);                // bad continuation
  EXPECT_EQ(utf8_error_offset("abcdefghij\xc0\xaf"), 10u);        // overlong '/'
  EXPECT_EQ(utf8_error_offset("\xed\xa0\x80"), 0u);               // surrogate U+D800
  EXPECT_EQ(utf8_error_offset("x\xf4\x90\x80\x80"), 1u);          // > U+10FFFF
  EXPECT_EQ(utf8_error_offset("ok\xe2\x82"), 2u);                 // truncated
  EXPECT_EQ(utf8_error_offset("\x80"), 0u);                       // lone continuation
  EXPECT_EQ(utf8_error_offset("\xff"), 0u);
}

}  // namespace
}  // namespace kmetrics::kubelet
