// adventure: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: r, where r is set to 1 on any frame with ram[0xB9] == 0x12 and is never set back to 0 by
//   the per-frame update (only by the ROM reset). Before that it is 0.
// terminal: ram[0xE0] == 2 or ram[0xB9] == 0x12
// lives: 1 (constant, even when terminal)
// modes: M = (ram[0xDD] >> 1) & 3. While M != mode: pressSelect(2 + (envRNG.next_u32() mod 256)),
//   then one full act(NOOP, NOOP) (frame_skip frames, sticky-action draws, frame counters advance,
//   reward discarded), re-read M. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  if (h.ram(0xB9) == 0x12) s.reward = 1;  // never set back to 0 here (only by reset)
  s.terminal = h.ram(0xE0) == 2 || h.ram(0xB9) == 0x12;
}

int lives(const GameState& s, GameHost& h) { return 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  for (int i = 0; ((h.ram(0xDD) >> 1) & 3) != mode; ++i) {
    if (i >= kMaxSelectIterations) selectionFailed("adventure", mode);
    h.pressSelect(2 + static_cast<int>(h.envRandU32() % 256));
    h.act(0);
  }
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_adventure() {
  GameSpec g;
  g.rom = "adventure";
  g.md5 = "4b27f5397c442d25f0c418ccdacf1926";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2};
  g.difficulties = {0, 1, 2, 3};
  g.left = Controller::Joystick;
  g.right = Controller::None;
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
