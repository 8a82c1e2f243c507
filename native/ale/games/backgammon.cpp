// backgammon: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// reward: see update; r keeps its previous value on frames where no win/loss is detected (it is 0
//   until the deciding frame)
// terminal: latched; see update
// lives: terminal ? 0 : 1
// update_order: Let p(a) = s8(ram[a]). | player_out = -p(0x80); computer_out = p(0x8E). | Over a in
//   0x81..0x8D and 0x8F..0x9B: computer_in += p(a) where p(a) > 0; player_in += -p(a) where p(a) <
//   0 (both sums start at 0 on every frame and are kept as signed 8-bit). | valid = (computer_in +
//   computer_out == 15) and (player_in + player_out == 15). | If valid and player_out == 15:
//   terminal = true, r = +1. Else if valid and computer_out == 15: terminal = true, r = -1. |
//   terminal is latched (only the ROM reset clears it).
// modes: While ram[0xDC] != 3: pressSelect(1). Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int playerOut = -s8(h.ram(0x80));
  const int computerOut = s8(h.ram(0x8E));
  int8_t computerIn = 0, playerIn = 0;  // kept as signed 8-bit sums
  for (uint16_t a = 0x81; a <= 0x9B; ++a) {
    if (a == 0x8E) continue;
    const int p = s8(h.ram(a));
    if (p > 0) computerIn = static_cast<int8_t>(computerIn + p);
    if (p < 0) playerIn = static_cast<int8_t>(playerIn - p);
  }
  const bool valid = computerIn + computerOut == 15 && playerIn + playerOut == 15;
  // r keeps its previous value unless a win/loss is detected; terminal is latched.
  if (valid && playerOut == 15) {
    s.terminal = true;
    s.reward = 1;
  } else if (valid && computerOut == 15) {
    s.terminal = true;
    s.reward = -1;
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("backgammon", h, mode, 3, 1, [&] { return h.ram(0xDC); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_backgammon() {
  GameSpec g;
  g.rom = "backgammon";
  g.md5 = "8556b42aa05f94bc29ff39c39b11bff4";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {1, 3, 4};
  g.startingActions = {};
  g.modes = {0};
  g.difficulties = {3};
  g.left = Controller::Paddles;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 34;
  g.height = 210;
  g.hmoveBlanks = true;
  g.paddleMaxOverride = 1000000;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
