// eo::ale::AleInterface: the ALE 0.12.1 environment layer over the eigenopt emulator core.
// Behaviour follows ../shared/docs/ale-semantics.md (section numbers below refer to it).
// Errors are C++ exceptions (std::invalid_argument for bad arguments, std::runtime_error for bad
// files and calls in the wrong state); nothing here aborts on user input.
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "ale/game.h"
#include "ale/settings.h"
#include "core/console.h"
#include "core/mt19937.h"
#include "core/trace.h"

namespace eo::ale {

// Action ids (section 1.1).
enum AleAction : int {
  kNoop = 0,
  kFire = 1,
  kPlayerBNoop = 18,
  kReset = 40,
  kLegacyLast = 50,
};
constexpr int kScreenWidth = 160;
constexpr int kRamSize = 128;

class AleInterface {
 public:
  AleInterface();
  ~AleInterface();
  AleInterface(const AleInterface&) = delete;
  AleInterface& operator=(const AleInterface&) = delete;

  // Settings (section 12). Unknown keys throw std::invalid_argument.
  void setInt(const std::string& key, int value) { settings_.setInt(key, value); }
  void setFloat(const std::string& key, float value) { settings_.setFloat(key, value); }
  void setBool(const std::string& key, bool value) { settings_.setBool(key, value); }
  void setString(const std::string& key, const std::string& value) { settings_.setString(key, value); }
  int getInt(const std::string& key) const { return settings_.getInt(key); }
  float getFloat(const std::string& key) const { return settings_.getFloat(key); }
  bool getBool(const std::string& key) const { return settings_.getBool(key); }
  std::string getString(const std::string& key) const { return settings_.getString(key); }

  // Hard reset: new console, environment, reset_game() (section 3). gzip-compressed files are
  // accepted (md5 and game lookup use the decompressed image).
  // On any error the previous ROM, its state and the settings stay as they were.
  void loadROM(const std::string& path);
  bool isLoaded() const { return s_.console != nullptr; }
  // Throws std::runtime_error "<method>: no ROM loaded (call loadROM first)" when no ROM is loaded.
  void requireLoaded(const char* method) const;

  // One agent step of frame_skip frames (section 5). Valid ids: 0..17 and 40 (RESET, which acts
  // as NOOP); anything else throws std::invalid_argument (upstream aborts for joystick games).
  int64_t act(int action, float paddleStrength = 1.0f);
  bool game_over(bool withTruncation = true);
  bool game_truncated();
  void reset_game();
  int lives();
  // Player A's action id in effect after the last frame (sticky repetition applied; RESET and
  // actions the game does not use were emulated as NOOP).
  int lastActionA() const { return s_.stickyA; }
  // Sets it (cloned states leave it out, as upstream's do; environments above restore it).
  void setLastActionA(int action) { s_.stickyA = action; }

  std::vector<int> getMinimalActionSet() const;
  std::vector<int> getLegalActionSet() const;

  // Screens (section 8): height x 160 bytes (RGB: x3). `out` must hold screenSize()(x3) bytes.
  uint32_t screenHeight() const;
  uint32_t screenWidth() const { return kScreenWidth; }
  size_t screenSize() const { return size_t(screenHeight()) * kScreenWidth; }
  void getScreen(uint8_t* out);
  void getScreenRGB(uint8_t* out);
  void getScreenGrayscale(uint8_t* out);

  void getRAM(uint8_t* out) const;  // 128 bytes
  void setRAM(int index, uint8_t value);

  int64_t getFrameNumber() const;
  int64_t getEpisodeFrameNumber() const;

  std::vector<int> getAvailableModes() const;
  void setMode(int mode);
  int getMode() const;
  std::vector<int> getAvailableDifficulties() const;
  void setDifficulty(int difficulty);
  int getDifficulty() const;

  // Versioned, checksummed byte blob (section 10). restoreState throws on a corrupt blob or a
  // state from another ROM, and checks every field besides the checksum (flags 0/1, paddle range
  // and positions, frame counters, the game's modes and difficulties, RNG state, game variables
  // within their ranges); nothing changes unless the whole blob is accepted.
  std::vector<uint8_t> cloneState(bool includeRng = false) const;
  std::vector<uint8_t> cloneSystemState() const { return cloneState(true); }
  void restoreState(const uint8_t* data, size_t size);

  // Debugging extras (not in upstream ALE).
  const std::string& romMd5() const;
  const char* romId() const;
  bool isPal() const;
  const uint8_t* consoleCreatedRam() const { return s_.consoleCreatedRam; }  // RAM right after console build
  // 64-bit FNV-1a of getScreen()'s bytes (the golden traces' screen hash).
  uint64_t screenHash();
  // Instruction/write trace files (either may be empty = off). Applies from the next loadROM, so
  // the trace starts at power-on; calling with both empty turns tracing off at once.
  void setTrace(const std::string& cpuPath, const std::string& tiaPath);
  // Writes a PHASE marker (debug/README.md: sub 3 after_first_reset, 4 after_step, 5
  // after_episode_reset, 6 end of window; a = step index or 0xFFFF) with the frame counters, so a
  // recorder can line its trace up with upstream's. The layer itself writes sub 1 and 2 and the ENV
  // markers. No-op while tracing is off.
  void tracePhase(int sub, int a);

