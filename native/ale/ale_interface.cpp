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
  uint8_t ram(uint16_t addr) override { return ale_.console_->ramByte(uint8_t(addr & 0x7F)); }
  uint8_t peek(uint16_t addr) override { return ale_.console_->peek(addr); }
  void pressSelect(int frames) override { ale_.pressSelect(frames); }
  void softReset() override { ale_.softReset(); }
  void act(int action) override { (void)ale_.act(action, 1.0f); }
  uint32_t envRandU32() override { return ale_.envRng_.next(); }

 private:
  AleInterface& ale_;
};

AleInterface::AleInterface() : host_(new Host(*this)) {}

AleInterface::~AleInterface() {
  console_.reset();
  closeTrace();
}

void AleInterface::requireLoaded(const char* what) const {
  if (!console_) throw std::runtime_error(std::string(what) + ": no ROM loaded (call loadROM first)");
}

void AleInterface::closeTrace() {
  trace_.reset();
  if (traceCpu_) std::fclose(traceCpu_);
  if (traceTia_) std::fclose(traceTia_);
  traceCpu_ = traceTia_ = nullptr;
}

void AleInterface::setTrace(const std::string& cpuPath, const std::string& tiaPath) {
  traceCpuPath_ = cpuPath;
  traceTiaPath_ = tiaPath;
  if (cpuPath.empty() && tiaPath.empty()) {
    if (console_) console_->system().trace = nullptr;
    closeTrace();
  }
}

core::Inputs AleInterface::initialInputs(const GameSpec& spec) const {
  core::Inputs in;
  in.swcha = evSwcha_;
  in.inpt4High = evInpt4High_;
  in.inpt5High = evInpt5High_;
  uint8_t swchb = 0x3F;
  if (evReset_) swchb &= uint8_t(~0x01);
  if (evSelect_) swchb &= uint8_t(~0x02);
  bool leftA = evDifficultySet_ ? (evDifficulty_ & 1) != 0 : spec.difficultyA[0];
  bool rightA = evDifficultySet_ ? (evDifficulty_ & 2) != 0 : spec.difficultyA[1];
  if (leftA) swchb |= 0x40;
  if (rightA) swchb |= 0x80;
  in.swchb = swchb;
  for (int i = 0; i < 4; ++i) in.paddleResistance[i] = core::Inputs::kNoPaddle;
  if (spec.left == Controller::Paddles) {
    in.paddleResistance[spec.swapPaddles ? 1 : 0] = evPaddle_[0];
    in.paddleResistance[spec.swapPaddles ? 0 : 1] = evPaddle_[1];
  }
  if (spec.right == Controller::Paddles) {
    in.paddleResistance[spec.swapPaddles ? 3 : 2] = evPaddle_[2];
    in.paddleResistance[spec.swapPaddles ? 2 : 3] = evPaddle_[3];
  }
  return in;
}

