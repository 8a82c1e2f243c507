// klax: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bcd8(peek(0xF0B4)) + 100*bcd8(peek(0xF0B5)) + 10000*bcd8(peek(0xF0B6)) -- bytes 0x34,
//   0x35, 0x36 of the cartridge's extra (Superchip) RAM, read through its read port
// reward: score_new - score_old (then score_old = score_new)
// terminal: (peek(0xF0E9) > 0 and peek(0xF0EE) == peek(0xF0E9)) or (ram[0xA8] == 4 and blocks ==
//   25) or peek(0xF09D) == 0x99, where blocks = number of i in 0..24 with ram[0xB3 + i] not in {0,
//   2, 6, 10, 14}
// lives: terminal ? 0 : 1
// modes: While peek(0xF0EA) != mode: pressSelect(2). Then softReset.
// Reads the Superchip cartridge RAM through its read port (0xF080..0xF0FF on the CPU bus).
int64_t bcd8(uint8_t v) { return 10 * (v >> 4) + (v & 15); }

void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t score =
      bcd8(h.peek(0xF0B4)) + 100 * bcd8(h.peek(0xF0B5)) + 10000 * bcd8(h.peek(0xF0B6));
  scoreDelta(s, score);
  int blocks = 0;
  for (uint16_t i = 0; i < 25; ++i) {
    const uint8_t v = h.ram(0xB3 + i);
    if (v != 0 && v != 2 && v != 6 && v != 10 && v != 14) ++blocks;
  }
  const uint8_t maxMisses = h.peek(0xF0E9);
  s.terminal = (maxMisses > 0 && h.peek(0xF0EE) == maxMisses) ||  // misses reached the maximum
               (h.ram(0xA8) == 4 && blocks == 25) ||                 // board full
               h.peek(0xF09D) == 0x99;                               // last level
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("klax", h, mode, mode, 2, [&] { return h.peek(0xF0EA); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_klax() {
  GameSpec g;
  g.rom = "klax";
  g.md5 = "eed9eaf1a0b6a2b9bc4c8032cb43e3fb";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {1, 0};
  g.modes = {0, 1, 2};
  g.difficulties = {0};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 34;
  g.height = 210;
  g.hmoveBlanks = true;
  g.paddleMaxOverride = -1;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
