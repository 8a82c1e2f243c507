// tetris: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"started":false}
// score: dec2(0xF1, 0xF2)
// reward: see update
// terminal: (ram[0xF3] & 0x80) != 0
// lives_var: 0 (never updated)
// lives: 0 (constant in practice)
// update_order: S = dec2(0xF1, 0xF2); r = (S > score_old) ? S - score_old : 0; score_old = S |
//   started = true | terminal = started and (ram[0xF3] & 0x80) != 0 | if terminal: { score_old = 0;
//   started = false }
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kStarted = 0,  // started
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"started", 0, 1},
};

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kStarted] = 0;
}

void update(GameState& s, GameHost& h) {
  const int64_t score = dec2(h, 0xF1, 0xF2);
  s.reward = score > s.scoreOld ? score - s.scoreOld : 0;
  s.scoreOld = score;
  s.extra[kStarted] = 1;
  s.terminal = s.extra[kStarted] && (h.ram(0xF3) & 0x80) != 0;
  if (s.terminal) {
    s.scoreOld = 0;
    s.extra[kStarted] = 0;
  }
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_tetris() {
  GameSpec g;
  g.rom = "tetris";
  g.md5 = "b0e1ee07fbc73493eac5651a52f90f00";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 5};
  g.startingActions = {};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
