// A tiny persistent thread pool for the nn kernels: run(n, fn) executes fn(0..n-1) on the calling
// thread plus the pool's workers and returns when all are done. Calls are serialised by a mutex
// (several Node worker threads may share the addon). Workers are created on first use.
#pragma once
#include <cstdint>
#include <functional>

namespace eo::nn {

/** Number of threads (including the caller) that run() uses: 1..64. */
int poolThreads();
/** Sets the thread count (n <= 0: hardware concurrency, capped at 8; or EIGENOPT_NN_THREADS). */
void setPoolThreads(int n);
/** Runs fn(t) for t in [0, n) on up to poolThreads() threads; returns after all finished. */
void parallelRun(int n, const std::function<void(int)>& fn);
/** Runs fn(lo, hi) over [0, n) in up to poolThreads() contiguous parts of at least minPerThread
 *  items each (one part, on this thread, when n is small); inner boundaries are multiples of align. */
void parallelFor(int64_t n, int64_t minPerThread, const std::function<void(int64_t, int64_t)>& fn, int64_t align = 1);

}  // namespace eo::nn
