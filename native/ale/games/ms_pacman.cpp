// ms_pacman: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xF8, 0xF9, 0xFA)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xFB] & 0x0F) == 0 and ram[0xA7] == 0x53
// lives_var: (ram[0xFB] & 7) + 1
// lives: terminal ? 0 : lives_var
// modes: mode 0: loop pressSelect(10) until ram[0x99] == 1 and ram[0xA1] == 1; other modes: loop
//   pressSelect(10) until ram[0x99] == mode and ram[0xA1] == 0 (condition checked before each
//   press). Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xF8, 0xF9, 0xFA));
  s.terminal = (h.ram(0xFB) & 0x0F) == 0 && h.ram(0xA7) == 0x53;
  s.livesVar = (h.ram(0xFB) & 7) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  // Mode 0 shows as ram[0x99] == 1 with ram[0xA1] == 1; mode m > 0 as ram[0x99] == m with
  // ram[0xA1] == 0 (the condition is checked before each press).
  const int want99 = mode == 0 ? 1 : mode;
  const int wantA1 = mode == 0 ? 1 : 0;
  pressSelectUntilTrue("ms_pacman", h, mode, 10,
                       [&] { return h.ram(0x99) == want99 && h.ram(0xA1) == wantA1; });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_ms_pacman() {
  GameSpec g;
  g.rom = "ms_pacman";
  g.md5 = "87e79cd41ce136fd4f72cc6e2c161bee";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9};
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
  g.hmoveBlanks = false;
  g.paddleMaxOverride = -1;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
