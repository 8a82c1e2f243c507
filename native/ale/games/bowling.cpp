// bowling: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: dec2(0xA1, 0xA6)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xA4] > 0x10
// lives: 0 (constant)
// modes: M = ram[0x82]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec2(h, 0xA1, 0xA6));
  s.terminal = h.ram(0xA4) > 0x10;
}

int lives(const GameState& s, GameHost& h) { return 0; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("bowling", h, mode, mode, 2, [&] { return h.ram(0x82); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_bowling() {
  GameSpec g;
  g.rom = "bowling";
  g.md5 = "c9b7afad3bfd922e006a6bfc1d4f3fe7";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 5, 10, 13};
  g.startingActions = {};
  g.modes = {0, 2, 4};
  g.difficulties = {0, 1};
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
