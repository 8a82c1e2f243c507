#include "vector/vector_env.h"

#include <atomic>
#include <stdexcept>

namespace eo::vec {

ThreadPool::ThreadPool(int threads) : next_(new std::atomic<int>(0)) {
  if (threads < 1 || threads > 256) throw std::invalid_argument("VectorEnv: threads must be in 1..256, got " + std::to_string(threads));
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::work(const std::function<void(int)>& fn, int n) {
  for (int i; (i = next_->fetch_add(1)) < n;) fn(i);
}

void ThreadPool::loop() {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int)>* fn;
    int n;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      fn = fn_;
      n = n_;
    }
    work(*fn, n);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (--busy_ == 0) done_.notify_all();
    }
  }
}

void ThreadPool::run(int n, const std::function<void(int)>& fn) {
  if (workers_.empty() || n <= 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_->store(0);
    fn_ = &fn;
    n_ = n;
    busy_ = int(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  work(fn, n);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return busy_ == 0; });
  fn_ = nullptr;
}

VectorEnv::VectorEnv(const AtariConfig& config, int numEnvs, int threads) : pool_(threads) {
  if (numEnvs < 1 || numEnvs > 4096) throw std::invalid_argument("VectorEnv: numEnvs must be in 1..4096, got " + std::to_string(numEnvs));
  for (int i = 0; i < numEnvs; ++i) envs_.emplace_back(new AtariEnv(config, nullptr));
  needsReset_.assign(size_t(numEnvs), 1);
  episodeStep_.assign(size_t(numEnvs), 0);
  errors_.assign(size_t(numEnvs), std::string());
}

void VectorEnv::write(int i, const StepInfo& info, bool first, const BatchBuffers& out) {
  const size_t k = size_t(i);
  envs_[k]->getRam(out.ram + k * ale::kRamSize);
  out.reward[k] = double(info.reward);
  out.terminated[k] = info.terminated;
  out.truncated[k] = info.truncated;
  out.first[k] = first;
  out.lives[k] = info.lives;
  out.executedAction[k] = info.executedAction;
  out.frameNumber[k] = double(info.frameNumber);
  out.episodeFrameNumber[k] = double(info.episodeFrameNumber);
  out.episodeStep[k] = episodeStep_[k];
  needsReset_[k] = info.terminated || info.truncated;
}

void VectorEnv::runAll(const std::function<void(int)>& fn) {
  for (auto& e : errors_) e.clear();
  pool_.run(numEnvs(), [&](int i) {
    try {
      fn(i);
    } catch (const std::exception& e) {
      errors_[size_t(i)] = e.what();
    }
  });
  for (size_t i = 0; i < errors_.size(); ++i)
    if (!errors_[i].empty()) throw std::runtime_error("VectorEnv: env " + std::to_string(i) + ": " + errors_[i]);
}

void VectorEnv::reset(const uint32_t* seeds, const BatchBuffers& out) {
  const size_t n = obsSize();
  runAll([&](int i) {
    StepInfo info;
    envs_[size_t(i)]->reset(seeds ? seeds + i : nullptr, out.obs + size_t(i) * n, info);
    episodeStep_[size_t(i)] = 0;
    write(i, info, true, out);
  });
}

void VectorEnv::step(const int32_t* actions, const BatchBuffers& out) {
  const size_t n = obsSize();
  for (int i = 0; i < numEnvs(); ++i) {
    int a = actions[i];
    if (a < 0 || size_t(a) >= envs_[0]->actionSet().size())
      throw std::invalid_argument("VectorEnv.step: action " + std::to_string(a) + " of env " + std::to_string(i) +
                                  " is out of range 0.." + std::to_string(int(envs_[0]->actionSet().size()) - 1));
  }
  runAll([&](int i) {
    const size_t k = size_t(i);
    StepInfo info;
    if (needsReset_[k]) {
      envs_[k]->reset(nullptr, out.obs + k * n, info);
      episodeStep_[k] = 0;
      write(i, info, true, out);
    } else {
      envs_[k]->step(actions[i], out.obs + k * n, info);
      ++episodeStep_[k];
      write(i, info, false, out);
    }
  });
}

}  // namespace eo::vec
