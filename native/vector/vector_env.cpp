#include "vector/vector_env.h"

#include <atomic>
#include <chrono>
#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif
#include <stdexcept>

namespace eo::vec {

ThreadPool::ThreadPool(int threads) {
  if (threads < 1 || threads > 256) throw std::invalid_argument("VectorEnv: threads must be in 1..256, got " + std::to_string(threads));
  const unsigned cores = std::thread::hardware_concurrency();
  const bool pin = cores > 1 && unsigned(threads) <= cores;
  spin_ = pin;
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this, i] { loop(i); });
#if defined(__linux__)
    if (pin) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(unsigned(i), &set);
      pthread_setaffinity_np(workers_.back().native_handle(), sizeof set, &set);  // best effort
    }
#else
    (void)pin;
#endif
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    stopping_.store(true);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::loop(int) {
  uint64_t seen = 0;  // generation of the last batch this worker looked at
  for (;;) {
    if (spin_) {
      // The next batch usually follows within microseconds (the caller only picks actions), and a
      // futex wake-up of an idle core costs 15-30 us in a VM: poll a little first, yielding the core
      // to any other runnable thread (the Node main thread among them).
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
      while ((claim_.load() >> 32) == seen && !stopping_.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || (claim_.load() >> 32) != seen; });
      if (stop_) return;
      seen = claim_.load() >> 32;
    }
    for (uint64_t c = claim_.load();;) {
      const uint64_t n = (c >> 16) & kIndexMask, i = c & kIndexMask;
      if ((c >> 32) != seen || i >= n) break;
      if (!claim_.compare_exchange_weak(c, c + 1)) continue;  // c now holds the current word
      // Holding an unfinished index of batch `seen` keeps that batch (fn_, done_) alive.
      fn_(int(i));
      if (finished_.fetch_add(1) + 1 == int(n)) {
        std::function<void()> done = std::move(done_);
        done();  // the batch is over: the next submit may come from inside done()
      }
      c = claim_.load();
    }
  }
}

void ThreadPool::submit(int n, std::function<void(int)> fn, std::function<void()> done) {
  if (n < 1 || uint64_t(n) > kIndexMask) throw std::invalid_argument("ThreadPool: batch size out of range");
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = std::move(fn);
    done_ = std::move(done);
    finished_.store(0);
    const uint64_t generation = (claim_.load() >> 32) + 1;
    claim_.store((generation << 32) | (uint64_t(n) << 16));
  }
  wake_.notify_all();
}