// ------------------------------------------------------------------------------------------------
void AleInterface::loadROM(const std::string& path) {
  if (path.empty()) throw std::invalid_argument("loadROM: empty ROM path");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("loadROM: cannot open ROM file '" + path + "': " + std::strerror(errno));
  // Read at most 16 MiB (a gzip file of a 512 KiB image is far smaller).
  constexpr size_t kMaxFileSize = 16u << 20;
  std::vector<uint8_t> rom;
  uint8_t chunk[65536];
  size_t got;
  while (rom.size() <= kMaxFileSize && (got = std::fread(chunk, 1, sizeof chunk, f)) > 0)
    rom.insert(rom.end(), chunk, chunk + got);
  bool readError = std::ferror(f) != 0;
  std::fclose(f);
  size_t size = rom.size();
  if (size > kMaxFileSize)
    throw std::runtime_error("loadROM: ROM file '" + path + "' is larger than 16 MiB; not an Atari 2600 ROM");
  if (readError) throw std::runtime_error("loadROM: cannot read ROM file '" + path + "' (is it a directory?)");
  if (size == 0) throw std::runtime_error("loadROM: ROM file '" + path + "' is empty");
  if (isGzip(rom.data(), size)) {
    try {
      rom = gunzip(rom.data(), size, kMaxRomSize);
    } catch (const std::exception& e) {
      throw std::runtime_error("loadROM: ROM file '" + path + "': " + e.what());
    }
    size = rom.size();
    if (size == 0) throw std::runtime_error("loadROM: ROM file '" + path + "' decompresses to nothing");
  }
  if (size > kMaxRomSize)
    throw std::runtime_error("loadROM: ROM file '" + path + "' is larger than 512 KiB; not an Atari 2600 ROM");
  if (!validRomSize(size))
    throw std::runtime_error("loadROM: ROM file '" + path + "' has " + std::to_string(size) +
                             " bytes, which is not an Atari 2600 cartridge size (truncated or not a ROM image)");
  rom.resize(size);

  std::string md5 = md5Hex(rom.data(), size);
  std::string stem = romStem(path);
  const GameSpec* spec = findGame(md5, stem);
  if (!spec)
    throw std::invalid_argument("loadROM: unknown ROM '" + path + "' (md5 " + md5 + ", name '" + stem +
                                "'): not one of the supported ALE games");
  if (md5 != spec->md5)
    std::fprintf(stderr, "eigenopt: warning: ROM '%s' has md5 %s, not the supported %s; using game '%s' by its name\n",
                 path.c_str(), md5.c_str(), spec->md5, spec->rom);

  // Section 3 step 7: the game writes its setting overrides before the environment is built.
  if (spec->paddleMaxOverride >= 0) settings_.setInt("paddle_max", spec->paddleMaxOverride);

  // Validate and read every setting the environment uses (step 8) before touching the console.
  int systemSeed = settings_.getInt("system_random_seed");
  int frameSkip = settings_.getInt("frame_skip");
  float repeatProb = settings_.getFloat("repeat_action_probability");
  bool colorAveraging = settings_.getBool("color_averaging");
  int maxEpisodeFrames = settings_.getInt("max_num_frames_per_episode");
  (void)settings_.getInt("max_num_frames");
  bool truncateOnLifeLoss = settings_.getBool("truncate_on_loss_of_life");
  int rewardMin = settings_.getInt("reward_min");
  int rewardMax = settings_.getInt("reward_max");
  int paddleMin = settings_.getInt("paddle_min");
  int paddleMax = settings_.getInt("paddle_max");
  int randomSeed = settings_.getInt("random_seed");
  if (!(repeatProb >= 0.0f && repeatProb <= 1.0f))
    throw std::invalid_argument("loadROM: setting 'repeat_action_probability' must be in [0, 1], got " +
                                settings_.getString("repeat_action_probability"));
  if (rewardMin > rewardMax) throw std::invalid_argument("loadROM: setting 'reward_min' exceeds 'reward_max'");
  if (paddleMin == -1) paddleMin = kDefaultPaddleMin;
  if (paddleMax == -1) paddleMax = kDefaultPaddleMax;
  if (paddleMin > paddleMax) throw std::invalid_argument("loadROM: setting 'paddle_min' exceeds 'paddle_max'");

  // Trace files for the new console (from power-on).
  std::FILE* newCpu = nullptr;
  std::FILE* newTia = nullptr;
  std::unique_ptr<core::TraceWriter> newTrace;
  if (!traceCpuPath_.empty() || !traceTiaPath_.empty()) {
    if (!traceCpuPath_.empty() && !(newCpu = std::fopen(traceCpuPath_.c_str(), "wb")))
      throw std::runtime_error("loadROM: cannot create trace file '" + traceCpuPath_ + "'");
    if (!traceTiaPath_.empty() && !(newTia = std::fopen(traceTiaPath_.c_str(), "wb"))) {
      if (newCpu) std::fclose(newCpu);
      throw std::runtime_error("loadROM: cannot create trace file '" + traceTiaPath_ + "'");
    }
    newTrace.reset(new core::TraceWriter(newCpu, newTia));
  }

  core::ConsoleProperties props;
  props.ystart = spec->ystart;
  props.height = spec->height;
  props.hmoveBlanks = spec->hmoveBlanks;
  props.systemRandomSeed = uint32_t(systemSeed);
  props.trace = newTrace.get();
  setInitialInputs(props, initialInputs(*spec));

  std::unique_ptr<core::Console> console;
  try {
    console.reset(new core::Console(rom.data(), size, props));
  } catch (const std::exception& e) {
    newTrace.reset();
    if (newCpu) std::fclose(newCpu);
    if (newTia) std::fclose(newTia);
    throw std::runtime_error("loadROM: ROM file '" + path + "' cannot be emulated: " + e.what());
  }
  // Without ConsoleProperties::inputs the initial inputs apply after format detection.
  console->inputs() = initialInputs(*spec);
  std::memcpy(consoleCreatedRam_, console->ram(), kRamSize);

  console_ = std::move(console);  // the old console (if any) is destroyed here
  closeTrace();
  trace_ = std::move(newTrace);
  traceCpu_ = newCpu;
  traceTia_ = newTia;

  spec_ = spec;
  md5_ = md5;
  state_ = GameState{};
  if (spec_->reset) spec_->reset(state_);

  frameSkip_ = frameSkip < 1 ? 1 : frameSkip;
  repeatProb_ = repeatProb;
  colorAveraging_ = colorAveraging;
  maxEpisodeFrames_ = maxEpisodeFrames;
  truncateOnLifeLoss_ = truncateOnLifeLoss;
  rewardMin_ = rewardMin;
  rewardMax_ = rewardMax;
  paddleMin_ = paddleMin;
  paddleMax_ = paddleMax;
  paddleGame_ = spec_->left == Controller::Paddles || spec_->right == Controller::Paddles;
  livesAtLoad_ = lives();
  mode_ = spec_->modes.empty() ? 0 : spec_->modes[0];
  difficulty_ = 0;
  envRng_.seed_with(randomSeed == -1 ? uint32_t(std::time(nullptr)) : uint32_t(randomSeed));
  resetPaddles();
  frame_ = 0;
  episodeFrame_ = 0;
  stickyA_ = kNoop;
  stickyB_ = kPlayerBNoop;
  averaged_.clear();
  averageLut_.clear();
  traceMarker(core::kTracePhase, 1, 0xFFFF, 0, 0);  // console_created
  reset_game();
  traceMarker(core::kTracePhase, 2, 0xFFFF, uint32_t(frame_), uint32_t(episodeFrame_));  // after_loadROM
}

