// Linear operators for Spectral Inference Networks, expressed as symmetric bilinear forms
// Pi(f, g) = E[f(x) (K g)(x)] estimated on a minibatch. Each operator builds the k x k matrix
// Pi_ij = Pi(u_i, u_j) from a FeatureBatch; the `left` wrapper marks the argument whose gradient
// the trainer stops (the masked SpIN gradient differentiates only the right-hand argument).
import * as tf from '@tensorflow/tfjs';

/** Lazily evaluated features on one minibatch (inside the trainer's gradient tape). */
export interface FeatureBatch {
  readonly x: tf.Tensor;
  readonly xNext?: tf.Tensor;
  readonly batchSize: number;
  /**
   * Optional per-example importance weights w_b = p(x_b) / q(x_b), [B], when the batch was drawn from
   * q instead of the target distribution p: every expectation becomes E_q[w ...] = E_p[...].
   * Operators must weight their estimate by it (absent: plain averages).
   */
  readonly weights?: tf.Tensor1D;
  /** Features at x, [B, k]. */
  u(): tf.Tensor2D;
  /** Features at xNext, [B, k]; throws when the batch has no xNext. */
  uNext(): tf.Tensor2D;
  /** Features at arbitrary inputs of the same trailing shape as x. */
  at(x: tf.Tensor): tf.Tensor2D;
  /** Input Jacobian du_j/dx_d per example, [B, k, D] (x flattened to [B, D]), by autodiff. */
  inputJacobian(): tf.Tensor3D;
}

export type LeftWrap = <T extends tf.Tensor>(t: T) => T;

export interface SpinOperator {
  readonly name: string;
  /** True when the operator needs consecutive pairs (batch.xNext). */
  readonly needsNext: boolean;
  /** Minibatch estimate of Pi (k x k). */
  pi(batch: FeatureBatch, left: LeftWrap): tf.Tensor2D;
}

/** f^T g / n for [n, k] factors; with per-row weights w [n], f^T diag(w) g / n (e.g. Sigma = gram(u, u, n, w)). */
export function gram(f: tf.Tensor2D, g: tf.Tensor2D, n: number, w?: tf.Tensor1D): tf.Tensor2D {
  const gw = w ? (tf.mul(g, tf.reshape(w, [-1, 1])) as tf.Tensor2D) : g;
  return tf.div(tf.matMul(f, gw, true, false), n) as tf.Tensor2D;
}

/**
 * Slowness (slow-feature-analysis) operator on consecutive pairs:
 * Pi_ij = E[(u_i(x_t) - u_i(x_t+1)) (u_j(x_t) - u_j(x_t+1))], i.e. E||u(x_t) - u(x_t+1)||^2 on the
 * diagonal. For a reversible random walk this is 2(I - P); the slowest (smallest) first.
 */
export function slownessOperator(): SpinOperator {
  return {
    name: 'slowness',
    needsNext: true,
    pi(batch, left) {
      const d = tf.sub(batch.u(), batch.uNext()) as tf.Tensor2D;
      return gram(left(d), d, batch.batchSize, batch.weights);
    },
  };
}

export interface KernelOperatorOptions {
  /**
   * 'all' (default): Pi = U^T K U / B^2 over all pairs of the batch (exact when the batch enumerates
   * a finite, uniformly weighted state space). 'distinct': the unbiased U-statistic over pairs a != b,
   * / (B (B - 1)), for i.i.d. minibatches.
   */
  pairs?: 'all' | 'distinct';
  name?: string;
}

/**
 * Kernel operator (K f)(x) = E_x'[k(x, x') f(x')] for a symmetric kernel evaluated on pairs of the
 * batch, Kmat[a, b] = k(x_a, x_b); `kernel` returns [B, B].
 */