 private:
  class Host;
  friend class Host;

  struct FileCloser {
    void operator()(std::FILE* f) const {
      if (f) std::fclose(f);
    }
  };
  using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

  // The environment settings loadROM reads (section 3 steps 7-8), checked before anything changes.
  struct EnvironmentConfig {
    uint32_t systemSeed = 0;
    int frameSkip = 1;
    float repeatProb = 0.25f;
    bool colorAveraging = false;
    int64_t maxEpisodeFrames = 0;
    bool truncateOnLifeLoss = false;
    int64_t rewardMin = INT32_MIN;
    int64_t rewardMax = INT32_MAX;
    int32_t paddleMin = 27450;
    int32_t paddleMax = 790196;
    int randomSeed = -1;
  };

  // Everything one loadROM builds: the console, the game and its state, the environment
  // configuration read from the settings (section 3 step 8) and the counters. loadROM builds a new
  // session and keeps it only once its first reset_game has succeeded; otherwise the previous one
  // stays as it was.
  struct Session {
    // Trace files and writer first: the console (declared after them) refers to the writer and is
    // destroyed before it.
    FilePtr traceCpu;
    FilePtr traceTia;
    std::unique_ptr<core::TraceWriter> trace;
    std::unique_ptr<core::Console> console;
    const GameSpec* spec = nullptr;
    GameState state;
    std::string md5;

    EnvironmentConfig cfg;  // frame skip, sticky probability, limits, paddle range (frameSkip >= 1)
    bool paddleGame = false;
    int livesAtLoad = 0;

    int mode = 0;
    int difficulty = 0;
    Mt19937 envRng;
    int64_t frame = 0;
    int64_t episodeFrame = 0;
    int stickyA = kNoop;
    int stickyB = kPlayerBNoop;
    float strengthA = 1.0f;
    float strengthB = 0.0f;
    int32_t paddle[2] = {0, 0};  // player A = paddle 0, player B = paddle 1

    // Mode selection runs game code that waits for the ROM to react; a ROM that never does (a
    // wrong image under a game's name) must not hang reset_game: frames are counted and capped.
    bool selecting = false;
    int64_t selectFrames = 0;

    uint8_t consoleCreatedRam[kRamSize] = {};
    std::vector<uint8_t> averaged;    // colour-averaged screen
    std::vector<uint8_t> averageLut;  // 64^3 quantised RGB -> nearest even palette index
  };

  // Input-event table that survives loadROM (section 3 step 1).
  struct InputEvents {
    uint8_t swcha = 0xFF;
    bool inpt4High = true;
    bool inpt5High = true;
    bool reset = false;
    bool select = false;
    bool difficultySet = false;
    int difficulty = 0;
    int32_t paddle[4] = {0, 0, 0, 0};  // by paddle number; 0 = always charged
  };

  // loadROM's jobs, in order.
  EnvironmentConfig readEnvironmentSettings(const GameSpec& spec) const;
  Session openTrace() const;
  void buildConsole(Session& next, const std::vector<uint8_t>& rom, const GameSpec& spec, uint32_t systemSeed,
                    const std::string& path) const;
  void startEnvironment(const GameSpec& spec, const std::string& md5, const EnvironmentConfig& cfg);
  void resetGame();  // reset_game() without the name in its errors (loadROM and reset_game add theirs)

  void emulateFrame(int actionA, int actionB, float strengthA, float strengthB, bool select,
                    bool evaluate);
  void applyInputs(int actionA, int actionB, float strengthA, float strengthB, bool select);
  void resetPaddles();
  void writePaddleResistances(core::Inputs& in) const;
  void softReset();
  void pressSelect(int frames);
  bool isTerminal() const { return s_.state.terminal; }
  bool truncated();
  const uint8_t* screenIndices();  // current screen (applies colour averaging)
  const uint32_t* palette() const;
  core::Inputs initialInputs(const GameSpec& spec) const;
  void traceMarker(uint8_t kind, uint8_t sub, uint16_t a, uint32_t b, uint32_t c) {
    if (s_.trace && s_.console) s_.trace->marker(kind, sub, a, b, c, s_.console->system().totalCycles());
  }

  Settings settings_;
  std::unique_ptr<Host> host_;
  Session s_;
  InputEvents ev_;
  std::string traceCpuPath_, traceTiaPath_;
};

// RAM-free helpers exposed for tests and tools.
void mt19937Outputs(uint32_t seed, uint32_t* out, size_t n);

}  // namespace eo::ale
