// alien: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: 10 * (d(0x8B) + 10*d(0x89) + 100*d(0x87) + 1000*d(0x85) + 10000*d(0x83)) where d(a) = 0 if
//   ram[a] == 0x80 else ram[a] >> 3
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0xC0] & 0x0F) == 0
// lives_var: ram[0xC0] & 0x0F
// lives: lives_var (NOT forced to 0 when terminal)
// modes: M = ram[0x81]; while M != mode: pressSelect(1), re-read. Then lives_var = ram[0xC0] &
//   0x0F; softReset.
// d(a) = 0 if ram[a] == 0x80 else ram[a] >> 3
int64_t digit(GameHost& h, uint16_t a) { return h.ram(a) == 0x80 ? 0 : h.ram(a) >> 3; }

void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 10 * (digit(h, 0x8B) + 10 * digit(h, 0x89) + 100 * digit(h, 0x87) +
                      1000 * digit(h, 0x85) + 10000 * digit(h, 0x83)));
  s.terminal = (h.ram(0xC0) & 0x0F) == 0;
  s.livesVar = h.ram(0xC0) & 0x0F;
}

int lives(const GameState& s, GameHost& h) { return s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("alien", h, mode, mode, 1, [&] { return h.ram(0x81); });
  s.livesVar = h.ram(0xC0) & 0x0F;
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_alien() {
  GameSpec g;
  g.rom = "alien";
  g.md5 = "f1a0a23e6464d954e3a9579c4ccd01c8";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3};
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
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
