// The SpIN Jacobian average in one pass (src/spin/jacobian.ts, network.ts). For each variable the
// trainer keeps the moving average Vbar of the pair Jacobians V_ij = E[u_i du_j/dtheta], i <= j,
// as rows pair(i, j) of an [np, R*C] matrix (np = k(k+1)/2, pair order (0,0), (0,1), ..., (k-1,k-1)),
// and needs the contraction g = sum_pairs coef[pair] * Vbar[pair]. pairEma updates the average and
// forms g in one pass over memory, reading the fresh V_ij straight from the layout its contraction
// produced (no gathering of pair rows, no fresh [np, R*C] Jacobian).
#pragma once
#include <cstdint>

namespace eo::nn {

/** Where V_ij[r, c] lives. Strided: src[i*si + j*sj + r*sr + c*sc]; pair rows (pairRows): src[pair*si + r*sr + c*sc]
 *  (sj unused). With scale (a [C, k] matrix), V_ij[r, c] is further multiplied by scale[c*k + j]. */
struct PairSource {
  const float* src = nullptr;
  int64_t si = 0, sj = 0, sr = 0, sc = 0;
  bool pairRows = false;
  const float* scale = nullptr;
};

/**
 * out[pair, r, c] = a * avg[pair, r, c] + b * V_ij[r, c] for the k(k+1)/2 pairs i <= j (avg null: the
 * first term is 0), and, when g is not null, g[r, c] = sum over pairs of coef[pair] * out[pair, r, c]
 * (summed in pair order). out may equal avg (in place); otherwise no output may overlap an input.
 */
void pairEma(int k, int64_t R, int64_t C, const PairSource& s, const float* avg, float a, float b,
             const float* coef, float* out, float* g);

}  // namespace eo::nn
