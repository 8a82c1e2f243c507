// NHWC 2-D convolution kernels (no dilation) on top of gemm(): forward with fused bias and
// activation, gradient with respect to the input (GEMM + col2im) and to the filter (im2col packed
// straight into the GEMM's A panels). Shapes follow TF: x [B, H, W, Cin], filter [kh, kw, Cin, Cout],
// y / dy [B, oh, ow, Cout]; pt / pl are the top / left paddings.
#pragma once
#include <cstdint>

#include "nn/gemm.h"

namespace eo::nn {

struct ConvShape {
  int64_t B, H, W, Cin, kh, kw, Cout, sh, sw, pt, pl, oh, ow;
  int64_t xSize() const { return B * H * W * Cin; }
  int64_t wSize() const { return kh * kw * Cin * Cout; }
  int64_t ySize() const { return B * oh * ow * Cout; }
};

/** Throws std::invalid_argument when a dimension is out of range. */
void checkConvShape(const ConvShape& s);

void conv2dForward(const ConvShape& s, const float* x, const float* w, const float* bias, Act act, float* y);
void conv2dBackpropInput(const ConvShape& s, const float* dy, const float* w, float* dx);
void conv2dBackpropFilter(const ConvShape& s, const float* x, const float* dy, float* dw);

}  // namespace eo::nn
