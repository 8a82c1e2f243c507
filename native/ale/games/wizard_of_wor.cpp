// wizard_of_wor: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3}
// score: 100 * (S >= 8000 ? S - 8000 : S) with S = dec2(0x86, 0x88)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (ram[0x8D] & 0x0F) == 0 and ram[0xF4] == 0xF8
// lives_var: if (ram[0xD7] & 1) == 0 then ram[0x8D] & 0x0F else unchanged
// lives: terminal ? 0 : lives_var
void reset(GameState& s) { resetWithLives(s, 3); }

void update(GameState& s, GameHost& h) {
  const int64_t v = dec2(h, 0x86, 0x88);
  scoreDelta(s, 100 * (v >= 8000 ? v - 8000 : v));
  s.terminal = (h.ram(0x8D) & 0x0F) == 0 && h.ram(0xF4) == 0xF8;
  if ((h.ram(0xD7) & 1) == 0) s.livesVar = h.ram(0x8D) & 0x0F;  // else unchanged
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_wizard_of_wor() {
  GameSpec g;
  g.rom = "wizard_of_wor";
  g.md5 = "7e8aa18bc9502eb57daaf5e7c1e94da7";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13};
  g.startingActions = {};
  g.modes = {0};
  g.difficulties = {0, 1};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = true;
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
