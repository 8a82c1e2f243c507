// Sum over the middle axis of a contiguous [outer, reduce, inner] float tensor, and its
// counterpart in the forward pass: a vector added to every row (dense-layer bias).
#pragma once
#include <cstdint>

namespace eo::nn {
/** y[o, i] = sum over r of x[o, r, i], summed in order of r. */
void reduceSum(int64_t outer, int64_t reduce, int64_t inner, const float* x, float* y);
/** y[r, c] = x[r, c] + v[c] for a contiguous [rows, cols] x. */
void addRowVector(int64_t rows, int64_t cols, const float* x, const float* v, float* y);
}  // namespace eo::nn
