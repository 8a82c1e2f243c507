// GGDO: the generalized graph-drawing objective (Wang, Zhang, Wu, Stone et al., ICML 2021, "Towards
// better Laplacian representation in reinforcement learning with generalized graph drawing"):
//
//   min_f  sum_i c_i E[(f_i(x) - f_i(x'))^2] + b sum_{l=1..d} sum_{j,k<=l} (<f_j, f_k> - delta_jk)^2
//
// with decreasing coefficients c_i = d - i + 1, which breaks the rotation symmetry of the plain
// graph-drawing objective so its minimiser is the ordered eigenvectors. The penalty over nested
// prefixes is estimated without bias from two independent state batches x1, x2 per term as
// E[(f_[:l](x1) . f_[:l](x2))^2] - E|f_[:l](x1)|^2 - E|f_[:l](x2)|^2 (equal to the squared
// Frobenius error minus the constant l). Both terms are divided by d (d + 1) / 2. Defaults follow
// the ALLO paper's GGDO runs: b = 1, MLP 3 x 256 relu, Adam 1e-3, batch 1024.
import * as tf from '@tensorflow/tfjs';
import type { ReplayBuffer } from '../data/replay';
import { GraphLearnerConfig, trainGraphObjective } from './allo';
import type { ReplayTraining } from './spin-replay';

export interface GgdoConfig extends GraphLearnerConfig {
  /** Weight b of the orthonormality penalty (default 1). */
  penalty?: number;
}

export async function trainGgdo(buffer: ReplayBuffer, k: number, cfg: GgdoConfig = {}): Promise<ReplayTraining> {
  const b = cfg.penalty ?? 1;
  const norm = (k * (k + 1)) / 2;
  const coeff = tf.keep(tf.tensor1d(Float32Array.from({ length: k }, (_, i) => k - i)));
  // prefix[j][l] = 1 when j < l + 1: column l of (u1 * u2) @ prefix is the dot product over the first l + 1 entries
  const pre = new Float32Array(k * k);
  for (let j = 0; j < k; j++) for (let l = j; l < k; l++) pre[j * k + l] = 1;
  const prefix = tf.keep(tf.tensor2d(pre, [k, k]));
  try {
    return await trainGraphObjective(
      'ggdo',
      buffer,
      k,
      cfg,
      (u, un, c1, c2) => {
        const graph = tf.div(tf.mean(tf.sum(tf.mul(tf.square(tf.sub(u, un)), coeff), 1)), norm);
        const dots = tf.matMul(tf.mul(c1, c2), prefix); // [B, k]: prefix dot products
        const n1 = tf.matMul(tf.square(c1), prefix);
        const n2 = tf.matMul(tf.square(c2), prefix);
        const orth = tf.mean(tf.sum(tf.sub(tf.square(dots), tf.add(n1, n2)), 1));
        return tf.add(graph, tf.mul(b / norm, orth)) as tf.Scalar;
      },
      () => undefined,
      () => null,
      () => ({ penalty: b }),
    );
  } finally {
    coeff.dispose();
    prefix.dispose();
  }
}
