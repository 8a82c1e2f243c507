// Fused 'same' convolution + spatial soft-argmax (soft_argmax.h). Each thread takes a contiguous
// range of images; per image it copies the image into a zero-padded buffer (no bounds checks after),
// computes the logits into a [H*W, F] buffer (the F channels of a pixel side by side) and their
// per-channel maximum, then e = exp(l - max) in place and the sums S = sum e, Sr = sum e row,
// Sc = sum e col (in float along an image row, in double across rows). The filter gradient continues
// from there row by row: dl = e / S (dy_r (row - Sr/S) + dy_c (col - Sc/S)) in place, then
// dw[tap] += xpad * dl, in float per image, in double over a thread's images and the threads. Vector path (AVX2+FMA, chosen at run time, F a multiple of 8): the
// channels in blocks of 8 lanes, exp from simd_math.h; otherwise the same loops in scalar code.
#include "nn/soft_argmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/simd_math.h"
#include "nn/threadpool.h"

namespace eo::nn {
namespace {

// Coordinates of n rows (columns): -1 + 2i/(n-1) computed in double and rounded once, 0 when n = 1.
std::vector<float> axisCoords(int64_t n) {
  std::vector<float> c(size_t(n), 0.f);
  if (n > 1)
    for (int64_t i = 0; i < n; i++) c[size_t(i)] = float(-1.0 + 2.0 * double(i) / double(n - 1));
  return c;
}

// One thread's workspace.
struct Work {
  int64_t Hp, Wp;                      // padded image size: H + kh - 1, W + kw - 1
  std::vector<float> xp;               // [Hp, Wp, Cin]: the image with its 'same' zero padding
  std::vector<float> buf;              // [H*W, F]: logits, then e, then dl
  std::vector<float> mx, rowS, rowSc;  // [F]: per-channel maximum; one image row's sums of e and e*col
  std::vector<double> S, Sr, Sc;       // [F]: the image's sums of e, e*row, e*col
  std::vector<float> invS, er, ec;     // [F]: 1/S, E[row], E[col]
  std::vector<float> dwImage;          // [kh*kw*Cin, F]: one image's filter gradient
  // filter tap t = (ky * kw + kx) * Cin + ci (weights w + t*F) reads xp[window corner + tapOff[t]]
  std::vector<int64_t> tapOff;
  explicit Work(const SoftArgmaxShape& s)
      : Hp(s.H + s.kh - 1), Wp(s.W + s.kw - 1), xp(size_t(Hp * Wp * s.Cin), 0.f), buf(size_t(s.H * s.W * s.F)), mx(size_t(s.F)),
        rowS(size_t(s.F)), rowSc(size_t(s.F)), S(size_t(s.F)), Sr(size_t(s.F)), Sc(size_t(s.F)), invS(size_t(s.F)), er(size_t(s.F)),
        ec(size_t(s.F)), dwImage(size_t(s.wSize())) {
    for (int64_t ky = 0; ky < s.kh; ky++)
      for (int64_t kx = 0; kx < s.kw; kx++)
        for (int64_t ci = 0; ci < s.Cin; ci++) tapOff.push_back((ky * Wp + kx) * s.Cin + ci);
  }
  // copies image x into the interior of xp (top / left padding floor((k-1)/2), as TF's 'same'); the border stays 0
  void pad(const SoftArgmaxShape& s, const float* x) {
    const int64_t top = (s.kh - 1) / 2, left = (s.kw - 1) / 2, rowLen = s.W * s.Cin;
    for (int64_t i = 0; i < s.H; i++) std::copy(x + i * rowLen, x + (i + 1) * rowLen, xp.begin() + ((i + top) * Wp + left) * s.Cin);
  }
  void clearSums() {
    std::fill(S.begin(), S.end(), 0.0);
    std::fill(Sr.begin(), Sr.end(), 0.0);
    std::fill(Sc.begin(), Sc.end(), 0.0);
  }
  // adds one image row's sums (rowS, rowSc) at row coordinate r
  void addRow(float r) {
    for (size_t f = 0; f < S.size(); f++) {
      S[f] += rowS[f];
      Sr[f] += double(r) * rowS[f];
      Sc[f] += rowSc[f];
    }
  }
  // 1/S and the expectations, from the sums
  void means() {
    for (size_t f = 0; f < S.size(); f++) {
      invS[f] = float(1.0 / S[f]);
      er[f] = float(Sr[f] / S[f]);
      ec[f] = float(Sc[f] / S[f]);
    }
  }
};

// ---- portable path ----

// logits of the padded image into wk.buf, their per-channel maximum into wk.mx
void convScalar(const SoftArgmaxShape& s, const float* w, Work& wk) {
  const int64_t F = s.F, C = s.Cin;
  float* buf = wk.buf.data();
  std::fill(wk.mx.begin(), wk.mx.end(), -std::numeric_limits<float>::infinity());
  for (int64_t i = 0; i < s.H; i++)
    for (int64_t j = 0; j < s.W; j++) {
      float* b = buf + (i * s.W + j) * F;
      std::fill(b, b + F, 0.f);
      const float* xw = wk.xp.data() + (i * wk.Wp + j) * C;  // the pixel's window
      for (size_t t = 0; t < wk.tapOff.size(); t++) {
        const float xv = xw[wk.tapOff[t]];
        const float* wt = w + int64_t(t) * F;
        for (int64_t f = 0; f < F; f++) b[f] += xv * wt[f];
      }
      for (int64_t f = 0; f < F; f++) wk.mx[size_t(f)] = std::max(wk.mx[size_t(f)], b[f]);
    }
}

void expSumsScalar(const SoftArgmaxShape& s, const float* row, const float* col, Work& wk) {
  const int64_t F = s.F;
  float* buf = wk.buf.data();
  wk.clearSums();
  for (int64_t i = 0; i < s.H; i++) {
    std::fill(wk.rowS.begin(), wk.rowS.end(), 0.f);
    std::fill(wk.rowSc.begin(), wk.rowSc.end(), 0.f);
    for (int64_t j = 0; j < s.W; j++) {
      float* b = buf + (i * s.W + j) * F;
      for (int64_t f = 0; f < F; f++) {
        const float e = std::exp(b[f] - wk.mx[size_t(f)]);
        b[f] = e;
        wk.rowS[size_t(f)] += e;
        wk.rowSc[size_t(f)] += e * col[j];
      }
    }
    wk.addRow(row[i]);
  }
}

// wk.dwImage = sum over pixels of xpad * dl, dl = e / S (dyr (row - E[row]) + dyc (col - E[col])) formed
// row by row in place of e
void filterGradScalar(const SoftArgmaxShape& s, const float* row, const float* col, const float* dy, Work& wk) {
  const int64_t F = s.F, C = s.Cin;
  float* buf = wk.buf.data();
  std::fill(wk.dwImage.begin(), wk.dwImage.end(), 0.f);
  for (int64_t i = 0; i < s.H; i++) {
    float* br = buf + i * s.W * F;
    for (int64_t j = 0; j < s.W; j++)
      for (int64_t f = 0; f < F; f++) {
        const size_t k = size_t(f);
        br[j * F + f] *= wk.invS[k] * (dy[2 * f] * (row[i] - wk.er[k]) + dy[2 * f + 1] * (col[j] - wk.ec[k]));
      }
    for (size_t t = 0; t < wk.tapOff.size(); t++) {
      const float* xq = wk.xp.data() + i * wk.Wp * C + wk.tapOff[t];
      float* d = wk.dwImage.data() + int64_t(t) * F;
      for (int64_t j = 0; j < s.W; j++)
        for (int64_t f = 0; f < F; f++) d[f] += xq[j * C] * br[j * F + f];
    }
  }
}

// ---- AVX2+FMA path (F a multiple of 8) ----

#ifdef EO_NN_X86
__attribute__((target("avx2,fma"))) void convAvx2(const SoftArgmaxShape& s, const float* w, Work& wk) {
  const int64_t F = s.F, C = s.Cin, Wp = wk.Wp, T = int64_t(wk.tapOff.size());
  const float* xp = wk.xp.data();
  const int64_t* tapOff = wk.tapOff.data();
  for (int64_t fb = 0; fb < F; fb += 8) {
    __m256 m = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    for (int64_t i = 0; i < s.H; i++) {
      float* br = wk.buf.data() + i * s.W * F + fb;
      const float* xr = xp + i * Wp * C;  // window of pixel (i, 0)
      int64_t j = 0;
      // eight pixels at a time, each in its own accumulator
      for (; j + 8 <= s.W; j += 8) {
        __m256 a[8];
        for (int r = 0; r < 8; r++) a[r] = _mm256_setzero_ps();
        const float* xj = xr + j * C;
        for (int64_t t = 0; t < T; t++) {
          const __m256 wv = _mm256_loadu_ps(w + t * F + fb);
          const float* xq = xj + tapOff[t];
          for (int r = 0; r < 8; r++) a[r] = _mm256_fmadd_ps(_mm256_set1_ps(xq[r * C]), wv, a[r]);
        }
        for (int r = 0; r < 8; r++) {
          _mm256_storeu_ps(br + (j + r) * F, a[r]);
          m = _mm256_max_ps(m, a[r]);
        }
      }
      for (; j < s.W; j++) {
        __m256 a = _mm256_setzero_ps();
        const float* xj = xr + j * C;
        for (int64_t t = 0; t < T; t++) a = _mm256_fmadd_ps(_mm256_set1_ps(xj[tapOff[t]]), _mm256_loadu_ps(w + t * F + fb), a);
        _mm256_storeu_ps(br + j * F, a);
        m = _mm256_max_ps(m, a);
      }
    }
    _mm256_storeu_ps(wk.mx.data() + fb, m);
  }
}

__attribute__((target("avx2,fma"))) void expSumsAvx2(const SoftArgmaxShape& s, const float* row, const float* col, Work& wk) {
  const int64_t F = s.F;
  wk.clearSums();
  for (int64_t i = 0; i < s.H; i++) {
    for (int64_t fb = 0; fb < F; fb += 8) {
      const __m256 m = _mm256_loadu_ps(wk.mx.data() + fb);
      __m256 rs = _mm256_setzero_ps(), rsc = _mm256_setzero_ps();
      float* br = wk.buf.data() + i * s.W * F + fb;
      for (int64_t j = 0; j < s.W; j++) {
        const __m256 e = simd::expNonPositive(_mm256_sub_ps(_mm256_loadu_ps(br + j * F), m));
        _mm256_storeu_ps(br + j * F, e);
        rs = _mm256_add_ps(rs, e);
        rsc = _mm256_fmadd_ps(e, _mm256_set1_ps(col[j]), rsc);
      }
      _mm256_storeu_ps(wk.rowS.data() + fb, rs);
      _mm256_storeu_ps(wk.rowSc.data() + fb, rsc);
    }
    wk.addRow(row[i]);
  }
}

__attribute__((target("avx2,fma"))) void filterGradAvx2(const SoftArgmaxShape& s, const float* row, const float* col, const float* dy, Work& wk) {
  const int64_t F = s.F, C = s.Cin, Wp = wk.Wp;
  const float* xp = wk.xp.data();
  std::fill(wk.dwImage.begin(), wk.dwImage.end(), 0.f);
  for (int64_t fb = 0; fb < F; fb += 8) {
    const __m256 invS = _mm256_loadu_ps(wk.invS.data() + fb), er = _mm256_loadu_ps(wk.er.data() + fb), ec = _mm256_loadu_ps(wk.ec.data() + fb);
    // (dy[2f], dy[2f+1]) of the 8 channels, de-interleaved
    float dr8[8], dc8[8];
    for (int f = 0; f < 8; f++) {
      dr8[f] = dy[2 * (fb + f)];
      dc8[f] = dy[2 * (fb + f) + 1];
    }
    const __m256 dyr = _mm256_loadu_ps(dr8), dyc = _mm256_loadu_ps(dc8);
    for (int64_t i = 0; i < s.H; i++) {
      float* br = wk.buf.data() + i * s.W * F + fb;
      const __m256 rowTerm = _mm256_mul_ps(dyr, _mm256_sub_ps(_mm256_set1_ps(row[i]), er));
      for (int64_t j = 0; j < s.W; j++) {
        const __m256 g = _mm256_fmadd_ps(dyc, _mm256_sub_ps(_mm256_set1_ps(col[j]), ec), rowTerm);
        _mm256_storeu_ps(br + j * F, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(br + j * F), invS), g));
      }
      for (size_t t = 0; t < wk.tapOff.size(); t++) {
        const float* xq = xp + i * Wp * C + wk.tapOff[t];
        // four independent accumulators (columns j .. j+3) hide the FMA latency
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        int64_t j = 0;
        for (; j + 4 <= s.W; j += 4) {
          a0 = _mm256_fmadd_ps(_mm256_set1_ps(xq[j * C]), _mm256_loadu_ps(br + j * F), a0);
          a1 = _mm256_fmadd_ps(_mm256_set1_ps(xq[(j + 1) * C]), _mm256_loadu_ps(br + (j + 1) * F), a1);
          a2 = _mm256_fmadd_ps(_mm256_set1_ps(xq[(j + 2) * C]), _mm256_loadu_ps(br + (j + 2) * F), a2);
          a3 = _mm256_fmadd_ps(_mm256_set1_ps(xq[(j + 3) * C]), _mm256_loadu_ps(br + (j + 3) * F), a3);
        }
        for (; j < s.W; j++) a0 = _mm256_fmadd_ps(_mm256_set1_ps(xq[j * C]), _mm256_loadu_ps(br + j * F), a0);
        float* d = wk.dwImage.data() + int64_t(t) * F + fb;
        _mm256_storeu_ps(d, _mm256_add_ps(_mm256_loadu_ps(d), _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3))));
      }
    }
  }
}
#endif

