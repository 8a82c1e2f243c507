// Single-precision GEMM for the nn kernels: C (M x N, row stride ldc) = op(A) * B, optionally
// accumulated into C, then an epilogue (per-column bias, activation). Row-major, packed panels,
// register-blocked micro-kernels chosen at run time (AVX-512F, AVX2+FMA, portable C++), split
// over the thread pool. A is read through a packer so convolutions can pack im2col panels straight
// from the input (no im2col buffer); B is a plain strided matrix.
#pragma once
#include <cstddef>
#include <cstdint>

namespace eo::nn {

enum class Act : int { Linear = 0, Relu = 1, Relu6 = 2 };

/** Source of A (M x K). pack() writes rows [i0, i0+mc) x cols [p0, p0+kc) as MR-row strips:
 *  strip s, column p: dst[s*MR*kc + p*MR + r] = A(i0 + s*MR + r, p0 + p), rows past mc zero. */
struct APacker {
  virtual ~APacker() = default;
  virtual void pack(int64_t i0, int mc, int64_t p0, int kc, int mr, float* dst) const = 0;
};

/** A(i, k) = p[i*rs + k*cs]. */
struct StridedA final : APacker {
  const float* p;
  int64_t rs, cs;
  StridedA(const float* p_, int64_t rs_, int64_t cs_) : p(p_), rs(rs_), cs(cs_) {}
  void pack(int64_t i0, int mc, int64_t p0, int kc, int mr, float* dst) const override;
};

struct Epilogue {
  const float* bias = nullptr;  // N values added to every row, or null
  Act act = Act::Linear;
};

/** C = A*B (+ C if accumulate), then epilogue. B(k, j) = b[k*brs + j*bcs]. threads: 0 = pool
 *  size, 1 = this thread only. */
void gemm(int64_t M, int64_t N, int64_t K, const APacker& A, const float* b, int64_t brs,
          int64_t bcs, float* c, int64_t ldc, bool accumulate, const Epilogue& ep, int threads = 0);

/** Name of the micro-kernel in use ("avx512", "avx2", "generic"). */
const char* gemmIsa();
/** Forces a micro-kernel ("avx512", "avx2", "generic", or "auto"); returns false if unsupported. */
bool setGemmIsa(const char* name);

}  // namespace eo::nn
