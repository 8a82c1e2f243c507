#include "core/tia_playfield.h"

namespace eo::core {
namespace {

// Playfield bit (0..19 in Playfield::Regs::bits order) shown in 4-pixel column i (0..19) of
// the left half: PF0 bits 4..7, then PF1 bits 7..0, then PF2 bits 0..7.
constexpr uint32_t leftColumnBit(int i) {
  if (i < 4) return 1u << i;          // PF0 bit 4+i
  if (i < 12) return 1u << (15 - i);  // PF1 bit 7-(i-4) -> word bit 4 + that
  return 1u << i;                     // PF2 bit i-12 -> word bit 12 + that
}

constexpr std::array<std::array<uint32_t, 160>, 2> makeMask() {
  std::array<std::array<uint32_t, 160>, 2> t{};
  for (int x = 0; x < 160; ++x) {
    int col = (x < 80 ? x : x - 80) / 4;
    t[0][x] = leftColumnBit(col);                         // right half repeats
    t[1][x] = leftColumnBit(x < 80 ? col : 19 - col);     // right half mirrored
  }
  return t;
}

}  // namespace

const std::array<std::array<uint32_t, 160>, 2> Playfield::kMask = makeMask();

void Playfield::reset() {
  regs = Regs{};
  lineReflect_ = 0;
}

void Playfield::ctrlpf(uint8_t v, int32_t clockInLine) {
  regs.ctrlpf = v;
  if (clockInLine < 68 + 79) lineReflect_ = v & 0x01;
}

}  // namespace eo::core
