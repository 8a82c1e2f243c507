// superman: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: see update: terminal ? (5999 - t) : 0 with this frame's terminal (terminal is evaluated
//   before the reward), where t = 60*bcd(0xE3) + bcd(0xE2) (elapsed minutes/seconds)
// terminal: (ram[0x9F] & 0x40) != 0 and (ram[0x80] + 256*ram[0x81]) == 0xF2AC
// lives: terminal ? 0 : 1
// update_order: terminal = (ram[0x9F] & 0x40) != 0 and (ram[0x80] + 256*ram[0x81]) == 0xF2AC | t =
//   60*bcd(0xE3) + bcd(0xE2) | r = terminal ? (5999 - t) : 0
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  s.terminal = (h.ram(0x9F) & 0x40) != 0 && (h.ram(0x80) + 256 * h.ram(0x81)) == 0xF2AC;
  const int64_t t = 60 * bcd(h, 0xE3) + bcd(h, 0xE2);  // elapsed minutes/seconds
  s.reward = s.terminal ? (5999 - t) : 0;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_superman() {
  GameSpec g;
  g.rom = "superman";
  g.md5 = "a9531c763077464307086ec9a1fd057d";
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
