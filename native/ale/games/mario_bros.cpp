// mario_bros: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":0}
// score: 100 * dec2(0x8A, 0x89)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x87] == 0
// lives_var: ram[0x87]
// lives: terminal ? 0 : lives_var
// modes: While ram[0x80] != mode: pressSelect(5). Then softReset.
void reset(GameState& s) { resetWithLives(s, 0); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 100 * dec2(h, 0x8A, 0x89));
  s.terminal = h.ram(0x87) == 0;
  s.livesVar = h.ram(0x87);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("mario_bros", h, mode, mode, 5, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_mario_bros() {
  GameSpec g;
  g.rom = "mario_bros";
  g.md5 = "e908611d99890733be31733a979c62d8";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
  g.modes = {0, 2, 4, 6};
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
