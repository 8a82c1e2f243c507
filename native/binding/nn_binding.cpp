// N-API binding of the nn kernels (native/nn). The kernels work in place on a caller's Float32Array
// (the TF.js wasm heap): every function takes the heap plus element offsets, checks each region
// against the heap's length (and that outputs do not overlap inputs) and throws a JS error on any
// mismatch, so nothing is ever read or written out of bounds.
#include "binding/nn_binding.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "nn/conv.h"
#include "nn/gemm.h"
#include "nn/pairs.h"
#include "nn/reduce.h"
#include "nn/soft_argmax.h"
#include "nn/threadpool.h"
#include "nn/unary.h"

namespace {

using eo::nn::Act;

// Largest element count or stride accepted (far above any wasm heap; keeps products in int64).
constexpr int64_t kMaxElements = int64_t(1) << 40;

[[noreturn]] void fail(Napi::Env env, const std::string& fn, const std::string& msg) {
  throw Napi::RangeError::New(env, fn + ": " + msg);
}

struct Heap {
  float* data;
  int64_t length;
};

Heap argHeap(const Napi::CallbackInfo& info, const std::string& fn) {
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(info.Env(), fn + ": heap must be a Float32Array");
  Napi::Float32Array a = info[0].As<Napi::Float32Array>();
  return Heap{a.Data(), int64_t(a.ElementLength())};
}

int64_t argI64(const Napi::CallbackInfo& info, size_t i, const std::string& fn, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber())
    throw Napi::TypeError::New(info.Env(), fn + ": " + name + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v) || std::floor(v) != v || std::fabs(v) > 9.0e15)
    throw Napi::TypeError::New(info.Env(), fn + ": " + name + " must be an integer");
  return int64_t(v);
}

// Region [off, off + span) where span = 1 + max index reached (0 for empty regions).
struct Region {
  int64_t off, span;
};

Region checkRegion(Napi::Env env, const std::string& fn, const char* name, const Heap& h, int64_t off, int64_t span) {
  if (off < 0 || span < 0 || off > h.length || span > h.length - off)
    fail(env, fn, std::string(name) + " [" + std::to_string(off) + ", +" + std::to_string(span) +
                      ") is outside the heap of " + std::to_string(h.length) + " floats");
  return Region{off, span};
}

// sameOk: the output may also be exactly the input region (an element-wise kernel run in place).
void checkDisjoint(Napi::Env env, const std::string& fn, const Region& out, const Region& in, const char* name, bool sameOk = false) {
  if (out.span == 0 || in.span == 0) return;
  if (sameOk && out.off == in.off && out.span == in.span) return;
  if (out.off < in.off + in.span && in.off < out.off + out.span)
    fail(env, fn, std::string("output overlaps ") + name);
}

// An element count in [0, 2^40].
int64_t argCount(const Napi::CallbackInfo& info, size_t i, const std::string& fn, const char* name) {
  int64_t n = argI64(info, i, fn, name);
  if (n < 0 || n > kMaxElements) fail(info.Env(), fn, std::string(name) + " must be in [0, 2^40]");
  return n;
}

// The optional bias (N floats at biasOff, or none for -1) of an output region: checked, disjoint from it.
const float* optionalBias(Napi::Env env, const std::string& fn, const Heap& h, int64_t biasOff, int64_t n, const Region& out) {
  if (biasOff == -1) return nullptr;
  if (biasOff < 0) fail(env, fn, "biasOff must be -1 or an offset");
  Region rb = checkRegion(env, fn, "bias", h, biasOff, n);
  checkDisjoint(env, fn, out, rb, "bias");
  return h.data + rb.off;
}

Act argAct(const Napi::CallbackInfo& info, size_t i, const std::string& fn) {
  int64_t a = argI64(info, i, fn, "activation");
  if (a < 0 || a > 2) fail(info.Env(), fn, "activation must be 0 (linear), 1 (relu) or 2 (relu6)");
  return Act(a);
}

