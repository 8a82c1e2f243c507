// One missile (M0 or M1): ENAMx, RESMx, RESMPx, HMMx; copies and width come from NUSIZx
// (hardware-notes §5.4). M0 also carries the "Cosmic Ark" HMM0 mode (§5.4, ALE model).
#pragma once
#include <cstdint>

namespace eo::core {

class Missile {
 public:
  struct Regs {              // saved with the machine state
    int16_t pos;             // 0..159
    uint8_t enam;            // ENAMx bit 1
    uint8_t resmp;           // RESMPx bit 1
    uint8_t hm;              // HMMx high nibble
    uint8_t cosmicArk;       // Cosmic Ark mode active (M0 only)
    uint8_t cosmicArkCounter;
    uint8_t pad;
  };

  void reset();

  void enam(uint8_t v) { regs.enam = v & 0x02; }
  void hmm(uint8_t v) { regs.hm = v >> 4; }
  void hmclr() { regs.hm = 0; }
  // RESMx: position already computed by the TIA (HBLANK rule and compatibility cases).
  void resm(int newPos, uint8_t nusiz);
  // RESMPx: leaving reset-to-player (bit 1 from 1 to 0) centres the missile on the player.
  void resmp(uint8_t v, int playerPos, uint8_t nusiz);
  void nusiz(uint8_t nusiz) { buildMask(nusiz, kNormal); }  // NUSIZx rebuilds the mask
  void hmove(int delta, uint8_t nusiz);
  // Cosmic Ark mode: per rendered line end, step the position and choose the line's mask.
  void cosmicArkLineEnd(uint8_t nusiz);

  bool enabled() const { return regs.enam && !regs.resmp; }
  bool pixel(int hpos) const { return kMask[maskIndex_ + hpos] != 0; }
  const uint8_t* maskRow() const { return kMask + maskIndex_; }  // pixel(x) = maskRow()[x] != 0

  Regs regs{};

 private:
  enum MaskKind { kNormal, kStretched, kHidden };
  void buildMask(uint8_t nusiz, MaskKind kind);

  // [mode][size][offset 0..319], doubled like the player masks; a final all-zero row.
  static const uint8_t* const kMask;
  uint32_t maskIndex_ = 160;  // derived drawing state (not part of the saved state)
};

}  // namespace eo::core