VectorEnv::VectorEnv(const AtariConfig& config, int numEnvs, int threads) : pool_(threads) {
  if (numEnvs < 1 || numEnvs > 4096) throw std::invalid_argument("VectorEnv: numEnvs must be in 1..4096, got " + std::to_string(numEnvs));
  for (int i = 0; i < numEnvs; ++i) envs_.emplace_back(new AtariEnv(config, nullptr));
  needsReset_.assign(size_t(numEnvs), 1);
  episodeStep_.assign(size_t(numEnvs), 0);
  order_.assign(size_t(numEnvs), 0);
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

std::string VectorEnv::collectErrors() const {
  for (size_t i = 0; i < errors_.size(); ++i)
    if (!errors_[i].empty()) return "VectorEnv: env " + std::to_string(i) + ": " + errors_[i];
  return std::string();
}

void VectorEnv::runAllAsync(std::function<void(int)> fn, std::function<void(std::string)> done) {
  for (auto& e : errors_) e.clear();
  pool_.submit(
      numEnvs(),
      [this, fn = std::move(fn)](int item) {
        const int i = order_[size_t(item)];
        try {
          fn(i);
        } catch (const std::exception& e) {
          errors_[size_t(i)] = e.what();
        }
      },
      [this, done = std::move(done)] { done(collectErrors()); });
}

void VectorEnv::resetOne(int i, const uint32_t* seeds, const BatchBuffers& out) {
  const size_t k = size_t(i);
  StepInfo info;
  envs_[k]->reset(seeds ? seeds + i : nullptr, out.obs + k * obsSize(), info);
  episodeStep_[k] = 0;
  write(i, info, true, out);
}

void VectorEnv::stepOne(int i, const int32_t* actions, const BatchBuffers& out) {
  const size_t k = size_t(i);
  if (needsReset_[k]) return resetOne(i, nullptr, out);
  StepInfo info;
  envs_[k]->step(actions[i], out.obs + k * obsSize(), info);
  ++episodeStep_[k];
  write(i, info, false, out);
}

void VectorEnv::checkActions(const int32_t* actions) const {
  const size_t count = envs_[0]->actionSet().size();
  for (int i = 0; i < numEnvs(); ++i) {
    int a = actions[i];
    if (a < 0 || size_t(a) >= count)
      throw std::invalid_argument("VectorEnv.step: action " + std::to_string(a) + " of env " + std::to_string(i) +
                                  " is out of range 0.." + std::to_string(int(count) - 1));
  }
}

void VectorEnv::scheduleResetsFirst(bool all) {
  // An autoreset (the reset script plus up to noopMax frames) costs as much as dozens of steps:
  // handing those envs out first keeps the other threads busy with the short steps meanwhile
  // (longest-first scheduling) instead of leaving them idle at the end of the batch.
  size_t j = 0;
  for (size_t i = 0; i < envs_.size(); ++i)
    if (all || needsReset_[i]) order_[j++] = int(i);
  for (size_t i = 0; i < envs_.size() && !all; ++i)
    if (!needsReset_[i]) order_[j++] = int(i);
}

void VectorEnv::resetAsync(const uint32_t* seeds, const BatchBuffers& out, std::function<void(std::string)> done) {
  scheduleResetsFirst(true);
  runAllAsync([this, seeds, out](int i) { resetOne(i, seeds, out); }, std::move(done));
}

void VectorEnv::stepAsync(const int32_t* actions, const BatchBuffers& out, std::function<void(std::string)> done) {
  checkActions(actions);
  scheduleResetsFirst(false);
  runAllAsync([this, actions, out](int i) { stepOne(i, actions, out); }, std::move(done));
}

namespace {
constexpr uint32_t kVecMagic = 0x43455631;  // "1VEC"
void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(uint8_t(v >> (8 * i)));
}
uint32_t get32(const uint8_t* p, size_t n, size_t& off) {
  if (n - off < 4) throw std::invalid_argument("VectorEnv.restoreState: corrupt state (truncated)");
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(p[off + size_t(i)]) << (8 * i);
  off += 4;
  return v;
}
}  // namespace

std::vector<uint8_t> VectorEnv::cloneState() const {
  std::vector<uint8_t> out;
  put32(out, kVecMagic);
  put32(out, uint32_t(envs_.size()));
  for (size_t i = 0; i < envs_.size(); ++i) {
    std::vector<uint8_t> e = envs_[i]->cloneState();
    put32(out, needsReset_[i]);
    put32(out, uint32_t(episodeStep_[i]));
    put32(out, uint32_t(e.size()));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

void VectorEnv::restoreState(const uint8_t* data, size_t size) {
  size_t off = 0;
  if (get32(data, size, off) != kVecMagic) throw std::invalid_argument("VectorEnv.restoreState: not a state from VectorEnv.cloneState");
  if (get32(data, size, off) != envs_.size())
    throw std::invalid_argument("VectorEnv.restoreState: state from a vector env with another number of envs");
  // Validate everything into copies first so that a bad blob leaves the envs untouched where possible.
  std::vector<uint8_t> reset(envs_.size());
  std::vector<int32_t> steps(envs_.size());
  std::vector<std::pair<size_t, size_t>> blobs(envs_.size());
  for (size_t i = 0; i < envs_.size(); ++i) {
    uint32_t r = get32(data, size, off);
    if (r > 1) throw std::invalid_argument("VectorEnv.restoreState: corrupt state (reset flag)");
    reset[i] = uint8_t(r);
    steps[i] = int32_t(get32(data, size, off));
    size_t len = get32(data, size, off);
    if (size - off < len) throw std::invalid_argument("VectorEnv.restoreState: corrupt state (truncated)");
    blobs[i] = {off, len};
    off += len;
  }
  if (off != size) throw std::invalid_argument("VectorEnv.restoreState: corrupt state (trailing bytes)");
  for (size_t i = 0; i < envs_.size(); ++i) envs_[i]->restoreState(data + blobs[i].first, blobs[i].second);
  needsReset_ = reset;
  episodeStep_ = steps;
}

}  // namespace eo::vec
