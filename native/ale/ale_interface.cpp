// ALE environment layer (ale-semantics.md sections 1-12) over the emulator core.
#include "ale/ale_interface.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "ale/inflate.h"
#include "ale/md5.h"
#include "ale/palette.h"
#include "ale/quote.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace eo::ale {
namespace {

constexpr size_t kMaxRomSize = 512 * 1024;
constexpr int32_t kDefaultPaddleMin = 27450;
constexpr int32_t kDefaultPaddleMax = 790196;
constexpr int32_t kPaddleDelta = 23000;
// Frames one mode selection may emulate. Measured worst over all 104 games and all their modes:
// 919 (video_cube mode 5002); adventure's random SELECT holds stay far below this too.
constexpr int64_t kMaxSelectFrames = 5000;

// Joystick meaning of ids 0..17 (section 1.1): bit0 up, bit1 down, bit2 left, bit3 right, bit4 fire.
constexpr uint8_t kUp = 1, kDown = 2, kLeft = 4, kRight = 8, kFireBit = 16;
constexpr uint8_t kJoy[18] = {
    0,                    // NOOP
    kFireBit,             // FIRE
    kUp,                  // UP
    kRight,               // RIGHT
    kLeft,                // LEFT
    kDown,                // DOWN
    kUp | kRight,         // UPRIGHT
    kUp | kLeft,          // UPLEFT
    kDown | kRight,       // DOWNRIGHT
    kDown | kLeft,        // DOWNLEFT
    kUp | kFireBit,       // UPFIRE
    kRight | kFireBit,    // RIGHTFIRE
    kLeft | kFireBit,     // LEFTFIRE
    kDown | kFireBit,     // DOWNFIRE
    kUp | kRight | kFireBit,    // UPRIGHTFIRE
    kUp | kLeft | kFireBit,     // UPLEFTFIRE
    kDown | kRight | kFireBit,  // DOWNRIGHTFIRE
    kDown | kLeft | kFireBit,   // DOWNLEFTFIRE
};

// ConsoleProperties may (newer core) or may not carry the inputs seen from power-on.
template <class P, class = void>
struct HasInputs : std::false_type {};
template <class P>
struct HasInputs<P, std::void_t<decltype(std::declval<P&>().inputs)>> : std::true_type {};

template <class P>
void setInitialInputs(P& props, const core::Inputs& in) {
  if constexpr (HasInputs<P>::value) props.inputs = in;
}

bool validRomSize(size_t n) {
  // 2K..512K images in 1K steps, Pitfall II's DPC image (8K program + 2K graphics + 255 bytes),
  // and Supercharger (AR) multi-load images of 8448-byte loads.
  return (n >= 2048 && n % 1024 == 0) || n == 10495 || (n % 8448 == 0 && n > 0);
}

std::string romStem(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  for (int i = 0; i < 2; ++i) {  // "x.bin" -> "x", "x.bin.gz" -> "x"
    size_t dot = name.find_last_of('.');
    if (dot == std::string::npos || dot == 0) break;
    std::string ext = name.substr(dot);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (i == 1 && ext != ".bin" && ext != ".a26" && ext != ".rom") break;
    name = name.substr(0, dot);
  }
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return name;
}

// Little-endian blob writer/reader for cloneState.
struct BlobWriter {
  std::vector<uint8_t>& out;
  void u8(uint8_t v) { out.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i)));
  }
  void bytes(const uint8_t* p, size_t n) { out.insert(out.end(), p, p + n); }
};

struct BlobReader {
  const uint8_t* p;
  size_t n;
  size_t pos = 0;
  void need(size_t k) const {
    if (n - pos < k) throw std::invalid_argument("restoreState: corrupt state (truncated)");
  }
  uint8_t u8() {
    need(1);
    return p[pos++];
  }
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(p[pos + i]) << (8 * i);
    pos += 4;
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(p[pos + i]) << (8 * i);
    pos += 8;
    return v;
  }
  const uint8_t* bytes(size_t k) {
    need(k);
    const uint8_t* r = p + pos;
    pos += k;
    return r;
  }
};

uint64_t fnv1a64(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x00000100000001b3ull;
  }
  return h;
}

const char kStateMagic[8] = {'E', 'O', 'A', 'L', 'E', 'S', 'T', 'A'};
constexpr uint32_t kStateVersion = 1;

}  // namespace

// ------------------------------------------------------------------------------------------------
class AleInterface::Host : public GameHost {
 public:
  explicit Host(AleInterface& ale) : ale_(ale) {}
  uint8_t ram(uint16_t addr) override { return ale_.s_.console->ramByte(uint8_t(addr & 0x7F)); }
  uint8_t peek(uint16_t addr) override { return ale_.s_.console->peek(addr); }
  void pressSelect(int frames) override { ale_.pressSelect(frames); }
  void softReset() override { ale_.softReset(); }
  void act(int action) override { (void)ale_.act(action, 1.0f); }
  uint32_t envRandU32() override { return ale_.s_.envRng.next(); }

 private:
  AleInterface& ale_;
};

AleInterface::AleInterface() : host_(new Host(*this)) {}

