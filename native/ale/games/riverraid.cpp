// riverraid: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.
// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.
#include "ale/games/common.h"

namespace eo::ale::games {
namespace {

// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----
// state_after_rom_reset: {"score_old":0,"reward":0,"terminal":false,"lives_byte":88}
// score: D(ram[0xD7]) + 10*D(ram[0xD5]) + 100*D(ram[0xD3]) + 1000*D(ram[0xD1]) + 10000*D(ram[0xCF])
//   + 100000*D(ram[0xCD]), where D(v) = v/8 for v in {0,8,16,...,72} and D(v) = 0 for any other
//   value
// reward: score_new - score_old (then score_old = score_new)
// terminal: ram[0xC0] == 0x58 and the previous frame's ram[0xC0] was 0x59
// lives_var: lives_byte (= this frame's ram[0xC0])
// lives: terminal ? 0 : (lives_byte == 0x58 ? 4 : (lives_byte == 0x59 ? 1 : lives_byte / 8 + 1))
//   (integer division)
// update_order: b = ram[0xC0]; terminal = (b == 0x58 and lives_byte == 0x59); lives_byte = b
// D(v) = v / 8 for v in {0, 8, ..., 72}, else 0.
int64_t digit(uint8_t v) { return (v % 8 == 0 && v <= 72) ? v / 8 : 0; }

// Per-game variables: slots of GameState::extra (cloneState stores all 8 slots in order).
enum Var : int {
  kLivesByte = 0,  // lives_byte: ram[0xC0] of the last evaluated frame (lives_var)
};
// Values each variable can hold (slot order); restoreState rejects a state outside them.
constexpr VarRange kVars[] = {
    {"lives_byte", 0, 255},
};

void reset(GameState& s) {
  resetBasic(s);
  s.extra[kLivesByte] = 88;
}

void update(GameState& s, GameHost& h) {
  scoreDelta(s, digit(h.ram(0xD7)) + 10 * digit(h.ram(0xD5)) + 100 * digit(h.ram(0xD3)) +
                    1000 * digit(h.ram(0xD1)) + 10000 * digit(h.ram(0xCF)) +
                    100000 * digit(h.ram(0xCD)));
  const uint8_t b = h.ram(0xC0);
  s.terminal = b == 0x58 && s.extra[kLivesByte] == 0x59;
  s.extra[kLivesByte] = b;
  s.livesVar = b;
}

int lives(const GameState& s, GameHost& h) {
  if (s.terminal) return 0;
  const int64_t b = s.extra[kLivesByte];
  return b == 0x58 ? 4 : (b == 0x59 ? 1 : static_cast<int>(b / 8 + 1));
}

// ---- END LOGIC ----

}  // namespace

// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----
GameSpec make_riverraid() {
  GameSpec g;
  g.rom = "riverraid";
  g.md5 = "393948436d1f4cc3192410bb918f9724";
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
