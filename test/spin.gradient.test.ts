// The masked SpIN gradient against an independent float64 finite-difference derivation:
// for feature c, the ordered gradient is d lambda_c / d W[:, c] with the other columns fixed
// (lambda_c = (L^-1 Pi L^-T)_cc depends on u_1..u_c only).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpectralNetwork, kernelOperator, slownessOperator, laplacianOperator, chainJacobians, perPairJacobians, planDenseChain, SpinEstimator } from '../src/spin';
import { pairIndex } from '../src/spin/jacobian';

const B = 9, D = 4, K = 3;

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
}

// ---- independent float64 reference (plain loops, no shared code with src/spin) ----
function chol(a: number[][]): number[][] {
  const n = a.length; const l = a.map(() => new Array(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = a[i][j]; for (let p = 0; p < j; p++) s -= l[i][p] * l[j][p];
    l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
  }
  return l;
}
function lambdas(X: number[][], Xn: number[][] | null, W: number[][], A: number[][] | null): number[] {
  const feats = (Z: number[][]) => Z.map((row) => W[0].map((_, c) => row.reduce((t, v, a) => t + v * W[a][c], 0)));
  const U = feats(X);
  const S = W[0].map((_, i) => W[0].map((__, j) => U.reduce((t, r) => t + r[i] * r[j], 0) / B));
  let P: number[][];
  if (A) P = W[0].map((_, i) => W[0].map((__, j) => { let t = 0; for (let a = 0; a < B; a++) for (let b = 0; b < B; b++) t += U[a][i] * A[a][b] * U[b][j]; return t / (B * B); }));
  else { const Un = feats(Xn as number[][]); P = W[0].map((_, i) => W[0].map((__, j) => U.reduce((t, r, b) => t + (r[i] - Un[b][i]) * (r[j] - Un[b][j]), 0) / B)); }
  const L = chol(S); const n = L.length;
  // Li = L^-1 by forward substitution
  const Li = L.map(() => new Array(n).fill(0));
  for (let c = 0; c < n; c++) for (let i = 0; i < n; i++) { let s = i === c ? 1 : 0; for (let p = 0; p < i; p++) s -= L[i][p] * Li[p][c]; Li[i][c] = s / L[i][i]; }
  return Li.map((row) => { let t = 0; for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) t += row[a] * P[a][b] * row[b]; return t; });
}
function maskedFD(X: number[][], Xn: number[][] | null, W: number[][], A: number[][] | null): number[][] {
  const h = 1e-6;
  return W.map((row, a) => row.map((_, c) => {
    const wp = W.map((r) => r.slice()), wm = W.map((r) => r.slice());
    wp[a][c] += h; wm[a][c] -= h;
    return (lambdas(X, Xn, wp, A)[c] - lambdas(X, Xn, wm, A)[c]) / (2 * h);
  }));
}

function linearModel(W: number[][]): tf.Sequential {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: K, inputShape: [D], useBias: false })] });
  m.setWeights([tf.tensor2d(W)]);
  return m;
}

async function sgdGradient(estimator: SpinEstimator, decay: number, jacobian: 'auto' | 'per-pair', X: number[][], Xn: number[][] | null, W: number[][], A: number[][] | null, sigmaBatch = false): Promise<number[][]> {
  const model = linearModel(W);
  const Am = A ? tf.tensor2d(A) : null;
  const op = Am ? kernelOperator(() => Am.clone() as tf.Tensor2D) : slownessOperator();
  const net = new SpectralNetwork({ k: K, model, operator: op, optimizer: tf.train.sgd(1), decay, estimator, jacobian });
  const x = tf.tensor2d(X), xn = Xn ? tf.tensor2d(Xn) : undefined;
  net.step(sigmaBatch ? { x, xNext: xn, xSigma: x } : { x, xNext: xn });
  const w1 = (model.getWeights()[0].arraySync() as number[][]);
  net.dispose(); model.dispose(); x.dispose(); xn?.dispose(); Am?.dispose();
  return W.map((r, a) => r.map((v, c) => v - w1[a][c]));
}