AleInterface::~AleInterface() = default;

void AleInterface::requireLoaded(const char* what) const {
  if (!s_.console) throw std::runtime_error(std::string(what) + ": no ROM loaded (call loadROM first)");
}

void AleInterface::setTrace(const std::string& cpuPath, const std::string& tiaPath) {
  for (const std::string* p : {&cpuPath, &tiaPath})
    if (p->find('\0') != std::string::npos)
      throw std::invalid_argument("setTrace: trace path " + quoted(*p) + " contains a NUL byte");
  traceCpuPath_ = cpuPath;
  traceTiaPath_ = tiaPath;
  if (cpuPath.empty() && tiaPath.empty()) {
    if (s_.console) s_.console->system().trace = nullptr;
    s_.trace.reset();
    s_.traceCpu.reset();
    s_.traceTia.reset();
  }
}

core::Inputs AleInterface::initialInputs(const GameSpec& spec) const {
  core::Inputs in;
  in.swcha = ev_.swcha;
  in.inpt4High = ev_.inpt4High;
  in.inpt5High = ev_.inpt5High;
  uint8_t swchb = 0x3F;
  if (ev_.reset) swchb &= uint8_t(~0x01);
  if (ev_.select) swchb &= uint8_t(~0x02);
  bool leftA = ev_.difficultySet ? (ev_.difficulty & 1) != 0 : spec.difficultyA[0];
  bool rightA = ev_.difficultySet ? (ev_.difficulty & 2) != 0 : spec.difficultyA[1];
  if (leftA) swchb |= 0x40;
  if (rightA) swchb |= 0x80;
  in.swchb = swchb;
  for (int i = 0; i < 4; ++i) in.paddleResistance[i] = core::Inputs::kNoPaddle;
  if (spec.left == Controller::Paddles) {
    in.paddleResistance[spec.swapPaddles ? 1 : 0] = ev_.paddle[0];
    in.paddleResistance[spec.swapPaddles ? 0 : 1] = ev_.paddle[1];
  }
  if (spec.right == Controller::Paddles) {
    in.paddleResistance[spec.swapPaddles ? 3 : 2] = ev_.paddle[2];
    in.paddleResistance[spec.swapPaddles ? 2 : 3] = ev_.paddle[3];
  }
  return in;
}

