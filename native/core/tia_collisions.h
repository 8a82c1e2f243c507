// Collision latches (hardware-notes §6) and the per-pixel priority encoder (§5.2).
// Object bits of a pixel: which objects draw there. The 15 latches are kept as one 16-bit word.
#pragma once
#include <array>
#include <cstdint>

namespace eo::core::tiaobj {

// Object bits of one pixel.
enum : uint8_t {
  kP0 = 0x01,
  kM0 = 0x02,
  kP1 = 0x04,
  kM1 = 0x08,
  kBL = 0x10,
  kPF = 0x20,
  kScore = 0x40,     // CTRLPF bit 1 (score mode), folded into the encoder index
  kPriority = 0x80,  // CTRLPF bit 2 (playfield priority)
};

// Collision latch bits.
enum : uint16_t {
  kCxM0P1 = 0x0001, kCxM0P0 = 0x0002, kCxM1P0 = 0x0004, kCxM1P1 = 0x0008,
  kCxP0PF = 0x0010, kCxP0BL = 0x0020, kCxP1PF = 0x0040, kCxP1BL = 0x0080,
  kCxM0PF = 0x0100, kCxM0BL = 0x0200, kCxM1PF = 0x0400, kCxM1BL = 0x0800,
  kCxBLPF = 0x1000, kCxP0P1 = 0x2000, kCxM0M1 = 0x4000,
};

// Latches set by a pixel whose objects are `objects` (low 6 bits).
constexpr std::array<uint16_t, 64> makeCollisionTable() {
  std::array<uint16_t, 64> t{};
  for (int e = 0; e < 64; ++e) {
    uint16_t c = 0;
    auto both = [e](int a, int b) { return (e & a) && (e & b); };
    if (both(kM0, kP1)) c |= kCxM0P1;
    if (both(kM0, kP0)) c |= kCxM0P0;
    if (both(kM1, kP0)) c |= kCxM1P0;
    if (both(kM1, kP1)) c |= kCxM1P1;
    if (both(kP0, kPF)) c |= kCxP0PF;
    if (both(kP0, kBL)) c |= kCxP0BL;
    if (both(kP1, kPF)) c |= kCxP1PF;
    if (both(kP1, kBL)) c |= kCxP1BL;
    if (both(kM0, kPF)) c |= kCxM0PF;
    if (both(kM0, kBL)) c |= kCxM0BL;
    if (both(kM1, kPF)) c |= kCxM1PF;
    if (both(kM1, kBL)) c |= kCxM1BL;
    if (both(kBL, kPF)) c |= kCxBLPF;
    if (both(kP0, kP1)) c |= kCxP0P1;
    if (both(kM0, kM1)) c |= kCxM0M1;
    t[e] = c;
  }
  return t;
}
inline constexpr std::array<uint16_t, 64> kCollisionTable = makeCollisionTable();

// Colour slots of a pixel: 0 COLUBK, 1 COLUPF, 2 COLUP0, 3 COLUP1.
// Index [half][objects | score | priority], half 0 = x < 80.
constexpr std::array<std::array<uint8_t, 256>, 2> makePriorityTable() {
  std::array<std::array<uint8_t, 256>, 2> t{};
  for (int half = 0; half < 2; ++half) {
    for (int e = 0; e < 256; ++e) {
      uint8_t slot = 0;
      if (e & kPriority) {
        // PF and BL in front of P0/M0, in front of P1/M1; score mode is not consulted here.
        if (e & (kP1 | kM1)) slot = 3;
        if (e & (kP0 | kM0)) slot = 2;
        if (e & (kBL | kPF)) slot = 1;
      } else {
        if (e & kBL) slot = 1;
        if (e & kPF) slot = (e & kScore) ? (half == 0 ? 2 : 3) : 1;
        // A P1/M1 pixel over a left-half score-mode PF pixel keeps COLUP0.
        if (e & (kP1 | kM1)) slot = (slot != 2) ? 3 : 2;
        if (e & (kP0 | kM0)) slot = 2;
      }
      t[half][e] = slot;
    }
  }
  return t;
}
inline constexpr std::array<std::array<uint8_t, 256>, 2> kPriorityTable = makePriorityTable();

// Read value (bits 7/6) of collision register `reg` (address & 0x0F, 0..7).
inline uint8_t collisionBits(uint16_t latches, uint8_t reg) {
  auto b = [latches](uint16_t m, uint8_t bit) -> uint8_t { return (latches & m) ? bit : 0; };
  switch (reg & 7) {
    case 0: return b(kCxM0P1, 0x80) | b(kCxM0P0, 0x40);  // CXM0P
    case 1: return b(kCxM1P0, 0x80) | b(kCxM1P1, 0x40);  // CXM1P
    case 2: return b(kCxP0PF, 0x80) | b(kCxP0BL, 0x40);  // CXP0FB
    case 3: return b(kCxP1PF, 0x80) | b(kCxP1BL, 0x40);  // CXP1FB
    case 4: return b(kCxM0PF, 0x80) | b(kCxM0BL, 0x40);  // CXM0FB
    case 5: return b(kCxM1PF, 0x80) | b(kCxM1BL, 0x40);  // CXM1FB
    case 6: return b(kCxBLPF, 0x80);                     // CXBLPF
    default: return b(kCxP0P1, 0x80) | b(kCxM0M1, 0x40);  // CXPPMM
  }
}

}  // namespace eo::core::tiaobj
