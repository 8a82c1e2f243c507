// king_kong: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec2(0x83, 0x82)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xEE] == 0
// lives_var: ram[0xEE]
// lives: terminal ? 0 : lives_var
// modes: While ram[0xEC] != 2*mode: pressSelect(2). Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec2(h, 0x83, 0x82));
  s.terminal = h.ram(0xEE) == 0;
  s.livesVar = h.ram(0xEE);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("king_kong", h, mode, 2 * mode, 2, [&] { return h.ram(0xEC); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_king_kong() {
  GameSpec g;
  g.rom = "king_kong";
  g.md5 = "0dd4c69b5f9a7ae96a7a08329496779a";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3};
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
