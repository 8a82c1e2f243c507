// star_gunner: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":5,"started":false}
// score: 100 * (d0 + 10*d1 + 100*d2 + 1000*d3), d_k = ram[0x83 + k] & 0x0F, replaced by 0 when it
//   equals 10
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0x87] == 0
// lives_var: started ? (ram[0x87] & 0x0F) : 5
// lives: terminal ? 0 : lives_var
// update_order: b = ram[0x87]; terminal = (b == 0); started = started or (b == 5) (latched);
//   lives_var = started ? (b & 0x0F) : 5
// modes: M = ram[0xF4]; while M != mode: pressSelect(15), re-read. Then softReset.
// A digit equal to 10 counts as 0.
int64_t digit(int v) { return v == 10 ? 0 : v; }

// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kStarted = 0,  // started: latched once ram[0x87] == 5 has been seen; cleared by reset
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
  int64_t score = 0, place = 1;
  for (uint16_t k = 0; k < 4; ++k, place *= 10) score += digit(h.ram(0x83 + k) & 0x0F) * place;
  scoreDelta(s, 100 * score);
  const uint8_t b = h.ram(0x87);
  s.terminal = b == 0;
  if (b == 5) s.extra[kStarted] = 1;
  s.livesVar = s.extra[kStarted] ? (b & 0x0F) : 5;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("star_gunner", h, mode, mode, 15, [&] { return h.ram(0xF4); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_star_gunner() {
  GameSpec g;
  g.rom = "star_gunner";
  g.md5 = "a3c1c70024d7aabb41381adbfb6d3b25";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