export function kernelOperator(kernel: (xa: tf.Tensor, xb: tf.Tensor) => tf.Tensor2D, opts: KernelOperatorOptions = {}): SpinOperator {
  const pairs = opts.pairs ?? 'all';
  if (pairs !== 'all' && pairs !== 'distinct') throw new Error(`kernelOperator: pairs must be 'all' or 'distinct', got '${String(pairs)}'`);
  return {
    name: opts.name ?? 'kernel',
    needsNext: false,
    pi(batch, left) {
      const b = batch.batchSize;
      let km = kernel(batch.x, batch.x);
      if (km.shape[0] !== b || km.shape[1] !== b) throw new Error(`kernelOperator: kernel must return [${b}, ${b}], got [${km.shape}]`);
      let denom = b * b;
      if (pairs === 'distinct') {
        if (b < 2) throw new Error('kernelOperator: distinct pairs need a batch of at least 2');
        km = tf.mul(km, tf.sub(1, tf.eye(b))) as tf.Tensor2D;
        denom = b * (b - 1);
      }
      const u = batch.u();
      const uw = batch.weights ? (tf.mul(u, tf.reshape(batch.weights, [-1, 1])) as tf.Tensor2D) : u;
      const ku = tf.matMul(km, uw);
      return tf.div(tf.matMul(left(uw), ku, true, false), denom) as tf.Tensor2D;
    },
  };
}

/**
 * Operator given by a fixed symmetric n x n matrix M on a finite state space with one-hot inputs
 * sampled uniformly: its SpIN eigenvalues are the eigenvalues of M. (A kernel operator with
 * k(e_a, e_b) = n M_ab.)
 */