eo::nn::ConvShape argShape(const Napi::CallbackInfo& info, size_t i, const std::string& fn) {
  if (info.Length() <= i || !info[i].IsArray()) throw Napi::TypeError::New(info.Env(), fn + ": shape must be an array");
  Napi::Array a = info[i].As<Napi::Array>();
  if (a.Length() != 13) fail(info.Env(), fn, "shape must hold 13 numbers [B,H,W,Cin,kh,kw,Cout,sh,sw,pt,pl,oh,ow]");
  int64_t v[13];
  for (uint32_t k = 0; k < 13; k++) {
    Napi::Value e = a.Get(k);
    if (!e.IsNumber()) throw Napi::TypeError::New(info.Env(), fn + ": shape entries must be numbers");
    double d = e.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::floor(d) != d || d < 0 || d > 1.0e9) fail(info.Env(), fn, "shape entries must be integers in [0, 1e9]");
    v[k] = int64_t(d);
  }
  eo::nn::ConvShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  try {
    eo::nn::checkConvShape(s);
  } catch (const std::exception& e) {
    fail(info.Env(), fn, e.what());
  }
  return s;
}

eo::nn::SoftArgmaxShape argSoftArgmaxShape(const Napi::CallbackInfo& info, size_t i, const std::string& fn) {
  if (info.Length() <= i || !info[i].IsArray()) throw Napi::TypeError::New(info.Env(), fn + ": shape must be an array");
  Napi::Array a = info[i].As<Napi::Array>();
  if (a.Length() != 7) fail(info.Env(), fn, "shape must hold 7 numbers [B,H,W,Cin,kh,kw,F]");
  int64_t v[7];
  for (uint32_t k = 0; k < 7; k++) {
    Napi::Value e = a.Get(k);
    if (!e.IsNumber()) throw Napi::TypeError::New(info.Env(), fn + ": shape entries must be numbers");
    double d = e.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::floor(d) != d || d < 0 || d > 1.0e9) fail(info.Env(), fn, "shape entries must be integers in [0, 1e9]");
    v[k] = int64_t(d);
  }
  eo::nn::SoftArgmaxShape s{v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
  try {
    eo::nn::checkSoftArgmaxShape(s);
  } catch (const std::exception& e) {
    fail(info.Env(), fn, e.what());
  }
  return s;
}

template <class F>
void guarded(Napi::Env env, const std::string& fn, F&& f) {
  try {
    f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    fail(env, fn, "out of memory");
  } catch (const std::exception& e) {
    fail(env, fn, e.what());
  }
}

// nnMatMul(heap, batch, M, N, K, aOff, aBatchStride, aRowStride, aColStride,
//          bOff, bBatchStride, bRowStride, bColStride, cOff, biasOff (-1: none), activation)
// C[b] (M x N, contiguous) = act(A[b] * B[b] + bias).
Napi::Value NnMatMul(const Napi::CallbackInfo& info) {
  const std::string fn = "nnMatMul";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  int64_t batch = argI64(info, 1, fn, "batch"), M = argI64(info, 2, fn, "M"), N = argI64(info, 3, fn, "N"),
          K = argI64(info, 4, fn, "K");
  int64_t aOff = argI64(info, 5, fn, "aOff"), aBs = argI64(info, 6, fn, "aBatchStride"), aRs = argI64(info, 7, fn, "aRowStride"),
          aCs = argI64(info, 8, fn, "aColStride");
  int64_t bOff = argI64(info, 9, fn, "bOff"), bBs = argI64(info, 10, fn, "bBatchStride"), bRs = argI64(info, 11, fn, "bRowStride"),
          bCs = argI64(info, 12, fn, "bColStride");
  int64_t cOff = argI64(info, 13, fn, "cOff"), biasOff = argI64(info, 14, fn, "biasOff");
  Act act = argAct(info, 15, fn);
  const int64_t lim = kMaxElements;
  if (batch < 0 || M < 0 || N < 0 || K < 0 || batch > lim || M > lim || N > lim || K > lim) fail(env, fn, "dimensions must be in [0, 2^40]");
  if (aBs < 0 || aRs < 0 || aCs < 0 || bBs < 0 || bRs < 0 || bCs < 0 || aBs > lim || aRs > lim || aCs > lim || bBs > lim ||
      bRs > lim || bCs > lim)
    fail(env, fn, "strides must be in [0, 2^40]");
  if (double(batch) * M * N > double(lim) || double(M) * K > double(lim) || double(K) * N > double(lim)) fail(env, fn, "tensor too large");
  auto span = [&](int64_t bs, int64_t rows, int64_t rs, int64_t cols, int64_t cs) -> int64_t {
    if (batch == 0 || rows == 0 || cols == 0) return 0;
    return (batch - 1) * bs + (rows - 1) * rs + (cols - 1) * cs + 1;
  };
  Region ra = checkRegion(env, fn, "A", h, aOff, span(aBs, M, aRs, K, aCs));
  Region rb = checkRegion(env, fn, "B", h, bOff, span(bBs, K, bRs, N, bCs));
  Region rc = checkRegion(env, fn, "C", h, cOff, batch * M * N);
  checkDisjoint(env, fn, rc, ra, "A");
  checkDisjoint(env, fn, rc, rb, "B");
  const float* bias = optionalBias(env, fn, h, biasOff, N, rc);
  guarded(env, fn, [&] {
    eo::nn::Epilogue ep;
    ep.bias = bias;
    ep.act = act;
    for (int64_t b = 0; b < batch; b++) {
      eo::nn::StridedA a(h.data + aOff + b * aBs, aRs, aCs);
      eo::nn::gemm(M, N, K, a, h.data + bOff + b * bBs, bRs, bCs, h.data + cOff + b * M * N, N, false, ep);
    }
  });
  return env.Undefined();
}

