// pacman: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4}
// score: dec3(0xCC, 0xCE, 0xD0)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x98] == 0 and ram[0xE4] == 0x3F
// lives_var: ram[0x98] + 1
// lives: terminal ? 0 : lives_var
// modes: Loop: if (ram[0xCC] - 1) mod 256 == mode and ram[0xE6] == 0 stop, else pressSelect(2).
//   Then softReset.
void reset(GameState& s) { resetWithLives(s, 4); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xCC, 0xCE, 0xD0));
  s.terminal = h.ram(0x98) == 0 && h.ram(0xE4) == 0x3F;
  s.livesVar = h.ram(0x98) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntilTrue("pacman", h, mode, 2,
                       [&] { return ((h.ram(0xCC) - 1) & 0xFF) == mode && h.ram(0xE6) == 0; });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_pacman() {
  GameSpec g;
  g.rom = "pacman";
  g.md5 = "fc2233fc116faef0d3c31541717ca2db";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 3, 4, 5};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7};
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
