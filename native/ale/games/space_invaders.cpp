// space_invaders: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec2(0xE8, 0xE6)
// reward: r = score_new - score_old; if r < 0 then r = (10000 - score_old) + score_new
// terminal: (ram[0x98] & 0x80) != 0 or ram[0xC9] == 0
// lives_var: ram[0xC9]
// lives: terminal ? 0 : lives_var
// modes: M = ram[0xDC]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  const int64_t score = dec2(h, 0xE8, 0xE6);
  int64_t r = score - s.scoreOld;
  if (r < 0) r = (10000 - s.scoreOld) + score;
  s.reward = r;
  s.scoreOld = score;
  s.terminal = (h.ram(0x98) & 0x80) != 0 || h.ram(0xC9) == 0;
  s.livesVar = h.ram(0xC9);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("space_invaders", h, mode, mode, 2, [&] { return h.ram(0xDC); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_space_invaders() {
  GameSpec g;
  g.rom = "space_invaders";
  g.md5 = "72ffbef6504b75e69ee1045af9075f66";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
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
