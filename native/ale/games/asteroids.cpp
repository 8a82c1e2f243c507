// asteroids: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4}
// score: 10 * dec2(0xBE, 0xBD)
// reward: r = score_new - score_old; if r < 0 then r = r + 100000
// terminal: (ram[0xBC] >> 4) == 0
// lives_var: ram[0xBC] >> 4
// lives: terminal ? 0 : lives_var
// modes: M = ram[0x80]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 4); }

void update(GameState& s, GameHost& h) {
  const int64_t score = 10 * dec2(h, 0xBE, 0xBD);
  int64_t r = score - s.scoreOld;
  if (r < 0) r += 100000;
  s.reward = r;
  s.scoreOld = score;
  s.terminal = (h.ram(0xBC) >> 4) == 0;
  s.livesVar = h.ram(0xBC) >> 4;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("asteroids", h, mode, mode, 2, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_asteroids() {
  GameSpec g;
  g.rom = "asteroids";
  g.md5 = "ccbd36746ed4525821a8083b0d6d2c2c";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
      24, 25, 26, 27, 28, 29, 30, 31, 128};
  g.difficulties = {0, 3};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 34;
  g.height = 210;
  g.hmoveBlanks = false;
  g.paddleMaxOverride = -1;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
