// pairEma: see pairs.h. Parallel over blocks of rows r; within a block, pair by pair, so the block
// of g being summed stays in cache while the average streams through once.
#include "nn/pairs.h"

#include <algorithm>
#include <vector>

#include "nn/threadpool.h"

namespace eo::nn {

void pairEma(int k, int64_t R, int64_t C, const PairSource& s, const float* avg, float a, float b,
             const float* coef, float* out, float* g) {
  if (k <= 0 || R <= 0 || C <= 0) return;
  const int64_t np = int64_t(k) * (k + 1) / 2, rc = R * C;
  // the column scales transposed to [k, C] so the inner loop reads them contiguously
  std::vector<float> scaleT;
  if (s.scale) {
    scaleT.resize(size_t(k) * size_t(C));
    for (int64_t c = 0; c < C; c++)
      for (int j = 0; j < k; j++) scaleT[size_t(j) * size_t(C) + size_t(c)] = s.scale[c * k + j];
  }
  // rows per block: about 16K floats of g per block
  const int64_t rowsPerBlock = std::max<int64_t>(1, (int64_t(1) << 14) / C);
  const int64_t blocks = (R + rowsPerBlock - 1) / rowsPerBlock;
  auto runBlocks = [&](int64_t b0, int64_t b1) {
    for (int64_t blk = b0; blk < b1; blk++) {
      const int64_t r0 = blk * rowsPerBlock, r1 = std::min(R, r0 + rowsPerBlock);
      if (g)
        for (int64_t r = r0; r < r1; r++) std::fill(g + r * C, g + (r + 1) * C, 0.0f);
      int64_t pair = 0;
      for (int i = 0; i < k; i++) {
        for (int j = i; j < k; j++, pair++) {
          const float* base = s.src + (s.pairRows ? pair * s.si : i * s.si + j * s.sj);
          const float* sc = s.scale ? scaleT.data() + size_t(j) * size_t(C) : nullptr;
          const float cf = g ? coef[pair] : 0.0f;
          for (int64_t r = r0; r < r1; r++) {
            const float* v = base + r * s.sr;
            const int64_t o = pair * rc + r * C;
            float* dst = out + o;
            const float* src = avg ? avg + o : nullptr;
            float* gr = g ? g + r * C : nullptr;
            if (s.sc == 1) {
              if (sc) {
                if (src) for (int64_t c = 0; c < C; c++) dst[c] = a * src[c] + b * (v[c] * sc[c]);
                else for (int64_t c = 0; c < C; c++) dst[c] = b * (v[c] * sc[c]);
              } else {
                if (src) for (int64_t c = 0; c < C; c++) dst[c] = a * src[c] + b * v[c];
                else for (int64_t c = 0; c < C; c++) dst[c] = b * v[c];
              }
            } else {
              for (int64_t c = 0; c < C; c++) {
                float x = v[c * s.sc];
                if (sc) x *= sc[c];
                dst[c] = src ? a * src[c] + b * x : b * x;
              }
            }
            if (gr) for (int64_t c = 0; c < C; c++) gr[c] += cf * dst[c];
          }
        }
      }
    }
  };
  const int64_t work = np * rc;
  const int nt = int(std::min<int64_t>({int64_t(poolThreads()), blocks, std::max<int64_t>(1, work >> 18)}));
  if (nt <= 1) {
    runBlocks(0, blocks);
    return;
  }
  parallelRun(nt, [&](int t) { runBlocks(blocks * t / nt, blocks * (t + 1) / nt); });
}

}  // namespace eo::nn
