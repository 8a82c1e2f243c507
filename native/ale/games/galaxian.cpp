// galaxian: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xAE, 0xAD, 0xAC)
// reward: r = score_new - score_old; if r < 0 then r = (1000000 - score_old) + score_new
// terminal: (ram[0xBF] & 0x80) != 0
// lives_var: terminal ? 0 : ram[0xB9] + 1
// lives: terminal ? 0 : lives_var
// modes: While ram[0xB3] != mode: pressSelect(1). Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  const int64_t score = dec3(h, 0xAE, 0xAD, 0xAC);
  int64_t r = score - s.scoreOld;
  if (r < 0) r = (1000000 - s.scoreOld) + score;
  s.reward = r;
  s.scoreOld = score;
  s.terminal = (h.ram(0xBF) & 0x80) != 0;
  s.livesVar = s.terminal ? 0 : h.ram(0xB9) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("galaxian", h, mode, mode, 1, [&] { return h.ram(0xB3); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_galaxian() {
  GameSpec g;
  g.rom = "galaxian";
  g.md5 = "211774f4c5739042618be8ff67351177";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {};
  g.modes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
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
