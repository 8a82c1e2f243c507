#include "nn/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define EO_NN_X86 1
#endif

#include "nn/threadpool.h"

namespace eo::nn {
namespace {

constexpr int KC = 256;
constexpr int MC = 144;   // multiple of every MR below
constexpr int NC = 3072;  // multiple of every NR below
// Below this many multiply-adds one thread is faster than waking the pool.
const double kMinParallelMacs = [] {
  const char* e = std::getenv("EIGENOPT_NN_MIN_PARALLEL");
  return e && *e ? std::atof(e) : 4e6;
}();

// c[MR x NR] (row stride ldc) = (accumulate ? c : 0) + a_panel * b_panel over kc.
using MicroKernel = void (*)(int kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate);

struct Isa {
  const char* name;
  int mr, nr;
  MicroKernel ukr;
};

// ---- portable micro-kernel (4 x 8) ----
void ukrGeneric(int kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  float acc[4][8] = {};
  for (int p = 0; p < kc; p++) {
    const float* ap = a + p * 4;
    const float* bp = b + p * 8;
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 8; j++) acc[i][j] += ap[i] * bp[j];
  }
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 8; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

#ifdef EO_NN_X86
// ---- AVX2 + FMA micro-kernel (6 x 16) ----
__attribute__((target("avx2,fma"))) void ukrAvx2(int kc, const float* a, const float* b, float* c,
                                                  int64_t ldc, bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
         c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++) {
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 x;
    x = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    a += 6;
    b += 16;
  }
#define EO_ST(row, v0, v1)                                                          \
  {                                                                                 \
    float* cr = c + (row) * ldc;                                                    \
    if (accumulate) {                                                               \
      v0 = _mm256_add_ps(v0, _mm256_loadu_ps(cr));                                  \
      v1 = _mm256_add_ps(v1, _mm256_loadu_ps(cr + 8));                              \
    }                                                                               \
    _mm256_storeu_ps(cr, v0);                                                       \
    _mm256_storeu_ps(cr + 8, v1);                                                   \
  }
  EO_ST(0, c00, c01) EO_ST(1, c10, c11) EO_ST(2, c20, c21) EO_ST(3, c30, c31) EO_ST(4, c40, c41)
  EO_ST(5, c50, c51)
#undef EO_ST
}

// ---- AVX-512F micro-kernel (12 x 32) ----
__attribute__((target("avx512f"))) void ukrAvx512(int kc, const float* a, const float* b, float* c,
                                                   int64_t ldc, bool accumulate) {
  __m512 acc[12][2];
#pragma GCC unroll 12
  for (int i = 0; i < 12; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int p = 0; p < kc; p++) {
    __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) {
      __m512 x = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(x, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(x, b1, acc[i][1]);
    }
    a += 12;
    b += 32;
  }
#pragma GCC unroll 12
  for (int i = 0; i < 12; i++) {
    float* cr = c + i * ldc;
    __m512 v0 = acc[i][0], v1 = acc[i][1];
    if (accumulate) {
      v0 = _mm512_add_ps(v0, _mm512_loadu_ps(cr));
      v1 = _mm512_add_ps(v1, _mm512_loadu_ps(cr + 16));
    }
    _mm512_storeu_ps(cr, v0);
    _mm512_storeu_ps(cr + 16, v1);
  }
}
#endif

const Isa kGeneric{"generic", 4, 8, ukrGeneric};
#ifdef EO_NN_X86
const Isa kAvx2{"avx2", 6, 16, ukrAvx2};
const Isa kAvx512{"avx512", 12, 32, ukrAvx512};
bool hasAvx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
bool hasAvx512() { return __builtin_cpu_supports("avx512f"); }
#endif

const Isa* detect() {
#ifdef EO_NN_X86
  __builtin_cpu_init();
  if (hasAvx512()) return &kAvx512;
  if (hasAvx2()) return &kAvx2;
#endif
  return &kGeneric;
}

const Isa* gIsa = nullptr;
const Isa& isa() {
  if (!gIsa) gIsa = detect();
  return *gIsa;
}

// Packs B rows [p0, p0+kc) x cols [j0, j0+nc) into NR-column strips (zero padded).
void packB(const float* b, int64_t brs, int64_t bcs, int64_t p0, int kc, int64_t j0, int nc, int nr, float* dst) {
  for (int js = 0; js < nc; js += nr) {
    int w = std::min(nr, nc - js);
    float* d = dst + int64_t(js) * kc;
    for (int p = 0; p < kc; p++) {
      const float* src = b + (p0 + p) * brs + (j0 + js) * bcs;
      float* dp = d + p * nr;
      if (bcs == 1) {
        std::memcpy(dp, src, sizeof(float) * w);
      } else {
        for (int j = 0; j < w; j++) dp[j] = src[j * bcs];
      }
      for (int j = w; j < nr; j++) dp[j] = 0.f;
    }
  }
}

void applyEpilogue(float* c, int64_t ldc, int64_t rows, int64_t j0, int cols, const Epilogue& ep) {
  if (!ep.bias && ep.act == Act::Linear) return;
  for (int64_t i = 0; i < rows; i++) {
    float* cr = c + i * ldc;
    if (ep.bias)
      for (int j = 0; j < cols; j++) cr[j] += ep.bias[j0 + j];
    if (ep.act == Act::Relu) {
      for (int j = 0; j < cols; j++) cr[j] = cr[j] > 0.f ? cr[j] : 0.f;
    } else if (ep.act == Act::Relu6) {
      for (int j = 0; j < cols; j++) cr[j] = std::min(std::max(cr[j], 0.f), 6.f);
    }
  }
}

struct Scratch {
  std::vector<float> a, b;
};
thread_local Scratch tScratch;

// Sequential GEMM on the block rows [m0, m1) x cols [n0, n1).
void gemmBlock(const Isa& is, int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t K, const APacker& A,
               const float* b, int64_t brs, int64_t bcs, float* c, int64_t ldc, bool accumulate, const Epilogue& ep) {
  const int mr = is.mr, nr = is.nr;
  Scratch& s = tScratch;
  if (s.a.size() < size_t(MC) * KC) s.a.resize(size_t(MC) * KC);
  if (s.b.size() < size_t(NC) * KC) s.b.resize(size_t(NC) * KC);
  float tile[12 * 32];
  for (int64_t jc = n0; jc < n1; jc += NC) {
    int nc = int(std::min<int64_t>(NC, n1 - jc));
    for (int64_t pc = 0; pc < K || (K == 0 && pc == 0); pc += KC) {
      int kc = int(std::min<int64_t>(KC, K - pc));
      bool acc = accumulate || pc > 0;
      bool last = pc + KC >= K;
      if (kc > 0) packB(b, brs, bcs, pc, kc, jc, nc, nr, s.b.data());
      for (int64_t ic = m0; ic < m1; ic += MC) {
        int mc = int(std::min<int64_t>(MC, m1 - ic));
        if (kc > 0) A.pack(ic, mc, pc, kc, mr, s.a.data());
        for (int jr = 0; jr < nc; jr += nr) {
          int w = std::min(nr, nc - jr);
          const float* bp = s.b.data() + int64_t(jr) * kc;
          for (int ir = 0; ir < mc; ir += mr) {
            int h = std::min(mr, mc - ir);
            float* cp = c + (ic + ir) * ldc + jc + jr;
            if (kc == 0) {  // K == 0: C = 0 (or unchanged)
              if (!accumulate)
                for (int i = 0; i < h; i++) std::fill(cp + i * ldc, cp + i * ldc + w, 0.f);
              continue;
            }
            const float* ap = s.a.data() + int64_t(ir) * kc;
            if (h == mr && w == nr) {
              is.ukr(kc, ap, bp, cp, ldc, acc);
            } else {
              if (acc)
                for (int i = 0; i < h; i++) std::memcpy(tile + i * nr, cp + i * ldc, sizeof(float) * w);
              is.ukr(kc, ap, bp, tile, nr, acc);
              for (int i = 0; i < h; i++) std::memcpy(cp + i * ldc, tile + i * nr, sizeof(float) * w);
            }
          }
        }
        if (last) applyEpilogue(c + ic * ldc + jc, ldc, mc, jc, nc, ep);
      }
      if (K == 0) break;
    }
  }
}

}  // namespace

