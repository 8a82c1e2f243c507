// pooyan: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0x8A, 0x89, 0x88)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x96] == 0 and ram[0x98] == 0x05
// lives_var: (ram[0x96] & 7) + 1
// lives: terminal ? 0 : lives_var
// modes: pressSelect(2) once; then M = ram[0xBD]; while M != mode: pressSelect(2), re-read. Then
//   softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0x8A, 0x89, 0x88));
  s.terminal = h.ram(0x96) == 0 && h.ram(0x98) == 0x05;
  s.livesVar = (h.ram(0x96) & 7) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  h.pressSelect(2);
  pressSelectUntil("pooyan", h, mode, mode, 2, [&] { return h.ram(0xBD); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_pooyan() {
  GameSpec g;
  g.rom = "pooyan";
  g.md5 = "4799a40b6e889370b7ee55c17ba65141";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 5, 10, 13};
  g.startingActions = {};
  g.modes = {10, 30, 50, 70};
  g.difficulties = {0};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 26;
  g.height = 220;
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
