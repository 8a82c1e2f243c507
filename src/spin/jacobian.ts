// Per-pair feature Jacobians V_ij = E_b[u_bi * d u_bj / d theta], i <= j (the masked Sigma
// coefficient is upper-triangular, so only these pairs are needed), for every trainable variable,
// stored as [k(k+1)/2, size] tensors, row pairIndex(i, j) (pairs ordered (0,0), (0,1), ..., (k-1,k-1)).
// Two exact ways:
//  - 'contraction' (planLayerChain + chainJacobians / chainJacobianSources): for a tf.Sequential
//    chain of Conv2D / Flatten / Dense / Activation layers: one forward, one stacked backward of the
//    k output directions (batch k*B) giving, per layer, delta_j = d u_j / d z (z: the layer's
//    pre-activation), then per layer:
//      Dense  (input A [B, p]):  V_ij = sum_b (u_bi / B) A_b (x) delta_bj: all pairs in one 2-D
//        product [(i, p), B] . [B, (j, q)];
//      Dense feeding the final linear Dense layer (kernel Wout): delta_bj = E_b * Wout[:, j], so
//        V_ij = M_i diag(Wout[:, j]) with M_i = sum_b (u_bi / B) A_b (x) E_b: k products instead of
//        k(k+1)/2 (for the Atari net's 3136x512 layer this is most of the work);
//      Conv2D (patches X_b [P, K] of example b, P output positions, K = kh*kw*C, F filters):
//        per example G_b = delta_b^T X_b ([k*F, P].[P, K], all k directions at once), then
//        V_ij = sum_b (u_bi / B) G_bj (one [k, B].[B, k*F*K] matmul): 2BKkF(P + k) flops; or, when
//        that is cheaper (P tiny), the Dense form on the B*P patch rows: BPKF k(k+1) flops;
//      biases: the same with the patch replaced by 1 (sums of delta over positions).
//    chainJacobianSources stops there and says where each pair's block lies in those products (a
//    PairSource); the trainer's moving average reads them from there in one pass (pairEma in
//    src/backend), so no pair rows are gathered and no fresh [k(k+1)/2, size] Jacobian is formed.
//    chainJacobians materialises the rows (tests, other callers).
//  - 'per-pair' (perPairJacobians): generic, any model: one variableGrads call per pair i <= j.
// On the TF.js 4.22 wasm backend, Slice/Unpack/Gather/StridedSlice/Tile are slow (Slice reads the
// whole input back per call) and the stock BatchMatMul with batch > 1 is ~25x slower than 2-D
// matmuls; the code avoids them (im2col as a convolution with the identity filter, rows split by
// one read-back, loops of 2-D matmuls unless the native kernels of src/backend are on).
import * as tf from '@tensorflow/tfjs';
import { nativeKernelsEnabled, pairEma } from '../backend';
import type { PairSource } from '../backend';

/** Row of pair (i, j), i <= j, in the [k(k+1)/2, size] Jacobian layout. */
export function pairIndex(i: number, j: number, k: number): number {
  return i * k - (i * (i - 1)) / 2 + (j - i);
}

export function numPairs(k: number): number {
  return (k * (k + 1)) / 2;
}

export type ActivationName = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softplus' | 'elu';
const SUPPORTED: ReadonlySet<string> = new Set(['linear', 'relu', 'tanh', 'sigmoid', 'softplus', 'elu']);

/** What the contraction path accepts (used in error messages). */
export const CONTRACTION_SUPPORTED =
  "a tf.Sequential chain of Conv2D (channelsLast, padding 'valid' or 'same', any stride, dilation 1), Flatten, Dense (on rank-2 inputs) " +
  'and Activation layers (plus InputLayer), activations linear/relu/tanh/sigmoid/softplus/elu, every weight trainable';

export interface DenseStep {
  kind: 'dense';
  kernel: tf.Variable;
  bias: tf.Variable | null;
  kernelIndex: number;
  biasIndex: number;
  act: ActivationName;
}

export interface Conv2DStep {
  kind: 'conv2d';
  kernel: tf.Variable;
  bias: tf.Variable | null;
  kernelIndex: number;
  biasIndex: number;
  act: ActivationName;
  strides: [number, number];
  padding: 'valid' | 'same';
  /** Per-example input shape [H, W, C]. */
  inShape: [number, number, number];
  /** Per-example output shape [oh, ow, F]. */
  outShape: [number, number, number];
}

export interface FlattenStep {
  kind: 'flatten';
  inShape: number[];
}

