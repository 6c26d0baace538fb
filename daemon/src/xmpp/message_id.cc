#include "xmpp/message_id.h"

#include <openssl/rand.h>

#include <cstdint>
#include <cstdio>

namespace timd::xmpp {

std::string NewMessageId() {
  uint8_t b[16];
  RAND_bytes(b, sizeof b);  // OpenSSL's CSPRNG does not fail once seeded, which it is at startup
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

}  // namespace timd::xmpp