// ------------------------------------------------------------------------------------------------
namespace {

// The cartridge image in the file at `path` (gzip accepted), checked for a plausible size.
std::vector<uint8_t> readRomImage(const std::string& path) {
  const std::string file = "loadROM: ROM file " + quoted(path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("loadROM: cannot open ROM file " + quoted(path) + ": " + std::strerror(errno));
  // Read at most 16 MiB (a gzip file of a 512 KiB image is far smaller).
  constexpr size_t kMaxFileSize = 16u << 20;
  std::vector<uint8_t> rom;
  uint8_t chunk[65536];
  size_t got;
  while (rom.size() <= kMaxFileSize && (got = std::fread(chunk, 1, sizeof chunk, f)) > 0)
    rom.insert(rom.end(), chunk, chunk + got);
  bool readError = std::ferror(f) != 0;
  std::fclose(f);
  if (rom.size() > kMaxFileSize) throw std::runtime_error(file + " is larger than 16 MiB; not an Atari 2600 ROM");
  if (readError) throw std::runtime_error("loadROM: cannot read ROM file " + quoted(path) + " (is it a directory?)");
  if (rom.empty()) throw std::runtime_error(file + " is empty");
  if (isGzip(rom.data(), rom.size())) {
    try {
      rom = gunzip(rom.data(), rom.size(), kMaxRomSize);
    } catch (const std::exception& e) {
      throw std::runtime_error(file + ": " + e.what());
    }
    if (rom.empty()) throw std::runtime_error(file + " decompresses to nothing");
  }
  if (rom.size() > kMaxRomSize) throw std::runtime_error(file + " is larger than 512 KiB; not an Atari 2600 ROM");
  if (!validRomSize(rom.size()))
    throw std::runtime_error(file + " has " + std::to_string(rom.size()) +
                             " bytes, which is not an Atari 2600 cartridge size (truncated or not a ROM image)");
  return rom;
}

// Section 3 step 6: the game whose md5 equals the image's, else whose rom id equals the file stem
// (with a warning).
const GameSpec& identifyGame(const std::string& path, const std::string& md5) {
  const std::string stem = romStem(path);
  const GameSpec* spec = findGame(md5, stem);
  if (!spec)
    throw std::invalid_argument("loadROM: unknown ROM " + quoted(path) + " (md5 " + md5 + ", name " + quoted(stem) +
                                "): not one of the supported ALE games");
  if (md5 != spec->md5)
    std::fprintf(stderr, "eigenopt: warning: ROM %s has md5 %s, not the supported %s; using game '%s' by its name\n",
                 quoted(path).c_str(), md5.c_str(), spec->md5, spec->rom);
  return *spec;
}

}  // namespace

AleInterface::EnvironmentConfig AleInterface::readEnvironmentSettings(const GameSpec& spec) const {
  EnvironmentConfig c;
  c.systemSeed = uint32_t(settings_.getInt("system_random_seed"));
  c.frameSkip = settings_.getInt("frame_skip");
  c.repeatProb = settings_.getFloat("repeat_action_probability");
  c.colorAveraging = settings_.getBool("color_averaging");
  c.maxEpisodeFrames = settings_.getInt("max_num_frames_per_episode");
  c.truncateOnLifeLoss = settings_.getBool("truncate_on_loss_of_life");
  c.rewardMin = settings_.getInt("reward_min");
  c.rewardMax = settings_.getInt("reward_max");
  c.randomSeed = settings_.getInt("random_seed");
  // Section 3 step 7: the game's setting override applies before the environment reads it (it is
  // written to the settings once the load has succeeded).
  int paddleMin = settings_.getInt("paddle_min");
  int paddleMax = spec.paddleMaxOverride >= 0 ? spec.paddleMaxOverride : settings_.getInt("paddle_max");
  c.paddleMin = paddleMin == -1 ? kDefaultPaddleMin : paddleMin;
  c.paddleMax = paddleMax == -1 ? kDefaultPaddleMax : paddleMax;
  if (c.rewardMin > c.rewardMax)
    throw std::invalid_argument("loadROM: setting 'reward_min' (" + std::to_string(c.rewardMin) +
                                ") exceeds 'reward_max' (" + std::to_string(c.rewardMax) + ")");
  if (c.paddleMin > c.paddleMax)
    throw std::invalid_argument("loadROM: paddle range " + std::to_string(c.paddleMin) + ".." +
                                std::to_string(c.paddleMax) + " is empty (settings 'paddle_min' and 'paddle_max')");
  return c;
}

// A session holding the trace files and writer for a new console (none while tracing is off).
AleInterface::Session AleInterface::openTrace() const {
  Session next;
  if (traceCpuPath_.empty() && traceTiaPath_.empty()) return next;
  if (!traceCpuPath_.empty() && !(next.traceCpu = FilePtr(std::fopen(traceCpuPath_.c_str(), "wb"))))
    throw std::runtime_error("loadROM: cannot create trace file " + quoted(traceCpuPath_));
  if (!traceTiaPath_.empty() && !(next.traceTia = FilePtr(std::fopen(traceTiaPath_.c_str(), "wb"))))
    throw std::runtime_error("loadROM: cannot create trace file " + quoted(traceTiaPath_));
  next.trace.reset(new core::TraceWriter(next.traceCpu.get(), next.traceTia.get()));
  return next;
}

// Section 3 step 4: power-on, TV-format detection and the console's own resets.
void AleInterface::buildConsole(Session& next, const std::vector<uint8_t>& rom, const GameSpec& spec,
                                uint32_t systemSeed, const std::string& path) const {
  core::ConsoleProperties props;
  props.ystart = spec.ystart;
  props.height = spec.height;
  props.hmoveBlanks = spec.hmoveBlanks;
  props.systemRandomSeed = systemSeed;
  props.trace = next.trace.get();
  setInitialInputs(props, initialInputs(spec));
  try {
    next.console.reset(new core::Console(rom.data(), rom.size(), props));
  } catch (const std::exception& e) {
    throw std::runtime_error("loadROM: ROM file " + quoted(path) + " cannot be emulated: " + e.what());
  }
  // Without ConsoleProperties::inputs the initial inputs apply after format detection.
  next.console->inputs() = initialInputs(spec);
  std::memcpy(next.consoleCreatedRam, next.console->ram(), kRamSize);
}

// Section 3 step 8 on the session just installed in s_.
void AleInterface::startEnvironment(const GameSpec& spec, const std::string& md5, const EnvironmentConfig& cfg) {
  s_.spec = &spec;
  s_.md5 = md5;
  if (spec.reset) spec.reset(s_.state);
  s_.cfg = cfg;
  if (s_.cfg.frameSkip < 1) s_.cfg.frameSkip = 1;
  s_.paddleGame = spec.left == Controller::Paddles || spec.right == Controller::Paddles;
  s_.livesAtLoad = lives();
  s_.mode = spec.modes.empty() ? 0 : spec.modes[0];
  s_.difficulty = 0;
  s_.envRng.seed_with(cfg.randomSeed == -1 ? uint32_t(std::time(nullptr)) : uint32_t(cfg.randomSeed));
  resetPaddles();
}

void AleInterface::loadROM(const std::string& path) {
  if (path.empty()) throw std::invalid_argument("loadROM: empty ROM path");
  if (path.find('\0') != std::string::npos)
    throw std::invalid_argument("loadROM: ROM path " + quoted(path) + " contains a NUL byte");
  const std::vector<uint8_t> rom = readRomImage(path);
  const std::string md5 = md5Hex(rom.data(), rom.size());
  const GameSpec& spec = identifyGame(path, md5);
  const EnvironmentConfig cfg = readEnvironmentSettings(spec);
  Session next = openTrace();
  buildConsole(next, rom, spec, cfg.systemSeed, path);

  // Install the new session; keep it only if its first reset_game succeeds (a ROM whose mode
  // selection never finishes fails here), else put the previous session and input events back.
  Session previous = std::move(s_);
  const InputEvents previousEvents = ev_;
  s_ = std::move(next);
  try {
    startEnvironment(spec, md5, cfg);
    traceMarker(core::kTracePhase, 1, 0xFFFF, 0, 0);  // console_created
    resetGame();
    traceMarker(core::kTracePhase, 2, 0xFFFF, uint32_t(s_.frame), uint32_t(s_.episodeFrame));  // after_loadROM
  } catch (const std::exception& e) {
    s_ = std::move(previous);
    ev_ = previousEvents;
    throw std::runtime_error("loadROM: ROM file " + quoted(path) + ": " + e.what());
  } catch (...) {
    s_ = std::move(previous);
    ev_ = previousEvents;
    throw;
  }
  if (spec.paddleMaxOverride >= 0) settings_.setInt("paddle_max", spec.paddleMaxOverride);
}

void AleInterface::tracePhase(int sub, int a) {
  if (sub < 0 || sub > 255) throw std::invalid_argument("tracePhase: sub must be in 0..255");
  if (a < 0 || a > 0xFFFF) throw std::invalid_argument("tracePhase: a must be in 0..65535");
  traceMarker(core::kTracePhase, uint8_t(sub), uint16_t(a), uint32_t(s_.frame), uint32_t(s_.episodeFrame));
}

// ------------------------------------------------------------------------------------------------
void AleInterface::resetPaddles() {
  const int32_t centre = int32_t((int64_t(s_.cfg.paddleMin) + s_.cfg.paddleMax) / 2);
  s_.paddle[0] = s_.paddle[1] = centre;
  ev_.paddle[0] = ev_.paddle[1] = centre;
  if (s_.console) writePaddleResistances(s_.console->inputs());
}

// Paddles 0/1 sit on INPT0/INPT1 of the left port, in the other order when swapped.
void AleInterface::writePaddleResistances(core::Inputs& in) const {
  if (s_.spec->left != Controller::Paddles) return;
  in.paddleResistance[s_.spec->swapPaddles ? 1 : 0] = s_.paddle[0];
  in.paddleResistance[s_.spec->swapPaddles ? 0 : 1] = s_.paddle[1];
}

void AleInterface::applyInputs(int actionA, int actionB, float strengthA, float strengthB, bool select) {
  core::Inputs& in = s_.console->inputs();
  bool reset = actionA == kReset || actionB == kReset;
  int a = (actionA >= 0 && actionA < 18) ? actionA : kNoop;
  int b = (actionB >= 18 && actionB < 36) ? actionB - 18 : kNoop;
  uint8_t swcha = 0xFF;
  bool inpt4High = true, inpt5High = true;
  if (s_.paddleGame) {
    int ids[2] = {a, b};
    float strength[2] = {strengthA, strengthB};
    for (int p = 0; p < 2; ++p) {
      uint8_t m = kJoy[ids[p]];
      int32_t delta = int32_t(double(kPaddleDelta) * std::fabs(double(strength[p])));
      int64_t v = s_.paddle[p];
      if (m & kRight) v -= delta;
      if (m & kLeft) v += delta;
      if (v < s_.cfg.paddleMin) v = s_.cfg.paddleMin;
      if (v > s_.cfg.paddleMax) v = s_.cfg.paddleMax;
      s_.paddle[p] = int32_t(v);
      ev_.paddle[p] = s_.paddle[p];
      if (m & kFireBit) {
        bool swapped = s_.spec->swapPaddles;
        uint8_t bit = (p == 0) != swapped ? 0x80 : 0x40;
        swcha &= uint8_t(~bit);
      }
    }
    writePaddleResistances(in);
  } else {
    int portA = s_.spec->swapPorts ? 1 : 0;
    int ids[2] = {a, b};
    int ports[2] = {portA, 1 - portA};
    for (int p = 0; p < 2; ++p) {
      uint8_t m = kJoy[ids[p]];
      if (!m) continue;
      // One port's nibble: bit 0 up, 1 down, 2 left, 3 right; left port in the high nibble.
      const uint8_t dirs = uint8_t(((m & kUp) ? 1 : 0) | ((m & kDown) ? 2 : 0) | ((m & kLeft) ? 4 : 0) |
                                   ((m & kRight) ? 8 : 0));
      swcha &= uint8_t(~(dirs << (ports[p] == 0 ? 4 : 0)));
      if (m & kFireBit) (ports[p] == 0 ? inpt4High : inpt5High) = false;
    }
  }
  uint8_t swchb = 0x3F;
  if (reset) swchb &= uint8_t(~0x01);
  if (select) swchb &= uint8_t(~0x02);
  if (s_.difficulty & 1) swchb |= 0x40;
  if (s_.difficulty & 2) swchb |= 0x80;
  in.swcha = swcha;
  in.swchb = swchb;
  in.inpt4High = inpt4High;
  in.inpt5High = inpt5High;
  ev_.swcha = swcha;
  ev_.inpt4High = inpt4High;
  ev_.inpt5High = inpt5High;
  ev_.reset = reset;
  ev_.select = select;
  ev_.difficultySet = true;
  ev_.difficulty = s_.difficulty;
}

void AleInterface::emulateFrame(int actionA, int actionB, float strengthA, float strengthB, bool select,
                                bool evaluate) {
  if (s_.selecting && ++s_.selectFrames > kMaxSelectFrames) {
    s_.selecting = false;
    throw std::runtime_error(std::string(s_.spec->rom) + ": mode selection for mode " +
                             std::to_string(s_.mode) + " did not finish within " + std::to_string(kMaxSelectFrames) +
                             " frames (is this really the " + s_.spec->rom + " ROM?)");
  }
  applyInputs(actionA, actionB, strengthA, strengthB, select);
  s_.console->runFrame();
  if (evaluate && s_.spec->update) s_.spec->update(s_.state, *host_);
}

void AleInterface::softReset() {
  traceMarker(core::kTraceEnv, 0, kReset, kPlayerBNoop, 4);
  for (int i = 0; i < 4; ++i) emulateFrame(kReset, kPlayerBNoop, 1.0f, 0.0f, false, true);
  s_.stickyA = kNoop;
  s_.stickyB = kPlayerBNoop;
}

void AleInterface::pressSelect(int frames) {
  traceMarker(core::kTraceEnv, 1, 0xFFFF, uint32_t(frames), 0);
  for (int i = 0; i < frames; ++i) emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, true, false);
  emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, false, true);
  ++s_.frame;
  ++s_.episodeFrame;
}

