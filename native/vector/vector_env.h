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
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vector/atari_env.h"

namespace eo::vec {

// A persistent pool: run(n, fn) calls fn(i) for i in [0, n) on the calling thread plus
// threads-1 workers (indices handed out by an atomic counter) and returns when all are done.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  int threads() const { return int(workers_.size()) + 1; }
  void run(int n, const std::function<void(int)>& fn);

 private:
  void work(const std::function<void(int)>& fn, int n);
  void loop();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* fn_ = nullptr;
  int n_ = 0;
  uint64_t generation_ = 0;
  int busy_ = 0;
  bool stop_ = false;
  std::unique_ptr<std::atomic<int>> next_;
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

  // Resets every env (env i with seeds[i] when seeds != nullptr). Thread-safe w.r.t. JS only in
  // the sense that the caller must not run two calls at once.
  void reset(const uint32_t* seeds, const BatchBuffers& out);
  // One step of every env with action indices actions[0..N-1] (autoreset as described above).
  void step(const int32_t* actions, const BatchBuffers& out);

  // Exact snapshot of every env plus the autoreset bookkeeping (not the batch buffers).
  std::vector<uint8_t> cloneState() const;
  void restoreState(const uint8_t* data, size_t size);

 private:
  void write(int i, const StepInfo& info, bool first, const BatchBuffers& out);
  void runAll(const std::function<void(int)>& fn);

  std::vector<std::unique_ptr<AtariEnv>> envs_;
  std::vector<uint8_t> needsReset_;
  std::vector<int32_t> episodeStep_;
  std::vector<std::string> errors_;
  ThreadPool pool_;
};

}  // namespace eo::vec
