// A convolution followed by a spatial soft-argmax, fused (SpIN's SpatialSoftArgmax front end,
// src/spin/layers.ts): x [B, H, W, Cin] (NHWC) and a filter w [kh, kw, Cin, F] give the logits
// l[b, p, f] of a stride-1 convolution with TF's 'same' padding (top floor((kh-1)/2), left
// floor((kw-1)/2), zeros outside the image, no bias); for each (b, f) P[b, p, f] = softmax of
// l[b, :, f] over the H*W pixels p and y[b, 2f] = sum_p P row_p, y[b, 2f+1] = sum_p P col_p with
// row_i = -1 + 2i/(H-1) (0 when H = 1) and col_j likewise. The logits live one image at a time in a
// [H*W, F] buffer per thread (never in memory for the whole batch); the filter gradient recomputes them.
#pragma once
#include <cstdint>

namespace eo::nn {

struct SoftArgmaxShape {
  int64_t B, H, W, Cin, kh, kw, F;
  int64_t xSize() const { return B * H * W * Cin; }
  int64_t wSize() const { return kh * kw * Cin * F; }
  int64_t ySize() const { return B * 2 * F; }
};

/** Throws std::invalid_argument when a dimension is out of range. */
void checkSoftArgmaxShape(const SoftArgmaxShape& s);

/** y [B, 2F] = the soft-argmax of the 'same' convolution of x with w. */
void softArgmaxConvForward(const SoftArgmaxShape& s, const float* x, const float* w, float* y);

/** dw [kh, kw, Cin, F] = d(sum dy * y)/dw for dy [B, 2F]: with
 *  dl[b, p, f] = P (dy[b, 2f] (row_p - E[row]) + dy[b, 2f+1] (col_p - E[col])),
 *  dw[ky, kx, ci, f] = sum_b sum_p xpad[b, p + (ky, kx), ci] dl[b, p, f]. */
void softArgmaxConvBackpropFilter(const SoftArgmaxShape& s, const float* x, const float* w, const float* dy, float* dw);

}  // namespace eo::nn
