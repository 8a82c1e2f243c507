// qbert: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":4,"last_lives":2}
// score: dec3(0xDB, 0xDA, 0xD9)
// reward: see update
// terminal: ram[0x88] == 0xFE or (ram[0x88] == 0x02 and last_lives == -1)
// lives_var: decremented by one whenever s8(ram[0x88]) == last_lives - 1
// lives: terminal ? 0 : lives_var
// update_order: v = ram[0x88] | terminal = (v == 0xFE) or (v == 0x02 and last_lives == -1) | c =
//   s8(v); if last_lives - 1 == c: { lives_var = lives_var - 1 }; last_lives = c | if not terminal:
//   { r = dec3(0xDB, 0xDA, 0xD9) - score_old; score_old = dec3(0xDB, 0xDA, 0xD9) } else: { r = 0 }
//   (score_old unchanged on a terminal frame)
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kLastLives = 0,  // last_lives: s8(ram[0x88]) of the previous frame
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"last_lives", -128, 127},
};

void reset(GameState& s) {
  resetWithLives(s, 4);
  s.extra[kLastLives] = 2;
}

void update(GameState& s, GameHost& h) {
  const uint8_t v = h.ram(0x88);
  s.terminal = v == 0xFE || (v == 0x02 && s.extra[kLastLives] == -1);
  const int c = s8(v);
  if (s.extra[kLastLives] - 1 == c) s.livesVar -= 1;
  s.extra[kLastLives] = c;
  if (!s.terminal) {
    scoreDelta(s, dec3(h, 0xDB, 0xDA, 0xD9));
  } else {
    s.reward = 0;  // score_old unchanged on a terminal frame
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_qbert() {
  GameSpec g;
  g.rom = "qbert";
  g.md5 = "484b0076816a104875e00467d431c2d2";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5};
  g.startingActions = {};
  g.modes = {0};
  g.difficulties = {0, 1};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 40;
  g.height = 210;
  g.hmoveBlanks = true;
  g.paddleMaxOverride = -1;
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
