// Frame preprocessing shared by the single Atari environment and the vector environment:
// max over two frames, area-average resize (OpenCV's INTER_AREA) and frame stacking.
//
// Area resize: output pixel (y, x) of a dh x dw image from an sh x sw image is the mean of the
// input over the output pixel's footprint [y*sh/dh, (y+1)*sh/dh) x [x*sw/dw, (x+1)*sw/dw), each
// input pixel weighted by the fraction of its area inside the footprint. In units of 1/(dh*dw)
// input pixels every overlap is an integer, so the weighted sum is an exact integer S and the
// result is S / (sh*sw) rounded to the nearest integer, ties to even (the rounding of OpenCV's
// cvRound / saturate_cast). OpenCV accumulates in float32, so where the exact mean lies within
// float rounding error of k + 1/2 its result may differ from this exact one by 1.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace eo::vec {

class AreaResizer {
 public:
  AreaResizer() = default;
  AreaResizer(int srcH, int srcW, int dstH, int dstW);

  int srcH() const { return sh_; }
  int srcW() const { return sw_; }
  int dstH() const { return dh_; }
  int dstW() const { return dw_; }

  // dst (dstH*dstW bytes) = area resize of src (srcH*srcW bytes, row-major). Allocates nothing.
  void resize(const uint8_t* src, uint8_t* dst) const;

 private:
  struct Tap {
    int index;       // input row / column
    uint32_t weight; // overlap in units of 1/(dst extent) input pixels
  };
  // Taps of output index j: taps[begin[j] .. begin[j+1]).
  struct Axis {
    std::vector<Tap> taps;
    std::vector<int> begin;
  };
  static Axis buildAxis(int src, int dst);

  int sh_ = 0, sw_ = 0, dh_ = 0, dw_ = 0;
  Axis rows_, cols_;
  mutable std::vector<uint64_t> rowSum_;  // one output row's weighted sums (scratch: one resizer per thread)
};

// a[i] = max(a[i], b[i]).
void maxInPlace(uint8_t* a, const uint8_t* b, size_t n);

// Exact quotient num / den rounded to nearest, ties to even (den > 0).
inline uint32_t roundDivEven(uint64_t num, uint64_t den) {
  uint64_t q = num / den, r = num % den;
  if (2 * r > den || (2 * r == den && (q & 1))) ++q;
  return uint32_t(q);
}

}  // namespace eo::vec