void AleInterface::tracePhase(int sub, int a) {
  if (sub < 0 || sub > 255) throw std::invalid_argument("tracePhase: sub must be in 0..255");
  if (a < 0 || a > 0xFFFF) throw std::invalid_argument("tracePhase: a must be in 0..65535");
  traceMarker(core::kTracePhase, uint8_t(sub), uint16_t(a), uint32_t(frame_), uint32_t(episodeFrame_));
}

// ------------------------------------------------------------------------------------------------
void AleInterface::resetPaddles() {
  int32_t centre = (paddleMin_ + paddleMax_) / 2;
  paddle_[0] = paddle_[1] = centre;
  evPaddle_[0] = evPaddle_[1] = centre;
  if (console_) writePaddleResistances(console_->inputs());
}

// Paddles 0/1 sit on INPT0/INPT1 of the left port, in the other order when swapped.
void AleInterface::writePaddleResistances(core::Inputs& in) const {
  if (spec_->left != Controller::Paddles) return;
  in.paddleResistance[spec_->swapPaddles ? 1 : 0] = paddle_[0];
  in.paddleResistance[spec_->swapPaddles ? 0 : 1] = paddle_[1];
}

void AleInterface::applyInputs(int actionA, int actionB, float strengthA, float strengthB, bool select) {
  core::Inputs& in = console_->inputs();
  bool reset = actionA == kReset || actionB == kReset;
  int a = (actionA >= 0 && actionA < 18) ? actionA : kNoop;
  int b = (actionB >= 18 && actionB < 36) ? actionB - 18 : kNoop;
  uint8_t swcha = 0xFF;
  bool inpt4High = true, inpt5High = true;
  if (paddleGame_) {
    int ids[2] = {a, b};
    float strength[2] = {strengthA, strengthB};
    for (int p = 0; p < 2; ++p) {
      uint8_t m = kJoy[ids[p]];
      int32_t delta = int32_t(double(kPaddleDelta) * std::fabs(double(strength[p])));
      int64_t v = paddle_[p];
      if (m & kRight) v -= delta;
      if (m & kLeft) v += delta;
      if (v < paddleMin_) v = paddleMin_;
      if (v > paddleMax_) v = paddleMax_;
      paddle_[p] = int32_t(v);
      evPaddle_[p] = paddle_[p];
      if (m & kFireBit) {
        bool swapped = spec_->swapPaddles;
        uint8_t bit = (p == 0) != swapped ? 0x80 : 0x40;
        swcha &= uint8_t(~bit);
      }
    }
    writePaddleResistances(in);
  } else {
    int portA = spec_->swapPorts ? 1 : 0;
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
  if (difficulty_ & 1) swchb |= 0x40;
  if (difficulty_ & 2) swchb |= 0x80;
  in.swcha = swcha;
  in.swchb = swchb;
  in.inpt4High = inpt4High;
  in.inpt5High = inpt5High;
  evSwcha_ = swcha;
  evInpt4High_ = inpt4High;
  evInpt5High_ = inpt5High;
  evReset_ = reset;
  evSelect_ = select;
  evDifficultySet_ = true;
  evDifficulty_ = difficulty_;
}

void AleInterface::emulateFrame(int actionA, int actionB, float strengthA, float strengthB, bool select,
                                bool evaluate) {
  if (selecting_ && ++selectFrames_ > kMaxSelectFrames) {
    selecting_ = false;
    throw std::runtime_error(std::string("reset_game: ") + spec_->rom + ": mode selection for mode " +
                             std::to_string(mode_) + " did not finish within " + std::to_string(kMaxSelectFrames) +
                             " frames (is this really the " + spec_->rom + " ROM?)");
  }
  applyInputs(actionA, actionB, strengthA, strengthB, select);
  console_->runFrame();
  if (evaluate && spec_->update) spec_->update(state_, *host_);
}

void AleInterface::softReset() {
  traceMarker(core::kTraceEnv, 0, kReset, kPlayerBNoop, 4);
  for (int i = 0; i < 4; ++i) emulateFrame(kReset, kPlayerBNoop, 1.0f, 0.0f, false, true);
  stickyA_ = kNoop;
  stickyB_ = kPlayerBNoop;
}

void AleInterface::pressSelect(int frames) {
  traceMarker(core::kTraceEnv, 1, 0xFFFF, uint32_t(frames), 0);
  for (int i = 0; i < frames; ++i) emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, true, false);
  emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, false, true);
  ++frame_;
  ++episodeFrame_;
}

