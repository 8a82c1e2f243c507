// freeway: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bcd(0xE7)
// reward: clamp(score_new - score_old, 0, 1)
// terminal: ram[0x96] == 1
// lives: 0 (constant)
// modes: M = ram[0x80]; while M != mode: pressSelect(1), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t score = bcd(h, 0xE7);
  const int64_t d = score - s.scoreOld;
  s.reward = d < 0 ? 0 : (d > 1 ? 1 : d);  // clamp(score_new - score_old, 0, 1)
  s.scoreOld = score;
  s.terminal = h.ram(0x96) == 1;
}

int lives(const GameState& s, GameHost& h) { return 0; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("freeway", h, mode, mode, 1, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_freeway() {
  GameSpec g;
  g.rom = "freeway";
  g.md5 = "8e0ab801b1705a740b476b7f588c6d16";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 5};
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