bool useAvx2(const SoftArgmaxShape& s) {
#ifdef EO_NN_X86
  static const bool avx2 = simd::hasAvx2Fma();
  return avx2 && s.F % 8 == 0;
#else
  (void)s;
  return false;
#endif
}

// Pads image x, computes its logits, then e and the sums in wk.
void imageSums(const SoftArgmaxShape& s, bool avx2, const float* x, const float* w, const float* row, const float* col, Work& wk) {
  wk.pad(s, x);
#ifdef EO_NN_X86
  if (avx2) {
    convAvx2(s, w, wk);
    expSumsAvx2(s, row, col, wk);
    wk.means();
    return;
  }
#endif
  convScalar(s, w, wk);
  expSumsScalar(s, row, col, wk);
  wk.means();
}

// Runs perImage(b, wk, t) for every image b, each thread t over a contiguous range of images with its own workspace.
template <class PerImage>
void overImages(const SoftArgmaxShape& s, int nt, PerImage&& perImage) {
  parallelRun(nt, [&](int t) {
    const int64_t b0 = s.B * t / nt, b1 = s.B * (t + 1) / nt;
    if (b0 >= b1) return;
    Work wk(s);
    for (int64_t b = b0; b < b1; b++) perImage(b, wk, t);
  });
}

int threadsFor(const SoftArgmaxShape& s) { return int(std::max<int64_t>(1, std::min<int64_t>(poolThreads(), s.B))); }

}  // namespace

