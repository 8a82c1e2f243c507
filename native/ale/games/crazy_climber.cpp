// crazy_climber: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":5}
// score: 100 * (ram[0x82] + 10*ram[0x83] + 100*ram[0x84] + 1000*ram[0x85]) (raw byte values used as
//   digits)
// reward: max(0, score_new - score_old)
// terminal: ram[0xAA] == 0
// lives_var: ram[0xAA]
// lives: terminal ? 0 : lives_var
// modes: M = ram[0x80]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 5); }

void update(GameState& s, GameHost& h) {
  // raw byte values used as digits
  const int64_t score =
      100 * (h.ram(0x82) + 10 * h.ram(0x83) + 100 * h.ram(0x84) + 1000 * h.ram(0x85));
  s.reward = score - s.scoreOld > 0 ? score - s.scoreOld : 0;
  s.scoreOld = score;
  s.terminal = h.ram(0xAA) == 0;
  s.livesVar = h.ram(0xAA);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("crazy_climber", h, mode, mode, 2, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_crazy_climber() {
  GameSpec g;
  g.rom = "crazy_climber";
  g.md5 = "55ef7b65066428367844342ed59f956c";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3};
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
