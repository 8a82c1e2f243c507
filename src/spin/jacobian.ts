// Per-pair feature Jacobians V_ij = E_b[u_bi * d u_bj / d theta], i <= j (the masked Sigma
// coefficient is upper-triangular, so only these pairs are needed), for every trainable variable,
// stored as [k(k+1)/2, size] tensors, row pairIndex(i, j) (pairs ordered (0,0), (0,1), ..., (k-1,k-1)).
// Two exact ways:
//  - 'contraction': for chains of Dense layers, one forward, one stacked backward of the k output
//    directions (batch k*B), and one matmul per layer contracting per-example activations scaled
//    by u_i with the backpropagated signals of u_j. Cost ~ k backward passes + k^2 weight-gradient
//    flops in a single large matmul, instead of k(k+1)/2 full backward passes.
//  - 'per-pair': generic, any model: one variableGrads call per pair i <= j.
import * as tf from '@tensorflow/tfjs';

/** Row of pair (i, j), i <= j, in the [k(k+1)/2, size] Jacobian layout. */
export function pairIndex(i: number, j: number, k: number): number {
  return i * k - (i * (i - 1)) / 2 + (j - i);
}

export function numPairs(k: number): number {
  return (k * (k + 1)) / 2;
}

export type ActivationName = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softplus' | 'elu';
const SUPPORTED: ReadonlySet<string> = new Set(['linear', 'relu', 'tanh', 'sigmoid', 'softplus', 'elu']);

export interface DenseStep {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  kernelIndex: number;
  biasIndex: number;
  act: ActivationName;
}

export interface DensePlan {
  steps: DenseStep[];
}

interface LayerLike {
  getClassName(): string;
  getConfig(): tf.serialization.ConfigDict;
  trainableWeights: tf.LayerVariable[];
  weights: tf.LayerVariable[];
}

/** Returns a plan when `model` is a tf.Sequential of Dense (+ Flatten/InputLayer) layers with supported activations. */
export function planDenseChain(model: tf.LayersModel, vars: tf.Variable[]): DensePlan | null {
  if (!(model instanceof tf.Sequential)) return null;
  const steps: DenseStep[] = [];
  for (const layer of model.layers as unknown as LayerLike[]) {
    const cls = layer.getClassName();
    if (cls === 'Flatten' || cls === 'InputLayer') continue;
    if (cls !== 'Dense') return null;
    const cfg = layer.getConfig();
    const act = String(cfg.activation ?? 'linear');
    if (!SUPPORTED.has(act)) return null;
    const w = layer.weights.map((lv) => lv.read() as tf.Variable);
    const kernel = w[0];
    const bias = cfg.useBias === false ? null : w[1] ?? null;
    const kernelIndex = vars.indexOf(kernel);
    const biasIndex = bias ? vars.indexOf(bias) : -1;
    if (kernelIndex < 0 || (bias && biasIndex < 0)) return null; // frozen layers: use the generic path
    steps.push({ kernel, bias, kernelIndex, biasIndex, act: act as ActivationName });
  }
  if (steps.length === 0 || vars.length !== steps.reduce((s, st) => s + (st.bias ? 2 : 1), 0)) return null;
  return { steps };
}

