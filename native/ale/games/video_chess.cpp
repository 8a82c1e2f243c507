// video_chess: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: if ram[0xE1] == 0x82: r = (ram[0xEE] == 0x00 ? +1 : (ram[0xEE] == 0x01 ? -1 : 0)) else r
//   = 0
// terminal: latched: set when ram[0xE1] == 0x82 and ram[0xEE] is 0x00 or 0x01
// lives_var: 1
// lives: terminal ? 0 : 1
// modes: M = ram[0xEA]; while M != mode: pressSelect(1), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  s.reward = 0;
  if (h.ram(0xE1) == 0x82) {
    const uint8_t w = h.ram(0xEE);
    s.reward = w == 0x00 ? 1 : (w == 0x01 ? -1 : 0);
    if (w == 0x00 || w == 0x01) s.terminal = true;  // latched
  }
  s.livesVar = 1;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("video_chess", h, mode, mode, 1, [&] { return h.ram(0xEA); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_video_chess() {
  GameSpec g;
  g.rom = "video_chess";
  g.md5 = "f0b7db930ca0e548c41a97160b9f6275";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4};
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
