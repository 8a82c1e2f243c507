// fishing_derby: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bcd(0xBD) - bcd(0xBE)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xBD] == 0x99 or ram[0xBE] == 0x99
// lives: 0 (constant)
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, bcd(h, 0xBD) - bcd(h, 0xBE));
  s.terminal = h.ram(0xBD) == 0x99 || h.ram(0xBE) == 0x99;
}

int lives(const GameState& s, GameHost& h) { return 0; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_fishing_derby() {
  GameSpec g;
  g.rom = "fishing_derby";
  g.md5 = "b8865f05676e64f3bec72b9defdacfa7";
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
