// double_dunk: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false}
// score: bcd(0xF6) - bcd(0xF7)
// reward: score_new - score_old (then score_old = score_new)
// terminal: (bcd(0xF6) >= 24 or bcd(0xF7) >= 24) and ram[0xFE] == 0xE7
// lives: 0 (constant)
// modes: pressSelect(1); down(); down(); opt(0x08, mode & 1); down(); opt(0x10, mode & 2); down();
//   opt(0x04, mode & 4); down(); opt(0x20, mode & 8); softReset; act(UPFIRE); act(NOOP). Here
//   down() = { p = ram[0xB0]; while ram[0xB0] == p: act(DOWN); act(NOOP) } and opt(bit, want) = if
//   want: while (ram[0x80] & bit) != bit: act(RIGHT); act(NOOP) — else: while (ram[0x80] & bit) ==
//   bit: act(LEFT); act(NOOP). Every act here is a full ALE act (frame_skip frames, sticky draws,
//   counters advance). This runs even for the default mode 0.
void reset(GameState& s) { resetBasic(s); }

void update(GameState& s, GameHost& h) {
  scoreDelta(s, bcd(h, 0xF6) - bcd(h, 0xF7));
  s.terminal = (bcd(h, 0xF6) >= 24 || bcd(h, 0xF7) >= 24) && h.ram(0xFE) == 0xE7;
}

int lives(const GameState& s, GameHost& h) { return 0; }

constexpr int kNoop = 0, kRight = 3, kLeft = 4, kDown = 5, kUpFire = 10;

void guard(int& i, int mode) {
  if (++i > kMaxSelectIterations) selectionFailed("double_dunk", mode);
}

// down() = { p = ram[0xB0]; while ram[0xB0] == p: act(DOWN); act(NOOP) }
void down(GameHost& h, int mode) {
  const uint8_t p = h.ram(0xB0);
  for (int i = 0; h.ram(0xB0) == p; guard(i, mode)) {
    h.act(kDown);
    h.act(kNoop);
  }
}

// opt(bit, want): move right until the option bit is set, or left until it is clear.
void opt(GameHost& h, int mode, uint8_t bit, bool want) {
  if (want) {
    for (int i = 0; (h.ram(0x80) & bit) != bit; guard(i, mode)) {
      h.act(kRight);
      h.act(kNoop);
    }
  } else {
    for (int i = 0; (h.ram(0x80) & bit) == bit; guard(i, mode)) {
      h.act(kLeft);
      h.act(kNoop);
    }
  }
}

void selectMode(GameState& s, GameHost& h, int mode) {
  h.pressSelect(1);
  down(h, mode);
  down(h, mode);
  opt(h, mode, 0x08, (mode & 1) != 0);
  down(h, mode);
  opt(h, mode, 0x10, (mode & 2) != 0);
  down(h, mode);
  opt(h, mode, 0x04, (mode & 4) != 0);
  down(h, mode);
  opt(h, mode, 0x20, (mode & 8) != 0);
  h.softReset();
  h.act(kUpFire);
  h.act(kNoop);
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_double_dunk() {
  GameSpec g;
  g.rom = "double_dunk";
  g.md5 = "368d88a6c071caba60b4f778615aae94";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {10};
  g.modes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
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
  g.reset = reset;
  g.update = update;
  g.lives = lives;
  g.selectMode = selectMode;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
