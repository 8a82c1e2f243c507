// MD5 (RFC 1321): 512-bit blocks, four rounds of 16 operations, little-endian words.
#include "ale/md5.h"

#include <cmath>
#include <cstring>

namespace eo::ale {
namespace {

struct Md5Tables {
  uint32_t k[64];
  Md5Tables() {
    // K[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4.
    for (int i = 0; i < 64; ++i) k[i] = uint32_t(std::floor(std::fabs(std::sin(double(i + 1))) * 4294967296.0));
  }
};

const uint32_t kShift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                             5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                             4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                             6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

inline uint32_t rotl(uint32_t x, uint32_t c) { return (x << c) | (x >> (32 - c)); }

void processBlock(uint32_t h[4], const uint8_t* block, const uint32_t* K) {
  uint32_t m[16];
  for (int i = 0; i < 16; ++i)
    m[i] = uint32_t(block[4 * i]) | (uint32_t(block[4 * i + 1]) << 8) | (uint32_t(block[4 * i + 2]) << 16) |
           (uint32_t(block[4 * i + 3]) << 24);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  for (int i = 0; i < 64; ++i) {
    uint32_t f;
    int g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    uint32_t t = d;
    d = c;
    c = b;
    b = b + rotl(a + f + K[i] + m[g], kShift[i]);
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
}

}  // namespace

std::string md5Hex(const uint8_t* data, size_t size) {
  static const Md5Tables tables;
  uint32_t h[4] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
  size_t full = size / 64;
  for (size_t i = 0; i < full; ++i) processBlock(h, data + 64 * i, tables.k);
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit little endian.
  uint8_t tail[128];
  std::memset(tail, 0, sizeof tail);
  size_t rest = size - 64 * full;
  if (rest) std::memcpy(tail, data + 64 * full, rest);
  tail[rest] = 0x80;
  size_t tailLen = rest + 1 <= 56 ? 64 : 128;
  uint64_t bits = uint64_t(size) * 8u;
  for (int i = 0; i < 8; ++i) tail[tailLen - 8 + i] = uint8_t(bits >> (8 * i));
  for (size_t off = 0; off < tailLen; off += 64) processBlock(h, tail + off, tables.k);
  static const char* hex = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    uint8_t byte = uint8_t(h[i / 4] >> (8 * (i % 4)));
    out[2 * i] = hex[byte >> 4];
    out[2 * i + 1] = hex[byte & 15];
  }
  return out;
}

}  // namespace eo::ale
