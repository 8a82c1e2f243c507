// Sum over the middle axis of an [outer, reduce, inner] tensor (the bias gradients of dense and
// conv layers: [batch, units] -> [units]). Single pass, vectorisable loops, summation in order.
#include "nn/reduce.h"

#include <cstring>

namespace eo::nn {

void reduceSum(int64_t outer, int64_t reduce, int64_t inner, const float* x, float* y) {
  if (inner == 1) {
    for (int64_t o = 0; o < outer; o++) {
      const float* xr = x + o * reduce;
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      int64_t r = 0;
      for (; r + 8 <= reduce; r += 8)
        for (int j = 0; j < 8; j++) acc[j] += xr[r + j];
      float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
      for (; r < reduce; r++) s += xr[r];
      y[o] = s;
    }
    return;
  }
  for (int64_t o = 0; o < outer; o++) {
    float* yo = y + o * inner;
    std::memset(yo, 0, sizeof(float) * size_t(inner));
    const float* xo = x + o * reduce * inner;
    for (int64_t r = 0; r < reduce; r++) {
      const float* xr = xo + r * inner;
      for (int64_t i = 0; i < inner; i++) yo[i] += xr[i];
    }
  }
}

void addRowVector(int64_t rows, int64_t cols, const float* x, const float* v, float* y) {
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    for (int64_t c = 0; c < cols; c++) yr[c] = xr[c] + v[c];
  }
}

}  // namespace eo::nn