// nnConv2d(heap, shape, xOff, wOff, biasOff (-1: none), activation, yOff)
Napi::Value NnConv2d(const Napi::CallbackInfo& info) {
  const std::string fn = "nnConv2d";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  eo::nn::ConvShape s = argShape(info, 1, fn);
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 2, fn, "xOff"), s.xSize());
  Region rw = checkRegion(env, fn, "filter", h, argI64(info, 3, fn, "wOff"), s.wSize());
  int64_t biasOff = argI64(info, 4, fn, "biasOff");
  Act act = argAct(info, 5, fn);
  Region ry = checkRegion(env, fn, "y", h, argI64(info, 6, fn, "yOff"), s.ySize());
  checkDisjoint(env, fn, ry, rx, "x");
  checkDisjoint(env, fn, ry, rw, "filter");
  const float* bias = optionalBias(env, fn, h, biasOff, s.Cout, ry);
  guarded(env, fn, [&] { eo::nn::conv2dForward(s, h.data + rx.off, h.data + rw.off, bias, act, h.data + ry.off); });
  return env.Undefined();
}

// nnConv2dBackpropInput(heap, shape, dyOff, wOff, dxOff)
Napi::Value NnConv2dBackpropInput(const Napi::CallbackInfo& info) {
  const std::string fn = "nnConv2dBackpropInput";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  eo::nn::ConvShape s = argShape(info, 1, fn);
  Region rdy = checkRegion(env, fn, "dy", h, argI64(info, 2, fn, "dyOff"), s.ySize());
  Region rw = checkRegion(env, fn, "filter", h, argI64(info, 3, fn, "wOff"), s.wSize());
  Region rdx = checkRegion(env, fn, "dx", h, argI64(info, 4, fn, "dxOff"), s.xSize());
  checkDisjoint(env, fn, rdx, rdy, "dy");
  checkDisjoint(env, fn, rdx, rw, "filter");
  guarded(env, fn, [&] { eo::nn::conv2dBackpropInput(s, h.data + rdy.off, h.data + rw.off, h.data + rdx.off); });
  return env.Undefined();
}

// nnConv2dBackpropFilter(heap, shape, xOff, dyOff, dwOff)
Napi::Value NnConv2dBackpropFilter(const Napi::CallbackInfo& info) {
  const std::string fn = "nnConv2dBackpropFilter";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  eo::nn::ConvShape s = argShape(info, 1, fn);
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 2, fn, "xOff"), s.xSize());
  Region rdy = checkRegion(env, fn, "dy", h, argI64(info, 3, fn, "dyOff"), s.ySize());
  Region rdw = checkRegion(env, fn, "dw", h, argI64(info, 4, fn, "dwOff"), s.wSize());
  checkDisjoint(env, fn, rdw, rx, "x");
  checkDisjoint(env, fn, rdw, rdy, "dy");
  guarded(env, fn, [&] { eo::nn::conv2dBackpropFilter(s, h.data + rx.off, h.data + rdy.off, h.data + rdw.off); });
  return env.Undefined();
}