void AleInterface::reset_game() {
  requireLoaded("reset_game");
  try {
    resetGame();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("reset_game: ") + e.what());
  }
}

void AleInterface::resetGame() {
  s_.episodeFrame = 0;
  resetPaddles();
  s_.console->systemReset();
  traceMarker(core::kTraceEnv, 0, kNoop, kPlayerBNoop, 60);
  for (int i = 0; i < 60; ++i) emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, false, true);
  softReset();
  if (s_.spec->reset) s_.spec->reset(s_.state);
  if (s_.spec->selectMode) {
    s_.selecting = true;
    s_.selectFrames = 0;
    try {
      s_.spec->selectMode(s_.state, *host_, s_.mode);
    } catch (...) {
      s_.selecting = false;
      throw;
    }
    s_.selecting = false;
  }
  softReset();
  for (int a : s_.spec->startingActions) {
    traceMarker(core::kTraceEnv, 0, uint16_t(a), kPlayerBNoop, 1);
    emulateFrame(a, kPlayerBNoop, 1.0f, 0.0f, false, true);
  }
}

int64_t AleInterface::act(int action, float paddleStrength) {
  requireLoaded("act");
  if (!((action >= 0 && action < 18) || action == kReset))
    throw std::invalid_argument("act: invalid action id " + std::to_string(action) +
                                " (valid: 0..17, or 40 = RESET which acts as NOOP)");
  if (!std::isfinite(paddleStrength))
    throw std::invalid_argument("act: paddle strength must be a finite number");
  int64_t total = 0;
  const double prob = double(s_.cfg.repeatProb);
  for (int i = 0; i < s_.cfg.frameSkip; ++i) {
    if (s_.envRng.next_double() >= prob) {
      s_.stickyA = action;
      s_.strengthA = paddleStrength;
    }
    if (s_.envRng.next_double() >= prob) {
      s_.stickyB = kPlayerBNoop;
      s_.strengthB = 0.0f;
    }
    if (s_.state.terminal || truncated()) continue;
    int a = s_.stickyA;
    if (a == kReset) a = kNoop;
    if (a >= 0 && a < 18 &&
        std::find(s_.spec->legalActions.begin(), s_.spec->legalActions.end(), a) == s_.spec->legalActions.end())
      a = kNoop;
    traceMarker(core::kTraceEnv, 0, uint16_t(a), uint32_t(s_.stickyB), 1);
    emulateFrame(a, s_.stickyB, s_.strengthA, s_.strengthB, false, true);
    ++s_.frame;
    ++s_.episodeFrame;
    total += s_.state.reward;
  }
  if (total < s_.cfg.rewardMin) total = s_.cfg.rewardMin;
  if (total > s_.cfg.rewardMax) total = s_.cfg.rewardMax;
  return total;
}