void checkSoftArgmaxShape(const SoftArgmaxShape& s) {
  auto bad = [](const std::string& m) { throw std::invalid_argument("softArgmaxConv: " + m); };
  if (s.B < 1 || s.H < 1 || s.W < 1 || s.Cin < 1 || s.kh < 1 || s.kw < 1 || s.F < 1) bad("dimensions must be >= 1");
  const double lim = 9.0e15;
  if (double(s.B) * s.H * s.W * s.Cin > lim || double(s.H) * s.W * s.F > lim || double(s.kh) * s.kw * s.Cin * s.F > lim ||
      double(s.B) * 2 * s.F > lim || double(s.H + s.kh) * double(s.W + s.kw) * s.Cin > lim)
    bad("tensor too large");
}

void softArgmaxConvForward(const SoftArgmaxShape& s, const float* x, const float* w, float* y) {
  checkSoftArgmaxShape(s);
  const std::vector<float> row = axisCoords(s.H), col = axisCoords(s.W);
  const bool avx2 = useAvx2(s);
  const int64_t imageSize = s.H * s.W * s.Cin;
  overImages(s, threadsFor(s), [&](int64_t b, Work& wk, int) {
    imageSums(s, avx2, x + b * imageSize, w, row.data(), col.data(), wk);
    float* yb = y + b * 2 * s.F;
    for (int64_t f = 0; f < s.F; f++) {
      yb[2 * f] = wk.er[size_t(f)];
      yb[2 * f + 1] = wk.ec[size_t(f)];
    }
  });
}

