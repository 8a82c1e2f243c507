#include "vector/atari_env.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace eo::vec {
namespace {

constexpr uint32_t kStateMagic = 0x45544131;  // "ETA1"

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
void put64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(v >> (8 * i)));
}

struct Reader {
  const uint8_t* p;
  size_t n, off = 0;
  void need(size_t k) const {
    if (k > n - off) throw std::invalid_argument("AtariEnv.restoreState: corrupt state (truncated)");
  }
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(p[off + size_t(i)]) << (8 * i);
    off += 4;
    return v;
  }
  uint64_t u64() {
    uint64_t lo = u32();
    return lo | (uint64_t(u32()) << 32);
  }
  const uint8_t* bytes(size_t k) {
    need(k);
    const uint8_t* q = p + off;
    off += k;
    return q;
  }
};

uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint32_t xorshiftSeed(uint32_t seed) {
  uint32_t s = seed ^ 0x9E3779B9u;
  return s == 0 ? 0x9E3779B9u : s;
}

}  // namespace

AtariEnv::AtariEnv(const AtariConfig& c, const uint32_t* seed) : cfg_(c) {
  auto bad = [](const std::string& m) { throw std::invalid_argument("AtariEnv: " + m); };
  if (c.frameSkip < 1) bad("frameskip must be >= 1, got " + std::to_string(c.frameSkip));
  if (c.frameSkipHigh != 0 && c.frameSkipHigh <= c.frameSkip)
    bad("frameskip range [lo, hi) needs hi > lo, got [" + std::to_string(c.frameSkip) + ", " +
        std::to_string(c.frameSkipHigh) + ")");
  if (!(c.repeatActionProbability >= 0.0f && c.repeatActionProbability <= 1.0f))
    bad("repeatActionProbability must be in [0, 1], got " + std::to_string(c.repeatActionProbability));
  if (c.maxNumFramesPerEpisode < 0) bad("maxNumFramesPerEpisode must be >= 0 (0 = no limit)");
  if (c.noopMax < 0 || c.noopMax > 100000) bad("noopMax must be in 0..100000, got " + std::to_string(c.noopMax));
  if (c.frameStack < 1 || c.frameStack > 64) bad("frameStack must be in 1..64, got " + std::to_string(c.frameStack));
  if (c.screenHeight < 0 || c.screenWidth < 0 || (c.screenHeight == 0) != (c.screenWidth == 0))
    bad("screen size must be two positive numbers, or 0 to keep the screen size");
  if (int(c.obsKind) < 0 || int(c.obsKind) > 2) bad("unknown observation kind");

  ale_.setFloat("repeat_action_probability", c.repeatActionProbability);
  ale_.setInt("frame_skip", 1);
  ale_.setInt("max_num_frames_per_episode", c.maxNumFramesPerEpisode);
  skipState_ = xorshiftSeed(0);
  seedAndLoad(seed);
  actions_ = c.fullActionSpace ? ale_.getLegalActionSet() : ale_.getMinimalActionSet();
  screenH_ = int(ale_.screenHeight());
  screenW_ = int(ale_.screenWidth());
  last_.assign(size_t(screenH_) * size_t(screenW_), 0);
  prev_.assign(last_.size(), 0);

  int stack = c.frameStack;
  if (c.obsKind == ObsKind::kGrayscale) {
    resizing_ = c.screenHeight > 0 && (c.screenHeight != screenH_ || c.screenWidth != screenW_);
    int h = c.screenHeight > 0 ? c.screenHeight : screenH_;
    int w = c.screenWidth > 0 ? c.screenWidth : screenW_;
    if (resizing_) resizer_ = AreaResizer(screenH_, screenW_, h, w);
    frameSize_ = size_t(h) * size_t(w);
    shape_ = stack > 1 ? std::vector<int>{stack, h, w} : std::vector<int>{h, w};
  } else if (c.obsKind == ObsKind::kRgb) {
    frameSize_ = size_t(screenH_) * size_t(screenW_) * 3;
    shape_ = stack > 1 ? std::vector<int>{stack, screenH_, screenW_, 3} : std::vector<int>{screenH_, screenW_, 3};
  } else {
    frameSize_ = ale::kRamSize;
    shape_ = stack > 1 ? std::vector<int>{stack, ale::kRamSize} : std::vector<int>{ale::kRamSize};
  }
  obsSize_ = frameSize_ * size_t(stack);
  stack_.assign(obsSize_, 0);
  lives_ = ale_.lives();
}

