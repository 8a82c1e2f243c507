// tic_tac_toe_3d: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: see update (r reset to 0 every frame)
// terminal: latched; see update
// lives: terminal ? 0 : 1
// update_order: r = 0 | if ram[0xFF] == 0xF3 and ram[0xFE] == 0x10: { r = (ram[0xE1] == 0x08 ? +1 :
//   -1); terminal = true } | if every byte ram[0x9A..0xD9] is non-zero: terminal = true | terminal
//   is latched
// modes: While ram[0x88] != mode: pressSelect(2). Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  s.reward = 0;
  if (h.ram(0xFF) == 0xF3 && h.ram(0xFE) == 0x10) {
    s.reward = h.ram(0xE1) == 0x08 ? 1 : -1;
    s.terminal = true;
  }
  bool full = true;
  for (uint16_t a = 0x9A; a <= 0xD9; ++a) full = full && h.ram(a) != 0;
  if (full) s.terminal = true;  // terminal is latched
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("tic_tac_toe_3d", h, mode, mode, 2, [&] { return h.ram(0x88); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_tic_tac_toe_3d() {
  GameSpec g;
  g.rom = "tic_tac_toe_3d";
  g.md5 = "0db4f4150fecf77e4ce72ca4d04c052f";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7, 8};
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
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
