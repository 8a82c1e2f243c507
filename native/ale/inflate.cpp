// DEFLATE decoder (RFC 1951) inside a gzip member (RFC 1952), with CRC-32 and size checks.
#include "ale/inflate.h"

#include <stdexcept>
#include <string>

namespace eo::ale {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("corrupt gzip data: " + what); }

struct BitReader {
  const uint8_t* p;
  size_t n;
  size_t pos = 0;
  uint32_t bitBuf = 0;
  int bitCount = 0;

  uint32_t bits(int k) {  // k <= 16, LSB first
    while (bitCount < k) {
      if (pos >= n) fail("unexpected end of stream");
      bitBuf |= uint32_t(p[pos++]) << bitCount;
      bitCount += 8;
    }
    uint32_t v = bitBuf & ((1u << k) - 1);
    bitBuf >>= k;
    bitCount -= k;
    return v;
  }
  void alignToByte() {
    bitBuf = 0;
    bitCount = 0;
  }
};

// Canonical Huffman code: counts per length and symbols sorted by code.
struct Huffman {
  uint16_t count[16] = {0};
  uint16_t symbol[320] = {0};

  void build(const uint8_t* lengths, int n) {
    for (int i = 0; i < 16; ++i) count[i] = 0;
    for (int i = 0; i < n; ++i) count[lengths[i]]++;
    count[0] = 0;
    int left = 1;
    for (int len = 1; len < 16; ++len) {
      left <<= 1;
      left -= count[len];
      if (left < 0) fail("over-subscribed Huffman code");
    }
    uint16_t offs[16];
    offs[1] = 0;
    for (int len = 1; len < 15; ++len) offs[len + 1] = uint16_t(offs[len] + count[len]);
    for (int i = 0; i < n; ++i)
      if (lengths[i]) symbol[offs[lengths[i]]++] = uint16_t(i);
  }

  int decode(BitReader& br) const {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; ++len) {
      code |= int(br.bits(1));
      int c = count[len];
      if (code - first < c) return symbol[index + (code - first)];
      index += c;
      first += c;
      first <<= 1;
      code <<= 1;
    }
    fail("invalid Huffman code");
  }
};

const uint16_t kLenBase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                               35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
const uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
const uint16_t kDistBase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
const uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void inflateBlockData(BitReader& br, std::vector<uint8_t>& out, const Huffman& lit, const Huffman& dist, size_t maxOut) {
  for (;;) {
    int sym = lit.decode(br);
    if (sym < 256) {
      if (out.size() >= maxOut) fail("decompressed size exceeds the limit");
      out.push_back(uint8_t(sym));
    } else if (sym == 256) {
      return;
    } else {
      sym -= 257;
      if (sym >= 29) fail("invalid length symbol");
      size_t len = kLenBase[sym] + br.bits(kLenExtra[sym]);
      int ds = dist.decode(br);
      if (ds >= 30) fail("invalid distance symbol");
      size_t d = kDistBase[ds] + br.bits(kDistExtra[ds]);
      if (d > out.size()) fail("distance too far back");
      if (out.size() + len > maxOut) fail("decompressed size exceeds the limit");
      size_t from = out.size() - d;
      for (size_t i = 0; i < len; ++i) out.push_back(out[from + i]);
    }
  }
}

