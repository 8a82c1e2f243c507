// blackjack: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bust ? 0 : dec2(0x89, 0x86), where bust = (ram[0x86] == 0x0B and ram[0x89] == 0xBB)
// reward: score_new - score_old (then score_old = score_new)
// terminal: bust or score_new >= 1000
// lives: terminal ? 0 : 1
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  const bool bust = h.ram(0x86) == 0x0B && h.ram(0x89) == 0xBB;
  const int64_t score = bust ? 0 : dec2(h, 0x89, 0x86);
  scoreDelta(s, score);
  s.terminal = bust || score >= 1000;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_blackjack() {
  GameSpec g;
  g.rom = "blackjack";
  g.md5 = "0a981c03204ac2b278ba392674682560";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 5};
  g.startingActions = {};
  g.modes = {0};
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
  g.paddleMaxOverride = 795000;
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