export interface ActivationStep {
  kind: 'activation';
  act: ActivationName;
}

export type ChainStep = DenseStep | Conv2DStep | FlattenStep | ActivationStep;

export interface ChainPlan {
  steps: ChainStep[];
  /** Per-example input shape the plan was made for. */
  inputShape: number[];
}

interface LayerLike {
  getClassName(): string;
  getConfig(): tf.serialization.ConfigDict;
  computeOutputShape(s: (number | null)[]): (number | null)[] | (number | null)[][];
  trainableWeights: tf.LayerVariable[];
  weights: tf.LayerVariable[];
}

function pair2(v: unknown, name: string): [number, number] {
  const a = Array.isArray(v) ? v.map(Number) : [Number(v), Number(v)];
  if (a.length === 1) a.push(a[0]);
  if (a.length !== 2 || !a.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`bad ${name}`);
  return [a[0], a[1]];
}

/**
 * Plans the contraction path for `model`, or explains why it cannot (`reason`). See
 * CONTRACTION_SUPPORTED for what is accepted.
 */
export function explainLayerChain(model: tf.LayersModel, vars: tf.Variable[]): { plan: ChainPlan | null; reason: string } {
  const no = (reason: string) => ({ plan: null, reason });
  if (!(model instanceof tf.Sequential)) return no('the model is not a tf.Sequential');
  if (model.inputs.length !== 1) return no('the model has several inputs');
  const in0 = model.inputs[0].shape.slice(1);
  if (in0.some((d) => d == null)) return no('the input shape is not fully known');
  let shape: number[] = in0 as number[];
  const steps: ChainStep[] = [];
  let used = 0;
  const lookup = (layer: LayerLike, cfg: tf.serialization.ConfigDict) => {
    const w = layer.weights.map((lv) => lv.read() as tf.Variable);
    const kernel = w[0];
    const bias = cfg.useBias === false ? null : w[1] ?? null;
    return { kernel, bias, kernelIndex: vars.indexOf(kernel), biasIndex: bias ? vars.indexOf(bias) : -1 };
  };
  for (const layer of model.layers as unknown as LayerLike[]) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const cfg = layer.getConfig();
    const act = String(cfg.activation ?? 'linear');
    if (cls === 'Flatten') {
      steps.push({ kind: 'flatten', inShape: shape.slice() });
      shape = [shape.reduce((a, b) => a * b, 1)];
      continue;
    }
    if (!SUPPORTED.has(act)) return no(`layer ${cls} has activation '${act}'`);
    if (cls === 'Activation') {
      steps.push({ kind: 'activation', act: act as ActivationName });
      continue;
    }
    if (cls === 'Dense') {
      if (shape.length !== 1) return no(`a Dense layer gets a rank-${shape.length + 1} input (add a Flatten)`);
      const l = lookup(layer, cfg);
      if (l.kernelIndex < 0 || (l.bias && l.biasIndex < 0)) return no('a Dense layer has frozen (non-trainable) weights');
      steps.push({ kind: 'dense', ...l, act: act as ActivationName });
      used += l.bias ? 2 : 1;
      shape = [(l.kernel.shape as number[])[1]];
      continue;
    }
    if (cls === 'Conv2D') {
      if (shape.length !== 3) return no(`a Conv2D layer gets a rank-${shape.length + 1} input`);
      if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') return no(`a Conv2D layer has dataFormat '${String(cfg.dataFormat)}'`);
      if (cfg.padding !== 'valid' && cfg.padding !== 'same') return no(`a Conv2D layer has padding '${String(cfg.padding)}'`);
      let strides: [number, number];
      let dil: [number, number];
      try {
        strides = pair2(cfg.strides ?? 1, 'strides');
        dil = pair2(cfg.dilationRate ?? 1, 'dilationRate');
      } catch {
        return no('a Conv2D layer has unsupported strides/dilation');
      }
      if (dil[0] !== 1 || dil[1] !== 1) return no('a Conv2D layer is dilated');
      const l = lookup(layer, cfg);
      if (l.kernelIndex < 0 || (l.bias && l.biasIndex < 0)) return no('a Conv2D layer has frozen (non-trainable) weights');
      const out = layer.computeOutputShape([null, ...shape]) as (number | null)[];
      if (out.length !== 4 || out.slice(1).some((d) => d == null || d < 1)) return no('a Conv2D layer has an empty or unknown output');
      steps.push({ kind: 'conv2d', ...l, act: act as ActivationName, strides, padding: cfg.padding, inShape: shape as [number, number, number], outShape: out.slice(1) as [number, number, number] });
      used += l.bias ? 2 : 1;
      shape = out.slice(1) as number[];
      continue;
    }
    return no(`layer ${cls} is not supported`);
  }
  if (!steps.some((s) => s.kind === 'dense' || s.kind === 'conv2d')) return no('the model has no Dense or Conv2D layer');
  if (vars.length !== used) return no('the trainable variables are not exactly the layer weights');
  return { plan: { steps, inputShape: in0 as number[] }, reason: '' };
}