void AtariEnv::seedAndLoad(const uint32_t* seed) {
  if (seed) {
    ale_.setInt("random_seed", int(int32_t(*seed)));  // the 32-bit pattern, as ale_py passes a signed int
    noopState_ = uint64_t(*seed);
    skipState_ = xorshiftSeed(*seed);
  }
  ale_.loadROM(cfg_.romPath);
  if (cfg_.mode >= 0) ale_.setMode(cfg_.mode);
  if (cfg_.difficulty >= 0) ale_.setDifficulty(cfg_.difficulty);
}

uint32_t AtariEnv::nextNoopRandom() { return uint32_t(splitmix64(noopState_) >> 32); }

void AtariEnv::captureGray(uint8_t* dst) { ale_.getScreenGrayscale(dst); }

void AtariEnv::fillInfo(StepInfo& info) {
  info.lives = ale_.lives();
  info.frameNumber = ale_.getFrameNumber();
  info.episodeFrameNumber = ale_.getEpisodeFrameNumber();
  info.executedAction = ale_.lastActionA();
}

// Builds the newest frame from last_ (and prev_ when pooled), pushes it onto the stack and copies
// the stack to obs. On reset the frame fills the whole stack.
void AtariEnv::emitObservation(uint8_t* obs, bool pooled, bool resetFrame) {
  const size_t K = size_t(cfg_.frameStack);
  uint8_t* newest = stack_.data() + (K - 1) * frameSize_;
  if (!resetFrame && K > 1) std::memmove(stack_.data(), stack_.data() + frameSize_, (K - 1) * frameSize_);
  if (cfg_.obsKind == ObsKind::kGrayscale) {
    if (pooled) maxInPlace(last_.data(), prev_.data(), last_.size());
    if (resizing_) resizer_.resize(last_.data(), newest);
    else std::memcpy(newest, last_.data(), frameSize_);
  } else if (cfg_.obsKind == ObsKind::kRgb) {
    ale_.getScreenRGB(newest);
  } else {
    ale_.getRAM(newest);
  }
  if (resetFrame)
    for (size_t k = 0; k + 1 < K; ++k) std::memcpy(stack_.data() + k * frameSize_, newest, frameSize_);
  std::memcpy(obs, stack_.data(), obsSize_);
}

void AtariEnv::reset(const uint32_t* seed, uint8_t* obs, StepInfo& info) {
  if (seed) seedAndLoad(seed);
  ale_.reset_game();
  int frames = 0;
  if (cfg_.noopMax > 0) {
    int noops = 1 + int((uint64_t(nextNoopRandom()) * uint64_t(cfg_.noopMax)) >> 32);
    const int noop = actions_.empty() ? ale::kNoop : actions_[0];
    for (int i = 0; i < noops; ++i) {
      ale_.act(noop);
      ++frames;
      if (ale_.game_over(false) || ale_.game_truncated()) ale_.reset_game();
    }
  }
  lives_ = ale_.lives();
  const bool gray = cfg_.obsKind == ObsKind::kGrayscale;
  if (gray) {
    captureGray(last_.data());
    std::fill(prev_.begin(), prev_.end(), uint8_t(0));
  }
  emitObservation(obs, false, true);
  info = StepInfo{};
  info.frames = frames;
  fillInfo(info);
}

