// chopper_command: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":3,"started":false}
// score: 100 * dec2(0xEE, 0xEC)
// reward: score_new - score_old (then score_old = score_new)
// terminal: started and (ram[0xE4] & 0x0F) == 0
// lives_var: ram[0xE4] & 0x0F
// lives: lives_var (NOT forced to 0 when terminal)
// update_order: lives_var = ram[0xE4] & 0x0F | raw_terminal = (lives_var == 0) | started = started
//   or (ram[0xC2] & 1) != 0 (latched) | terminal = started and raw_terminal
// modes: M = ram[0xE0]; while M != mode: pressSelect(2), re-read. Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  // started: latched once ram[0xC2] bit 0 is seen; cleared by reset; not in upstream cloned state
  kStarted = 0,
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"started", 0, 1},
};

// state_not_in_clone: started -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepExtra(kStarted);

void reset(GameState& s) {
  resetWithLives(s, 3);
  s.extra[kStarted] = 0;
}

void update(GameState& s, GameHost& h) {
  scoreDelta(s, 100 * dec2(h, 0xEE, 0xEC));
  s.livesVar = h.ram(0xE4) & 0x0F;
  const bool rawTerminal = s.livesVar == 0;
  if ((h.ram(0xC2) & 1) != 0) s.extra[kStarted] = 1;
  s.terminal = s.extra[kStarted] && rawTerminal;
}

int lives(const GameState& s, GameHost& h) { return s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("chopper_command", h, mode, mode, 2, [&] { return h.ram(0xE0); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_chopper_command() {
  GameSpec g;
  g.rom = "chopper_command";
  g.md5 = "c1cb228470a87beb5f36e90ac745da26";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
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
  g.notInClone = kNotInClone;
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
