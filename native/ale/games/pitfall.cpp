// pitfall: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":2000,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xD7, 0xD6, 0xD5)
// reward: delta (score_old starts at 2000 after the ROM reset)
// terminal: (ram[0x80] >> 4) == 0 and ram[0x9E] != 0
// lives_var: h = ram[0x80] >> 4; h == 0xA ? 3 : (h == 0x8 ? 2 : 1)
// lives: terminal ? 0 : lives_var
void reset(GameState& s) {
  resetBasic(s, 2000);
  s.livesVar = 3;
}

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xD7, 0xD6, 0xD5));
  s.terminal = (h.ram(0x80) >> 4) == 0 && h.ram(0x9E) != 0;
  const int hi = h.ram(0x80) >> 4;
  s.livesVar = hi == 0xA ? 3 : (hi == 0x8 ? 2 : 1);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_pitfall() {
  GameSpec g;
  g.rom = "pitfall";
  g.md5 = "3e90cf23106f2e08b2781e41299de556";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {2};
  g.modes = {0};
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
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
