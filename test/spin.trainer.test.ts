// SpIN trainer against exact truth: the matrix demo (full batch), bias reduction by the moving
// averages on small batches, bit-identical checkpoint resume, non-PD Sigma, bad input.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpectralNetwork, slownessOperator, laplacianOperator, potentialOperator, sumOperators, scaleOperator, linalg as la, ScheduledAdam } from '../src/spin';
import { Rng } from '../src/rng';
import { runMatrixDemo, demoMatrix } from '../src/spin/demos/matrix';

// Lazy random walk on a path of n states (reflecting ends): P(i -> i +- 1) = 1/4, stay 1/2.
// Slowness eigenvalues 2 (1 - mu_j) = 1 - cos(pi j / n) (analytic).
const N = 10;
function walkBatch(rng: Rng, B: number): [tf.Tensor2D, tf.Tensor2D] {
  const xs: number[] = [], ys: number[] = [];
  for (let b = 0; b < B; b++) {
    const s = rng.int(N), r = rng.next();
    let t = s + (r < 0.25 ? -1 : r < 0.5 ? 1 : 0);
    t = Math.min(Math.max(t, 0), N - 1);
    xs.push(s); ys.push(t);
  }
  return tf.tidy(() => [tf.oneHot(tf.tensor1d(xs, 'int32'), N).toFloat() as tf.Tensor2D, tf.oneHot(tf.tensor1d(ys, 'int32'), N).toFloat() as tf.Tensor2D]);
}
/** Exact slowness Rayleigh-Ritz values of the learned linear features W (n x k), ordered by L. */
function exactLambdas(W: number[][], k: number): number[] {
  const S = new Float64Array(k * k), Pi = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) {
    let s = 0, p = 0;
    for (let i = 0; i < N; i++) {
      s += W[i][a] * W[i][c];
      for (const [j, pij] of [[Math.max(i - 1, 0), 0.25], [Math.min(i + 1, N - 1), 0.25], [i, 0.5]] as [number, number][]) p += pij * (W[i][a] - W[j][a]) * (W[i][c] - W[j][c]);
    }
    S[a * k + c] = s / N; Pi[a * k + c] = p / N;
  }
  const Li = la.invLower(la.cholesky(S, k)!, k);
  const lam = la.matmul(la.matmul(Li, Pi, k), la.transpose(Li, k), k);
  return Array.from({ length: k }, (_, i) => lam[i * k + i]);
}

