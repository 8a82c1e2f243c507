// video_cube: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset:
//   {"score_old":0,"reward":0,"terminal":false,"faces_old":0,"cube":1,"t0":"not reset by ROM reset
//   (indeterminate at first load, 0 in practice); carries over between episodes","t1":"same as t0"}
// reward: timed_out ? -1 : faces - faces_old
// terminal: timed_out or faces == 6 (see update)
// lives: terminal ? 0 : 1
// update_order: faces = number of f in 0..5 such that the 9 bytes ram[0xA0+9f .. 0xA0+9f+8] are all
//   equal | t1 = t0; t0 = ram[0xDB]; timed_out = (t0 == 0 and t1 == 255) | r = timed_out ? -1 :
//   faces - faces_old; faces_old = faces | terminal = timed_out or faces == 6
// modes: cube = mode div 100 if mode >= 100 (otherwise cube keeps the value 1 set by the ROM
//   reset); k = mode mod 100; required = [0, 2, 8][k]; while (ram[0xFB] & 0x1F) != required:
//   pressSelect(2); softReset; then while bcd(0x9F) != cube: one full act(RIGHT, NOOP) (frame_skip
//   frames, sticky draws, counters advance). This runs for every mode, including the default 0
//   (target cube 1).
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kFacesOld = 0,  // faces_old: solved faces of the last evaluated frame
  kCube = 1,      // cube: target cube number, 1 after reset, set by modes >= 100
  // t0 / t1: timer byte ram[0xDB] of this / the previous frame; not reset by reset and not in
  // upstream cloned state: they carry over between episodes.
  kT0 = 2,
  kT1 = 3,
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"faces_old", 0, 6},
    {"cube", 1, 50},
    {"t0", -1, 255},
    {"t1", -1, 255},
};

// state_not_in_clone: t0, t1 -- restoreState keeps the current value.
constexpr uint16_t kNotInClone = kKeepExtra(kT0) | kKeepExtra(kT1);

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kFacesOld] = 0;
  s.extra[kCube] = 1;
}

void update(GameState& s, GameHost& h) {
  int faces = 0;
  for (uint16_t f = 0; f < 6; ++f) {
    const uint16_t base = 0xA0 + 9 * f;
    bool same = true;
    for (uint16_t k = 1; k < 9; ++k) same = same && h.ram(base + k) == h.ram(base);
    if (same) ++faces;
  }
  s.extra[kT1] = s.extra[kT0];
  s.extra[kT0] = h.ram(0xDB);
  const bool timedOut = s.extra[kT0] == 0 && s.extra[kT1] == 255;
  s.reward = timedOut ? -1 : faces - s.extra[kFacesOld];
  s.extra[kFacesOld] = faces;
  s.terminal = timedOut || faces == 6;
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

void selectMode(GameState& s, GameHost& h, int mode) {
  if (mode >= 100) s.extra[kCube] = mode / 100;
  static constexpr int kRequired[3] = {0, 2, 8};
  const int k = mode % 100;
  if (k < 0 || k > 2) selectionFailed("video_cube", mode);
  pressSelectUntil("video_cube", h, mode, kRequired[k], 2, [&] { return h.ram(0xFB) & 0x1F; });
  h.softReset();
  for (int i = 0; bcd(h, 0x9F) != s.extra[kCube]; ++i) {
    if (i >= kMaxSelectIterations) selectionFailed("video_cube", mode);
    h.act(3);  // RIGHT
  }
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_video_cube() {
  GameSpec g;
  g.rom = "video_cube";
  g.md5 = "3f540a30fdee0b20aed7288e4a5ea528";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 1, 0, 0};
  g.modes = {0, 1, 2, 100, 101, 102, 200, 201, 202, 300, 301, 302, 400, 401, 402, 500, 501, 502,
      600, 601, 602, 700, 701, 702, 800, 801, 802, 900, 901, 902, 1000, 1001, 1002, 1100, 1101,
      1102, 1200, 1201, 1202, 1300, 1301, 1302, 1400, 1401, 1402, 1500, 1501, 1502, 1600, 1601,
      1602, 1700, 1701, 1702, 1800, 1801, 1802, 1900, 1901, 1902, 2000, 2001, 2002, 2100, 2101,
      2102, 2200, 2201, 2202, 2300, 2301, 2302, 2400, 2401, 2402, 2500, 2501, 2502, 2600, 2601,
      2602, 2700, 2701, 2702, 2800, 2801, 2802, 2900, 2901, 2902, 3000, 3001, 3002, 3100, 3101,
      3102, 3200, 3201, 3202, 3300, 3301, 3302, 3400, 3401, 3402, 3500, 3501, 3502, 3600, 3601,
      3602, 3700, 3701, 3702, 3800, 3801, 3802, 3900, 3901, 3902, 4000, 4001, 4002, 4100, 4101,
      4102, 4200, 4201, 4202, 4300, 4301, 4302, 4400, 4401, 4402, 4500, 4501, 4502, 4600, 4601,
      4602, 4700, 4701, 4702, 4800, 4801, 4802, 4900, 4901, 4902, 5000, 5001, 5002};
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