function activate(z: tf.Tensor2D, act: ActivationName): tf.Tensor2D {
  switch (act) {
    case 'linear': return z;
    case 'relu': return tf.relu(z);
    case 'tanh': return tf.tanh(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'softplus': return tf.softplus(z);
    case 'elu': return tf.elu(z);
  }
}

function activationDerivative(z: tf.Tensor2D, act: ActivationName): tf.Tensor2D | null {
  switch (act) {
    case 'linear': return null;
    case 'relu': return tf.cast(tf.greater(z, 0), 'float32') as tf.Tensor2D;
    case 'tanh': { const t = tf.tanh(z); return tf.sub(1, tf.mul(t, t)) as tf.Tensor2D; }
    case 'sigmoid': { const s = tf.sigmoid(z); return tf.mul(s, tf.sub(1, s)) as tf.Tensor2D; }
    case 'softplus': return tf.sigmoid(z);
    case 'elu': return tf.where(tf.greater(z, 0), tf.onesLike(z), tf.exp(z)) as tf.Tensor2D;
  }
}

/**
 * Exact V_ij (rows pairIndex(i, j), i <= j) for a Dense chain. `mask` (optional, [B]) multiplies every feature of example b.
 * Returns the features u = mask * net(x) and one [k(k+1)/2, size] tensor per variable (zeros for
 * variables the plan does not cover, which cannot happen when planDenseChain accepted the model).
 */
export function denseChainJacobians(plan: DensePlan, x: tf.Tensor, vars: tf.Variable[], mask?: tf.Tensor1D): { u: tf.Tensor2D; jac: tf.Tensor2D[] } {
  return tf.tidy(() => {
    const b = x.shape[0];
    let a = tf.reshape(x, [b, -1]) as tf.Tensor2D;
    const inputs: tf.Tensor2D[] = [];
    const zs: tf.Tensor2D[] = [];
    for (const st of plan.steps) {
      inputs.push(a);
      let z = tf.matMul(a, st.kernel as tf.Tensor2D) as tf.Tensor2D;
      if (st.bias) z = tf.add(z, st.bias) as tf.Tensor2D;
      zs.push(z);
      a = activate(z, st.act);
    }
    const k = a.shape[1];
    const m = mask ? (tf.reshape(mask, [b, 1]) as tf.Tensor2D) : null;
    const u = m ? (tf.mul(a, m) as tf.Tensor2D) : a;
    const ub = tf.div(u, b) as tf.Tensor2D; // 1/B folded into the u_i weights
    // delta for the top pre-activation, for all k output directions stacked: [k, B, k]
    let delta3 = tf.tile(tf.reshape(tf.eye(k), [k, 1, k]), [1, b, 1]) as tf.Tensor3D;
    if (m) delta3 = tf.mul(delta3, tf.reshape(m, [1, b, 1])) as tf.Tensor3D;
    const jac: tf.Tensor2D[] = vars.map((v) => tf.zeros([numPairs(k), v.size]) as tf.Tensor2D);
    for (let l = plan.steps.length - 1; l >= 0; l--) {
      const st = plan.steps[l];
      const dz = activationDerivative(zs[l], st.act);
      if (dz) delta3 = tf.mul(delta3, tf.expandDims(dz, 0)) as tf.Tensor3D;
      const q = delta3.shape[2];
      const inp = inputs[l];
      const p = inp.shape[1];
      const dAll = tf.transpose(delta3, [1, 0, 2]) as tf.Tensor3D; // [B, j, q]
      const kernRows: tf.Tensor2D[] = [];
      const biasRows: tf.Tensor2D[] = [];
      for (let i = 0; i < k; i++) {
        const ui = tf.slice(ub, [0, i], [b, 1]);
        const dj = tf.reshape(tf.slice(dAll, [0, i, 0], [b, k - i, q]), [b, (k - i) * q]) as tf.Tensor2D;
        const wi = tf.transpose(tf.mul(inp, ui)) as tf.Tensor2D; // [p, B]
        const blk = tf.matMul(wi, dj); // [p, (k-i) q]
        kernRows.push(tf.reshape(tf.transpose(tf.reshape(blk, [p, k - i, q]), [1, 0, 2]), [k - i, p * q]) as tf.Tensor2D);
        if (st.bias) biasRows.push(tf.reshape(tf.matMul(ui, dj, true, false), [k - i, q]) as tf.Tensor2D);
      }
      jac[st.kernelIndex].dispose();
      jac[st.kernelIndex] = tf.concat(kernRows, 0) as tf.Tensor2D;
      if (st.bias) {
        jac[st.biasIndex].dispose();
        jac[st.biasIndex] = tf.concat(biasRows, 0) as tf.Tensor2D;
      }
      if (l > 0) {
        const d2 = tf.matMul(tf.reshape(delta3, [k * b, q]) as tf.Tensor2D, st.kernel as tf.Tensor2D, false, true);
        delta3 = tf.reshape(d2, [k, b, p]) as tf.Tensor3D;
      }
    }
    return { u, jac };
  });
}

/** Generic exact V_ij, i <= j, by one backward pass per pair (same layout as the contraction). */
export function perPairJacobians(f: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, vars: tf.Variable[], k: number): { u: tf.Tensor2D; jac: tf.Tensor2D[] } {
  const u = tf.tidy(() => f(x));
  const b = x.shape[0];
  const rows: tf.Tensor1D[][] = vars.map(() => []);
  for (let i = 0; i < k; i++) {
    const ci = tf.tidy(() => tf.div(tf.slice(u, [0, i], [b, 1]), b));
    for (let j = i; j < k; j++) {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(ci, tf.slice(f(x), [0, j], [b, 1]))) as tf.Scalar, vars);
      value.dispose();
      vars.forEach((v, n) => {
        const g = grads[v.name];
        rows[n].push(g ? (tf.reshape(g, [-1]) as tf.Tensor1D) : (tf.zeros([v.size]) as tf.Tensor1D));
        if (g) g.dispose();
      });
    }
    ci.dispose();
  }
  const jac = rows.map((r) => {
    const s = tf.stack(r) as tf.Tensor2D;
    r.forEach((t) => t.dispose());
    return s;
  });
  return { u, jac };
}
