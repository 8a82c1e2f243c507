// air_raid: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: dec3(0xAA, 0xA9, 0xA8)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xA7] == 0xFF
// lives: terminal ? 0 : 1
// modes: pressSelect(20) once; M = ram[0xAA]; while M != mode: pressSelect(10), re-read. Then
//   softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xAA, 0xA9, 0xA8));
  s.terminal = h.ram(0xA7) == 0xFF;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  h.pressSelect(20);
  pressSelectUntil("air_raid", h, mode, mode, 10, [&] { return h.ram(0xAA); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_air_raid() {
  GameSpec g;
  g.rom = "air_raid";
  g.md5 = "35be55426c1fec32dfb503b4f0651572";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {1};
  g.modes = {1, 2, 3, 4, 5, 6, 7, 8};
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
