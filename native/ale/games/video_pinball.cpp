// video_pinball: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: dec3(0xB0, 0xB2, 0xB4)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xAF] & 1) != 0
// lives_var: 4 + (ram[0xA8] & 1) - (ram[0x99] & 7)
// lives: terminal ? 0 : lives_var
// modes: M = ram[0xC1]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, dec3(h, 0xB0, 0xB2, 0xB4));
  s.terminal = (h.ram(0xAF) & 1) != 0;
  s.livesVar = 4 + (h.ram(0xA8) & 1) - (h.ram(0x99) & 7);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("video_pinball", h, mode, mode, 2, [&] { return h.ram(0xC1); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_video_pinball() {
  GameSpec g;
  g.rom = "video_pinball";
  g.md5 = "107cc025334211e6d29da0b6be46aec7";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 10, 11, 12};
  g.startingActions = {};
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
