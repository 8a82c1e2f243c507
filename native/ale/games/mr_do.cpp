// mr_do: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4}
// score: 10 * dec2(0x82, 0x83)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xDA] == 0x40
// lives_var: ram[0xDB]
// lives: terminal ? 0 : lives_var
// modes: While ram[0x80] != mode: pressSelect(5). Then softReset.
void reset(GameState& s) { resetWithLives(s, 4); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 10 * dec2(h, 0x82, 0x83));
  s.terminal = h.ram(0xDA) == 0x40;
  s.livesVar = h.ram(0xDB);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("mr_do", h, mode, mode, 5, [&] { return h.ram(0x80); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_mr_do() {
  GameSpec g;
  g.rom = "mr_do";
  g.md5 = "aa7bb54d2c189a31bb1fa20099e42859";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13};
  g.startingActions = {1};
  g.modes = {0, 1, 2, 3};
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
