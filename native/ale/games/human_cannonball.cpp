// human_cannonball: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bcd(0xB6)
// reward: score_new - score_old (then score_old = score_new)
// terminal: bcd(0xB6) == 7 or bcd(0xB7) == 7
// lives: terminal ? 0 : 1
// modes: Loop: M = (ram[0xB6] - 1) mod 256, P = ram[0xB7]; while M != mode or P != 1:
//   pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, bcd(h, 0xB6));
  s.terminal = bcd(h, 0xB6) == 7 || bcd(h, 0xB7) == 7;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntilTrue("human_cannonball", h, mode, 2,
                       [&] { return ((h.ram(0xB6) - 1) & 0xFF) == mode && h.ram(0xB7) == 1; });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_human_cannonball() {
  GameSpec g;
  g.rom = "human_cannonball";
  g.md5 = "7972e5101fa548b952d852db24ad6060";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7};
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
