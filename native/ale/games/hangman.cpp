// hangman: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset:
//   {"score_old":0,"reward":0,"terminal":false,"player_old":0,"computer_old":0,"t0":-1,"t1":-1}
// reward: (bcd(0xEB) - player_old) - (bcd(0xEC) - computer_old)
// terminal: r != 0 or timed_out (see update)
// lives: terminal ? 0 : 1
// update_order: r = (P - player_old) - (C - computer_old) with P = bcd(0xEB), C = bcd(0xEC);
//   player_old = P; computer_old = C | t1 = t0; t0 = ram[0xF1]; timed_out = (t0 == 0 and t1 == 255)
//   | terminal = (r != 0) or timed_out
// modes: M = ram[0xEE]; while M != mode: pressSelect(2), re-read. Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kPlayerOld = 0,  // player_old: bcd(0xEB) of the last evaluated frame
  kComputerOld = 1,  // computer_old: bcd(0xEC) of the last evaluated frame
  kT0 = 2,  // t0: timer byte ram[0xF1] of this frame; not in upstream cloned state
  kT1 = 3,  // t1: timer byte of the previous frame; not in upstream cloned state
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"player_old", 0, 165},
    {"computer_old", 0, 165},
    {"t0", -1, 255},
    {"t1", -1, 255},
};

// state_not_in_clone: t0, t1 -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepExtra(kT0) | kKeepExtra(kT1);

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kPlayerOld] = 0;
  s.extra[kComputerOld] = 0;
  s.extra[kT0] = -1;
  s.extra[kT1] = -1;
}

void update(GameState& s, GameHost& h) {
  const int64_t p = bcd(h, 0xEB), c = bcd(h, 0xEC);
  s.reward = (p - s.extra[kPlayerOld]) - (c - s.extra[kComputerOld]);
  s.extra[kPlayerOld] = p;
  s.extra[kComputerOld] = c;
  s.extra[kT1] = s.extra[kT0];
  s.extra[kT0] = h.ram(0xF1);
  const bool timedOut = s.extra[kT0] == 0 && s.extra[kT1] == 255;
  s.terminal = s.reward != 0 || timedOut;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("hangman", h, mode, mode, 2, [&] { return h.ram(0xEE); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_hangman() {
  GameSpec g;
  g.rom = "hangman";
  g.md5 = "f16c709df0a6c52f47ff52b9d95b7d8d";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3};
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
  g.notInClone = kNotInClone;
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
