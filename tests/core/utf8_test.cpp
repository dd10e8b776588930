#include "core/utf8.h"

#include <doctest/doctest.h>

namespace sketch {

TEST_CASE("utf8: decodes valid sequences and refuses the rest") {
  CHECK(decodeUtf8("a")->codePoint == 'a');
  CHECK(decodeUtf8("\xc3\xa9x")->codePoint == 0xE9);
  CHECK(decodeUtf8("\xc3\xa9x")->length == 2);
  CHECK(decodeUtf8("\xe2\x82\xac")->codePoint == 0x20AC);
  CHECK(decodeUtf8("\xf0\x9f\x99\x82")->codePoint == 0x1F642);
  CHECK_FALSE(decodeUtf8(""));
  CHECK_FALSE(decodeUtf8("\xb9"));              // a continuation byte first
  CHECK_FALSE(decodeUtf8("\xe2\x82"));          // truncated
  CHECK_FALSE(decodeUtf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(decodeUtf8("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(decodeUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(decodeUtf8("\xff"));
}

TEST_CASE("utf8: each byte outside valid UTF-8 becomes U+FFFD") {
  CHECK(validUtf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(validUtf8("a\xb9" "b\xe2\x82") == "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace sketch
