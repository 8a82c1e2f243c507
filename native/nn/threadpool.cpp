#include "nn/threadpool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace eo::nn {
namespace {

int defaultThreads() {
  const char* e = std::getenv("EIGENOPT_NN_THREADS");
  if (e && *e) {
    int v = std::atoi(e);
    if (v >= 1 && v <= 64) return v;
  }
  unsigned hc = std::thread::hardware_concurrency();
  if (hc == 0) hc = 1;
  return hc > 8 ? 8 : int(hc);
}

class Pool {
 public:
  Pool() : want_(defaultThreads()) {}

  int threads() const { return want_; }
  void setThreads(int n) {
    std::lock_guard<std::mutex> call(callMu_);
    want_ = n <= 0 ? defaultThreads() : (n > 64 ? 64 : n);
  }

  void run(int n, const std::function<void(int)>& fn) {
    if (n <= 0) return;
    std::lock_guard<std::mutex> call(callMu_);
    int helpers = std::min(want_, n) - 1;
    if (helpers <= 0) {
      for (int t = 0; t < n; t++) fn(t);
      return;
    }
    ensureWorkers(helpers);
    {
      std::lock_guard<std::mutex> lk(mu_);
      fn_ = &fn;
      nTasks_ = n;
      next_.store(0);
      active_ = helpers;
      participants_ = helpers;
      error_ = nullptr;
      generation_++;
    }
    cv_.notify_all();
    work();
    std::unique_lock<std::mutex> lk(mu_);
    doneCv_.wait(lk, [&] { return active_ == 0; });
    fn_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void work() {
    for (;;) {
      int t = next_.fetch_add(1);
      if (t >= nTasks_) break;
      try {
        (*fn_)(t);
      } catch (...) {
        std::lock_guard<std::mutex> lk(mu_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void ensureWorkers(int helpers) {
    while (int(workers_.size()) < helpers) {
      int idx = int(workers_.size());
      workers_.emplace_back([this, idx] { loop(idx); });
      workers_.back().detach();
    }
  }

  void loop(int idx) {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return generation_ != seen; });
        seen = generation_;
        if (idx >= participants_) continue;  // not needed in this round
      }
      work();
      std::lock_guard<std::mutex> lk(mu_);
      if (--active_ == 0) doneCv_.notify_one();
    }
  }

  std::mutex callMu_;
  std::mutex mu_;
  std::condition_variable cv_, doneCv_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* fn_ = nullptr;
  int nTasks_ = 0;
  std::atomic<int> next_{0};
  int active_ = 0;
  int participants_ = 0;
  unsigned long generation_ = 0;
  std::exception_ptr error_;
  int want_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers may outlive static teardown
  return *p;
}

}  // namespace

int poolThreads() { return pool().threads(); }
void setPoolThreads(int n) { pool().setThreads(n); }
void parallelRun(int n, const std::function<void(int)>& fn) { pool().run(n, fn); }

void parallelFor(int64_t n, int64_t minPerThread, const std::function<void(int64_t, int64_t)>& fn, int64_t align) {
  const int nt = int(std::min<int64_t>(poolThreads(), n / std::max<int64_t>(1, minPerThread)));
  if (nt <= 1) {
    fn(0, n);
    return;
  }
  const int64_t a = std::max<int64_t>(1, align);
  auto edge = [&](int t) { return t == nt ? n : (n * t / nt) / a * a; };
  pool().run(nt, [&](int t) { fn(edge(t), edge(t + 1)); });
}

}  // namespace eo::nn
