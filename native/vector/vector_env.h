// eo::vec::VectorEnv: N AtariEnvs stepped in parallel by a small thread pool, writing into batched
// buffers that the caller owns (the binding hands it JavaScript ArrayBuffers).
//
// Autoreset (Gymnasium's "next step" mode): when env i's step ends its episode (terminated or
// truncated), the next step() of env i ignores its action and resets it instead (reset() without a
// seed: every random stream continues); that output has reward 0, terminated = truncated = false
// and first[i] = 1. So every observation of an episode, the last one included, is returned once,
// and N serial AtariEnvs driven the same way produce identical results.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vector/atari_env.h"

namespace eo::vec {

// A persistent pool of `threads` worker threads. submit(n, fn, done) returns at once; the workers
// call fn(i) for every i in [0, n) (indices handed out by an atomic counter) and the worker that
// finishes the last index calls done() — so the thread that submitted (for the binding: the Node
// main thread) hands work over and gets the completion back with one thread wake-up each way.
// When there are no more threads than cores, worker i is pinned to
// core i (as EnvPool does), so that the scheduler never parks two workers on one core while the
// other core idles, and a worker polls (yielding its core) for up to kSpinMicros before it sleeps.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  int threads() const { return int(workers_.size()); }
  // At most one batch at a time: call again only after done() of the previous one has run.
  void submit(int n, std::function<void(int)> fn, std::function<void()> done);

 private:
  void loop(int worker);

  // The claim word: generation (32 bits) | n (16 bits) | next index (16 bits). A worker claims an
  // index with a compare-and-swap that also checks the generation, so a worker still looping over an
  // old batch can never take an index of the next one.
  static constexpr uint64_t kIndexMask = 0xffff;
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> finished_{0};
  std::function<void(int)> fn_;
  std::function<void()> done_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  bool spin_ = false;
  static constexpr int kSpinMicros = 100;
};
// Output buffers of one batch (N entries each; obs holds N * obsSize bytes).
struct BatchBuffers {
  uint8_t* obs = nullptr;
  uint8_t* ram = nullptr;          // N * 128
  double* reward = nullptr;
  uint8_t* terminated = nullptr;
  uint8_t* truncated = nullptr;
  uint8_t* first = nullptr;        // 1 when the observation starts an episode
  int32_t* lives = nullptr;
  int32_t* executedAction = nullptr;
  int32_t* episodeStep = nullptr;  // steps since the episode's reset observation (0 for it)
  double* frameNumber = nullptr;
  double* episodeFrameNumber = nullptr;
};

class VectorEnv {
 public:
  VectorEnv(const AtariConfig& config, int numEnvs, int threads);
  int numEnvs() const { return int(envs_.size()); }
  int threads() const { return pool_.threads(); }
  AtariEnv& env(int i) { return *envs_[size_t(i)]; }
  size_t obsSize() const { return envs_[0]->obsSize(); }

  // Resets every env (env i with seeds[i] when seeds != nullptr), or steps every env with action
  // indices actions[0..N-1] (autoreset as described above). Both return at once: the pool runs the
  // batch and calls done(error) from a worker thread (error empty on success). `actions`, `seeds`
  // and `out` must stay valid and untouched until then, and one batch runs at a time.
  void resetAsync(const uint32_t* seeds, const BatchBuffers& out, std::function<void(std::string)> done);
  void stepAsync(const int32_t* actions, const BatchBuffers& out, std::function<void(std::string)> done);

  // Exact snapshot of every env plus the autoreset bookkeeping (not the batch buffers).
  std::vector<uint8_t> cloneState() const;
  void restoreState(const uint8_t* data, size_t size);

 private:
  void write(int i, const StepInfo& info, bool first, const BatchBuffers& out);
  void resetOne(int i, const uint32_t* seeds, const BatchBuffers& out);
  void stepOne(int i, const int32_t* actions, const BatchBuffers& out);
  void checkActions(const int32_t* actions) const;
  void scheduleResetsFirst(bool all);  // fills order_ (every env resetting when all)
  // Runs fn(i) for every env on the pool in the order order_ (capturing each env's exception) and calls done(error).
  void runAllAsync(std::function<void(int)> fn, std::function<void(std::string)> done);
  std::string collectErrors() const;

  std::vector<std::unique_ptr<AtariEnv>> envs_;
  std::vector<uint8_t> needsReset_;
  std::vector<int32_t> episodeStep_;
  std::vector<int> order_;  // the order in which a step hands envs to the pool
  std::vector<std::string> errors_;
  ThreadPool pool_;
};

}  // namespace eo::vec
