// private_eye: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":1000,"reward":0,"terminal":false}
// score: dec3(0xCA, 0xC9, 0xC8)
// reward: delta (score_old starts at 1000 after the ROM reset)
// terminal: ram[0xC2] != 0x00 and ram[0xC2] != 0x01
// lives: 0 (constant)
// modes: M = ram[0x80]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s, 1000); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xCA, 0xC9, 0xC8));
  s.terminal = h.ram(0xC2) != 0x00 && h.ram(0xC2) != 0x01;
}

int lives(const GameState& s, GameHost& h) { return 0; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("private_eye", h, mode, mode, 2, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_private_eye() {
  GameSpec g;
  g.rom = "private_eye";
  g.md5 = "ef3a4f64b6494ba770862768caf04b86";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {2};
  g.modes = {0, 1, 2, 3, 4};
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
