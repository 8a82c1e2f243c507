#include "core/tia_ball.h"

#include <array>

namespace eo::core {
namespace {

// + 8 zero bytes: Tia::drawSegment reads rows in 8-byte words.
using MaskTable = std::array<uint8_t, 4 * 320 + 8>;

constexpr MaskTable makeMask() {
  MaskTable t{};
  for (int size = 0; size < 4; ++size)
    for (int x = 0; x < 320; ++x) t[size * 320 + x] = (x % 160) < (1 << size) ? 1 : 0;
  return t;
}

constexpr MaskTable kMaskTable = makeMask();

}  // namespace

const uint8_t* const Ball::kMask = kMaskTable.data();

void Ball::reset() {
  regs = Regs{};
  buildMask(0);
}

void Ball::buildMask(uint8_t ctrlpf) {
  maskIndex_ = uint32_t(((ctrlpf >> 4) & 0x03) * 320 + 160 - regs.pos);
}

void Ball::resbl(int newPos, uint8_t ctrlpf) {
  regs.pos = int16_t(newPos);
  buildMask(ctrlpf);
}

void Ball::hmove(int delta, uint8_t ctrlpf) {
  int p = regs.pos + delta;
  if (p >= 160) p -= 160;
  else if (p < 0) p += 160;
  regs.pos = int16_t(p);
  buildMask(ctrlpf);
}

}  // namespace eo::core
