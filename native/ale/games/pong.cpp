// pong: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: ram[0x8E] - ram[0x8D] (player minus computer, plain binary)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x8D] == 21 or ram[0x8E] == 21
// lives: 0 (constant)
// modes: M = ram[0x96]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, h.ram(0x8E) - h.ram(0x8D));
  s.terminal = h.ram(0x8D) == 21 || h.ram(0x8E) == 21;
}

int lives(const GameState& s, GameHost& h) { return 0; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("pong", h, mode, mode, 2, [&] { return h.ram(0x96); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_pong() {
  GameSpec g;
  g.rom = "pong";
  g.md5 = "60e0ea3cbe0913d39803477945e9e5ec";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {};
  g.modes = {0, 1};
  g.difficulties = {0, 1, 2, 3};
  g.left = Controller::Paddles;
  g.right = Controller::Paddles;
  g.swapPorts = false;
  g.swapPaddles = true;
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