void StridedA::pack(int64_t i0, int mc, int64_t p0, int kc, int mr, float* dst) const {
  for (int is = 0; is < mc; is += mr) {
    int h = std::min(mr, mc - is);
    float* d = dst + int64_t(is) * kc;
    if (cs == 1) {
      for (int r = 0; r < h; r++) {
        const float* src = p + (i0 + is + r) * rs + p0;
        for (int q = 0; q < kc; q++) d[q * mr + r] = src[q];
      }
    } else if (rs == 1) {
      for (int q = 0; q < kc; q++) {
        const float* src = p + (p0 + q) * cs + i0 + is;
        float* dq = d + q * mr;
        for (int r = 0; r < h; r++) dq[r] = src[r];
      }
    } else {
      for (int r = 0; r < h; r++)
        for (int q = 0; q < kc; q++) d[q * mr + r] = p[(i0 + is + r) * rs + (p0 + q) * cs];
    }
    for (int r = h; r < mr; r++)
      for (int q = 0; q < kc; q++) d[q * mr + r] = 0.f;
  }
}

void gemm(int64_t M, int64_t N, int64_t K, const APacker& A, const float* b, int64_t brs, int64_t bcs, float* c,
          int64_t ldc, bool accumulate, const Epilogue& ep, int threads) {
  if (M <= 0 || N <= 0) return;
  const Isa& is = isa();
  int nt = threads <= 0 ? poolThreads() : threads;
  double flops = double(M) * double(N) * double(K);
  if (flops < kMinParallelMacs) nt = 1;
  if (nt <= 1) {
    gemmBlock(is, 0, M, 0, N, K, A, b, brs, bcs, c, ldc, accumulate, ep);
    return;
  }
  // Split the larger of M and N into nt parts aligned to the micro-tile.
  bool splitM = M >= N || N < int64_t(is.nr) * nt;
  int64_t unit = splitM ? is.mr : is.nr;
  int64_t total = splitM ? M : N;
  int64_t units = (total + unit - 1) / unit;
  if (units < nt) nt = int(units);
  if (nt <= 1) {
    gemmBlock(is, 0, M, 0, N, K, A, b, brs, bcs, c, ldc, accumulate, ep);
    return;
  }
  // More tasks than threads, claimed dynamically, balances load when a core is busy elsewhere; but
  // each task packs the whole other operand again, so keep that repacking small (<~1/4 extra).
  int64_t other = splitM ? N : M;
  int64_t cap = std::max<int64_t>(nt, total / std::max<int64_t>(1, 4 * other));
  int tasks = int(std::min<int64_t>(units, std::min<int64_t>(int64_t(nt) * 4, cap)));
  parallelRun(tasks, [&](int t) {
    int64_t u0 = units * t / tasks, u1 = units * (t + 1) / tasks;
    int64_t lo = std::min(total, u0 * unit), hi = std::min(total, u1 * unit);
    if (lo >= hi) return;
    if (splitM)
      gemmBlock(is, lo, hi, 0, N, K, A, b, brs, bcs, c, ldc, accumulate, ep);
    else
      gemmBlock(is, 0, M, lo, hi, K, A, b, brs, bcs, c, ldc, accumulate, ep);
  });
}

const char* gemmIsa() { return isa().name; }

bool setGemmIsa(const char* name) {
  std::string n(name ? name : "auto");
  if (n == "auto") {
    gIsa = detect();
    return true;
  }
  if (n == "generic") {
    gIsa = &kGeneric;
    return true;
  }
#ifdef EO_NN_X86
  __builtin_cpu_init();
  if (n == "avx2" && hasAvx2()) {
    gIsa = &kAvx2;
    return true;
  }
  if (n == "avx512" && hasAvx512()) {
    gIsa = &kAvx512;
    return true;
  }
#endif
  return false;
}

}  // namespace eo::nn
