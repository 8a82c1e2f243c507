// casino: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: dec2(0x95, 0x8C)
// reward: see update; when input is disabled in a non-3 game mode r is NOT recomputed and keeps the
//   previous frame's value (act() adds it again)
// terminal: see update
// lives: terminal ? 0 : 1
// update_order: S = dec2(0x95, 0x8C); gm = ram[0xD4] | if gm == 3: { r = S - score_old; terminal =
//   (S > 0 and ram[0x9E] == 0xAA) } | else: { disabled = (ram[0xD3] & 0x80) != 0; if not disabled:
//   { r = S - score_old }; terminal = (S == 0) or (bcd(0x9E) > 0 and disabled) } | score_old = S
//   (always)
// modes: M = ram[0xD4]; while M != mode: pressSelect(2), re-read. Then softReset.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const int64_t score = dec2(h, 0x95, 0x8C);
  if (h.ram(0xD4) == 3) {
    s.reward = score - s.scoreOld;
    s.terminal = score > 0 && h.ram(0x9E) == 0xAA;
  } else {
    const bool disabled = (h.ram(0xD3) & 0x80) != 0;
    if (!disabled) s.reward = score - s.scoreOld;  // else r keeps the previous frame's value
    s.terminal = score == 0 || (bcd(h, 0x9E) > 0 && disabled);
  }
  s.scoreOld = score;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("casino", h, mode, mode, 2, [&] { return h.ram(0xD4); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_casino() {
  GameSpec g;
  g.rom = "casino";
  g.md5 = "b816296311019ab69a21cb9e9e235d12";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 5};
  g.startingActions = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 1, 1};
  g.modes = {0, 2, 3};
  g.difficulties = {0, 1, 2, 3};
  g.left = Controller::Paddles;
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
