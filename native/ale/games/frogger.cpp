// frogger: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4}
// score: dec2(0xCE, 0xCC)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xD0] == 0xFF
// lives_var: ram[0xD0]
// lives: terminal ? 0 : lives_var
// modes: While ram[0xDD] != 1 + 2*mode: pressSelect(2). Then softReset.
void reset(GameState& s) { resetWithLives(s, 4); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec2(h, 0xCE, 0xCC));
  s.terminal = h.ram(0xD0) == 0xFF;
  s.livesVar = h.ram(0xD0);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("frogger", h, mode, 1 + 2 * mode, 2, [&] { return h.ram(0xDD); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_frogger() {
  GameSpec g;
  g.rom = "frogger";
  g.md5 = "081e2c114c9c20b61acf25fc95c71bf4";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 3, 4, 5};
  g.startingActions = {};
  g.modes = {0, 1, 2};
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
