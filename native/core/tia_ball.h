// The ball: ENABL with its vertical-delay copy, VDELBL, RESBL, HMBL; width from CTRLPF bits 4-5
// (hardware-notes §5.4). Drawn with COLUPF.
#pragma once
#include <cstdint>

namespace eo::core {

class Ball {
 public:
  struct Regs {       // saved with the machine state
    int16_t pos;      // 0..159
    uint8_t enabl;    // ENABL bit 1
    uint8_t denabl;   // delayed copy (taken when GRP1 is written)
    uint8_t vdelbl;   // VDELBL bit 0
    uint8_t hm;       // HMBL high nibble
    uint8_t pad[2];
  };

  void reset();

  void enabl(uint8_t v) { regs.enabl = v & 0x02; }
  void latchDelayed() { regs.denabl = regs.enabl; }  // GRP1 write
  void vdelbl(uint8_t v) { regs.vdelbl = v & 0x01; }
  void hmbl(uint8_t v) { regs.hm = v >> 4; }
  void hmclr() { regs.hm = 0; }
  void resbl(int newPos, uint8_t ctrlpf);
  void ctrlpf(uint8_t ctrlpf) { buildMask(ctrlpf); }  // size from CTRLPF bits 4-5
  void hmove(int delta, uint8_t ctrlpf);

  bool enabled() const { return (regs.vdelbl ? regs.denabl : regs.enabl) != 0; }
  bool pixel(int hpos) const { return kMask[maskIndex_ + hpos] != 0; }
  const uint8_t* maskRow() const { return kMask + maskIndex_; }  // pixel(x) = maskRow()[x] != 0

  Regs regs{};

 private:
  void buildMask(uint8_t ctrlpf);
  static const uint8_t* const kMask;  // [size][offset 0..319]
  uint32_t maskIndex_ = 160;          // derived drawing state (not part of the saved state)
};

}  // namespace eo::core
