// Per-game ALE logic as data plus small functions: one GameSpec per supported ROM,
// one file per game under native/ale/games/. Facts come from ../shared/docs/games.json.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace eo::ale {

enum class Controller : uint8_t { Joystick, Paddles, None };

// The game object's state: plain data (copied verbatim by cloneState).
struct GameState {
  int64_t scoreOld = 0;
  int64_t reward = 0;      // reward of the last evaluated frame
  bool terminal = false;
  int32_t livesVar = 0;
  // Per-game latches/counters: each game file names its slots (enum Var) and lists their ranges
  // (kVars, GameSpec::vars); slots a game does not use stay 0.
  int64_t extra[8] = {0, 0, 0, 0, 0, 0, 0, 0};
};

// A game variable's name (games.json) and the values it can hold; restoreState rejects others.
struct VarRange {
  const char* name;
  int64_t min;
  int64_t max;
};

// What a game's logic may ask of the environment.
class GameHost {
 public:
  virtual ~GameHost() = default;
  virtual uint8_t ram(uint16_t addr) = 0;   // ram[A], A in 0x80..0xFF (lower A normalised)
  virtual uint8_t peek(uint16_t addr) = 0;  // CPU-bus read of a full address (Klax)
  // Mode-selection building blocks (ale-semantics.md §4 step 6):
  virtual void pressSelect(int frames) = 0;
  virtual void softReset() = 0;
  virtual void act(int action) = 0;         // full act(action) with player B NOOP, reward discarded
  virtual uint32_t envRandU32() = 0;        // environment RNG 32-bit output
};

constexpr uint16_t kKeepLivesVar = 1u;
constexpr uint16_t kKeepExtra(int i) { return uint16_t(2u << i); }

struct GameSpec {
  const char* rom;  // rom id = file stem
  const char* md5;
  // Static facts.
  std::vector<int> legalActions;
  std::vector<int> minimalActions;
  std::vector<int> startingActions;
  std::vector<int> modes;            // first = default
  std::vector<int> difficulties;
  Controller left = Controller::Joystick;
  Controller right = Controller::Joystick;
  bool swapPorts = false;
  bool swapPaddles = false;
  bool difficultyA[2] = {false, false};  // Stella property: left/right switch A before first input
  uint32_t ystart = 34;
  uint32_t height = 210;             // NTSC property (PAL detection makes 210 -> 250)
  bool hmoveBlanks = true;
  int32_t paddleMaxOverride = -1;    // settings_override paddle_max, -1 = none
  // GameState fields that cloneState/restoreState do not carry (games.json state_not_in_clone):
  // restoreState keeps their current values. Bits: kKeepLivesVar, kKeepExtra(i).
  uint16_t notInClone = 0;
  // The GameState::extra slots the game uses, in slot order (the others must stay 0).
  std::vector<VarRange> vars;
  // Logic.
  void (*reset)(GameState& s) = nullptr;                  // state_after_rom_reset
  void (*update)(GameState& s, GameHost& h) = nullptr;    // after each evaluated frame
  int (*lives)(const GameState& s, GameHost& h) = nullptr;
  void (*selectMode)(GameState& s, GameHost& h, int mode) = nullptr;  // null: single mode 0
};

// All 104 supported games, ordered by rom id.
const std::vector<GameSpec>& allGames();
// First entry whose md5 equals `md5` or whose rom id equals the lower-cased `stem`; null if none.
const GameSpec* findGame(const std::string& md5, const std::string& stem);

}  // namespace eo::ale
