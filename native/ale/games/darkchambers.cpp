// darkchambers: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"level":0,"health":0}
// score: 10 * dec2(0xCC, 0xCF)
// reward: see update (r is reset to 0 at the start of every frame)
// terminal: latched; see update
// lives: terminal ? 0 : 1
// update_order: r = 0 | L = ram[0xD5]; if L < level: terminal = true (and nothing else this frame)
//   | else: level = L; S = 10*dec2(0xCC, 0xCF); if S < score_old: terminal = true, else { r = S -
//   score_old; score_old = S }; then if (ram[0xCA] & 0x1F) == 0: terminal = true | terminal is
//   latched (only the ROM reset clears it)
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kLevel = 0,  // level: ram level byte of the last frame; reset to 0 by reset
  kHealth = 1,  // health: reset to 0 by reset; never read
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"level", 0, 255},
    {"health", 0, 0},
};

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kLevel] = 0;
  s.extra[kHealth] = 0;
}

void update(GameState& s, GameHost& h) {
  s.reward = 0;
  const int64_t level = h.ram(0xD5);
  if (level < s.extra[kLevel]) {
    s.terminal = true;
    return;
  }
  s.extra[kLevel] = level;
  const int64_t score = 10 * dec2(h, 0xCC, 0xCF);
  if (score < s.scoreOld) {
    s.terminal = true;
  } else {
    scoreDelta(s, score);
  }
  if ((h.ram(0xCA) & 0x1F) == 0) s.terminal = true;  // terminal is latched
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_darkchambers() {
  GameSpec g;
  g.rom = "darkchambers";
  g.md5 = "106855474c69d08c8ffa308d47337269";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  g.modes = {0};
  g.difficulties = {0};
  g.left = Controller::Joystick;
  g.right = Controller::Joystick;
  g.swapPorts = false;
  g.swapPaddles = false;
  g.difficultyA[0] = false;
  g.difficultyA[1] = false;
  g.ystart = 34;
  g.height = 210;
  g.hmoveBlanks = false;
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