void AleInterface::reset_game() {
  requireLoaded("reset_game");
  episodeFrame_ = 0;
  resetPaddles();
  console_->systemReset();
  traceMarker(core::kTraceEnv, 0, kNoop, kPlayerBNoop, 60);
  for (int i = 0; i < 60; ++i) emulateFrame(kNoop, kPlayerBNoop, 1.0f, 0.0f, false, true);
  softReset();
  if (spec_->reset) spec_->reset(state_);
  if (spec_->selectMode) {
    selecting_ = true;
    selectFrames_ = 0;
    try {
      spec_->selectMode(state_, *host_, mode_);
    } catch (...) {
      selecting_ = false;
      throw;
    }
    selecting_ = false;
  }
  softReset();
  for (int a : spec_->startingActions) {
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
  const double prob = double(repeatProb_);
  for (int i = 0; i < frameSkip_; ++i) {
    if (envRng_.next_double() >= prob) {
      stickyA_ = action;
      strengthA_ = paddleStrength;
    }
    if (envRng_.next_double() >= prob) {
      stickyB_ = kPlayerBNoop;
      strengthB_ = 0.0f;
    }
    if (state_.terminal || truncated()) continue;
    int a = stickyA_;
    if (a == kReset) a = kNoop;
    if (a >= 0 && a < 18 &&
        std::find(spec_->legalActions.begin(), spec_->legalActions.end(), a) == spec_->legalActions.end())
      a = kNoop;
    traceMarker(core::kTraceEnv, 0, uint16_t(a), uint32_t(stickyB_), 1);
    emulateFrame(a, stickyB_, strengthA_, strengthB_, false, true);
    ++frame_;
    ++episodeFrame_;
    total += state_.reward;
  }
  if (total < rewardMin_) total = rewardMin_;
  if (total > rewardMax_) total = rewardMax_;
  return total;
}

bool AleInterface::truncated() {
  if (maxEpisodeFrames_ > 0 && episodeFrame_ >= maxEpisodeFrames_) return true;
  if (truncateOnLifeLoss_ && lives() < livesAtLoad_) return true;
  return false;
}

bool AleInterface::game_over(bool withTruncation) {
  requireLoaded("game_over");
  return state_.terminal || (withTruncation && truncated());
}

bool AleInterface::game_truncated() {
  requireLoaded("game_truncated");
  return truncated();
}

int AleInterface::lives() {
  requireLoaded("lives");
  return spec_->lives ? spec_->lives(state_, *host_) : 0;
}

// ------------------------------------------------------------------------------------------------
std::vector<int> AleInterface::getLegalActionSet() const {
  requireLoaded("getLegalActionSet");
  std::vector<int> out;
  for (int a = 0; a < 18; ++a)
    if (std::find(spec_->legalActions.begin(), spec_->legalActions.end(), a) != spec_->legalActions.end())
      out.push_back(a);
  return out;
}

std::vector<int> AleInterface::getMinimalActionSet() const {
  requireLoaded("getMinimalActionSet");
  std::vector<int> out;
  for (int a = 0; a < 18; ++a)
    if (std::find(spec_->minimalActions.begin(), spec_->minimalActions.end(), a) != spec_->minimalActions.end() &&
        std::find(spec_->legalActions.begin(), spec_->legalActions.end(), a) != spec_->legalActions.end())
      out.push_back(a);
  return out;
}

std::vector<int> AleInterface::getAvailableModes() const {
  requireLoaded("getAvailableModes");
  return spec_->modes.empty() ? std::vector<int>{0} : spec_->modes;
}

std::vector<int> AleInterface::getAvailableDifficulties() const {
  requireLoaded("getAvailableDifficulties");
  return spec_->difficulties.empty() ? std::vector<int>{0} : spec_->difficulties;
}

static std::string listInts(const std::vector<int>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

void AleInterface::setMode(int mode) {
  std::vector<int> modes = getAvailableModes();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end())
    throw std::invalid_argument("setMode: mode " + std::to_string(mode) + " is not available for " + spec_->rom +
                                " (available: " + listInts(modes) + ")");
  mode_ = mode;
}

int AleInterface::getMode() const {
  requireLoaded("getMode");
  return mode_;
}

void AleInterface::setDifficulty(int difficulty) {
  std::vector<int> ds = getAvailableDifficulties();
  if (std::find(ds.begin(), ds.end(), difficulty) == ds.end())
    throw std::invalid_argument("setDifficulty: difficulty " + std::to_string(difficulty) + " is not available for " +
                                spec_->rom + " (available: " + listInts(ds) + ")");
  difficulty_ = difficulty;
}

int AleInterface::getDifficulty() const {
  requireLoaded("getDifficulty");
  return difficulty_;
}

int64_t AleInterface::getFrameNumber() const {
  requireLoaded("getFrameNumber");
  return frame_;
}

int64_t AleInterface::getEpisodeFrameNumber() const {
  requireLoaded("getEpisodeFrameNumber");
  return episodeFrame_;
}

const std::string& AleInterface::romMd5() const {
  requireLoaded("romMd5");
  return md5_;
}

const char* AleInterface::romId() const {
  requireLoaded("romId");
  return spec_->rom;
}

bool AleInterface::isPal() const {
  requireLoaded("isPal");
  return console_->isPal();
}

// ------------------------------------------------------------------------------------------------
uint32_t AleInterface::screenHeight() const {
  requireLoaded("getScreenDims");
  return console_->screenHeight();
}

const uint32_t* AleInterface::palette() const { return console_->isPal() ? kPalPalette : kNtscPalette; }

const uint8_t* AleInterface::screenIndices() {
  const uint8_t* cur = console_->tia().currentFrameBuffer();
  if (!colorAveraging_) return cur;
  const uint8_t* prev = console_->tia().previousFrameBuffer();
  const uint32_t* pal = palette();
  if (averageLut_.empty()) {
    // Quantised (6-bit per channel) RGB -> even palette index with the smallest L1 distance.
    averageLut_.resize(64 * 64 * 64);
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
          averageLut_[(r << 12) | (g << 6) | b] = uint8_t(best);
        }
  }
  size_t n = screenSize();
  averaged_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = pal[cur[i]], p = pal[prev[i]];
    int q[3];
    for (int ch = 0; ch < 3; ++ch) {
      int x = int((c >> (16 - 8 * ch)) & 0xFF), y = int((p >> (16 - 8 * ch)) & 0xFF);
      int hi = std::max(x, y), lo = std::min(x, y);
      q[ch] = (lo + ((hi - lo) * 77) / 100) >> 2;
    }
    averaged_[i] = averageLut_[(q[0] << 12) | (q[1] << 6) | q[2]];
  }
  return averaged_.data();
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