bool AleInterface::truncated() {
  if (s_.cfg.maxEpisodeFrames > 0 && s_.episodeFrame >= s_.cfg.maxEpisodeFrames) return true;
  if (s_.cfg.truncateOnLifeLoss && lives() < s_.livesAtLoad) return true;
  return false;
}

bool AleInterface::game_over(bool withTruncation) {
  requireLoaded("game_over");
  return s_.state.terminal || (withTruncation && truncated());
}

bool AleInterface::game_truncated() {
  requireLoaded("game_truncated");
  return truncated();
}

int AleInterface::lives() {
  requireLoaded("lives");
  return s_.spec->lives ? s_.spec->lives(s_.state, *host_) : 0;
}

// ------------------------------------------------------------------------------------------------
std::vector<int> AleInterface::getLegalActionSet() const {
  requireLoaded("getLegalActionSet");
  std::vector<int> out;
  for (int a = 0; a < 18; ++a)
    if (std::find(s_.spec->legalActions.begin(), s_.spec->legalActions.end(), a) != s_.spec->legalActions.end())
      out.push_back(a);
  return out;
}

std::vector<int> AleInterface::getMinimalActionSet() const {
  requireLoaded("getMinimalActionSet");
  std::vector<int> out;
  for (int a = 0; a < 18; ++a)
    if (std::find(s_.spec->minimalActions.begin(), s_.spec->minimalActions.end(), a) != s_.spec->minimalActions.end() &&
        std::find(s_.spec->legalActions.begin(), s_.spec->legalActions.end(), a) != s_.spec->legalActions.end())
      out.push_back(a);
  return out;
}

