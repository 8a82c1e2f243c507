// journey_escape: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: dec3(0x92, 0x91, 0x90)
// reward: r = score_new - score_old, except that r is replaced by 0 when it equals exactly 50000
//   (ignores the starting cash)
// terminal: ram[0x95] == 0 and ram[0x96] == 0
// lives: 0 (constant)
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t score = dec3(h, 0x92, 0x91, 0x90);
  const int64_t r = score - s.scoreOld;
  s.reward = r == 50000 ? 0 : r;  // ignores the starting cash
  s.scoreOld = score;
  s.terminal = h.ram(0x95) == 0 && h.ram(0x96) == 0;
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_journey_escape() {
  GameSpec g;
  g.rom = "journey_escape";
  g.md5 = "718ae62c70af4e5fd8e932fee216948a";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {1};
  g.modes = {0};
  g.difficulties = {0, 1};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 34;
  g.height = 230;
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
