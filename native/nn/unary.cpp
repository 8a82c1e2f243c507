// softplus(x) = max(x, 0) + log1p(exp(-|x|)). Vector path: exp as in simd_math.h (range
// reduction, degree-7 Taylor polynomial), log1p(t), t in (0, 1], as
// 2 atanh(s) with s = t / (2 + t) in (0, 1/3] (odd series to s^15: relative error < 1e-8, and exact
// to first order for tiny t, so tiny softplus values keep their relative accuracy). Blocks of 8 with
// any |x| > 80 or NaN (where e^-|x| nears float32 underflow) use the scalar double-precision path.
#include "nn/unary.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "nn/simd_math.h"
#include "nn/threadpool.h"

namespace eo::nn {

float softplusScalar(float x) {
  double v = x;
  if (std::isnan(v)) return x;
  return float(v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)));
}

namespace {

void softplusGeneric(int64_t lo, int64_t hi, const float* x, float* y) {
  for (int64_t i = lo; i < hi; i++) y[i] = softplusScalar(x[i]);
}

#ifdef EO_NN_X86
using simd::horner;

// atanh(s)/s = 1 + s^2/3 + s^4/5 + ... + s^14/15, a polynomial in s^2
constexpr float kAtanhOverS[] = {1.0f / 15, 1.0f / 13, 1.0f / 11, 1.0f / 9, 1.0f / 7, 1.0f / 5, 1.0f / 3, 1.0f};

__attribute__((target("avx2,fma"))) void softplusAvx2(int64_t lo, int64_t hi, const float* x, float* y) {
  const __m256 signMask = _mm256_set1_ps(-0.0f);
  const __m256 limit = _mm256_set1_ps(80.0f);
  const __m256 two = _mm256_set1_ps(2.0f), zero = _mm256_setzero_ps();
  int64_t i = lo;
  for (; i + 8 <= hi; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    __m256 a = _mm256_andnot_ps(signMask, v);  // |x| (NaN stays NaN)
    // any lane with |x| > 80 or NaN: the scalar path for the block
    if (_mm256_movemask_ps(_mm256_cmp_ps(a, limit, _CMP_NLE_UQ)) != 0) {
      for (int j = 0; j < 8; j++) y[i + j] = softplusScalar(x[i + j]);
      continue;
    }
    __m256 e = simd::expNonPositive(_mm256_sub_ps(zero, a));  // e^-|x| in (0, 1], |x| <= 80
    __m256 s = _mm256_div_ps(e, _mm256_add_ps(two, e));
    __m256 s2 = _mm256_mul_ps(s, s);
    __m256 lg = _mm256_mul_ps(_mm256_add_ps(s, s), horner(s2, kAtanhOverS));  // log1p(e^-|x|)
    _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_max_ps(v, zero), lg));
  }
  for (; i < hi; i++) y[i] = softplusScalar(x[i]);
}
#endif

}  // namespace

void reluGrad(int64_t n, const float* dy, const float* x, float* out) {
  parallelFor(n, int64_t(1) << 18, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; i++) {
      const float v = x[i];
      const float s = v > 0.0f ? 1.0f : (v != v ? v : 0.0f);
      out[i] = dy[i] * s;
    }
  });
}

void softplus(int64_t n, const float* x, float* y) {
  // parts of whole vectors of 8
  parallelFor(n, int64_t(1) << 16, [&](int64_t lo, int64_t hi) {
#ifdef EO_NN_X86
    static const bool avx2 = simd::hasAvx2Fma();
    if (avx2) {
      softplusAvx2(lo, hi, x, y);
      return;
    }
#endif
    softplusGeneric(lo, hi, x, y);
  }, 8);
}

}  // namespace eo::nn