std::vector<int> AleInterface::getAvailableModes() const {
  requireLoaded("getAvailableModes");
  return s_.spec->modes.empty() ? std::vector<int>{0} : s_.spec->modes;
}

std::vector<int> AleInterface::getAvailableDifficulties() const {
  requireLoaded("getAvailableDifficulties");
  return s_.spec->difficulties.empty() ? std::vector<int>{0} : s_.spec->difficulties;
}

static std::string listInts(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

void AleInterface::setMode(int mode) {
  requireLoaded("setMode");
  std::vector<int> modes = getAvailableModes();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end())
    throw std::invalid_argument("setMode: mode " + std::to_string(mode) + " is not available for " + s_.spec->rom +
                                " (available: " + listInts(modes) + ")");
  s_.mode = mode;
}

int AleInterface::getMode() const {
  requireLoaded("getMode");
  return s_.mode;
}

void AleInterface::setDifficulty(int difficulty) {
  requireLoaded("setDifficulty");
  std::vector<int> ds = getAvailableDifficulties();
  if (std::find(ds.begin(), ds.end(), difficulty) == ds.end())
    throw std::invalid_argument("setDifficulty: difficulty " + std::to_string(difficulty) + " is not available for " +
                                s_.spec->rom + " (available: " + listInts(ds) + ")");
  s_.difficulty = difficulty;
}

int AleInterface::getDifficulty() const {
  requireLoaded("getDifficulty");
  return s_.difficulty;
}

int64_t AleInterface::getFrameNumber() const {
  requireLoaded("getFrameNumber");
  return s_.frame;
}

int64_t AleInterface::getEpisodeFrameNumber() const {
  requireLoaded("getEpisodeFrameNumber");
  return s_.episodeFrame;
}

const std::string& AleInterface::romMd5() const {
  requireLoaded("romMd5");
  return s_.md5;
}

const char* AleInterface::romId() const {
  requireLoaded("romId");
  return s_.spec->rom;
}

bool AleInterface::isPal() const {
  requireLoaded("isPal");
  return s_.console->isPal();
}

// ------------------------------------------------------------------------------------------------
uint32_t AleInterface::screenHeight() const {
  requireLoaded("getScreenDims");
  return s_.console->screenHeight();
}

const uint32_t* AleInterface::palette() const { return s_.console->isPal() ? kPalPalette : kNtscPalette; }

const uint8_t* AleInterface::screenIndices() {
  const uint8_t* cur = s_.console->tia().currentFrameBuffer();
  if (!s_.cfg.colorAveraging) return cur;
  const uint8_t* prev = s_.console->tia().previousFrameBuffer();
  const uint32_t* pal = palette();
  if (s_.averageLut.empty()) {
    // Quantised (6-bit per channel) RGB -> even palette index with the smallest L1 distance.
    s_.averageLut.resize(64 * 64 * 64);
    for (int r = 0; r < 64; ++r)
      for (int g = 0; g < 64; ++g)
        for (int b = 0; b < 64; ++b) {
          int best = 0, bestDist = 1 << 30;
          for (int k = 0; k < 256; k += 2) {
            uint32_t c = pal[k];
            int d = std::abs(int((c >> 16) & 0xFF) - (r << 2)) + std::abs(int((c >> 8) & 0xFF) - (g << 2)) +
                    std::abs(int(c & 0xFF) - (b << 2));
            if (d < bestDist) {
              bestDist = d;
              best = k;
            }
          }
          s_.averageLut[(r << 12) | (g << 6) | b] = uint8_t(best);
        }
  }
  size_t n = screenSize();
  s_.averaged.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = pal[cur[i]], p = pal[prev[i]];
    int q[3];
    for (int ch = 0; ch < 3; ++ch) {
      int x = int((c >> (16 - 8 * ch)) & 0xFF), y = int((p >> (16 - 8 * ch)) & 0xFF);
      int hi = std::max(x, y), lo = std::min(x, y);
      q[ch] = (lo + ((hi - lo) * 77) / 100) >> 2;
    }
    s_.averaged[i] = s_.averageLut[(q[0] << 12) | (q[1] << 6) | q[2]];
  }
  return s_.averaged.data();
}

void AleInterface::getScreen(uint8_t* out) {
  requireLoaded("getScreen");
  std::memcpy(out, screenIndices(), screenSize());
}

