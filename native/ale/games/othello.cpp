// othello: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"no_input":0}
// score: bcd(0xCE) - bcd(0xD0)
// reward: score_new - score_old (then score_old = score_new)
// terminal: no_input > 50 (count of consecutive frames with ram[0xC0] == 0)
// lives: terminal ? 0 : 1
// update_order: if ram[0xC0] == 0: no_input = no_input + 1 else no_input = 0 | terminal = no_input
//   > 50
// modes: M = (ram[0xDE] - 1) mod 256; while M != mode: pressSelect(2), re-read. Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kNoInput = 0,  // no_input: count of consecutive frames with ram[0xC0] == 0
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"no_input", 0, INT64_MAX},
};

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kNoInput] = 0;
}

void update(GameState& s, GameHost& h) {
  scoreDelta(s, bcd(h, 0xCE) - bcd(h, 0xD0));
  if (h.ram(0xC0) == 0) {
    s.extra[kNoInput] += 1;
  } else {
    s.extra[kNoInput] = 0;
  }
  s.terminal = s.extra[kNoInput] > 50;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("othello", h, mode, mode, 2, [&] { return (h.ram(0xDE) - 1) & 0xFF; });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_othello() {
  GameSpec g;
  g.rom = "othello";
  g.md5 = "113cd09c9771ac278544b7e90efe7df2";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  g.startingActions = {};
  g.modes = {0, 1, 2};
  g.difficulties = {0, 2};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
