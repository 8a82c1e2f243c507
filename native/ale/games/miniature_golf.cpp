// miniature_golf: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset:
//   {"score_old":0,"reward":0,"terminal":false,"level":0,"par":0,"hits":0,"left":0,"hits_at_start":0}
// reward: see update (r reset to 0 every frame)
// terminal: latched; becomes true on the frame where the hole number bcd(0xAF) changes to 0
// lives: terminal ? 0 : 1
// update_order: r = 0; L = bcd(0x87); R = bcd(0x88); N = bcd(0xAF) | if N != level: { played =
//   (left + hits) - hits_at_start; if played > 0: { r = par - played }; if N == 0: { terminal =
//   true (latched) }; level = N; hits = 0; hits_at_start = left } | if R != 0: { par = R } else: {
//   if L < left: { hits = hits + left }; left = L }
// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kLevel = 0,  // level: hole number
  kPar = 1,  // par
  kHits = 2,  // hits
  kLeft = 3,  // left: last stroke counter
  kHitsAtStart = 4,  // hits_at_start: strokes accumulated across the counter's resets to 0
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"level", 0, 165},
    {"par", 0, 165},
    {"hits", 0, INT64_MAX},
    {"left", 0, 165},
    {"hits_at_start", 0, 165},
};

void reset(GameState& s) {
  resetBasic(s);
  for (int v : {kLevel, kPar, kHits, kLeft, kHitsAtStart}) s.extra[v] = 0;
}

void update(GameState& s, GameHost& h) {
  int64_t& level = s.extra[kLevel];
  int64_t& par = s.extra[kPar];
  int64_t& hits = s.extra[kHits];
  int64_t& left = s.extra[kLeft];
  int64_t& hitsAtStart = s.extra[kHitsAtStart];
  s.reward = 0;
  const int64_t l = bcd(h, 0x87), r = bcd(h, 0x88), n = bcd(h, 0xAF);
  if (n != level) {
    const int64_t played = (left + hits) - hitsAtStart;
    if (played > 0) s.reward = par - played;
    if (n == 0) s.terminal = true;  // latched
    level = n;
    hits = 0;
    hitsAtStart = left;
  }
  if (r != 0) {
    par = r;
  } else {
    if (l < left) hits += left;
    left = l;
  }
}

int lives(const GameState& s, GameHost& h) { return s.terminal ? 0 : 1; }

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_miniature_golf() {
  GameSpec g;
  g.rom = "miniature_golf";
  g.md5 = "df62a658496ac98a3aa4a6ee5719c251";
  g.legalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.minimalActions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  g.startingActions = {};
  g.modes = {0};
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
  g.selectMode = nullptr;
  return g;
}
// ---- END GENERATED ----

}  // namespace eo::ale::games