void AleInterface::getScreenRGB(uint8_t* out) {
  requireLoaded("getScreenRGB");
  const uint8_t* s = screenIndices();
  const uint32_t* pal = palette();
  size_t n = screenSize();
  for (size_t i = 0; i < n; ++i) paletteRgb(pal, s[i], out + 3 * i);
}

namespace {

// Grayscale of n screen values through a 256-byte table (gray[p] = paletteGray(pal, p)).
void grayScalar(const uint8_t* s, uint8_t* out, size_t n, const uint8_t* gray) {
  for (size_t i = 0; i < n; ++i) out[i] = gray[s[i]];
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// 64 pixels per iteration: two 128-entry byte permutes (vpermi2b) select from the table's low and
// high halves by the index's low 7 bits, its top bit picks between them.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) void grayAvx512(const uint8_t* s, uint8_t* out, size_t n, const uint8_t* gray) {
  const __m512i t0 = _mm512_loadu_si512(gray);
  const __m512i t1 = _mm512_loadu_si512(gray + 64);
  const __m512i t2 = _mm512_loadu_si512(gray + 128);
  const __m512i t3 = _mm512_loadu_si512(gray + 192);
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i p = _mm512_loadu_si512(s + i);
    const __m512i lo = _mm512_permutex2var_epi8(t0, p, t1);
    const __m512i hi = _mm512_permutex2var_epi8(t2, p, t3);
    _mm512_storeu_si512(out + i, _mm512_mask_blend_epi8(_mm512_movepi8_mask(p), lo, hi));
  }
  grayScalar(s + i, out + i, n - i, gray);
}

bool hasAvx512Vbmi() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
  return yes;
}
#endif

}  // namespace

void AleInterface::getScreenGrayscale(uint8_t* out) {
  requireLoaded("getScreenGrayscale");
  const uint8_t* s = screenIndices();
  const uint32_t* pal = palette();
  size_t n = screenSize();
  alignas(64) uint8_t gray[256];
  for (int p = 0; p < 256; ++p) gray[p] = paletteGray(pal, uint8_t(p));
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (hasAvx512Vbmi()) {
    grayAvx512(s, out, n, gray);
    return;
  }
#endif
  grayScalar(s, out, n, gray);
}

uint64_t AleInterface::screenHash() {
  requireLoaded("screenHash");
  return fnv1a64(screenIndices(), screenSize());
}

void AleInterface::getRAM(uint8_t* out) const {
  requireLoaded("getRAM");
  std::memcpy(out, s_.console->ram(), kRamSize);
}

void AleInterface::setRAM(int index, uint8_t value) {
  requireLoaded("setRAM");
  if (index < 0 || index >= kRamSize)
    throw std::invalid_argument("setRAM: index " + std::to_string(index) + " is out of range 0..127");
  s_.console->poke(uint16_t(0x80 + index), value);
}

// ------------------------------------------------------------------------------------------------
std::vector<uint8_t> AleInterface::cloneState(bool includeRng) const {
  requireLoaded("cloneState");
  std::vector<uint8_t> out;
  BlobWriter w{out};
  w.bytes(reinterpret_cast<const uint8_t*>(kStateMagic), 8);
  w.u32(kStateVersion);
  w.bytes(reinterpret_cast<const uint8_t*>(s_.md5.data()), 32);
  w.u8(includeRng ? 1 : 0);
  std::vector<uint8_t> machine = s_.console->saveState();
  w.u32(uint32_t(machine.size()));
  w.bytes(machine.data(), machine.size());
  w.u64(uint64_t(s_.state.scoreOld));
  w.u64(uint64_t(s_.state.reward));
  w.u8(s_.state.terminal ? 1 : 0);
  w.u32(uint32_t(s_.state.livesVar));
  for (int64_t e : s_.state.extra) w.u64(uint64_t(e));
  w.u32(uint32_t(s_.paddle[0]));
  w.u32(uint32_t(s_.paddle[1]));
  w.u32(uint32_t(s_.cfg.paddleMin));
  w.u32(uint32_t(s_.cfg.paddleMax));
  w.u64(uint64_t(s_.frame));
  w.u64(uint64_t(s_.episodeFrame));
  w.u32(uint32_t(s_.mode));
  w.u32(uint32_t(s_.difficulty));
  if (includeRng) {
    for (uint32_t v : s_.envRng.mt) w.u32(v);
    w.u32(s_.envRng.index);
  }
  w.u64(fnv1a64(out.data(), out.size()));
  return out;
}

