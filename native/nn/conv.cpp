#include "nn/conv.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/threadpool.h"

namespace eo::nn {
namespace {

// The input window of output pixel i (image n, top-left corner iy0, ix0; may reach into the padding).
struct Window {
  int64_t n, iy0, ix0;
};
Window windowOf(const ConvShape& s, int64_t i) {
  const int64_t ohw = s.oh * s.ow, rem = i % ohw;
  return Window{i / ohw, (rem / s.ow) * s.sh - s.pt, (rem % s.ow) * s.sw - s.pl};
}
// Whether the whole kh x kw window at (iy0, ix0) lies in the image (no padding taps).
bool windowInside(const ConvShape& s, int64_t iy0, int64_t ix0) {
  return iy0 >= 0 && ix0 >= 0 && iy0 + s.kh <= s.H && ix0 + s.kw <= s.W;
}
bool inImage(const ConvShape& s, int64_t iy, int64_t ix) { return iy >= 0 && iy < s.H && ix >= 0 && ix < s.W; }

// A(i, k) = im2col(x)[pixel i][k], k = (ky * kw + kx) * Cin + ci. Packed column by column
// (contiguous writes of MR values gathered from MR pixels), bounds checks only near the border.
struct Im2colA final : APacker {
  const ConvShape& s;
  const float* x;
  Im2colA(const ConvShape& s_, const float* x_) : s(s_), x(x_) {}
  void pack(int64_t i0, int mc, int64_t p0, int kc, int mr, float* dst) const override {
    int64_t base[32], iy0[32], ix0[32];
    for (int is = 0; is < mc; is += mr) {
      int h = std::min(mr, mc - is);
      float* d = dst + int64_t(is) * kc;
      bool allInside = true;
      for (int r = 0; r < h; r++) {
        const Window w = windowOf(s, i0 + is + r);
        iy0[r] = w.iy0;
        ix0[r] = w.ix0;
        base[r] = w.n * s.H * s.W * s.Cin + (w.iy0 * s.W + w.ix0) * s.Cin;
        allInside = allInside && windowInside(s, w.iy0, w.ix0);
      }
      int64_t q = p0;
      int64_t ci = q % s.Cin, kx = (q / s.Cin) % s.kw, ky = q / (s.Cin * s.kw);
      for (int qq = 0; qq < kc; qq++) {
        const int64_t koff = (ky * s.W + kx) * s.Cin + ci;
        float* dq = d + int64_t(qq) * mr;
        if (allInside) {
          for (int r = 0; r < h; r++) dq[r] = x[base[r] + koff];
        } else {
          for (int r = 0; r < h; r++) dq[r] = inImage(s, iy0[r] + ky, ix0[r] + kx) ? x[base[r] + koff] : 0.f;
        }
        for (int r = h; r < mr; r++) dq[r] = 0.f;
        if (++ci == s.Cin) {
          ci = 0;
          if (++kx == s.kw) {
            kx = 0;
            ky++;
          }
        }
      }
    }
  }
};

// A(k, i) = im2col(x)[pixel i][k]: the transposed im2col, rows are filter taps.
struct Im2colTA final : APacker {
  const ConvShape& s;
  const float* x;
  Im2colTA(const ConvShape& s_, const float* x_) : s(s_), x(x_) {}
  void pack(int64_t i0, int mc, int64_t p0, int kc, int mr, float* dst) const override {
    int64_t ky[32], kx[32], off[32];
    for (int is = 0; is < mc; is += mr) {
      int h = std::min(mr, mc - is);
      float* d = dst + int64_t(is) * kc;
      for (int r = 0; r < h; r++) {
        int64_t k = i0 + is + r;
        int64_t ci = k % s.Cin;
        kx[r] = (k / s.Cin) % s.kw;
        ky[r] = k / (s.Cin * s.kw);
        off[r] = (ky[r] * s.W + kx[r]) * s.Cin + ci;
      }
      // output pixels p0, p0 + 1, ... in order: (n, oy, ox) advanced incrementally
      const int64_t ohw = s.oh * s.ow;
      int64_t n = p0 / ohw, oy = (p0 % ohw) / s.ow, ox = p0 % s.ow;
      for (int q = 0; q < kc; q++) {
        int64_t iy0 = oy * s.sh - s.pt, ix0 = ox * s.sw - s.pl;
        const float* xn = x + n * s.H * s.W * s.Cin;
        const int64_t bo = (iy0 * s.W + ix0) * s.Cin;
        float* dq = d + int64_t(q) * mr;
        if (windowInside(s, iy0, ix0)) {
          for (int r = 0; r < h; r++) dq[r] = xn[bo + off[r]];
        } else {
          for (int r = 0; r < h; r++) dq[r] = inImage(s, iy0 + ky[r], ix0 + kx[r]) ? xn[bo + off[r]] : 0.f;
        }
        for (int r = h; r < mr; r++) dq[r] = 0.f;
        if (++ox == s.ow) {
          ox = 0;
          if (++oy == s.oh) {
            oy = 0;
            n++;
          }
        }
      }
    }
  }
};

// dx[image of row i] += dcol[i - i0][:] scattered back over the filter taps.
void col2im(const ConvShape& s, const float* dcol, int64_t i0, int64_t rows, float* dx) {
  const int64_t K = s.kh * s.kw * s.Cin;
  for (int64_t r = 0; r < rows; r++) {
    const Window w = windowOf(s, i0 + r);
    const int64_t iy0 = w.iy0, ix0 = w.ix0;
    float* xb = dx + w.n * s.H * s.W * s.Cin;
    const float* src = dcol + r * K;
    for (int64_t ky = 0; ky < s.kh; ky++) {
      int64_t iy = iy0 + ky;
      if (iy < 0 || iy >= s.H) continue;
      for (int64_t kx = 0; kx < s.kw; kx++) {
        int64_t ix = ix0 + kx;
        if (ix < 0 || ix >= s.W) continue;
        float* dst = xb + (iy * s.W + ix) * s.Cin;
        const float* sp = src + (ky * s.kw + kx) * s.Cin;
        for (int64_t c = 0; c < s.Cin; c++) dst[c] += sp[c];
      }
    }
  }
}

thread_local std::vector<float> tCol;

}  // namespace

void checkConvShape(const ConvShape& s) {
  auto bad = [](const std::string& m) { throw std::invalid_argument("conv2d: " + m); };
  if (s.B < 1 || s.H < 1 || s.W < 1 || s.Cin < 1 || s.kh < 1 || s.kw < 1 || s.Cout < 1) bad("dimensions must be >= 1");
  if (s.sh < 1 || s.sw < 1) bad("strides must be >= 1");
  if (s.pt < 0 || s.pl < 0) bad("padding must be >= 0");
  if (s.oh < 1 || s.ow < 1) bad("output size must be >= 1");
  const double lim = 9.0e15;
  if (double(s.B) * s.H * s.W * s.Cin > lim || double(s.B) * s.oh * s.ow * s.Cout > lim ||
      double(s.kh) * s.kw * s.Cin * s.Cout > lim)
    bad("tensor too large");
}

void conv2dForward(const ConvShape& s, const float* x, const float* w, const float* bias, Act act, float* y) {
  checkConvShape(s);
  Im2colA a(s, x);
  Epilogue ep;
  ep.bias = bias;
  ep.act = act;
  gemm(s.B * s.oh * s.ow, s.Cout, s.kh * s.kw * s.Cin, a, w, s.Cout, 1, y, s.Cout, false, ep);
}

void conv2dBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  checkConvShape(s);
  Im2colTA a(s, x);
  gemm(s.kh * s.kw * s.Cin, s.Cout, s.B * s.oh * s.ow, a, dy, s.Cout, 1, dw, s.Cout, false, Epilogue());
}

