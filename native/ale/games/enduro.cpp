// enduro: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: L = ram[0xAD]; if L == 0: 0; else c = dec2(0xAB, 0xAC), cars = (L == 1 ? 200 - c : 300 -
//   c), score = cars + (L >= 2 ? 200 + 300*(L - 2) : 0)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xAF] == 0xFF
// lives: 0 (constant)
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t level = h.ram(0xAD);
  int64_t score = 0;
  if (level != 0) {
    const int64_t c = dec2(h, 0xAB, 0xAC);
    const int64_t cars = level == 1 ? 200 - c : 300 - c;
    score = cars + (level >= 2 ? 200 + 300 * (level - 2) : 0);
  }
  scoreDelta(s, score);
  s.terminal = h.ram(0xAF) == 0xFF;
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_enduro() {
  GameSpec g;
  g.rom = "enduro";
  g.md5 = "94b92a882f6dbaa6993a46e2dcc58402";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 5, 8, 9, 11, 12};
  g.startingActions = {1};
  g.modes = {0};
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
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
