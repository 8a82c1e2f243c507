// One player (P0 or P1): GRPx with its vertical-delay copy, REFPx, VDELPx, NUSIZx (copies and
// width), RESPx and HMPx (hardware-notes §5.3). Drawing uses a mask built from the position,
// the NUSIZ mode and whether the first copy is suppressed (after a RESPx mid-line).
#pragma once
#include <cstdint>

namespace eo::core {

class Player {
 public:
  struct Regs {          // saved with the machine state
    int16_t pos;         // 0..159
    uint8_t nusiz;       // full NUSIZx value (bits 4-5 are the missile size)
    uint8_t grp;         // GRPx as written
    uint8_t dgrp;        // vertical-delay copy (taken when the other player's GRP is written)
    uint8_t refp;        // REFPx bit 3 (0 or 0x08)
    uint8_t vdelp;       // VDELPx bit 0
    uint8_t hm;          // HMPx high nibble
    uint8_t current;     // graphics actually drawn: (vdel ? dgrp : grp), reflected if REFP
    uint8_t pad[3];
  };

  // Where a RESPx lands relative to the old copies (hardware-notes §5.3 cases A/B/C).
  enum class ResetCase { kDelay /*A*/, kDisplay /*B*/, kElsewhere /*C*/ };

  void reset();

  void nusiz(uint8_t v);           // NUSIZx: rebuilds the mask with all copies
  void grp(uint8_t v);             // GRPx
  void latchDelayed() { regs.dgrp = regs.grp; refreshGraphics(); }  // other player's GRP write
  void refp(uint8_t v);            // REFPx
  void vdelp(uint8_t v);           // VDELPx
  void hmp(uint8_t v) { regs.hm = v >> 4; }
  void hmclr() { regs.hm = 0; }

  ResetCase resetCase(int newPos) const;       // RESPx: classify before moving
  void resp(int newPos, bool suppressFirstCopy);  // RESPx: move and rebuild the mask
  void hmove(int delta);                       // HMOVE: move and rebuild the mask (all copies)
  void endOfLine() { buildMask(false); }       // masks are rebuilt at every rendered line end

  bool enabled() const { return regs.current != 0; }
  bool pixel(int hpos) const { return (regs.current & kMask[maskIndex_ + hpos]) != 0; }
  // pixel(x) = (regs.current & maskRow()[x]) != 0
  const uint8_t* maskRow() const { return kMask + maskIndex_; }
  uint8_t mode() const { return regs.nusiz & 0x07; }

  Regs regs{};

 private:
  void refreshGraphics();
  void buildMask(bool suppressFirstCopy);

  // [suppressFirstCopy][mode][offset 0..319] graphics bit at (pixel - position) mod 160,
  // stored twice so that index (160 - pos) + hpos never needs a modulo.
  static const uint8_t* const kMask;
  uint32_t maskIndex_ = 160;  // derived drawing state (not part of the saved state)
};

}  // namespace eo::core
