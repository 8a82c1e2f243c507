// et: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":0}
// score: dec3(0xE1, 0xE0, 0xDF)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xE5] + 1) == 0 and ram[0x80] == 8 -- the left operand is never 0 (values 1..256),
//   so the game never reports terminal; only truncation ends an E.T. episode
// lives_var: ram[0xE5] + 1
// lives: terminal ? 0 : lives_var
// modes: M = (ram[0xEA] - 1) mod 256; up to 100 times while M != mode: pressSelect(25), re-read; if
//   still different, the call fails with an error. Then softReset.
void reset(GameState& s) { resetWithLives(s, 0); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xE1, 0xE0, 0xDF));
  // Never true (the left operand is 1..256): only truncation ends an E.T. episode.
  s.terminal = (h.ram(0xE5) + 1) == 0 && h.ram(0x80) == 8;
  s.livesVar = h.ram(0xE5) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  for (int i = 0; i < 100 && ((h.ram(0xEA) - 1) & 0xFF) != mode; ++i) h.pressSelect(25);
  if (((h.ram(0xEA) - 1) & 0xFF) != mode) selectionFailed("et", mode);
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_et() {
  GameSpec g;
  g.rom = "et";
  g.md5 = "615a3bf251a38eb6638cdc7ffbde5480";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2};
  g.difficulties = {0, 1, 2, 3};
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
