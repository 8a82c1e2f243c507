// beam_rider: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0x89, 0x8A, 0x8B)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x85] == 0xFF
// lives_var: n = ram[0x85] + 1; if n == lives_var - 1 then (lives_var = n only when ram[0x8C] ==
//   0x01) else lives_var = n
// lives: terminal ? 0 : lives_var
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0x89, 0x8A, 0x8B));
  s.terminal = h.ram(0x85) == 0xFF;
  const int32_t n = h.ram(0x85) + 1;
  if (n == s.livesVar - 1) {
    if (h.ram(0x8C) == 0x01) s.livesVar = n;
  } else {
    s.livesVar = n;
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_beam_rider() {
  GameSpec g;
  g.rom = "beam_rider";
  g.md5 = "79ab4123a83dc11d468fb2108ea09e2e";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 6, 7, 11, 12};
  g.startingActions = {3};
  g.modes = {0};
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
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
