#include "core/tia_player.h"

#include <array>

namespace eo::core {
namespace {

// Copy offsets of each NUSIZ mode (mode 5 and 7: one double/quad-width copy).
constexpr int kCopies[8][3] = {{0, -1, -1}, {0, 16, -1}, {0, 32, -1}, {0, 16, 32},
                               {0, 64, -1}, {0, -1, -1}, {0, 32, 64}, {0, -1, -1}};

constexpr uint8_t reverseBits(uint8_t v) {
  uint8_t r = 0;
  for (int i = 0; i < 8; ++i)
    if (v & (1 << i)) r |= uint8_t(0x80 >> i);
  return r;
}

// + 8 zero bytes: Tia::drawSegment reads rows in 8-byte words.
using MaskTable = std::array<uint8_t, 2 * 8 * 320 + 8>;

constexpr MaskTable makeMask() {
  MaskTable t{};
  for (int sup = 0; sup < 2; ++sup) {
    for (int mode = 0; mode < 8; ++mode) {
      uint8_t row[160] = {};
      if (mode == 5 || mode == 7) {
        // Double/quad width: one copy, drawn one pixel late (pixels p+1 .. p+16 / p+32).
        const int scale = mode == 5 ? 2 : 4;
        if (sup == 0)
          for (int x = 1; x <= 8 * scale; ++x) row[x] = uint8_t(0x80 >> ((x - 1) / scale));
      } else {
        for (int c = 0; c < 3; ++c) {
          const int off = kCopies[mode][c];
          if (off < 0 || (c == 0 && sup)) continue;
          for (int x = 0; x < 8; ++x) row[off + x] = uint8_t(0x80 >> x);
        }
      }
      for (int x = 0; x < 320; ++x) t[(sup * 8 + mode) * 320 + x] = row[x % 160];
    }
  }
  return t;
}

constexpr MaskTable kMaskTable = makeMask();

}  // namespace

const uint8_t* const Player::kMask = kMaskTable.data();

void Player::reset() {
  regs = Regs{};
  buildMask(false);
}

void Player::refreshGraphics() {
  const uint8_t g = regs.vdelp ? regs.dgrp : regs.grp;
  regs.current = regs.refp ? reverseBits(g) : g;
}

void Player::buildMask(bool suppressFirstCopy) {
  maskIndex_ = uint32_t(((suppressFirstCopy ? 1 : 0) * 8 + mode()) * 320 + 160 - regs.pos);
}

void Player::nusiz(uint8_t v) {
  regs.nusiz = v;
  buildMask(false);
}

void Player::grp(uint8_t v) {
  regs.grp = v;
  refreshGraphics();
}

void Player::refp(uint8_t v) {
  const uint8_t r = v & 0x08;
  if (r != regs.refp) {
    regs.refp = r;
    regs.current = reverseBits(regs.current);
  }
}

void Player::vdelp(uint8_t v) {
  regs.vdelp = v & 0x01;
  refreshGraphics();
}

Player::ResetCase Player::resetCase(int newPos) const {
  const int m = mode();
  const int width = m == 5 ? 16 : (m == 7 ? 32 : 8);
  for (int c = 0; c < 3; ++c) {
    const int off = kCopies[m][c];
    if (off < 0) continue;
    const int d = ((newPos - regs.pos - off) % 160 + 320) % 160;
    if (d < 4) return ResetCase::kDelay;
    if (d < 4 + width) return ResetCase::kDisplay;
  }
  return ResetCase::kElsewhere;
}

void Player::resp(int newPos, bool suppressFirstCopy) {
  regs.pos = int16_t(newPos);
  buildMask(suppressFirstCopy);
}

void Player::hmove(int delta) {
  int p = regs.pos + delta;
  if (p >= 160) p -= 160;
  else if (p < 0) p += 160;
  regs.pos = int16_t(p);
  buildMask(false);
}

}  // namespace eo::core