void conv2dBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx) {
  checkConvShape(s);
  const int64_t K = s.kh * s.kw * s.Cin, ohw = s.oh * s.ow, P = s.B * ohw;
  // W^T as a contiguous [Cout x K] matrix for the GEMM's B operand.
  std::vector<float> wt(size_t(K * s.Cout));
  for (int64_t k = 0; k < K; k++)
    for (int64_t c = 0; c < s.Cout; c++) wt[size_t(c * K + k)] = w[k * s.Cout + c];
  const int64_t chunk = std::max<int64_t>(16, std::min<int64_t>(P, (1 << 18) / K));  // ~1 MiB of dcol
  // dx of images [b0, b1): GEMM dy * W^T a chunk of pixels at a time, scattered back by col2im
  auto images = [&](int64_t b0, int64_t b1, int gemmThreads) {
    std::memset(dx + b0 * s.H * s.W * s.Cin, 0, sizeof(float) * size_t((b1 - b0) * s.H * s.W * s.Cin));
    std::vector<float>& col = tCol;
    if (col.size() < size_t(chunk * K)) col.resize(size_t(chunk * K));
    for (int64_t i0 = b0 * ohw; i0 < b1 * ohw; i0 += chunk) {
      int64_t rows = std::min(chunk, b1 * ohw - i0);
      StridedA ar(dy + i0 * s.Cout, s.Cout, 1);
      gemm(rows, K, s.Cout, ar, wt.data(), K, 1, col.data(), K, false, Epilogue(), gemmThreads);
      col2im(s, col.data(), i0, rows, dx);
    }
  };
  const int nt = poolThreads();
  if (nt > 1 && s.B >= nt) {
    // whole images per thread: their dx slices are disjoint, so no synchronisation is needed
    parallelRun(nt, [&](int t) {
      int64_t b0 = s.B * t / nt, b1 = s.B * (t + 1) / nt;
      if (b0 < b1) images(b0, b1, 1);
    });
    return;
  }
  images(0, s.B, 0);
}

}  // namespace eo::nn