// nnReduceSum(heap, outer, reduce, inner, xOff, yOff): y[o, i] = sum_r x[o, r, i].
Napi::Value NnReduceSum(const Napi::CallbackInfo& info) {
  const std::string fn = "nnReduceSum";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  int64_t outer = argI64(info, 1, fn, "outer"), reduce = argI64(info, 2, fn, "reduce"), inner = argI64(info, 3, fn, "inner");
  const int64_t lim = kMaxElements;
  if (outer < 0 || reduce < 0 || inner < 0 || outer > lim || reduce > lim || inner > lim ||
      double(outer) * double(reduce) * double(inner) > double(lim))
    fail(env, fn, "dimensions must be in [0, 2^40]");
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 4, fn, "xOff"), outer * reduce * inner);
  Region ry = checkRegion(env, fn, "y", h, argI64(info, 5, fn, "yOff"), outer * inner);
  checkDisjoint(env, fn, ry, rx, "x");
  eo::nn::reduceSum(outer, reduce, inner, h.data + rx.off, h.data + ry.off);
  return env.Undefined();
}

// nnAddRowVector(heap, rows, cols, xOff, vOff, yOff): y[r, c] = x[r, c] + v[c].
Napi::Value NnAddRowVector(const Napi::CallbackInfo& info) {
  const std::string fn = "nnAddRowVector";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  int64_t rows = argI64(info, 1, fn, "rows"), cols = argI64(info, 2, fn, "cols");
  const int64_t lim = kMaxElements;
  if (rows < 0 || cols < 0 || rows > lim || cols > lim || double(rows) * double(cols) > double(lim))
    fail(env, fn, "dimensions must be in [0, 2^40]");
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 3, fn, "xOff"), rows * cols);
  Region rv = checkRegion(env, fn, "v", h, argI64(info, 4, fn, "vOff"), cols);
  Region ry = checkRegion(env, fn, "y", h, argI64(info, 5, fn, "yOff"), rows * cols);
  checkDisjoint(env, fn, ry, rx, "x");
  checkDisjoint(env, fn, ry, rv, "v");
  eo::nn::addRowVector(rows, cols, h.data + rx.off, h.data + rv.off, h.data + ry.off);
  return env.Undefined();
}

// nnPairEma(heap, k, R, C, srcOff, srcLen, si, sj, sr, sc, pairRows, scaleOff, avgOff, a, b, coefOff,
//           outOff, gOff): the SpIN Jacobian-average update (native/nn/pairs.h). scaleOff, avgOff and
// gOff may be -1 (none); coefOff is read only when gOff is given. out may be avg itself (in place).
Napi::Value NnPairEma(const Napi::CallbackInfo& info) {
  const std::string fn = "nnPairEma";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  const int64_t LIM = kMaxElements;
  int64_t k = argI64(info, 1, fn, "k"), R = argI64(info, 2, fn, "R"), C = argI64(info, 3, fn, "C");
  if (k < 1 || k > 4096) fail(env, fn, "k must be in [1, 4096]");
  if (R < 1 || C < 1 || R > LIM || C > LIM) fail(env, fn, "R and C must be in [1, 2^40]");
  const int64_t np = k * (k + 1) / 2;
  if (R > LIM / C || R * C > LIM / np) fail(env, fn, "k(k+1)/2 * R * C must be at most 2^40");
  const int64_t rc = R * C;
  int64_t srcOff = argI64(info, 4, fn, "srcOff"), srcLen = argI64(info, 5, fn, "srcLen");
  eo::nn::PairSource s;
  s.si = argI64(info, 6, fn, "si");
  s.sj = argI64(info, 7, fn, "sj");
  s.sr = argI64(info, 8, fn, "sr");
  s.sc = argI64(info, 9, fn, "sc");
  s.pairRows = argI64(info, 10, fn, "pairRows") != 0;
  Region rs = checkRegion(env, fn, "src", h, srcOff, srcLen);
  for (int64_t st : {s.si, s.sj, s.sr, s.sc})
    if (st < 0 || st > srcLen) fail(env, fn, "strides must be in [0, srcLen]");
  const int64_t span = 1 + (s.pairRows ? (np - 1) * s.si : (k - 1) * (s.si + s.sj)) + (R - 1) * s.sr + (C - 1) * s.sc;
  if (span > srcLen) fail(env, fn, "the strides reach index " + std::to_string(span - 1) + " of a source of " + std::to_string(srcLen) + " floats");
  s.src = h.data + rs.off;
  int64_t scaleOff = argI64(info, 11, fn, "scaleOff"), avgOff = argI64(info, 12, fn, "avgOff");
  if (info.Length() <= 14 || !info[13].IsNumber() || !info[14].IsNumber()) throw Napi::TypeError::New(env, fn + ": a and b must be numbers");
  const float a = float(info[13].As<Napi::Number>().DoubleValue()), b = float(info[14].As<Napi::Number>().DoubleValue());
  int64_t coefOff = argI64(info, 15, fn, "coefOff"), outOff = argI64(info, 16, fn, "outOff"), gOff = argI64(info, 17, fn, "gOff");
  Region none{0, 0};
  Region rsc = scaleOff >= 0 ? checkRegion(env, fn, "scale", h, scaleOff, C * k) : none;
  Region ra = avgOff >= 0 ? checkRegion(env, fn, "avg", h, avgOff, np * rc) : none;
  Region rcf = gOff >= 0 ? checkRegion(env, fn, "coef", h, coefOff, np) : none;
  Region ro = checkRegion(env, fn, "out", h, outOff, np * rc);
  Region rg = gOff >= 0 ? checkRegion(env, fn, "g", h, gOff, rc) : none;
  if (scaleOff >= 0) s.scale = h.data + rsc.off;
  for (const auto& [r, name] : {std::pair<Region, const char*>{rs, "src"}, {rsc, "scale"}, {rcf, "coef"}}) {
    checkDisjoint(env, fn, ro, r, name);
    checkDisjoint(env, fn, rg, r, name);
  }
  checkDisjoint(env, fn, ro, ra, "avg", true);
  checkDisjoint(env, fn, rg, ra, "avg");
  checkDisjoint(env, fn, rg, ro, "out");
  guarded(env, fn, [&] {
    eo::nn::pairEma(int(k), R, C, s, avgOff >= 0 ? h.data + ra.off : nullptr, a, b, gOff >= 0 ? h.data + rcf.off : nullptr,
                    h.data + ro.off, gOff >= 0 ? h.data + rg.off : nullptr);
  });
  return env.Undefined();
}

