// lost_luggage: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0x96, 0x95, 0x94)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xCA] == 0 and ram[0xC8] == 0x0A and ram[0xA5] == 0x00 and ram[0xA9] == 0x00
// lives_var: ram[0xCA]
// lives: terminal ? 0 : lives_var
// modes: While ram[0x94] != 1 + 3*mode: pressSelect(2). Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0x96, 0x95, 0x94));
  s.terminal =
      h.ram(0xCA) == 0 && h.ram(0xC8) == 0x0A && h.ram(0xA5) == 0x00 && h.ram(0xA9) == 0x00;
  s.livesVar = h.ram(0xCA);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("lost_luggage", h, mode, 1 + 3 * mode, 2, [&] { return h.ram(0x94); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_lost_luggage() {
  GameSpec g;
  g.rom = "lost_luggage";
  g.md5 = "2d76c5d1aad506442b9e9fb67765e051";
  g.legalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9};
  g.minimalActions = {0, 2, 3, 4, 5, 6, 7, 8, 9};
  g.startingActions = {1};
  g.modes = {0, 1};
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
