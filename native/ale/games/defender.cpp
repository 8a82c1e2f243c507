// defender: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: sum over i = 0..5 of v_i * 10^i, where v_i = ram[0x9C + i] & 0x0F, replaced by 0 when it
//   equals 0x0A
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xC2] == 0
// lives_var: ram[0xC2]
// lives: terminal ? 0 : lives_var
// modes: M = ram[0x9B]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  int64_t score = 0, place = 1;
  for (uint16_t i = 0; i < 6; ++i, place *= 10) {
    const int v = h.ram(0x9C + i) & 0x0F;
    score += (v == 0x0A ? 0 : v) * place;
  }
  scoreDelta(s, score);
  s.terminal = h.ram(0xC2) == 0;
  s.livesVar = h.ram(0xC2);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("defender", h, mode, mode, 2, [&] { return h.ram(0x9B); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_defender() {
  GameSpec g;
  g.rom = "defender";
  g.md5 = "0f643c34e40e3f1daafd9c524d3ffe64";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 16};
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
