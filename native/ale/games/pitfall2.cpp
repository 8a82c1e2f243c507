// pitfall2: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":4000,"reward":0,"terminal":false,"lives_var":1}
// score: dec3(0xC9, 0xC8, 0xC7)
// reward: delta (score_old starts at 4000 after the ROM reset)
// terminal: score_new == 199000
// lives_var: 1
// lives: terminal ? 0 : 1
void reset(GameState& s) {
  resetBasic(s, 4000);
  s.livesVar = 1;
}

void update(GameState& s, GameHost& h) {
  const int64_t score = dec3(h, 0xC9, 0xC8, 0xC7);
  scoreDelta(s, score);
  s.terminal = score == 199000;
  s.livesVar = 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_pitfall2() {
  GameSpec g;
  g.rom = "pitfall2";
  g.md5 = "6d842c96d5a01967be9680080dd5be54";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {2};
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