export function matrixOperator(m: ArrayLike<number>, n: number): SpinOperator {
  if (m.length !== n * n) throw new Error(`matrixOperator: expected ${n * n} entries, got ${m.length}`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      if (Math.abs(m[i * n + j] - m[j * n + i]) > 1e-9 * (Math.abs(m[i * n + j]) + 1)) throw new Error('matrixOperator: matrix must be symmetric');
  const mt = tf.tensor2d(Float32Array.from(m), [n, n]);
  tf.keep(mt);
  return kernelOperator((xa, xb) => {
    if (xa.shape[1] !== n) throw new Error(`matrixOperator: inputs must be one-hot of width ${n}, got [${xa.shape}]`);
    return tf.mul(tf.matMul(tf.matMul(xa as tf.Tensor2D, mt), xb as tf.Tensor2D, false, true), n) as tf.Tensor2D;
  }, { name: 'matrix' });
}

/** Diagonal / potential operator (V f)(x) = v(x) f(x); `potential` maps the batch to [B] or [B, 1]. */
export function potentialOperator(potential: (x: tf.Tensor) => tf.Tensor): SpinOperator {
  return {
    name: 'potential',
    needsNext: false,
    pi(batch, left) {
      const v = tf.reshape(potential(batch.x), [batch.batchSize, 1]);
      const u = batch.u();
      return gram(left(u), tf.mul(u, v) as tf.Tensor2D, batch.batchSize, batch.weights);
    },
  };
}

export interface LaplacianOptions {
  /** 'finite-difference' (central differences, step h) or 'autodiff' (exact, first-derivative form). */
  method?: 'finite-difference' | 'autodiff';
  /** Finite-difference step in input units (default 1e-2). */
  h?: number;
}

/**
 * The negative Laplacian -div grad (positive semi-definite), on inputs x in R^D (flattened).
 * 'autodiff' uses the exact first-derivative (Dirichlet) form Pi_ij = E[grad u_i . grad u_j], valid
 * when features vanish at the boundary (e.g. masked) or the domain is periodic. 'finite-difference'
 * uses Pi_ij = E[u_i (-Delta_h u_j)] with the 2D+1-point stencil.
 */
export function laplacianOperator(opts: LaplacianOptions = {}): SpinOperator {
  const method = opts.method ?? 'autodiff';
  const h = opts.h ?? 1e-2;
  if (method !== 'autodiff' && method !== 'finite-difference') throw new Error(`laplacianOperator: unknown method '${String(method)}'`);
  if (!(h > 0)) throw new Error(`laplacianOperator: h must be > 0, got ${h}`);
  return {
    name: `laplacian-${method}`,
    needsNext: false,
    pi(batch, left) {
      const b = batch.batchSize;
      if (method === 'autodiff') {
        const jac = batch.inputJacobian(); // [B, k, D]
        const k = jac.shape[1];
        const dim = jac.shape[2];
        const g = tf.reshape(tf.transpose(jac, [0, 2, 1]), [-1, k]) as tf.Tensor2D; // [B*D, k]
        const w = batch.weights ? (tf.reshape(tf.tile(tf.reshape(batch.weights, [-1, 1]), [1, dim]), [-1]) as tf.Tensor1D) : undefined;
        return gram(left(g), g, b, w);
      }
      const x = tf.reshape(batch.x, [b, -1]) as tf.Tensor2D;
      const dim = x.shape[1];
      const u = batch.u();
      let lap: tf.Tensor2D = tf.mul(u, -2 * dim) as tf.Tensor2D;
      for (let d = 0; d < dim; d++) {
        const e = tf.oneHot(tf.fill([b], d, 'int32'), dim).mul(h) as tf.Tensor2D;
        const xp = tf.reshape(tf.add(x, e), batch.x.shape);
        const xm = tf.reshape(tf.sub(x, e), batch.x.shape);
        lap = tf.add(lap, tf.add(batch.at(xp), batch.at(xm))) as tf.Tensor2D;
      }
      const negLap = tf.div(lap, -(h * h)) as tf.Tensor2D;
      return gram(left(u), negLap, b, batch.weights);
    },
  };
}

export interface KineticOptions {
  /**
   * 'dirichlet' (default): c E[grad u_i . grad u_j] by autodiff (first derivatives only, symmetric;
   * equals c E[u_i (-Lap u_j)] when the features vanish on the boundary of the sampled domain).
   * 'laplacian': c E[u_i (-Lap_h u_j)] with the central-difference stencil (step h).
   */
  form?: 'dirichlet' | 'laplacian';
  /** The coefficient c of -c Lap (default 1/2, the kinetic energy -1/2 Lap in atomic units). */
  coefficient?: number;
  /** Finite-difference step for form 'laplacian' (default 1e-3). */
  h?: number;
}

/** Kinetic-energy operator -c Lap (c = 1/2 by default) in Dirichlet (first-derivative) or Laplacian form. */
export function kineticOperator(opts: KineticOptions = {}): SpinOperator {
  const form = opts.form ?? 'dirichlet';
  if (form !== 'dirichlet' && form !== 'laplacian') throw new Error(`kineticOperator: form must be 'dirichlet' or 'laplacian', got '${String(form)}'`);
  const c = opts.coefficient ?? 0.5;
  if (!Number.isFinite(c)) throw new Error(`kineticOperator: coefficient must be finite, got ${c}`);
  // the Laplacian operator's 'autodiff' method is the Dirichlet form (a Gram matrix of input gradients)
  const lap = laplacianOperator(form === 'dirichlet' ? { method: 'autodiff' } : { method: 'finite-difference', h: opts.h ?? 1e-3 });
  return { ...scaleOperator(lap, c), name: `kinetic-${form}` };
}

/** Sum of operators. */
export function sumOperators(...ops: SpinOperator[]): SpinOperator {
  if (ops.length === 0) throw new Error('sumOperators: need at least one operator');
  return {
    name: ops.map((o) => o.name).join('+'),
    needsNext: ops.some((o) => o.needsNext),
    pi(batch, left) {
      let acc = ops[0].pi(batch, left);
      for (let i = 1; i < ops.length; i++) acc = tf.add(acc, ops[i].pi(batch, left)) as tf.Tensor2D;
      return acc;
    },
  };
}

/** Scalar multiple c * op. */
export function scaleOperator(op: SpinOperator, c: number): SpinOperator {
  if (!Number.isFinite(c)) throw new Error(`scaleOperator: scale must be finite, got ${c}`);
  return {
    name: `${c}*${op.name}`,
    needsNext: op.needsNext,
    pi(batch, left) {
      return tf.mul(op.pi(batch, left), c) as tf.Tensor2D;
    },
  };
}