uint32_t crc32(const uint8_t* p, size_t n) {
  static uint32_t table[256];
  static bool init = false;
  if (!init) {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    init = true;
  }
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace

std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOut) {
  if (!isGzip(data, size) || size < 18) fail("missing gzip header");
  if (data[2] != 8) fail("unsupported compression method");
  uint8_t flags = data[3];
  size_t pos = 10;
  if (flags & 0x04) {  // FEXTRA
    if (pos + 2 > size) fail("truncated header");
    size_t xlen = data[pos] | (size_t(data[pos + 1]) << 8);
    pos += 2 + xlen;
  }
  for (uint8_t f : {uint8_t(0x08), uint8_t(0x10)}) {  // FNAME, FCOMMENT: zero-terminated
    if (flags & f) {
      while (pos < size && data[pos] != 0) ++pos;
      ++pos;
    }
  }
  if (flags & 0x02) pos += 2;  // FHCRC
  if (pos + 8 > size) fail("truncated header");

  BitReader br{data + pos, size - 8 - pos};
  std::vector<uint8_t> out;
  bool last = false;
  while (!last) {
    last = br.bits(1) != 0;
    uint32_t type = br.bits(2);
    if (type == 0) {
      br.alignToByte();
      if (br.pos + 4 > br.n) fail("truncated stored block");
      uint32_t len = br.p[br.pos] | (uint32_t(br.p[br.pos + 1]) << 8);
      uint32_t nlen = br.p[br.pos + 2] | (uint32_t(br.p[br.pos + 3]) << 8);
      br.pos += 4;
      if ((len ^ 0xFFFFu) != nlen) fail("stored block length check");
      if (br.pos + len > br.n) fail("truncated stored block");
      if (out.size() + len > maxOut) fail("decompressed size exceeds the limit");
      out.insert(out.end(), br.p + br.pos, br.p + br.pos + len);
      br.pos += len;
    } else if (type == 1) {
      uint8_t lengths[320];
      int i = 0;
      for (; i < 144; ++i) lengths[i] = 8;
      for (; i < 256; ++i) lengths[i] = 9;
      for (; i < 280; ++i) lengths[i] = 7;
      for (; i < 288; ++i) lengths[i] = 8;
      Huffman lit, dist;
      lit.build(lengths, 288);
      for (i = 0; i < 30; ++i) lengths[i] = 5;
      dist.build(lengths, 30);
      inflateBlockData(br, out, lit, dist, maxOut);
    } else if (type == 2) {
      int hlit = int(br.bits(5)) + 257, hdist = int(br.bits(5)) + 1, hclen = int(br.bits(4)) + 4;
      if (hlit > 286 || hdist > 30) fail("bad code counts");
      static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
      uint8_t cl[19] = {0};
      for (int i = 0; i < hclen; ++i) cl[order[i]] = uint8_t(br.bits(3));
      Huffman clh;
      clh.build(cl, 19);
      uint8_t lengths[320] = {0};
      int n = 0;
      while (n < hlit + hdist) {
        int sym = clh.decode(br);
        if (sym < 16) {
          lengths[n++] = uint8_t(sym);
        } else {
          int rep = 0;
          uint8_t val = 0;
          if (sym == 16) {
            if (n == 0) fail("repeat with no previous length");
            val = lengths[n - 1];
            rep = 3 + int(br.bits(2));
          } else if (sym == 17) {
            rep = 3 + int(br.bits(3));
          } else {
            rep = 11 + int(br.bits(7));
          }
          if (n + rep > hlit + hdist) fail("too many code lengths");
          while (rep--) lengths[n++] = val;
        }
      }
      if (lengths[256] == 0) fail("no end-of-block code");
      Huffman lit, dist;
      lit.build(lengths, hlit);
      dist.build(lengths + hlit, hdist);
      inflateBlockData(br, out, lit, dist, maxOut);
    } else {
      fail("invalid block type");
    }
  }
  const uint8_t* t = data + size - 8;
  uint32_t crc = t[0] | (uint32_t(t[1]) << 8) | (uint32_t(t[2]) << 16) | (uint32_t(t[3]) << 24);
  uint32_t isize = t[4] | (uint32_t(t[5]) << 8) | (uint32_t(t[6]) << 16) | (uint32_t(t[7]) << 24);
  if (crc32(out.data(), out.size()) != crc) fail("CRC-32 mismatch");
  if (uint32_t(out.size()) != isize) fail("length mismatch");
  return out;
}

}  // namespace eo::ale