// nnSoftplus(heap, n, xOff, yOff): y = softplus(x) (n floats each).
Napi::Value NnSoftplus(const Napi::CallbackInfo& info) {
  const std::string fn = "nnSoftplus";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  int64_t n = argCount(info, 1, fn, "n");
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 2, fn, "xOff"), n);
  Region ry = checkRegion(env, fn, "y", h, argI64(info, 3, fn, "yOff"), n);
  checkDisjoint(env, fn, ry, rx, "x", true);
  guarded(env, fn, [&] { eo::nn::softplus(n, h.data + rx.off, h.data + ry.off); });
  return env.Undefined();
}

// nnReluGrad(heap, n, dyOff, xOff, outOff): out = dy * step(x) (n floats each).
Napi::Value NnReluGrad(const Napi::CallbackInfo& info) {
  const std::string fn = "nnReluGrad";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  int64_t n = argCount(info, 1, fn, "n");
  Region rd = checkRegion(env, fn, "dy", h, argI64(info, 2, fn, "dyOff"), n);
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 3, fn, "xOff"), n);
  Region ro = checkRegion(env, fn, "out", h, argI64(info, 4, fn, "outOff"), n);
  checkDisjoint(env, fn, ro, rd, "dy", true);
  checkDisjoint(env, fn, ro, rx, "x", true);
  guarded(env, fn, [&] { eo::nn::reluGrad(n, h.data + rd.off, h.data + rx.off, h.data + ro.off); });
  return env.Undefined();
}

// nnSoftArgmaxConv(heap, shape [B,H,W,Cin,kh,kw,F], xOff, wOff, yOff): y [B, 2F] = the spatial
// soft-argmax of the stride-1 'same' convolution of x [B,H,W,Cin] with w [kh,kw,Cin,F] (soft_argmax.h).
Napi::Value NnSoftArgmaxConv(const Napi::CallbackInfo& info) {
  const std::string fn = "nnSoftArgmaxConv";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  eo::nn::SoftArgmaxShape s = argSoftArgmaxShape(info, 1, fn);
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 2, fn, "xOff"), s.xSize());
  Region rw = checkRegion(env, fn, "filter", h, argI64(info, 3, fn, "wOff"), s.wSize());
  Region ry = checkRegion(env, fn, "y", h, argI64(info, 4, fn, "yOff"), s.ySize());
  checkDisjoint(env, fn, ry, rx, "x");
  checkDisjoint(env, fn, ry, rw, "filter");
  guarded(env, fn, [&] { eo::nn::softArgmaxConvForward(s, h.data + rx.off, h.data + rw.off, h.data + ry.off); });
  return env.Undefined();
}