describe('spin: masked gradient', function () {
  this.timeout(60000);
  before(async () => { await initBackend(); });
  const rnd = lcg(12345);
  const X = Array.from({ length: B }, () => Array.from({ length: D }, rnd));
  const Xn = X.map((r) => r.map((v) => v + 0.3 * rnd()));
  const W = Array.from({ length: D }, () => Array.from({ length: K }, rnd));
  const R = Array.from({ length: B }, () => Array.from({ length: B }, rnd));
  const A = R.map((r, i) => r.map((v, j) => v + R[j][i]));

  const cases: [string, SpinEstimator, number, 'auto' | 'per-pair', boolean?][] = [
    ['independent estimator with xSigma = x (first step)', 'independent', 0.01, 'auto', true],
    ['no averaging (decay 1)', 'jacobian-average', 1, 'auto'],
    ['jacobian average, contraction (first step)', 'jacobian-average', 0.01, 'auto'],
    ['jacobian average, per-pair (first step)', 'jacobian-average', 0.01, 'per-pair'],
    ['sigma average (first step)', 'sigma-average', 0.01, 'auto'],
  ];
  for (const [label, est, decay, jac, sigmaBatch] of cases) {
    for (const opName of ['kernel', 'slowness']) {
      it(`${opName} operator, ${label}: equals d lambda_c / d u_c by float64 finite differences`, async () => {
        const a = opName === 'kernel' ? A : null;
        const xn = opName === 'kernel' ? null : Xn;
        const fd = maskedFD(X, xn, W, a);
        const g = await sgdGradient(est, decay, jac, X, xn, W, a, sigmaBatch);
        let scale = 0;
        fd.forEach((r) => r.forEach((v) => (scale = Math.max(scale, Math.abs(v)))));
        expect(scale).to.be.greaterThan(1e-3);
        fd.forEach((r, i) => r.forEach((v, c) => expect(Math.abs(g[i][c] - v)).to.be.lessThan(2e-3 * scale + 1e-5, `W[${i},${c}]`)));
      });
    }
  }

  it('differs from the unmasked gradient of sum(lambda) (masking is active)', async () => {
    const h = 1e-6;
    const full = W.map((row, a) => row.map((_, c) => {
      const wp = W.map((r) => r.slice()), wm = W.map((r) => r.slice());
      wp[a][c] += h; wm[a][c] -= h;
      const sp = lambdas(X, null, wp, A).reduce((s, v) => s + v, 0), sm = lambdas(X, null, wm, A).reduce((s, v) => s + v, 0);
      return (sp - sm) / (2 * h);
    }));
    const g = await sgdGradient('jacobian-average', 1, 'auto', X, null, W, A);
    let maxDiff = 0;
    full.forEach((r, i) => r.forEach((v, c) => (maxDiff = Math.max(maxDiff, Math.abs(v - g[i][c])))));
    expect(maxDiff).to.be.greaterThan(1e-3);
  });

  it('autodiff Laplacian (nested input gradients): masked gradient equals float64 finite differences', async () => {
    // u = x W  =>  grad_x u_i = W[:, i]  =>  Pi = W^T W exactly; Sigma from the batch
    const lam = (w: number[][]): number[] => {
      const U = X.map((row) => w[0].map((_, c) => row.reduce((t, v, a) => t + v * w[a][c], 0)));
      const S = w[0].map((_, i) => w[0].map((__, j) => U.reduce((t, r) => t + r[i] * r[j], 0) / B));
      const P = w[0].map((_, i) => w[0].map((__, j) => w.reduce((t, r) => t + r[i] * r[j], 0)));
      const L = chol(S); const n = L.length;
      const Li = L.map(() => new Array(n).fill(0));
      for (let c = 0; c < n; c++) for (let i = 0; i < n; i++) { let q = i === c ? 1 : 0; for (let p2 = 0; p2 < i; p2++) q -= L[i][p2] * Li[p2][c]; Li[i][c] = q / L[i][i]; }
      return Li.map((row) => { let t = 0; for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) t += row[a] * P[a][b] * row[b]; return t; });
    };
    const h = 1e-6;
    const fd = W.map((row, a) => row.map((_, c) => {
      const wp = W.map((r) => r.slice()), wm = W.map((r) => r.slice());
      wp[a][c] += h; wm[a][c] -= h;
      return (lam(wp)[c] - lam(wm)[c]) / (2 * h);
    }));
    const model = linearModel(W);
    const net = new SpectralNetwork({ k: K, model, operator: laplacianOperator({ method: 'autodiff' }), optimizer: tf.train.sgd(1), decay: 1 });
    const x = tf.tensor2d(X);
    net.step({ x });
    const w1 = model.getWeights()[0].arraySync() as number[][];
    let scale = 0;
    fd.forEach((r) => r.forEach((v) => (scale = Math.max(scale, Math.abs(v)))));
    fd.forEach((r, i) => r.forEach((v, c) => expect(W[i][c] - w1[i][c]).to.be.closeTo(v, 2e-3 * scale + 1e-5)));
    net.dispose(); model.dispose(); x.dispose();
  });

  it('jacobian-average: contraction and per-pair paths train identically over several steps', () => {
    const make = () => tf.sequential({ layers: [
      tf.layers.dense({ units: 6, inputShape: [D], activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.dense({ units: K, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ] });
    const ws: number[][][] = [];
    for (const jacobian of ['contraction', 'per-pair'] as const) {
      const m = make();
      const net = new SpectralNetwork({ k: K, model: m, operator: slownessOperator(), optimizer: tf.train.sgd(0.05), decay: 0.3, jacobian });
      expect(net.diagnostics().jacobianPath).to.equal(jacobian);
      const r = lcg(7);
      for (let s = 0; s < 6; s++) {
        const xs = Array.from({ length: B }, () => Array.from({ length: D }, r));
        const x = tf.tensor2d(xs), xn = tf.tensor2d(xs.map((row) => row.map((v) => v + 0.2 * r())));
        net.step({ x, xNext: xn });
        x.dispose(); xn.dispose();
      }
      ws.push(m.getWeights().map((w) => Array.from(w.dataSync())));
      net.dispose(); m.dispose();
    }
    ws[0].forEach((arr, i) => arr.forEach((v, j) => expect(v).to.be.closeTo(ws[1][i][j], 1e-4)));
  });

  it('contraction Jacobians equal per-pair backward passes (MLP with bias, tanh/relu, mask)', () => {
    const model = tf.sequential({ layers: [
      tf.layers.dense({ units: 6, inputShape: [D], activation: 'tanh' }),
      tf.layers.dense({ units: 5, activation: 'relu' }),
      tf.layers.dense({ units: K }),
    ] });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const plan = planDenseChain(model, vars);
    expect(plan).to.not.equal(null);
    const x = tf.tensor2d(X);
    const mask = tf.tensor1d(X.map((r) => 1 - r[0] * r[0]));
    const f = (xx: tf.Tensor) => tf.mul(model.apply(xx) as tf.Tensor2D, tf.reshape(mask, [-1, 1])) as tf.Tensor2D;
    const a = chainJacobians(plan!, x, vars, mask);
    const b = perPairJacobians(f, x, vars, K);
    expect(Array.from(a.u.dataSync())).to.deep.equal(Array.from(a.u.dataSync()));
    const ud = a.u.dataSync(), ub = b.u.dataSync();
    for (let i = 0; i < ud.length; i++) expect(ud[i]).to.be.closeTo(ub[i], 1e-5);
    vars.forEach((_, n) => {
      const ja = a.jac[n].arraySync(), jb = b.jac[n].arraySync();
      for (let i = 0; i < K; i++) for (let j = i; j < K; j++) {
        const ra = ja[pairIndex(i, j, K)], rb = jb[pairIndex(i, j, K)];
        ra.forEach((v, p) => expect(v).to.be.closeTo(rb[p], 1e-5));
      }
    });
    [a.u, b.u, ...a.jac, ...b.jac, x, mask].forEach((t) => t.dispose());
    model.dispose();
  });
});
