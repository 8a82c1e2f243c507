// breakout: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":5,"started":false}
// score: (ram[0xCD] & 0x0F) + 10*(ram[0xCD] >> 4) + 100*(ram[0xCC] & 0x0F)
// reward: score_new - score_old (then score_old = score_new)
// terminal: started and ram[0xB9] == 0 (started latches once ram[0xB9] == 5 has been seen)
// lives_var: ram[0xB9]
// lives: terminal ? 0 : lives_var
// update_order: if not started and ram[0xB9] == 5: started = true (latched until ROM reset) |
//   terminal = started and ram[0xB9] == 0 | lives_var = ram[0xB9]
// modes: M = ram[0xB2]; while M != mode: pressSelect(1), re-read. Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kStarted = 0,  // started: latched once ram[0xB9] == 5 has been seen; cleared by reset
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"started", 0, 1},
};

void reset(GameState& s) {
  resetWithLives(s, 5);
  s.extra[kStarted] = 0;
}

void update(GameState& s, GameHost& h) {
  scoreDelta(s, (h.ram(0xCD) & 0x0F) + 10 * (h.ram(0xCD) >> 4) + 100 * (h.ram(0xCC) & 0x0F));
  if (!s.extra[kStarted] && h.ram(0xB9) == 5) s.extra[kStarted] = 1;
  s.terminal = s.extra[kStarted] && h.ram(0xB9) == 0;
  s.livesVar = h.ram(0xB9);
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("breakout", h, mode, mode, 1, [&] { return h.ram(0xB2); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_breakout() {
  GameSpec g;
  g.rom = "breakout";
  g.md5 = "f34f08e5eb96e500e851a80be3277a56";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4};
  g.startingActions = {};
  g.modes = {0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44};
  g.difficulties = {0, 1};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