void softArgmaxConvBackpropFilter(const SoftArgmaxShape& s, const float* x, const float* w, const float* dy, float* dw) {
  checkSoftArgmaxShape(s);
  const std::vector<float> row = axisCoords(s.H), col = axisCoords(s.W);
  const bool avx2 = useAvx2(s);
  const int64_t imageSize = s.H * s.W * s.Cin, wSize = s.wSize();
  const int nt = threadsFor(s);
  std::vector<double> acc(size_t(nt * wSize), 0.0);  // one accumulator of dw per thread
  overImages(s, nt, [&](int64_t b, Work& wk, int t) {
    imageSums(s, avx2, x + b * imageSize, w, row.data(), col.data(), wk);
    const float* dyb = dy + b * 2 * s.F;
#ifdef EO_NN_X86
    if (avx2)
      filterGradAvx2(s, row.data(), col.data(), dyb, wk);
    else
#endif
      filterGradScalar(s, row.data(), col.data(), dyb, wk);
    double* a = acc.data() + t * wSize;
    for (int64_t k = 0; k < wSize; k++) a[k] += wk.dwImage[size_t(k)];
  });
  for (int64_t k = 0; k < wSize; k++) {
    double v = 0;
    for (int t = 0; t < nt; t++) v += acc[size_t(t * wSize + k)];
    dw[k] = float(v);
  }
}

}  // namespace eo::nn
