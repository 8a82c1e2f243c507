// tennis: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"dp_old":0,"ds_old":0}
// reward: see update
// terminal: see update
// lives: 0 (constant)
// update_order: a = ram[0xC5], b = ram[0xC6], p = ram[0xC7], q = ram[0xC8] (binary) | dp = p - q;
//   ds = a - b | r = (dp != dp_old) ? dp - dp_old : ((ds != ds_old) ? ds - ds_old : 0); dp_old =
//   dp; ds_old = ds | terminal = (p >= 6 and dp >= 2) or (q >= 6 and -dp >= 2) or p == 7 or q == 7
// modes: M = ram[0x80]; while M != mode: pressSelect(2), re-read. Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kDpOld = 0,  // dp_old: previous set difference
  kDsOld = 1,  // ds_old: previous game difference
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"dp_old", -255, 255},
    {"ds_old", -255, 255},
};

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kDpOld] = 0;
  s.extra[kDsOld] = 0;
}

void update(GameState& s, GameHost& h) {
  const int a = h.ram(0xC5), b = h.ram(0xC6), p = h.ram(0xC7), q = h.ram(0xC8);
  const int64_t dp = p - q, ds = a - b;
  s.reward = dp != s.extra[kDpOld] ? dp - s.extra[kDpOld] : (ds != s.extra[kDsOld] ? ds - s.extra[kDsOld] : 0);
  s.extra[kDpOld] = dp;
  s.extra[kDsOld] = ds;
  s.terminal = (p >= 6 && dp >= 2) || (q >= 6 && -dp >= 2) || p == 7 || q == 7;
}

int lives(const GameState& s, GameHost& h) { return 0; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("tennis", h, mode, mode, 2, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_tennis() {
  GameSpec g;
  g.rom = "tennis";
  g.md5 = "42cdd6a9e42a3639e190722b8ea3fc51";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 2};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
