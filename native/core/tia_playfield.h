// Playfield: PF0/PF1/PF2 and the CTRLPF reflection/score/priority bits (hardware-notes §5.1).
// The 20 playfield bits are kept in one word: PF0 bits 4..7 -> bits 0..3, PF1 -> bits 4..11,
// PF2 -> bits 12..19; a per-pixel mask table maps each of the 160 pixels to its bit.
#pragma once
#include <array>
#include <cstdint>

namespace eo::core {

class Playfield {
 public:
  struct Regs {        // saved with the machine state
    uint32_t bits;     // the 20 playfield bits
    uint8_t ctrlpf;    // last CTRLPF value
    uint8_t pad[3];
  };

  void reset();

  void pf0(uint8_t v) { regs.bits = (regs.bits & 0x000FFFF0u) | ((v >> 4) & 0x0Fu); }
  void pf1(uint8_t v) { regs.bits = (regs.bits & 0x000FF00Fu) | (uint32_t(v) << 4); }
  void pf2(uint8_t v) { regs.bits = (regs.bits & 0x00000FFFu) | (uint32_t(v) << 12); }

  // CTRLPF: the reflection used for drawing changes immediately only while the left half of the
  // line is still ahead (clock in line < 147); otherwise from the next line end.
  void ctrlpf(uint8_t v, int32_t clockInLine);

  // End of a rendered line: latch the reflection bit for the next line.
  void endOfLine() { lineReflect_ = regs.ctrlpf & 0x01; }

  bool enabled() const { return regs.bits != 0; }
  bool pixel(int hpos) const { return (regs.bits & kMask[lineReflect_][hpos]) != 0; }
  const uint32_t* maskRow() const { return kMask[lineReflect_].data(); }  // pixel(x) = bits & row[x]
  bool scoreMode() const { return (regs.ctrlpf & 0x02) != 0; }
  bool priority() const { return (regs.ctrlpf & 0x04) != 0; }

  Regs regs{};

  // Playfield bit of each pixel, [reflect][x].
  static const std::array<std::array<uint32_t, 160>, 2> kMask;

 private:
  uint8_t lineReflect_ = 0;  // derived drawing state (not part of the saved state)
};

}  // namespace eo::core
