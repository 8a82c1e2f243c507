#include "vector/preprocess.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace eo::vec {

AreaResizer::Axis AreaResizer::buildAxis(int src, int dst) {
  // Input pixel i spans [i*dst, (i+1)*dst) and output pixel j spans [j*src, (j+1)*src) on a grid
  // refined by src*dst; overlaps are integers and each output's weights sum to src.
  Axis a;
  a.begin.push_back(0);
  for (int j = 0; j < dst; ++j) {
    int64_t lo = int64_t(j) * src, hi = int64_t(j + 1) * src;
    for (int i = int(lo / dst); i < src && int64_t(i) * dst < hi; ++i) {
      int64_t ov = std::min(hi, int64_t(i + 1) * dst) - std::max(lo, int64_t(i) * dst);
      if (ov > 0) a.taps.push_back(Tap{i, uint32_t(ov)});
    }
    a.begin.push_back(int(a.taps.size()));
  }
  return a;
}

AreaResizer::AreaResizer(int srcH, int srcW, int dstH, int dstW) : sh_(srcH), sw_(srcW), dh_(dstH), dw_(dstW) {
  if (srcH <= 0 || srcW <= 0 || dstH <= 0 || dstW <= 0 || srcH > 4096 || srcW > 4096 || dstH > 4096 || dstW > 4096)
    throw std::invalid_argument("resize: sizes must be in 1..4096, got " + std::to_string(srcH) + "x" +
                                std::to_string(srcW) + " -> " + std::to_string(dstH) + "x" + std::to_string(dstW));
  rows_ = buildAxis(srcH, dstH);
  cols_ = buildAxis(srcW, dstW);
  rowSum_.resize(size_t(dstW));
}

void AreaResizer::resize(const uint8_t* src, uint8_t* dst) const {
  const uint64_t den = uint64_t(sh_) * uint64_t(sw_);
  for (int y = 0; y < dh_; ++y) {
    std::fill(rowSum_.begin(), rowSum_.end(), uint64_t(0));
    for (int r = rows_.begin[y]; r < rows_.begin[y + 1]; ++r) {
      const Tap ty = rows_.taps[size_t(r)];
      const uint8_t* line = src + size_t(ty.index) * size_t(sw_);
      for (int x = 0; x < dw_; ++x) {
        uint32_t s = 0;  // column weights sum to srcW: s <= 255 * srcW
        for (int c = cols_.begin[x]; c < cols_.begin[x + 1]; ++c) {
          const Tap tx = cols_.taps[size_t(c)];
          s += tx.weight * line[tx.index];
        }
        rowSum_[size_t(x)] += uint64_t(ty.weight) * s;
      }
    }
    for (int x = 0; x < dw_; ++x) dst[size_t(y) * size_t(dw_) + size_t(x)] = uint8_t(roundDivEven(rowSum_[size_t(x)], den));
  }
}

void maxInPlace(uint8_t* a, const uint8_t* b, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = a[i] > b[i] ? a[i] : b[i];
}

}  // namespace eo::vec
