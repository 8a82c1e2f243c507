// demon_attack: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset:
//   {"score_old":0,"reward":0,"terminal":false,"lives_var":4,"level_change":false}
// score: 0 if (ram[0x81] == 0xAB and ram[0x83] == 0xCD and ram[0x85] == 0xEA) else dec3(0x85, 0x83,
//   0x81)
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xF2] == 0 and ram[0xF1] == 0xBD and not level_change
// lives_var: ram[0xF2] + 1
// lives: terminal ? 0 : lives_var
// update_order: terminal = ram[0xF2] == 0 and ram[0xF1] == 0xBD and not level_change | lives_var =
//   ram[0xF2] + 1 | level_change = false
// modes: M = ram[0xEA]; while M != mode: pressSelect(1), re-read. Then level_change = true;
//   softReset (so the first frame of that softReset cannot be terminal).
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  // level_change: set by mode selection, cleared after every frame; not in upstream cloned state
  kLevelChange = 0,
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"level_change", 0, 1},
};

// state_not_in_clone: level_change -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepExtra(kLevelChange);

void reset(GameState& s) {
  resetWithLives(s, 4);
  s.extra[kLevelChange] = 0;
}

void update(GameState& s, GameHost& h) {
  const bool blank = h.ram(0x81) == 0xAB && h.ram(0x83) == 0xCD && h.ram(0x85) == 0xEA;
  scoreDelta(s, blank ? 0 : dec3(h, 0x85, 0x83, 0x81));
  s.terminal = h.ram(0xF2) == 0 && h.ram(0xF1) == 0xBD && !s.extra[kLevelChange];
  s.livesVar = h.ram(0xF2) + 1;
  s.extra[kLevelChange] = 0;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("demon_attack", h, mode, mode, 1, [&] { return h.ram(0xEA); });
  s.extra[kLevelChange] = 1;
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_demon_attack() {
  GameSpec g;
  g.rom = "demon_attack";
  g.md5 = "f0e0addc07971561ab80d9abe1b8d333";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 3, 4, 11, 12};
  g.startingActions = {};
  g.modes = {1, 3, 5, 7};
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
