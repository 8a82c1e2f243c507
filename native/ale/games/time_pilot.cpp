// time_pilot: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":5}
// score: 100 * dec2(0x8D, 0x8F)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xA0] != 0
// lives_var: if (ram[0x80] & 0x0F) == 2 then (ram[0x8B] & 7) + 1 else unchanged
// lives: terminal ? 0 : lives_var
void reset(GameState& s) { resetWithLives(s, 5); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 100 * dec2(h, 0x8D, 0x8F));
  s.terminal = h.ram(0xA0) != 0;
  if ((h.ram(0x80) & 0x0F) == 2) s.livesVar = (h.ram(0x8B) & 7) + 1;  // else unchanged
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_time_pilot() {
  GameSpec g;
  g.rom = "time_pilot";
  g.md5 = "fc2104dd2dadf9a6176c1c1c8f87ced9";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13};
  g.startingActions = {};
  g.modes = {0};
  g.difficulties = {0, 1, 2};
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
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
