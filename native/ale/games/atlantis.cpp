// atlantis: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":6}
// score: 100 * dec3(0xA2, 0xA3, 0xA1)
// reward: r = score_new - score_old and score_old = score_new, BUT if this frame is terminal then r
//   = 0 and score_old keeps its previous value
// terminal: ram[0xF1] == 0xFF
// lives_var: ram[0xF1]
// lives: terminal ? 0 : lives_var
// modes: M = ram[0x8D]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 6); }

void update(GameState& s, GameHost& h) {
  const int64_t score = 100 * dec3(h, 0xA2, 0xA3, 0xA1);
  s.terminal = h.ram(0xF1) == 0xFF;
  if (s.terminal) {
    s.reward = 0;  // score_old keeps its previous value
  } else {
    scoreDelta(s, score);
  }
  s.livesVar = h.ram(0xF1);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("atlantis", h, mode, mode, 2, [&] { return h.ram(0x8D); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_atlantis() {
  GameSpec g;
  g.rom = "atlantis";
  g.md5 = "9ad36e699ef6f45d9eb6c4cf90475c9f";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 11, 12};
  g.startingActions = {};
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