void AtariEnv::step(int action, uint8_t* obs, StepInfo& info) {
  if (action < 0 || size_t(action) >= actions_.size())
    throw std::invalid_argument("AtariEnv.step: action index " + std::to_string(action) + " is out of range 0.." +
                                std::to_string(int(actions_.size()) - 1));
  int frames = cfg_.frameSkip;
  if (cfg_.frameSkipHigh > cfg_.frameSkip) {
    uint32_t x = skipState_;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    skipState_ = x;
    frames = cfg_.frameSkip + int(x % uint32_t(cfg_.frameSkipHigh - cfg_.frameSkip));
  }
  const int id = actions_[size_t(action)];
  const bool gray = cfg_.obsKind == ObsKind::kGrayscale;
  const bool pool = gray && cfg_.maxPool && frames > 1;
  int64_t reward = 0;
  bool terminated = false, truncated = false, pooled = false;
  int t = 0;
  for (; t < frames; ++t) {
    reward += ale_.act(id);
    terminated = ale_.game_over(false);
    truncated = ale_.game_truncated();
    if (cfg_.terminalOnLifeLoss) {
      int lives = ale_.lives();
      if (lives < lives_) terminated = true;
      lives_ = lives;
    }
    if (terminated || truncated) break;
    if (pool && t == frames - 2) captureGray(prev_.data());
  }
  if (gray) {
    captureGray(last_.data());
    pooled = pool && t >= frames - 1;  // both of the step's last two frames were captured
  }
  emitObservation(obs, pooled, false);
  info = StepInfo{};
  info.reward = reward;
  info.terminated = terminated;
  info.truncated = truncated;
  info.frames = t < frames ? t + 1 : frames;
  fillInfo(info);
}

std::vector<uint8_t> AtariEnv::cloneState() const {
  std::vector<uint8_t> ale = ale_.cloneState(true);
  std::vector<uint8_t> out;
  out.reserve(ale.size() + stack_.size() + 2 * last_.size() + 64);
  put32(out, kStateMagic);
  put32(out, uint32_t(obsSize_));
  put32(out, uint32_t(last_.size()));
  put32(out, uint32_t(ale.size()));
  out.insert(out.end(), ale.begin(), ale.end());
  out.insert(out.end(), stack_.begin(), stack_.end());
  out.insert(out.end(), last_.begin(), last_.end());
  out.insert(out.end(), prev_.begin(), prev_.end());
  put32(out, uint32_t(int32_t(lives_)));
  put64(out, noopState_);
  put32(out, skipState_);
  put32(out, uint32_t(int32_t(ale_.lastActionA())));
  return out;
}

void AtariEnv::restoreState(const uint8_t* data, size_t size) {
  Reader r{data, size};
  if (r.u32() != kStateMagic) throw std::invalid_argument("AtariEnv.restoreState: not a state from AtariEnv.cloneState");
  if (r.u32() != obsSize_ || r.u32() != last_.size())
    throw std::invalid_argument("AtariEnv.restoreState: state from an environment with another observation shape");
  size_t aleSize = r.u32();
  const uint8_t* ale = r.bytes(aleSize);
  const uint8_t* stack = r.bytes(stack_.size());
  const uint8_t* last = r.bytes(last_.size());
  const uint8_t* prev = r.bytes(prev_.size());
  int lives = int(int32_t(r.u32()));
  uint64_t noop = r.u64();
  uint32_t skip = r.u32();
  int sticky = int(int32_t(r.u32()));
  if (!((sticky >= 0 && sticky < 18) || sticky == ale::kReset))
    throw std::invalid_argument("AtariEnv.restoreState: corrupt state (sticky action)");
  if (r.off != size) throw std::invalid_argument("AtariEnv.restoreState: corrupt state (trailing bytes)");
  ale_.restoreState(ale, aleSize);  // validates its own checksum and ROM
  std::memcpy(stack_.data(), stack, stack_.size());
  std::memcpy(last_.data(), last, last_.size());
  std::memcpy(prev_.data(), prev, prev_.size());
  lives_ = lives;
  noopState_ = noop;
  skipState_ = skip;
  ale_.setLastActionA(sticky);
}

}  // namespace eo::vec
