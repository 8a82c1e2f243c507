// Shared notation for the per-game files (games.json header "notation"):
//   ram[A]  -> h.ram(A)            unsigned byte of RIOT RAM at CPU address A (0x80..0xFF)
//   bcd(A)  -> bcd(h, A)           10*(hi nibble) + lo nibble, nibbles NOT validated (A..F = 10..15)
//   dec2(lo, hi), dec3(lo, mid, hi) as in games.json
//   s8(v)   -> s8(v)               two's-complement signed byte
// plus the few recurring steps (score delta, "M = ram[X]; while M != mode: pressSelect(n)").
#pragma once
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>

#include "ale/game.h"

namespace eo::ale::games {

inline int64_t bcd(GameHost& h, uint16_t a) {
  const uint8_t v = h.ram(a);
  return 10 * (v >> 4) + (v & 0x0F);
}

inline int64_t dec2(GameHost& h, uint16_t lo, uint16_t hi) { return bcd(h, lo) + 100 * bcd(h, hi); }

inline int64_t dec3(GameHost& h, uint16_t lo, uint16_t mid, uint16_t hi) {
  return bcd(h, lo) + 100 * bcd(h, mid) + 10000 * bcd(h, hi);
}

inline int s8(uint8_t v) { return static_cast<int8_t>(v); }

// Default reward step: r = score_new - score_old; score_old = score_new.
inline void scoreDelta(GameState& s, int64_t scoreNew) {
  s.reward = scoreNew - s.scoreOld;
  s.scoreOld = scoreNew;
}

// The common state_after_rom_reset {score_old: 0, reward: 0, terminal: false} (+ lives_var).
// Only the listed fields are written: everything else keeps its value, as upstream.
inline void resetBasic(GameState& s, int64_t scoreOld = 0) {
  s.scoreOld = scoreOld;
  s.reward = 0;
  s.terminal = false;
}
inline void resetWithLives(GameState& s, int32_t livesVar) {
  resetBasic(s);
  s.livesVar = livesVar;
}

// Guard for the selection loops: upstream loops forever when a target is unreachable; we stop
// after this many iterations with a clear error instead of hanging.
constexpr int kMaxSelectIterations = 100000;

[[noreturn]] inline void selectionFailed(const char* rom, int mode) {
  throw std::runtime_error(std::string(rom) + ": mode selection did not reach mode " +
                           std::to_string(mode));
}

// "while not reached(): pressSelect(n)" for selection procedures whose stop condition is more
// than one byte equal to the mode.
template <class Reached>
void pressSelectUntilTrue(const char* rom, GameHost& h, int mode, int n, Reached reached) {
  for (int i = 0; !reached(); ++i) {
    if (i >= kMaxSelectIterations) selectionFailed(rom, mode);
    h.pressSelect(n);
  }
}

// "M = read(); while M != target: pressSelect(n), re-read." (target compared as an int).
template <class Read>
void pressSelectUntil(const char* rom, GameHost& h, int mode, int target, int n, Read read) {
  pressSelectUntilTrue(rom, h, mode, n, [&] { return read() == target; });
}

}  // namespace eo::ale::games
