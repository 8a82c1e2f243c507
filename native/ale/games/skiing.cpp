// skiing: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: 6000*ram[0xE8] + dec2(0xEA, 0xE9) (elapsed time in centiseconds; minutes byte is binary)
// reward: score_old - score_new (negative: minus the time elapsed this frame)
// terminal: ram[0x91] == 0xFF
// lives: 0 (constant)
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  // elapsed time in centiseconds; the minutes byte is binary
  const int64_t score = 6000 * h.ram(0xE8) + dec2(h, 0xEA, 0xE9);
  s.reward = s.scoreOld - score;
  s.scoreOld = score;
  s.terminal = h.ram(0x91) == 0xFF;
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_skiing() {
  GameSpec g;
  g.rom = "skiing";
  g.md5 = "b76fbadc8ffb1f83e2ca08b6fb4d6c9f";
  g.legalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9};
  g.minimalActions = {0, 3, 4};
  g.startingActions = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
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
