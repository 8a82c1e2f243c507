// Vector math shared by the AVX2+FMA paths of the nn kernels (unary.cpp, soft_argmax.cpp): a Horner
// polynomial and e^t for t <= 0 by range reduction (e^t = 2^n e^r, n = round(t / ln2), |r| <= ln2/2,
// ln2 split in two parts so r is exact to float precision) and a degree-7 Taylor polynomial of e^r
// (relative error < 3e-9 on the reduced range). Only defined on x86 with GCC / Clang; callers pick
// these functions at run time after hasAvx2Fma().
#pragma once

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <cstddef>
#define EO_NN_X86 1

namespace eo::nn::simd {

inline bool hasAvx2Fma() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

// c[0] x^(N-1) + ... + c[N-1] by Horner's rule (c: highest degree first).
template <size_t N>
__attribute__((target("avx2,fma"))) inline __m256 horner(__m256 x, const float (&c)[N]) {
  __m256 acc = _mm256_set1_ps(c[0]);
  for (size_t j = 1; j < N; j++) acc = _mm256_fmadd_ps(acc, x, _mm256_set1_ps(c[j]));
  return acc;
}

// e^r on |r| <= ln2/2: 1 + r + r^2/2! + ... + r^7/7!
constexpr float kExpTaylor[] = {1.0f / 5040, 1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f};
// Below this, e^t is under the smallest normal float (2^-126 ~ e^-87.34) and the result is 0.
constexpr float kExpUnderflow = -87.0f;

/** e^t per lane for t <= 0: 0 for t < -87 (and -inf), NaN for NaN. */
__attribute__((target("avx2,fma"))) inline __m256 expNonPositive(__m256 t) {
  const __m256 log2e = _mm256_set1_ps(1.44269504088896341f);
  const __m256 ln2hi = _mm256_set1_ps(0.693359375f), ln2lo = _mm256_set1_ps(-2.12194440e-4f);
  // lanes below the cut-off (not NaN: the ordered compare is false for it) give exactly 0
  const __m256 under = _mm256_cmp_ps(t, _mm256_set1_ps(kExpUnderflow), _CMP_LT_OQ);
  // clamped so that n >= -126 (a valid exponent); max returns its second operand, t, for NaN
  const __m256 tc = _mm256_max_ps(_mm256_set1_ps(kExpUnderflow), t);
  __m256 n = _mm256_round_ps(_mm256_mul_ps(tc, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, ln2hi, tc);
  r = _mm256_fnmadd_ps(n, ln2lo, r);
  __m256 e = horner(r, kExpTaylor);
  __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  e = _mm256_mul_ps(e, _mm256_castsi256_ps(bits));
  return _mm256_andnot_ps(under, e);
}

}  // namespace eo::nn::simd
#endif
