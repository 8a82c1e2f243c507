#include "core/tia_missile.h"

#include <array>

namespace eo::core {
namespace {

constexpr int kCopies[8][3] = {{0, -1, -1}, {0, 16, -1}, {0, 32, -1}, {0, 16, 32},
                               {0, 64, -1}, {0, -1, -1}, {0, 32, 64}, {0, -1, -1}};
constexpr uint32_t kHiddenRow = 8 * 4;  // row index of the all-zero row

// + 8 zero bytes: Tia::drawSegment reads rows in 8-byte words.
using MaskTable = std::array<uint8_t, (8 * 4 + 1) * 320 + 8>;

constexpr MaskTable makeMask() {
  MaskTable t{};
  for (int mode = 0; mode < 8; ++mode) {
    for (int size = 0; size < 4; ++size) {
      uint8_t row[160] = {};
      for (int c = 0; c < 3; ++c) {
        const int off = kCopies[mode][c];
        if (off < 0) continue;
        for (int x = 0; x < (1 << size); ++x) row[off + x] = 1;
      }
      for (int x = 0; x < 320; ++x) t[(mode * 4 + size) * 320 + x] = row[x % 160];
    }
  }
  return t;
}

constexpr MaskTable kMaskTable = makeMask();

}  // namespace

const uint8_t* const Missile::kMask = kMaskTable.data();

void Missile::reset() {
  regs = Regs{};
  buildMask(0, kNormal);
}

void Missile::buildMask(uint8_t nusiz, MaskKind kind) {
  uint32_t row;
  if (kind == kHidden) {
    row = kHiddenRow;
  } else {
    uint32_t size = (nusiz >> 4) & 0x03;
    if (kind == kStretched) size |= 0x01;
    row = (nusiz & 0x07) * 4 + size;
  }
  maskIndex_ = row * 320 + 160 - uint32_t(regs.pos);
}

void Missile::resm(int newPos, uint8_t nusiz) {
  regs.pos = int16_t(newPos);
  buildMask(nusiz, kNormal);
}

void Missile::resmp(uint8_t v, int playerPos, uint8_t nusiz) {
  if (regs.resmp && !(v & 0x02)) {
    const int mode = nusiz & 0x07;
    const int middle = mode == 5 ? 8 : (mode == 7 ? 16 : 4);
    regs.pos = int16_t((playerPos + middle) % 160);
    buildMask(nusiz, kNormal);
  }
  regs.resmp = v & 0x02;
}

void Missile::hmove(int delta, uint8_t nusiz) {
  int p = regs.pos + delta;
  if (p >= 160) p -= 160;
  else if (p < 0) p += 160;
  regs.pos = int16_t(p);
  buildMask(nusiz, kNormal);
  regs.cosmicArk = 0;
}

void Missile::cosmicArkLineEnd(uint8_t nusiz) {
  static constexpr int kStep[4] = {18, 33, 0, 17};
  regs.cosmicArkCounter = (regs.cosmicArkCounter + 1) & 3;
  int p = regs.pos - kStep[regs.cosmicArkCounter];
  if (p >= 160) p -= 160;
  else if (p < 0) p += 160;
  regs.pos = int16_t(p);
  buildMask(nusiz, regs.cosmicArkCounter == 1 ? kStretched
                   : regs.cosmicArkCounter == 2 ? kHidden : kNormal);
}

}  // namespace eo::core
