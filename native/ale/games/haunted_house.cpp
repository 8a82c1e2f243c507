// haunted_house: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_var":9,"matches":0}
// reward: see update (r reset to 0 every frame)
// terminal: ram[0x96] == 0 or ram[0x99] == 0x44
// lives_var: ram[0x96]
// lives: terminal ? 0 : lives_var
// update_order: r = 0 | m = bcd(0x82); if m != matches: { r = r - 1; matches = m } | lives_var =
//   ram[0x96] | escaped = (ram[0x99] == 0x44); if escaped: r = r + 100 | terminal = (lives_var ==
//   0) or escaped
// modes: While ram[0xCC] != mode: pressSelect(2). Then softReset.
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kMatches = 0,  // matches: last seen bcd(0x82)
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"matches", 0, 165},
};

void reset(GameState& s) {
  resetWithLives(s, 9);
  s.extra[kMatches] = 0;
}

void update(GameState& s, GameHost& h) {
  s.reward = 0;
  const int64_t m = bcd(h, 0x82);
  if (m != s.extra[kMatches]) {
    s.reward -= 1;
    s.extra[kMatches] = m;
  }
  s.livesVar = h.ram(0x96);
  const bool escaped = h.ram(0x99) == 0x44;
  if (escaped) s.reward += 100;
  s.terminal = s.livesVar == 0 || escaped;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : s.livesVar; }

void selectMode(GameState& s, GameHost& h, int mode) {
  pressSelectUntil("haunted_house", h, mode, mode, 2, [&] { return h.ram(0xCC); });
  h.softReset();
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_haunted_house() {
  GameSpec g;
  g.rom = "haunted_house";
  g.md5 = "f0a6e99f5875891246c3dbecbf2d2cea";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7, 8};
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
  g.vars = {std::begin(kVars), std::end(kVars)};
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