// nnSoftArgmaxConvBackpropFilter(heap, shape, xOff, wOff, dyOff, dwOff): dw [kh,kw,Cin,F] = the
// gradient of sum(dy * y) with respect to the filter, dy [B, 2F].
Napi::Value NnSoftArgmaxConvBackpropFilter(const Napi::CallbackInfo& info) {
  const std::string fn = "nnSoftArgmaxConvBackpropFilter";
  Napi::Env env = info.Env();
  Heap h = argHeap(info, fn);
  eo::nn::SoftArgmaxShape s = argSoftArgmaxShape(info, 1, fn);
  Region rx = checkRegion(env, fn, "x", h, argI64(info, 2, fn, "xOff"), s.xSize());
  Region rw = checkRegion(env, fn, "filter", h, argI64(info, 3, fn, "wOff"), s.wSize());
  Region rdy = checkRegion(env, fn, "dy", h, argI64(info, 4, fn, "dyOff"), s.ySize());
  Region rdw = checkRegion(env, fn, "dw", h, argI64(info, 5, fn, "dwOff"), s.wSize());
  checkDisjoint(env, fn, rdw, rx, "x");
  checkDisjoint(env, fn, rdw, rw, "filter");
  checkDisjoint(env, fn, rdw, rdy, "dy");
  guarded(env, fn, [&] { eo::nn::softArgmaxConvBackpropFilter(s, h.data + rx.off, h.data + rw.off, h.data + rdy.off, h.data + rdw.off); });
  return env.Undefined();
}

// nnInfo() -> { isa, threads }
Napi::Value NnInfo(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("isa", eo::nn::gemmIsa());
  o.Set("threads", eo::nn::poolThreads());
  return o;
}

// nnSetThreads(n): n <= 0 restores the default.
Napi::Value NnSetThreads(const Napi::CallbackInfo& info) {
  eo::nn::setPoolThreads(int(std::max<int64_t>(-1, std::min<int64_t>(64, argI64(info, 0, "nnSetThreads", "n")))));
  return Napi::Number::New(info.Env(), eo::nn::poolThreads());
}

// nnSetIsa(name): 'auto' | 'avx512' | 'avx2' | 'generic'; returns false when unsupported here.
Napi::Value NnSetIsa(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "nnSetIsa: name must be a string");
  std::string n = info[0].As<Napi::String>().Utf8Value();
  return Napi::Boolean::New(info.Env(), eo::nn::setGemmIsa(n.c_str()));
}

}  // namespace

Napi::Object InitNn(Napi::Env env, Napi::Object exports) {
  exports.Set("nnMatMul", Napi::Function::New(env, NnMatMul));
  exports.Set("nnConv2d", Napi::Function::New(env, NnConv2d));
  exports.Set("nnConv2dBackpropInput", Napi::Function::New(env, NnConv2dBackpropInput));
  exports.Set("nnConv2dBackpropFilter", Napi::Function::New(env, NnConv2dBackpropFilter));
  exports.Set("nnReduceSum", Napi::Function::New(env, NnReduceSum));
  exports.Set("nnAddRowVector", Napi::Function::New(env, NnAddRowVector));
  exports.Set("nnPairEma", Napi::Function::New(env, NnPairEma));
  exports.Set("nnSoftplus", Napi::Function::New(env, NnSoftplus));
  exports.Set("nnReluGrad", Napi::Function::New(env, NnReluGrad));
  exports.Set("nnSoftArgmaxConv", Napi::Function::New(env, NnSoftArgmaxConv));
  exports.Set("nnSoftArgmaxConvBackpropFilter", Napi::Function::New(env, NnSoftArgmaxConvBackpropFilter));
  exports.Set("nnInfo", Napi::Function::New(env, NnInfo));
  exports.Set("nnSetThreads", Napi::Function::New(env, NnSetThreads));
  exports.Set("nnSetIsa", Napi::Function::New(env, NnSetIsa));
  return exports;
}