/** Returns a contraction plan for a supported chain (CONTRACTION_SUPPORTED), else null. */
export function planLayerChain(model: tf.LayersModel, vars: tf.Variable[]): ChainPlan | null {
  return explainLayerChain(model, vars).plan;
}

/** Plan for chains of Dense (+ Flatten/Activation/InputLayer) layers only, else null. */
export function planDenseChain(model: tf.LayersModel, vars: tf.Variable[]): ChainPlan | null {
  const plan = planLayerChain(model, vars);
  return plan && plan.steps.every((s) => s.kind !== 'conv2d') ? plan : null;
}

/** The activation `act` applied to z (the chain's and GroupedMLP's activations). */
export function activate(z: tf.Tensor, act: ActivationName): tf.Tensor {
  switch (act) {
    case 'linear': return z;
    case 'relu': return tf.relu(z);
    case 'tanh': return tf.tanh(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'softplus': return tf.softplus(z);
    case 'elu': return tf.elu(z);
  }
}

function activationDerivative(z: tf.Tensor, act: ActivationName): tf.Tensor | null {
  switch (act) {
    case 'linear': return null;
    case 'relu': return tf.step(z, 0); // 1 where z > 0, else 0 (TF's relu gradient)
    case 'tanh': { const t = tf.tanh(z); return tf.sub(1, tf.mul(t, t)); }
    case 'sigmoid': { const s = tf.sigmoid(z); return tf.mul(s, tf.sub(1, s)); }
    case 'softplus': return tf.sigmoid(z);
    case 'elu': return tf.where(tf.greater(z, 0), tf.onesLike(z), tf.exp(z));
  }
}

export interface ChainJacobianOptions {
  /**
   * Conv2D weight contraction: 'per-example' (G_b = delta_b^T X_b, then the u contraction),
   * 'direct' (Dense form on the B*P patch rows), or 'auto' (default: the one with fewer flops).
   */
  conv?: 'auto' | 'per-example' | 'direct';
  /** Upper bound on the floats of one per-example block [Bc, k*F*K] (default 2^25); the batch is chunked to fit. */
  maxBlockElements?: number;
  /**
   * How the Conv2D per-example products run:
   * 'batched' (one BatchMatMul), 'loop' (one 2-D matmul each), or 'auto' (default: batched unless
   * on wasm without the native kernels, whose stock BatchMatMul with batch > 1 is slow).
   */
  matmul?: 'auto' | 'batched' | 'loop';
  /** When set, receives the milliseconds spent per part (forward, backward signals, each layer's contraction); meaningful on synchronous backends (wasm, cpu). */
  profile?: Record<string, number>;
}

/** Flop estimates of the two Conv2D contractions for B examples, P positions, K = kh*kw*C, F filters. */
export function convContractionFlops(B: number, P: number, K: number, F: number, k: number): { perExample: number; direct: number } {
  return { perExample: 2 * B * K * k * F * (P + k), direct: B * P * K * F * k * (k + 1) };
}

/** Whether to use batched matmuls: forced by `mode`, else when they run at 2-D matmul speed on the current backend. */
function useBatched(mode: ChainJacobianOptions['matmul']): boolean {
  if (mode === 'batched' || mode === 'loop') return mode === 'batched';
  return tf.getBackend() !== 'wasm' || nativeKernelsEnabled();
}

/**
 * Splits t [n, ...] into n tensors of `shape` (row i = t[i]). The TF.js 4.22 wasm Slice/Unpack
 * kernels read the whole input back from the heap for every piece (O(n^2) copying), so on wasm the
 * input is read once and the rows are uploaded from sub-views; elsewhere tf.unstack.
 */
function splitRows(t: tf.Tensor, shape: number[]): tf.Tensor[] {
  const n = (t.shape as number[])[0];
  if (tf.getBackend() !== 'wasm') return tf.unstack(t, 0).map((r) => tf.reshape(r, shape));
  const v = t.dataSync() as Float32Array;
  const sz = v.length / n;
  return Array.from({ length: n }, (_, i) => tf.tensor(v.subarray(i * sz, (i + 1) * sz), shape, 'float32'));
}

/** A pair source over a tensor produced here (see PairSource in src/backend). */
function source(src: tf.Tensor, k: number, R: number, C: number, si: number, sj: number, sr: number, sc: number, scale?: tf.Tensor, pairRows = false): PairSource {
  return { src, k, R, C, si, sj, sr, sc, scale, pairRows };
}

/** (A * u_i)^T for all i, rows (i, p): [k*p, N] from A [N, p], uN [N, k]. */
function weightedInputs(A: tf.Tensor2D, uN: tf.Tensor2D, k: number): tf.Tensor2D {
  const [N, p] = A.shape;
  return tf.reshape(tf.mul(tf.expandDims(tf.transpose(A), 0), tf.reshape(tf.transpose(uN), [k, 1, N])), [k * p, N]) as tf.Tensor2D;
}

/**
 * Dense-form contraction: V_ij = sum_n uN[n,i] A[n,:]^T D[j,n,:] for A [N, p], uN [N, k],
 * D [k, N, q], as one 2-D product [(i, p), N] . [N, (j, q)] holding every pair (i, j) (the i > j
 * blocks are computed and not read: twice the flops of the pairs, in one large efficient matmul
 * and with no gathering of pair rows).
 */
function denseForm(A: tf.Tensor2D, uN: tf.Tensor2D, D: tf.Tensor3D, k: number): PairSource {
  const [N, p] = A.shape;
  const q = D.shape[2];
  const full = tf.tidy(() => tf.matMul(weightedInputs(A, uN, k), tf.reshape(tf.transpose(D, [1, 0, 2]), [N, k * q]) as tf.Tensor2D));
  return source(full, k, p, q, p * k * q, q, k * q, 1);
}

/**
 * Dense form for a layer whose output feeds only the final linear Dense layer (kernel Wout [q, k]):
 * there delta_bj = E_b * Wout[:, j] with E_b = mask_b * act'(z_b), so
 * V_ij = (sum_n uN[n,i] A_n^T E_n) diag(Wout[:, j]): k products [p, N] . [N, q] instead of
 * k(k+1)/2, and the column scaling is applied inside the average update.
 */
function denseFormScaled(A: tf.Tensor2D, uN: tf.Tensor2D, E: tf.Tensor2D, wOut: tf.Tensor2D, k: number): PairSource {
  const p = A.shape[1], q = E.shape[1];
  const M = tf.tidy(() => tf.matMul(weightedInputs(A, uN, k), E)); // [(i, p), q]
  return source(M, k, p, q, p * q, 0, q, 1, tf.clone(wOut));
}

/** Bias pairs V_ij = sum_n ub[n,i] S[j,n,:] for ub [N, k], S [k, N, q]: one [k, N] . [N, (j, q)] product. */
function biasForm(ub: tf.Tensor2D, S: tf.Tensor3D, k: number): PairSource {
  const [N] = ub.shape;
  const q = S.shape[2];
  const all = tf.tidy(() => tf.matMul(ub, tf.reshape(tf.transpose(S, [1, 0, 2]), [N, k * q]) as tf.Tensor2D, true, false)); // [i, (j, q)]
  return source(all, k, 1, q, k * q, q, 0, 1);
}

/** Bias pairs of the layer before the final linear Dense layer (see denseFormScaled). */
function biasFormScaled(ub: tf.Tensor2D, E: tf.Tensor2D, wOut: tf.Tensor2D, k: number): PairSource {
  const q = E.shape[1];
  return source(tf.matMul(ub, E, true, false), k, 1, q, q, 0, 0, 1, tf.clone(wOut));
}

/** A source over pair rows [k(k+1)/2, size] (the layout of perPairJacobians and groupedJacobians). */
export function pairRowsSource(rows: tf.Tensor2D, k: number): PairSource {
  const size = rows.shape[1];
  return source(rows, k, 1, size, size, 0, 0, 1, undefined, true);
}

/** The pair rows [k(k+1)/2, R*C] of a source. */
export function materializePairs(s: PairSource): tf.Tensor2D {
  return pairEma(s, null, 0, 1, null).avg;
}

/** Disposes the tensors a source holds. */
export function disposePairSource(s: PairSource): void {
  s.src.dispose();
  s.scale?.dispose();
}

/**
 * im2col of x [B, H, W, C] for the layer's filter: [B, P, kh*kw*C], columns in (r, s, c) order
 * (the filter layout). Computed as a convolution with the identity filter (exact: every output is
 * one input times 1 plus zeros), which uses the backend's fast conv instead of kh*kw strided slices.
 */
function im2col(x: tf.Tensor4D, kh: number, kw: number, st: Conv2DStep): tf.Tensor3D {
  return tf.tidy(() => {
    const C = st.inShape[2];
    const K = kh * kw * C;
    const eye = tf.reshape(tf.eye(K), [kh, kw, C, K]) as tf.Tensor4D;
    const im = tf.conv2d(x, eye, st.strides, st.padding);
    return tf.reshape(im, [x.shape[0], -1, K]) as tf.Tensor3D;
  });
}

/** Conv2D kernel pairs (blocks [kh*kw*C, F]) from the layer input x [B, H, W, C], delta [k, B, oh, ow, F], ub [B, k]. */
function convKernelSource(st: Conv2DStep, x: tf.Tensor4D, delta: tf.Tensor, ub: tf.Tensor2D, k: number, opts: ChainJacobianOptions): PairSource {
  const [kh, kw, C, F] = st.kernel.shape as [number, number, number, number];
  const B = x.shape[0];
  const P = st.outShape[0] * st.outShape[1];
  const K = kh * kw * C;
  const fl = convContractionFlops(B, P, K, F, k);
  const mode = opts.conv === 'per-example' || opts.conv === 'direct' ? opts.conv : fl.direct < fl.perExample ? 'direct' : 'per-example';
  if (mode === 'direct') {
    const X = tf.tidy(() => tf.reshape(im2col(x, kh, kw, st), [B * P, K]) as tf.Tensor2D);
    const uN = tf.tidy(() => tf.reshape(tf.mul(tf.expandDims(ub, 1), tf.ones([1, P, 1])), [B * P, k]) as tf.Tensor2D); // u repeated per position
    const d = tf.reshape(delta, [k, B * P, F]) as tf.Tensor3D;
    const out = denseForm(X, uN, d, k);
    tf.dispose([X, uN, d]);
    return out;
  }
  const maxEl = opts.maxBlockElements ?? 1 << 25;
  const per = k * F * K;
  const chunk = Math.max(1, Math.min(B, Math.floor(maxEl / per)));
  const batched = useBatched(opts.matmul);
  const prof = opts.profile;
  let t0 = performance.now();
  const tick = (name: string) => {
    if (!prof) return;
    const t = performance.now();
    prof[name] = (prof[name] ?? 0) + t - t0;
    t0 = t;
  };
  const all = tf.tidy(() => {
    const X = im2col(x, kh, kw, st); // [B, P, K]
    tick('conv:im2col');
    let acc: tf.Tensor2D | null = null; // [k_i, (j, f, K)]
    const accumulate = (part: tf.Tensor2D) => {
      if (!acc) {
        acc = part;
        return;
      }
      const prev: tf.Tensor2D = acc;
      acc = tf.add(prev, part) as tf.Tensor2D;
      prev.dispose();
      part.dispose();
    };
    const sizes: number[] = [];
    for (let b0 = 0; b0 < B; b0 += chunk) sizes.push(Math.min(chunk, B - b0));
    if (batched) {
      // G_b = delta_b^T X_b for all b in one batched matmul: [b, P, (j, f)]^T . [b, P, K]
      const D = tf.reshape(tf.transpose(tf.reshape(delta, [k, B, P, F]), [1, 2, 0, 3]), [B, P, k * F]);
      tick('conv:transpose');
      const xs = sizes.length === 1 ? [X] : tf.split(X, sizes, 0);
      const ds = sizes.length === 1 ? [D] : tf.split(D, sizes, 0);
      const us = sizes.length === 1 ? [ub] : tf.split(ub, sizes, 0);
      sizes.forEach((bc, c) => accumulate(tf.tidy(() => {
        const G = tf.reshape(tf.matMul(ds[c] as tf.Tensor3D, xs[c] as tf.Tensor3D, true, false), [bc, per]) as tf.Tensor2D; // [b, (j, f, K)]
        return tf.matMul(us[c] as tf.Tensor2D, G, true, false) as tf.Tensor2D;
      })));
    } else {
      // one 2-D matmul per example (the stock wasm BatchMatMul with batch > 1 is ~25x slower)
      const dT = tf.transpose(tf.reshape(delta, [k, B, P, F]), [1, 0, 3, 2]); // [b, (j, f), P]
      tick('conv:transpose');
      const xb = splitRows(X, [P, K]) as tf.Tensor2D[];
      const db = splitRows(dT, [k * F, P]) as tf.Tensor2D[];
      const ubr = splitRows(ub, [1, k]);
      tick('conv:split');
      let b0 = 0;
      for (const bc of sizes) {
        accumulate(tf.tidy(() => {
          const g: tf.Tensor2D[] = [];
          for (let b = b0; b < b0 + bc; b++) g.push(tf.reshape(tf.matMul(db[b], xb[b]), [1, per]) as tf.Tensor2D); // G_b [(j, f), K]
          const G = bc === 1 ? g[0] : (tf.concat(g, 0) as tf.Tensor2D); // [bc, (j, f, K)]
          const u = bc === 1 ? ubr[b0] : tf.concat(ubr.slice(b0, b0 + bc), 0);
          return tf.matMul(u, G, true, false) as tf.Tensor2D;
        }));
        b0 += bc;
      }
    }
    tick('conv:per-example');
    return acc as unknown as tf.Tensor2D;
  });
  // all [i, (j, f, K)]; the average keeps the filter layout (K, f)
  return source(all, k, K, F, k * F * K, F * K, 1, K);
}

/**
 * Exact V_ij (rows pairIndex(i, j), i <= j) for a planned chain (planLayerChain). `mask` (optional,
 * [B]) multiplies every feature of example b. Returns the features u = mask * net(x) and one
 * [k(k+1)/2, size] tensor per variable, in the order of `vars`.
 */
export function chainJacobians(plan: ChainPlan, x: tf.Tensor, vars: tf.Variable[], mask?: tf.Tensor1D, opts: ChainJacobianOptions = {}): { u: tf.Tensor2D; jac: tf.Tensor2D[] } {
  const { u, sources } = chainJacobianSources(plan, x, vars, mask, opts);
  const jac = sources.map((s) => {
    const rows = materializePairs(s);
    disposePairSource(s);
    return rows;
  });
  return { u, jac };
}

/**
 * chainJacobians without gathering the pair rows: per variable, where the pairs V_ij lie in the
 * products the contraction formed (a PairSource; pairEma reads them from there into the moving
 * average). The caller disposes the sources (disposePairSource).
 */
export function chainJacobianSources(plan: ChainPlan, x: tf.Tensor, vars: tf.Variable[], mask?: tf.Tensor1D, opts: ChainJacobianOptions = {}): { u: tf.Tensor2D; sources: PairSource[] } {
  const b = (x.shape as number[])[0];
  const want = plan.inputShape;
  const got = x.shape.slice(1);
  const flatOk = got.reduce((s, d) => s * d, 1) === want.reduce((s, d) => s * d, 1);
  if (!(got.length === want.length && got.every((d, i) => d === want[i])) && !(want.length === 1 && flatOk))
    throw new Error(`chainJacobians: input shape [${got}] does not match the model input [${want}]`);
  if (mask && (mask.rank !== 1 || mask.shape[0] !== b)) throw new Error(`chainJacobians: mask must be [${b}], got [${mask.shape}]`);
  if (opts.maxBlockElements !== undefined && !(opts.maxBlockElements >= 1)) throw new Error(`chainJacobians: maxBlockElements must be >= 1, got ${opts.maxBlockElements}`);
  if (opts.conv !== undefined && !['auto', 'per-example', 'direct'].includes(opts.conv)) throw new Error(`chainJacobians: unknown conv mode '${String(opts.conv)}' (auto, per-example, direct)`);
  if (opts.matmul !== undefined && !['auto', 'batched', 'loop'].includes(opts.matmul)) throw new Error(`chainJacobians: unknown matmul mode '${String(opts.matmul)}' (auto, batched, loop)`);
  const prof = opts.profile;
  const clock = (name: string, t0: number) => {
    if (prof) prof[name] = (prof[name] ?? 0) + performance.now() - t0;
  };
  // (the sources are objects holding tensors: tidy keeps every tensor reachable from its result)
  return tf.tidy((): tf.TensorContainer => {
    let t0 = performance.now();
    let a: tf.Tensor = want.length === 1 ? tf.reshape(x, [b, -1]) : x;
    const inputs: tf.Tensor[] = [];
    const zs: tf.Tensor[] = [];
    for (const st of plan.steps) {
      inputs.push(a);
      let z: tf.Tensor;
      if (st.kind === 'flatten') { zs.push(a); a = tf.reshape(a, [b, -1]); continue; }
      if (st.kind === 'activation') z = a;
      else if (st.kind === 'dense') {
        z = tf.matMul(a as tf.Tensor2D, st.kernel as tf.Tensor2D);
        if (st.bias) z = tf.add(z, st.bias);
      } else {
        z = tf.conv2d(a as tf.Tensor4D, st.kernel as tf.Tensor4D, st.strides, st.padding);
        if (st.bias) z = tf.add(z, st.bias);
      }
      zs.push(z);
      a = activate(z, st.act);
    }
    if (a.rank !== 2) throw new Error(`chainJacobians: the model output must be [B, k], got [${a.shape}]`);
    const k = (a.shape as number[])[1];
    const m = mask ? (tf.reshape(mask, [b, 1]) as tf.Tensor2D) : null;
    const u = (m ? tf.mul(a, m) : a) as tf.Tensor2D;
    const ub = tf.div(u, b) as tf.Tensor2D; // 1/B folded into the u_i weights
    clock('forward', t0);
    // delta[j] = d u_j / d (current layer output), per example: [k, B, ...shape]
    let delta: tf.Tensor = tf.mul(tf.reshape(tf.eye(k), [k, 1, k]), m ? tf.reshape(m, [1, b, 1]) : tf.ones([1, b, 1]));
    const jac: (PairSource | null)[] = vars.map(() => null);
    const last = plan.steps[plan.steps.length - 1];
    const firstParam = plan.steps.findIndex((s) => s.kind === 'dense' || s.kind === 'conv2d');
    for (let l = plan.steps.length - 1; l >= firstParam; l--) {
      const st = plan.steps[l];
      if (st.kind === 'flatten') {
        delta = tf.reshape(delta, [k, b, ...st.inShape]);
        continue;
      }
      t0 = performance.now();
      const prev = delta;
      delta = tf.tidy(() => {
        const dz = activationDerivative(zs[l], st.act);
        return dz ? tf.mul(prev, tf.expandDims(dz, 0)) : prev;
      });
      if (prev !== delta) prev.dispose();
      if (st.kind === 'activation') {
        clock('backward', t0);
        continue;
      }
      const inp = inputs[l];
      const d = delta;
      if (st.kind === 'dense' && l === plan.steps.length - 2 && last.kind === 'dense' && last.act === 'linear') {
        // the layer feeding the final linear Dense layer: delta_bj = E_b * Wout[:, j]
        const E = tf.tidy(() => {
          const dz = activationDerivative(zs[l], st.act) ?? tf.onesLike(zs[l]);
          return (m ? tf.mul(dz, m) : dz) as tf.Tensor2D;
        });
        jac[st.kernelIndex] = denseFormScaled(inp as tf.Tensor2D, ub, E, last.kernel as tf.Tensor2D, k);
        if (st.bias) jac[st.biasIndex] = biasFormScaled(ub, E, last.kernel as tf.Tensor2D, k);
        E.dispose();
      } else if (st.kind === 'dense') {
        jac[st.kernelIndex] = denseForm(inp as tf.Tensor2D, ub, d as tf.Tensor3D, k);
        if (st.bias) jac[st.biasIndex] = biasForm(ub, d as tf.Tensor3D, k);
      } else {
        jac[st.kernelIndex] = convKernelSource(st, inp as tf.Tensor4D, d, ub, k, opts);
        if (st.bias) {
          const S = tf.tidy(() => tf.sum(tf.reshape(d, [k, b, -1, st.outShape[2]]), 2) as tf.Tensor3D);
          jac[st.biasIndex] = biasForm(ub, S, k);
          S.dispose();
        }
      }
      clock(`${st.kind}@${l}`, t0);
      if (l > firstParam) {
        t0 = performance.now();
        delta = tf.tidy(() => {
          if (st.kind === 'dense') {
            const q = d.shape[2] as number;
            return tf.reshape(tf.matMul(tf.reshape(d, [k * b, q]) as tf.Tensor2D, st.kernel as tf.Tensor2D, false, true), [k, b, -1]);
          }
          const [H, W, C] = st.inShape;
          const dx = tf.conv2dTranspose(tf.reshape(d, [k * b, ...st.outShape]) as tf.Tensor4D, st.kernel as tf.Tensor4D, [k * b, H, W, C], st.strides, st.padding);
          return tf.reshape(dx, [k, b, H, W, C]);
        });
        d.dispose();
        clock('backward', t0);
      }
    }
    const sources = jac.map((t, n) => t ?? pairRowsSource(tf.zeros([numPairs(k), vars[n].size]), k));
    return { u, sources } as unknown as tf.TensorContainer;
  }) as unknown as { u: tf.Tensor2D; sources: PairSource[] };
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

/** How one weight splits into per-output blocks: `groups` equal contiguous blocks along `axis`, block g feeding only output g. */
export interface WeightGroups {
  axis: number;
  groups: number;
}

/** A layer whose outputs are produced by disjoint blocks of its weights (e.g. GroupedMLP). */
export interface GroupedLayer {
  weightGroups(): WeightGroups[];
}

function isGroupedLayer(l: unknown): l is GroupedLayer {
  return typeof (l as { weightGroups?: unknown }).weightGroups === 'function';
}

/**
 * Plans the grouped Jacobian path for `model`, or explains why it cannot: every layer with weights
 * must declare per-output weight blocks (weightGroups(), k groups each) and the trainable variables
 * must be exactly those weights. Returns the blocks aligned with `vars` and, per variable, the
 * output each element feeds (`groupOf`, what groupedJacobians takes).
 */
export function explainWeightGroups(model: tf.LayersModel, vars: tf.Variable[], k: number): { groups: WeightGroups[] | null; groupOf: Int32Array[] | null; reason: string } {
  const no = (reason: string) => ({ groups: null, groupOf: null, reason });
  const byVar = new Map<tf.Variable, WeightGroups>();
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    if (!isGroupedLayer(layer)) return no(`layer ${layer.getClassName()} does not declare per-output weight blocks`);
    const wg = layer.weightGroups();
    if (wg.length !== layer.weights.length) return no(`layer ${layer.name} declares ${wg.length} weight blocks for ${layer.weights.length} weights`);
    for (let n = 0; n < wg.length; n++) {
      const v = layer.weights[n].read() as tf.Variable;
      const { axis, groups } = wg[n];
      if (groups !== k || !Number.isInteger(axis) || axis < 0 || axis >= v.rank || v.shape[axis] % k !== 0)
        return no(`weight ${v.name} does not split into ${k} blocks along axis ${axis}`);
      byVar.set(v, wg[n]);
    }
  }
  if (vars.length !== byVar.size || !vars.every((v) => byVar.has(v))) return no('the trainable variables are not exactly the grouped weights');
  const groups = vars.map((v) => byVar.get(v) as WeightGroups);
  const groupOf = vars.map((v, n) => {
    const { axis } = groups[n];
    const shape = v.shape as number[];
    const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1), dim = shape[axis], blk = dim / k;
    const g = new Int32Array(v.size);
    for (let e = 0; e < v.size; e++) g[e] = Math.floor((Math.floor(e / inner) % dim) / blk);
    return g;
  });
  return { groups, groupOf, reason: '' };
}