void AleInterface::restoreState(const uint8_t* data, size_t size) {
  requireLoaded("restoreState");
  if (!data || size < 8 + 4 + 32 + 1 + 8 || std::memcmp(data, kStateMagic, 8) != 0)
    throw std::invalid_argument("restoreState: not an eigenopt ALE state (bad header)");
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t(data[size - 8 + i]) << (8 * i);
  if (fnv1a64(data, size - 8) != stored)
    throw std::invalid_argument("restoreState: corrupt state (checksum mismatch)");
  // A blob whose checksum was recomputed after editing passes the check above: every field is
  // validated below before anything changes.
  const auto corrupt = [](const std::string& what) {
    return std::invalid_argument("restoreState: corrupt state (" + what + ")");
  };
  BlobReader r{data, size - 8};
  r.bytes(8);
  uint32_t version = r.u32();
  if (version != kStateVersion)
    throw std::invalid_argument("restoreState: unsupported state version " + std::to_string(version));
  std::string md5(reinterpret_cast<const char*>(r.bytes(32)), 32);
  if (md5 != s_.md5)
    throw std::invalid_argument("restoreState: state belongs to another ROM (md5 " + quoted(md5) + ", loaded " +
                                s_.md5 + ")");
  const uint8_t rngFlag = r.u8();
  if (rngFlag > 1) throw corrupt("RNG flag " + std::to_string(rngFlag));
  const bool hasRng = rngFlag == 1;
  uint32_t machineSize = r.u32();
  const uint8_t* machine = r.bytes(machineSize);
  GameState gs;
  gs.scoreOld = int64_t(r.u64());
  gs.reward = int64_t(r.u64());
  const uint8_t terminal = r.u8();
  if (terminal > 1) throw corrupt("terminal flag " + std::to_string(terminal));
  gs.terminal = terminal == 1;
  gs.livesVar = int32_t(r.u32());
  for (int64_t& e : gs.extra) e = int64_t(r.u64());
  const std::vector<VarRange>& vars = s_.spec->vars;
  for (size_t i = 0; i < 8; ++i) {
    const int64_t v = gs.extra[i];
    if (i >= vars.size()) {
      if (v != 0)
        throw corrupt("game variable slot " + std::to_string(i) + " = " + std::to_string(v) + ", unused by " +
                      s_.spec->rom);
    } else if (v < vars[i].min || v > vars[i].max) {
      throw corrupt(std::string(s_.spec->rom) + " variable '" + vars[i].name + "' = " + std::to_string(v) +
                    " outside " + std::to_string(vars[i].min) + ".." + std::to_string(vars[i].max));
    }
  }
  int32_t paddles[2], pmin, pmax;
  paddles[0] = int32_t(r.u32());
  paddles[1] = int32_t(r.u32());
  pmin = int32_t(r.u32());
  pmax = int32_t(r.u32());
  if (pmin < 0 || pmax > kMaxPaddleSetting || pmin > pmax)
    throw corrupt("paddle range " + std::to_string(pmin) + ".." + std::to_string(pmax));
  for (int32_t p : paddles)
    if (p < pmin || p > pmax)
      throw corrupt("paddle position " + std::to_string(p) + " outside " + std::to_string(pmin) + ".." +
                    std::to_string(pmax));
  int64_t frame = int64_t(r.u64());
  int64_t episodeFrame = int64_t(r.u64());
  if (frame < 0 || episodeFrame < 0 || episodeFrame > frame)
    throw corrupt("frame counters " + std::to_string(frame) + " / " + std::to_string(episodeFrame));
  int mode = int32_t(r.u32());
  int difficulty = int32_t(r.u32());
  const std::vector<int> modes = getAvailableModes();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end())
    throw corrupt("mode " + std::to_string(mode) + " is not available for " + s_.spec->rom);
  // Difficulty 0 is the default of every game, even one that does not list it (backgammon).
  const std::vector<int> difficulties = getAvailableDifficulties();
  if (difficulty != 0 && std::find(difficulties.begin(), difficulties.end(), difficulty) == difficulties.end())
    throw corrupt("difficulty " + std::to_string(difficulty) + " is not available for " + s_.spec->rom);
  Mt19937 rng;
  if (hasRng) {
    bool allZero = true;
    for (uint32_t& v : rng.mt) {
      v = r.u32();
      allZero = allZero && v == 0;
    }
    rng.index = r.u32();
    if (rng.index > 624 || allZero) throw corrupt("RNG state");
  }
  if (r.pos != r.n) throw corrupt("trailing bytes");
  if (!s_.console->loadState(machine, machineSize))
    throw corrupt("machine state rejected by the emulator");
  // Game-object fields upstream leaves out of cloned states keep their current values.
  const uint16_t keep = s_.spec->notInClone;
  if (keep & kKeepLivesVar) gs.livesVar = s_.state.livesVar;
  for (int i = 0; i < 8; ++i)
    if (keep & kKeepExtra(i)) gs.extra[i] = s_.state.extra[i];
  s_.state = gs;
  s_.paddle[0] = paddles[0];
  s_.paddle[1] = paddles[1];
  s_.cfg.paddleMin = pmin;
  s_.cfg.paddleMax = pmax;
  ev_.paddle[0] = s_.paddle[0];
  ev_.paddle[1] = s_.paddle[1];
  s_.frame = frame;
  s_.episodeFrame = episodeFrame;
  s_.mode = mode;
  s_.difficulty = difficulty;
  if (hasRng) s_.envRng = rng;
}

void mt19937Outputs(uint32_t seed, uint32_t* out, size_t n) {
  Mt19937 rng(seed);
  for (size_t i = 0; i < n; ++i) out[i] = rng.next();
}

}  // namespace eo::ale
