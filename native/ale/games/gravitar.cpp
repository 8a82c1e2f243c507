// gravitar: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":6}
// score: dec3(0x89, 0x88, 0x87)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x81] == 0x01
// lives_var: ram[0x81] == 0 ? 6 : ram[0x84] + 1
// lives: terminal ? 0 : lives_var
// modes: M = ram[0x80]; while M != mode: pressSelect(10), re-read. Then lives_var = {0:6, 1:15,
//   2:6, 3:100, 4:25}[mode] (overwritten on the next frame); softReset.
void reset(GameState& s) { resetWithLives(s, 6); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0x89, 0x88, 0x87));
  s.terminal = h.ram(0x81) == 0x01;
  s.livesVar = h.ram(0x81) == 0 ? 6 : h.ram(0x84) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

int32_t livesForMode(int mode) {
  switch (mode) {
    case 1: return 15;
    case 3: return 100;
    case 4: return 25;
    default: return 6;  // modes 0 and 2
  }
}

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("gravitar", h, mode, mode, 10, [&] { return h.ram(0x80); });
  s.livesVar = livesForMode(mode);  // overwritten on the next frame
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_gravitar() {
  GameSpec g;
  g.rom = "gravitar";
  g.md5 = "8ac18076d01a6b63acf6e2cab4968940";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  g.modes = {0, 1, 2, 3, 4};
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
