// boxing: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: my - opp, where my = (ram[0x92] == 0xC0 ? 100 : bcd(0x92)) and opp = (ram[0x93] == 0xC0 ?
//   100 : bcd(0x93))
// reward: score_new - score_old (then score_old = score_new)
// terminal: my == 100 or opp == 100 or ((ram[0x90] >> 4) == 0 and (ram[0x91] & 0x0F) +
//   10*(ram[0x91] >> 4) == 0)
// lives: 0 (constant)
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t my = h.ram(0x92) == 0xC0 ? 100 : bcd(h, 0x92);
  const int64_t opp = h.ram(0x93) == 0xC0 ? 100 : bcd(h, 0x93);
  scoreDelta(s, my - opp);
  s.terminal = my == 100 || opp == 100 ||
               ((h.ram(0x90) >> 4) == 0 && (h.ram(0x91) & 0x0F) + 10 * (h.ram(0x91) >> 4) == 0);
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_boxing() {
  GameSpec g;
  g.rom = "boxing";
  g.md5 = "c3ef5c4653212088eda54dc91d787870";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0};
  g.difficulties = {0, 1, 2, 3};
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
