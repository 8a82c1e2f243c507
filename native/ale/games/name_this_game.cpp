// name_this_game: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xC6, 0xC5, 0xC4)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xC7] & 7) == 0
// lives_var: ram[0xC7] & 7
// lives: terminal ? 0 : lives_var
// modes: M = ram[0xDE]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xC6, 0xC5, 0xC4));
  s.terminal = (h.ram(0xC7) & 7) == 0;
  s.livesVar = h.ram(0xC7) & 7;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("name_this_game", h, mode, mode, 2, [&] { return h.ram(0xDE); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_name_this_game() {
  GameSpec g;
  g.rom = "name_this_game";
  g.md5 = "36306070f0c90a72461551a7a4f3a209";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {};
  g.modes = {8, 24, 40};
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
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
