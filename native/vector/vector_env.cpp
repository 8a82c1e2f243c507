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
