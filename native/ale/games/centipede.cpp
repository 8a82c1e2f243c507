// centipede: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xF6, 0xF5, 0xF4)
// reward: max(0, score_new - score_old)
// terminal: (ram[0xA6] & 0x40) != 0
// lives_var: ((ram[0xED] >> 4) & 7) + 1
// lives: terminal ? 0 : lives_var
// modes: M = ram[0xA7]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  const int64_t score = dec3(h, 0xF6, 0xF5, 0xF4);
  s.reward = score - s.scoreOld > 0 ? score - s.scoreOld : 0;
  s.scoreOld = score;
  s.terminal = (h.ram(0xA6) & 0x40) != 0;
  s.livesVar = ((h.ram(0xED) >> 4) & 7) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("centipede", h, mode, mode, 2, [&] { return h.ram(0xA7); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_centipede() {
  GameSpec g;
  g.rom = "centipede";
  g.md5 = "91c2098e88a6b13f977af8c003e0bca5";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {22, 86};
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
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
