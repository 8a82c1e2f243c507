// video_checkers: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: see update; r keeps its previous value (0) until the deciding frame
// terminal: latched; see update
// lives: terminal ? 0 : 1
// update_order: Over squares 0x80..0x87, 0x89..0x90, 0x92..0x99, 0x9B..0xA2: black = count of bytes
//   equal to 0x10 or 0x20; white = count equal to 0x90 or 0xA0 | if black == 0: { r = reverse ? +1
//   : -1; terminal = true } | else if white == 0: { r = reverse ? -1 : +1; terminal = true } |
//   terminal is latched
// modes: reverse = (mode >= 11); target = reverse ? mode + 6 : mode; while ram[0xF6] != target:
//   pressSelect(1). Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  // reverse: set by mode selection for modes >= 11; not touched by reset; not in upstream cloned
  // state
  kReverse = 0,
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"reverse", 0, 1},
};

bool isSquare(uint16_t a) { return a <= 0xA2 && a != 0x88 && a != 0x91 && a != 0x9A; }

// state_not_in_clone: reverse -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepExtra(kReverse);

void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  int black = 0, white = 0;
  for (uint16_t a = 0x80; a <= 0xA2; ++a) {
    if (!isSquare(a)) continue;
    const uint8_t v = h.ram(a);
    if (v == 0x10 || v == 0x20) ++black;
    if (v == 0x90 || v == 0xA0) ++white;
  }
  const bool reverse = s.extra[kReverse] != 0;
  // r keeps its previous value until the deciding frame; terminal is latched.
  if (black == 0) {
    s.reward = reverse ? 1 : -1;
    s.terminal = true;
  } else if (white == 0) {
    s.reward = reverse ? -1 : 1;
    s.terminal = true;
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  const bool reverse = mode >= 11;
  s.extra[kReverse] = reverse ? 1 : 0;
  const int target = reverse ? mode + 6 : mode;
  pressSelectUntil("video_checkers", h, mode, target, 1, [&] { return h.ram(0xF6); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_video_checkers() {
  GameSpec g;
  g.rom = "video_checkers";
  g.md5 = "539d26b6e9df0da8e7465f0f5ad863b7";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {1, 6, 7, 8, 9};
  g.startingActions = {};
  g.modes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19};
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
