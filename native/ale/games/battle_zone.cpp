// battle_zone: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":5}
// score: 1000 * (d1 + 10*d2 + 100*d3) where d1 = ram[0x9D] >> 4, d2 = ram[0x9E] & 0x0F, d3 =
//   ram[0x9E] >> 4, and each of d1, d2, d3 is replaced by 0 when it equals 10 (the low nibble of
//   ram[0x9D] is ignored)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xBA] & 0x0F) == 0
// lives_var: ram[0xBA] & 0x0F
// lives: terminal ? 0 : lives_var
// modes: M = ram[0xA1]; while M != mode: pressSelect(2), re-read. Then softReset.
// A digit equal to 10 counts as 0.
int64_t digit(int v) { return v == 10 ? 0 : v; }

void reset(GameState& s) { resetWithLives(s, 5); }

void update(GameState& s, GameHost& h) {
  const int64_t d1 = digit(h.ram(0x9D) >> 4);  // the low nibble of ram[0x9D] is ignored
  const int64_t d2 = digit(h.ram(0x9E) & 0x0F);
  const int64_t d3 = digit(h.ram(0x9E) >> 4);
  scoreDelta(s, 1000 * (d1 + 10 * d2 + 100 * d3));
  s.terminal = (h.ram(0xBA) & 0x0F) == 0;
  s.livesVar = h.ram(0xBA) & 0x0F;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("battle_zone", h, mode, mode, 2, [&] { return h.ram(0xA1); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_battle_zone() {
  GameSpec g;
  g.rom = "battle_zone";
  g.md5 = "41f252a66c6301f1e8ab3612c19bc5d4";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {1, 2, 3};
  g.difficulties = {0};
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
