// atlantis2: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":"not reset by the
//   ROM reset; indeterminate before the first frame (0 in practice)"}
// score: dec3(0xA1, 0xA2, 0xA3)
// reward: see update: terminal is evaluated first; on a terminal frame r = 0 and score_old keeps
//   its value, otherwise r = score_new - score_old and score_old = score_new
// terminal: ram[0xF1] == 0xFF
// lives_var: ram[0xF1]
// lives: terminal ? 0 : lives_var
// update_order: lives_var = ram[0xF1]; terminal = (lives_var == 0xFF) | if terminal: { r = 0 }
//   else: { r = score_new - score_old; score_old = score_new }
// lives_var is not reset by the ROM reset (and not part of the cloned state upstream).
// state_not_in_clone: lives_var -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepLivesVar;

void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  s.livesVar = h.ram(0xF1);
  s.terminal = s.livesVar == 0xFF;
  if (s.terminal) {
    s.reward = 0;
  } else {
    scoreDelta(s, dec3(h, 0xA1, 0xA2, 0xA3));
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_atlantis2() {
  GameSpec g;
  g.rom = "atlantis2";
  g.md5 = "826481f6fc53ea47c9f272f7050eedf7";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 11, 12};
  g.startingActions = {};
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
  g.hmoveBlanks = true;
  g.paddleMaxOverride = -1;
  g.notInClone = kNotInClone;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
