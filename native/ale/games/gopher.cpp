// gopher: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xB2, 0xB1, 0xB0)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xB4] & 7) == 0
// lives_var: number of set bits in (ram[0xB4] & 7) (table 0,1,1,2,1,2,2,3)
// lives: terminal ? 0 : lives_var
// modes: softReset first; then M = ram[0xD3]; while M != mode: pressSelect(5), re-read. Then
//   softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  static constexpr int kBits[8] = {0, 1, 1, 2, 1, 2, 2, 3};
  scoreDelta(s, dec3(h, 0xB2, 0xB1, 0xB0));
  s.terminal = (h.ram(0xB4) & 7) == 0;
  s.livesVar = kBits[h.ram(0xB4) & 7];
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  h.softReset();
  pressSelectUntil("gopher", h, mode, mode, 5, [&] { return h.ram(0xD3); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_gopher() {
  GameSpec g;
  g.rom = "gopher";
  g.md5 = "c16c79aad6272baffb8aae9a7fff0864";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 10, 11, 12};
  g.startingActions = {1};
  g.modes = {0, 2};
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
