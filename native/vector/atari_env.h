// eo::vec::AtariEnv: one Atari environment with Gymnasium's AtariPreprocessing over the ALE layer
// (ale_py v5 settings by default). Used by the single-environment binding and by VectorEnv, so
// both step through exactly the same code.
//
// Per step (frameSkip frames, the core's frame_skip is 1 and sticky actions are decided per frame
// by the core): rewards are summed; after each frame the episode ends on game over
// (terminated), on max_num_frames_per_episode (truncated) and, with terminalOnLifeLoss, when the
// lives counter drops (terminated). With pooling, the grayscale screens of the last two frames
// are captured and the observation frame is their pixelwise maximum. When the episode ends on a
// frame before the last of the step, the observation frame is that final frame alone (Gymnasium
// instead leaves the previous step's frame in place). The frame is then resized by area averaging
// (preprocess.h) and pushed onto a stack of frameStack frames (oldest first).
//
// Reset: reset(seed) seeds ALE (random_seed = seed), reloads the ROM and calls reset_game()
// (ale_py's reset(seed=...)); reset() without a seed calls reset_game() and continues every random
// stream. Then a number of NOOP frames drawn uniformly from [1, noopMax] (none when noopMax is 0)
// are played, one frame each; an episode that ends during them is reset again (reset_game()).
// The reset frame is the grayscale screen alone (the other pooling buffer is zero) and fills the
// whole stack. The noop count and the stochastic frame skip come from generators seeded by `seed`.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ale/ale_interface.h"
#include "vector/preprocess.h"

namespace eo::vec {

enum class ObsKind : int { kGrayscale = 0, kRgb = 1, kRam = 2 };

struct AtariConfig {
  std::string romPath;
  int mode = -1;                    // -1: the ROM's default
  int difficulty = -1;              // -1: the ROM's default
  int frameSkip = 4;                // frames per step; with frameSkipHigh > frameSkip: uniform in [frameSkip, frameSkipHigh)
  int frameSkipHigh = 0;
  float repeatActionProbability = 0.25f;
  bool fullActionSpace = false;
  int maxNumFramesPerEpisode = 108000;  // 0: no limit
  int noopMax = 30;
  bool terminalOnLifeLoss = false;
  ObsKind obsKind = ObsKind::kGrayscale;
  bool maxPool = true;              // grayscale only: max over the step's last two frames
  int screenHeight = 84;            // grayscale only: 0 = keep the ROM's screen size
  int screenWidth = 84;
  int frameStack = 4;               // 1 = no stacking
};

struct StepInfo {
  int64_t reward = 0;
  bool terminated = false;
  bool truncated = false;
  int lives = 0;
  int64_t frameNumber = 0;
  int64_t episodeFrameNumber = 0;
  int executedAction = 0;  // ALE action id in effect on the step's last frame (after sticky repetition)
  int frames = 0;          // frames emulated by this call (noops included for reset)
};

class AtariEnv {
 public:
  // Loads the ROM (seeded with *seed unless null); throws std::invalid_argument / std::runtime_error on bad input.
  AtariEnv(const AtariConfig& config, const uint32_t* seed);
  AtariEnv(const AtariEnv&) = delete;
  AtariEnv& operator=(const AtariEnv&) = delete;

  const AtariConfig& config() const { return cfg_; }
  const std::vector<int>& actionSet() const { return actions_; }
  // Observation shape: [stack, h, w] (grayscale, stack > 1), [h, w], [h, w, 3] (rgb) or [128] (ram).
  const std::vector<int>& obsShape() const { return shape_; }
  size_t obsSize() const { return obsSize_; }

  // Starts an episode (re-seeding when seed != nullptr) and writes the observation to obs.
  void reset(const uint32_t* seed, uint8_t* obs, StepInfo& info);
  // One step with action index `action` (0 <= action < actionSet().size()).
  void step(int action, uint8_t* obs, StepInfo& info);
  void getRam(uint8_t* out) const { ale_.getRAM(out); }
  // Writes one RAM byte (0 <= index < 128), as ALEInterface::setRAM; the observation buffers keep
  // the frame already drawn until the next step.
  void setRam(int index, uint8_t value) { ale_.setRAM(index, value); }

  // Exact snapshot of the environment (ALE state with its RNG, frame buffers, counters).
  std::vector<uint8_t> cloneState() const;
  void restoreState(const uint8_t* data, size_t size);

  ale::AleInterface& ale() { return ale_; }

 private:
  void seedAndLoad(const uint32_t* seed);
  void captureGray(uint8_t* dst);
  void fillInfo(StepInfo& info);
  void emitObservation(uint8_t* obs, bool pooled, bool resetFrame);
  uint32_t nextNoopRandom();

  AtariConfig cfg_;
  ale::AleInterface ale_;
  std::vector<int> actions_;
  std::vector<int> shape_;
  size_t obsSize_ = 0;
  int screenH_ = 0, screenW_ = 0;
  size_t frameSize_ = 0;  // one processed frame (bytes)
  AreaResizer resizer_;
  bool resizing_ = false;

  std::vector<uint8_t> last_, prev_;  // grayscale screens of the step's last two frames
  std::vector<uint8_t> stack_;        // frameStack processed frames, oldest first
  int lives_ = 0;
  uint64_t noopState_ = 0;            // splitmix64 state for the noop count
  uint32_t skipState_ = 0;            // xorshift32 state for stochastic frame skips
};

}  // namespace eo::vec