void AleInterface::getScreenGrayscale(uint8_t* out) {
  requireLoaded("getScreenGrayscale");
  const uint8_t* s = screenIndices();
  const uint32_t* pal = palette();
  size_t n = screenSize();
  for (size_t i = 0; i < n; ++i) out[i] = paletteGray(pal, s[i]);
}

uint64_t AleInterface::screenHash() {
  requireLoaded("screenHash");
  return fnv1a64(screenIndices(), screenSize());
}

void AleInterface::getRAM(uint8_t* out) const {
  requireLoaded("getRAM");
  std::memcpy(out, console_->ram(), kRamSize);
}

void AleInterface::setRAM(int index, uint8_t value) {
  requireLoaded("setRAM");
  if (index < 0 || index >= kRamSize)
    throw std::invalid_argument("setRAM: index " + std::to_string(index) + " is out of range 0..127");
  console_->poke(uint16_t(0x80 + index), value);
}

// ------------------------------------------------------------------------------------------------
std::vector<uint8_t> AleInterface::cloneState(bool includeRng) const {
  requireLoaded("cloneState");
  std::vector<uint8_t> out;
  BlobWriter w{out};
  w.bytes(reinterpret_cast<const uint8_t*>(kStateMagic), 8);
  w.u32(kStateVersion);
  w.bytes(reinterpret_cast<const uint8_t*>(md5_.data()), 32);
  w.u8(includeRng ? 1 : 0);
  std::vector<uint8_t> machine = console_->saveState();
  w.u32(uint32_t(machine.size()));
  w.bytes(machine.data(), machine.size());
  w.u64(uint64_t(state_.scoreOld));
  w.u64(uint64_t(state_.reward));
  w.u8(state_.terminal ? 1 : 0);
  w.u32(uint32_t(state_.livesVar));
  for (int64_t e : state_.extra) w.u64(uint64_t(e));
  w.u32(uint32_t(paddle_[0]));
  w.u32(uint32_t(paddle_[1]));
  w.u32(uint32_t(paddleMin_));
  w.u32(uint32_t(paddleMax_));
  w.u64(uint64_t(frame_));
  w.u64(uint64_t(episodeFrame_));
  w.u32(uint32_t(mode_));
  w.u32(uint32_t(difficulty_));
  if (includeRng) {
    for (uint32_t v : envRng_.mt) w.u32(v);
    w.u32(envRng_.index);
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
  BlobReader r{data, size - 8};
  r.bytes(8);
  uint32_t version = r.u32();
  if (version != kStateVersion)
    throw std::invalid_argument("restoreState: unsupported state version " + std::to_string(version));
  std::string md5(reinterpret_cast<const char*>(r.bytes(32)), 32);
  if (md5 != md5_)
    throw std::invalid_argument("restoreState: state belongs to another ROM (md5 " + md5 + ", loaded " + md5_ + ")");
  bool hasRng = r.u8() != 0;
  uint32_t machineSize = r.u32();
  const uint8_t* machine = r.bytes(machineSize);
  GameState gs;
  gs.scoreOld = int64_t(r.u64());
  gs.reward = int64_t(r.u64());
  gs.terminal = r.u8() != 0;
  gs.livesVar = int32_t(r.u32());
  for (int64_t& e : gs.extra) e = int64_t(r.u64());
  int32_t paddles[2], pmin, pmax;
  paddles[0] = int32_t(r.u32());
  paddles[1] = int32_t(r.u32());
  pmin = int32_t(r.u32());
  pmax = int32_t(r.u32());
  int64_t frame = int64_t(r.u64());
  int64_t episodeFrame = int64_t(r.u64());
  int mode = int(r.u32());
  int difficulty = int(r.u32());
  Mt19937 rng;
  if (hasRng) {
    for (uint32_t& v : rng.mt) v = r.u32();
    rng.index = r.u32();
    if (rng.index > 624) throw std::invalid_argument("restoreState: corrupt state (RNG index)");
  }
  if (r.pos != r.n) throw std::invalid_argument("restoreState: corrupt state (trailing bytes)");
  if (!console_->loadState(machine, machineSize))
    throw std::invalid_argument("restoreState: corrupt state (machine state rejected by the emulator)");
  // Game-object fields upstream leaves out of cloned states keep their current values.
  const uint16_t keep = spec_->notInClone;
  if (keep & kKeepLivesVar) gs.livesVar = state_.livesVar;
  for (int i = 0; i < 8; ++i)
    if (keep & kKeepExtra(i)) gs.extra[i] = state_.extra[i];
  state_ = gs;
  paddle_[0] = paddles[0];
  paddle_[1] = paddles[1];
  paddleMin_ = pmin;
  paddleMax_ = pmax;
  evPaddle_[0] = paddle_[0];
  evPaddle_[1] = paddle_[1];
  frame_ = frame;
  episodeFrame_ = episodeFrame;
  mode_ = mode;
  difficulty_ = difficulty;
  if (hasRng) envRng_ = rng;
}

void mt19937Outputs(uint32_t seed, uint32_t* out, size_t n) {
  Mt19937 rng(seed);
  for (size_t i = 0; i < n; ++i) out[i] = rng.next();
}

}  // namespace eo::ale