/**
 * Exact V_ij, i <= j (same layout as perPairJacobians) for a model whose output j depends only on
 * block j of every weight (groupOf from explainWeightGroups): for each i one backward pass of
 * sum_b (u_bi / B) sum_j u_bj(theta) gives, on block j, E[u_i du_j/dtheta] = V_ij for every j at
 * once: k backward passes instead of k(k+1)/2.
 */
export function groupedJacobians(f: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, vars: tf.Variable[], k: number, groupOf: Int32Array[]): { u: tf.Tensor2D; jac: tf.Tensor2D[] } {
  if (groupOf.length !== vars.length || groupOf.some((g, n) => g.length !== vars[n].size)) throw new Error('groupedJacobians: groupOf must give the output of every element of every variable (explainWeightGroups)');
  const u = tf.tidy(() => f(x));
  const b = x.shape[0];
  const np = numPairs(k);
  const rows = vars.map((v) => new Float32Array(np * v.size));
  for (let i = 0; i < k; i++) {
    const ci = tf.tidy(() => tf.div(tf.slice(u, [0, i], [b, 1]), b));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(ci, f(x))) as tf.Scalar, vars);
    value.dispose();
    ci.dispose();
    vars.forEach((v, n) => {
      const g = grads[v.name];
      if (!g) return;
      const d = g.dataSync() as Float32Array;
      const go = groupOf[n], r = rows[n], size = v.size;
      for (let e = 0; e < size; e++) if (go[e] >= i) r[pairIndex(i, go[e], k) * size + e] = d[e];
    });
    Object.values(grads).forEach((g) => g.dispose());
  }
  return { u, jac: rows.map((r, n) => tf.tensor2d(r, [np, vars[n].size])) };
}