describe('spin: trainer', function () {
  this.timeout(120000);
  before(async () => { await initBackend(); });

  it('matrix demo (full batch): eigenvalues to 1e-3 and |cos| >= 0.999, in order', async () => {
    const exact = la.symEig(demoMatrix(12), 12);
    const r = await runMatrixDemo({ n: 12, k: 4, iterations: 3000, tol: 2e-4, cosTol: 2e-4 });
    expect(r.exact).to.deep.equal(Array.from(exact.values.slice(0, 4)));
    for (let i = 0; i < 4; i++) expect(Math.abs(r.eigenvalues[i] - exact.values[i])).to.be.lessThan(1e-3, `eigenvalue ${i}`);
    r.absCos.forEach((c, i) => expect(c).to.be.at.least(0.999, `eigenvector ${i}`));
  });

  it('matrix demo with the moving averages (decay 0.01) also converges in order', async () => {
    const r = await runMatrixDemo({ n: 12, k: 3, iterations: 4000, decay: 0.01, tol: 2e-4, cosTol: 2e-4, seed: 3 });
    expect(r.maxEigenvalueError).to.be.lessThan(1e-3);
    expect(r.minAbsCos).to.be.at.least(0.999);
  });

  it('moving averages reduce the small-batch bias (slowness on a random walk, batch 4)', () => {
    const k = 3;
    const truth = [0, 1, 2].map((j) => 1 - Math.cos((Math.PI * j) / N));
    const run = (decay: number) => {
      const rng = Rng.mulberry(2);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: k, inputShape: [N], useBias: false, kernelInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.3 }) })] });
      const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer: tf.train.adam(0.003), decay });
      let acc = 0, cnt = 0;
      for (let it = 0; it < 1600; it++) {
        const [x, y] = walkBatch(rng, 4);
        net.step({ x, xNext: y });
        x.dispose(); y.dispose();
        if (it >= 1000 && it % 20 === 0) {
          const lam = exactLambdas(model.getWeights()[0].arraySync() as number[][], k);
          acc += lam.reduce((s, v) => s + v, 0); cnt++;
        }
      }
      net.dispose(); model.dispose();
      return Math.abs(acc / cnt - truth.reduce((s, v) => s + v, 0));
    };
    const biased = run(1);
    const averaged = run(0.01);
    expect(averaged).to.be.lessThan(0.05);
    expect(biased).to.be.greaterThan(5 * averaged);
  });

  it('checkpoint / restore in memory continues bit-identically (params, averages, Adam state, RNG)', async () => {
    const make = (seed: number) => tf.sequential({ layers: [
      tf.layers.dense({ units: 8, inputShape: [N], activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ] });
    const train = (net: SpectralNetwork, steps: number) => {
      for (let i = 0; i < steps; i++) {
        const [x, y] = walkBatch(net.rng, 16);
        net.step({ x, xNext: y });
        x.dispose(); y.dispose();
      }
    };
    const m1 = make(1);
    const n1 = new SpectralNetwork({ k: 3, model: m1, operator: slownessOperator(), optimizer: new ScheduledAdam(0.01), seed: 5 });
    train(n1, 15);
    const ck = await n1.checkpoint();
    train(n1, 10);
    const w1 = m1.getWeights().map((w) => Array.from(w.dataSync()));
    const m2 = make(99);
    const n2 = new SpectralNetwork({ k: 3, model: m2, operator: slownessOperator(), optimizer: new ScheduledAdam(0.01), seed: 77 });
    await n2.restore(ck);
    train(n2, 10);
    const w2 = m2.getWeights().map((w) => Array.from(w.dataSync()));
    expect(w2).to.deep.equal(w1);
    expect(Array.from(n2.eigenvalues())).to.deep.equal(Array.from(n1.eigenvalues()));
    expect(n2.iteration).to.equal(25);
    // a mismatched architecture is refused with a clear error
    const m3 = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [N] })] });
    const n3 = new SpectralNetwork({ k: 3, model: m3, operator: slownessOperator() });
    let err: Error | null = null;
    try { await n3.restore(ck); } catch (e) { err = e as Error; }
    expect(err?.message).to.match(/architecture does not match/);
    [n1, n2, n3].forEach((n) => n.dispose());
    [m1, m2, m3].forEach((m) => m.dispose());
  });

  it('a singular Sigma (duplicated feature) is regularised and reported, never NaN', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [N], useBias: false })] });
    const col = Array.from({ length: N }, (_, i) => Math.sin(i + 1));
    model.setWeights([tf.tensor2d(col.map((v) => [v, v]))]);
    const net = new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: tf.train.sgd(0.01) });
    const rng = Rng.mulberry(1);
    for (let i = 0; i < 3; i++) {
      const [x, y] = walkBatch(rng, 8);
      const { loss } = net.step({ x, xNext: y });
      expect(Number.isFinite(loss)).to.equal(true);
      x.dispose(); y.dispose();
    }
    expect(net.diagnostics().regularizations).to.be.greaterThan(0);
    net.eigenvalues().forEach((v) => expect(Number.isFinite(v)).to.equal(true));
    model.getWeights()[0].dataSync().forEach((v) => expect(Number.isFinite(v)).to.equal(true));
    net.dispose(); model.dispose();
  });

  it('operators compose: laplacian (autodiff and finite differences) + potential agree on a quadratic toy', () => {
    // u(x) = x W (linear in 2D), so grad u = W and -Lap u = 0: Pi_ij = 0.5 * (W^T W)_ij + E[v u_i u_j]
    const W = [[1, 0.5], [-0.3, 2]];
    const mk = () => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], useBias: false })] }); m.setWeights([tf.tensor2d(W)]); return m; };
    const x = tf.tensor2d([[0.1, 0.2], [-0.4, 0.3], [0.5, -0.6], [0.2, 0.9]]);
    const v = (xx: tf.Tensor) => tf.sum(tf.square(xx), 1);
    const ad = sumOperators(scaleOperator(laplacianOperator({ method: 'autodiff' }), 0.5), potentialOperator(v));
    const fd = sumOperators(scaleOperator(laplacianOperator({ method: 'finite-difference', h: 1e-2 }), 0.5), potentialOperator(v));
    const xs = x.arraySync() as number[][];
    const us = xs.map((r) => [r[0] * W[0][0] + r[1] * W[1][0], r[0] * W[0][1] + r[1] * W[1][1]]);
    const expectPi = [0, 1].map((i) => [0, 1].map((j) => 0.5 * (W[0][i] * W[0][j] + W[1][i] * W[1][j]) + us.reduce((s, u, b) => s + (xs[b][0] ** 2 + xs[b][1] ** 2) * u[i] * u[j], 0) / 4));
    // autodiff: exact gradient form; the network's Pi is read through eigenvalues after one step with lr 0
    for (const op of [ad]) {
      const m = mk();
      const net = new SpectralNetwork({ k: 2, model: m, operator: op, optimizer: tf.train.sgd(0), decay: 1 });
      net.step({ x });
      const S = net.sigma()!;
      const Li = la.invLower(la.cholesky(S, 2)!, 2);
      const lam = la.matmul(la.matmul(Li, expectPi.flat(), 2), la.transpose(Li, 2), 2);
      const eig = net.eigenvalues();
      expect(eig[0]).to.be.closeTo(lam[0], 1e-4);
      expect(eig[1]).to.be.closeTo(lam[3], 1e-4);
      net.dispose(); m.dispose();
    }
    // finite differences: E[u_i (-Lap_h u_j)] = 0 for linear u, so only the potential survives
    const m = mk();
    const net = new SpectralNetwork({ k: 2, model: m, operator: fd, optimizer: tf.train.sgd(0), decay: 1 });
    net.step({ x });
    const S = net.sigma()!;
    const potOnly = [0, 1].map((i) => [0, 1].map((j) => us.reduce((s, u, b) => s + (xs[b][0] ** 2 + xs[b][1] ** 2) * u[i] * u[j], 0) / 4));
    const Li = la.invLower(la.cholesky(S, 2)!, 2);
    const lam = la.matmul(la.matmul(Li, potOnly.flat(), 2), la.transpose(Li, 2), 2);
    expect(net.eigenvalues()[0]).to.be.closeTo(lam[0], 2e-3);
    net.dispose(); m.dispose(); x.dispose();
  });

  it('no tensor leaks per step (jacobian-average with mask, sigma-average, independent, per-pair)', () => {
    const cases: { est: 'jacobian-average' | 'sigma-average' | 'independent'; jac: 'auto' | 'per-pair' }[] = [
      { est: 'jacobian-average', jac: 'auto' }, { est: 'jacobian-average', jac: 'per-pair' }, { est: 'sigma-average', jac: 'auto' }, { est: 'independent', jac: 'auto' },
    ];
    for (const c of cases) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 2 })] });
      const op = sumOperators(laplacianOperator({ method: 'finite-difference', h: 1e-2 }), potentialOperator((x) => tf.sum(tf.square(x), 1)));
      const net = new SpectralNetwork({ k: 2, model, operator: op, optimizer: tf.train.adam(1e-3), estimator: c.est, jacobian: c.jac, featureMask: (x) => tf.prod(tf.sub(1, tf.square(x)), 1) as tf.Tensor1D });
      const x = tf.randomUniform([16, 2], -1, 1, 'float32', 3);
      net.step({ x }); net.step({ x });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) net.step({ x });
      expect(tf.memory().numTensors, `${c.est}/${c.jac}`).to.equal(before);
      x.dispose(); net.dispose(); model.dispose();
    }
  });

  it('bad input gives clear errors', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [N] })] });
    expect(() => new SpectralNetwork({ k: 4, model, operator: slownessOperator() })).to.throw(/output must be \[B, 4\]/);
    expect(() => new SpectralNetwork({ k: 3, model, operator: slownessOperator(), decay: 0 })).to.throw(/decay/);
    const net = new SpectralNetwork({ k: 3, model, operator: slownessOperator() });
    const x = tf.zeros([4, N]);
    expect(() => net.step({ x })).to.throw(/needs batch.xNext/);
    expect(() => net.eigenvalues()).to.throw(/no step/);
    x.dispose(); net.dispose(); model.dispose();
    expect(() => laplacianOperator({ h: -1 })).to.throw(/h must be > 0/);
  });
});
