// robotank: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4}
// score: 12*ram[0xB6] + ram[0xB5] (squadrons*12 + tanks, binary)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xA8] == 0 and ram[0xB4] == 0xFF
// lives_var: (ram[0xA8] & 0x0F) + 1
// lives: terminal ? 0 : lives_var
void reset(GameState& s) { resetWithLives(s, 4); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 12 * h.ram(0xB6) + h.ram(0xB5));
  s.terminal = h.ram(0xA8) == 0 && h.ram(0xB4) == 0xFF;
  s.livesVar = (h.ram(0xA8) & 0x0F) + 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_robotank() {
  GameSpec g;
  g.rom = "robotank";
  g.md5 = "4f618c2429138e0280969193ed6c107e";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
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
