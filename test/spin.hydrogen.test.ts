// Hydrogen-demo machinery against exact truth: the kinetic operator in Dirichlet and Laplacian form
// (analytic box eigenvalues, uniform and importance-weighted quadrature), the importance sampler
// (weighted Monte-Carlo means equal uniform expectations), per-example sample weights in the
// trainer (integer weights equal repeating the examples), and the demo's quadrature evaluation
// (variational bounds, trace identity) and CLI flags. (test/hydrogen.quadrature.test.ts: the
// quadrature against the analytic eigenfunctions, the envelope and grouped networks.)
import { expect } from 'chai';
import { runDemoCli } from './helpers/cli';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpectralNetwork, kineticOperator, potentialOperator, sumOperators } from '../src/spin';
import { Rng } from '../src/rng';
import type { FeatureBatch, SpinOperator } from '../src/spin/operators';
import { HydrogenSampler, hydrogenExact, runHydrogenDemo } from '../src/spin/demos/hydrogen';

/** FeatureBatch of fixed functions f: [B, 2] -> [B, k] (input Jacobian by tf.grad, one column at a time). */
function fnBatch(f: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor2D, weights?: tf.Tensor1D): FeatureBatch {
  const b = x.shape[0];
  return {
    x, batchSize: b, weights,
    u: () => f(x),
    uNext: () => { throw new Error('no xNext'); },
    at: (xx: tf.Tensor) => f(xx),
    inputJacobian: () => {
      const k = f(x).shape[1];
      const cols: tf.Tensor[] = [];
      for (let j = 0; j < k; j++) cols.push(tf.reshape(tf.grad((xx: tf.Tensor) => tf.sum(tf.slice(f(xx), [0, j], [b, 1])))(x), [b, 1, -1]));
      return tf.concat(cols, 1) as tf.Tensor3D;
    },
  };
}

// Box [-1, 1]^2, Dirichlet eigenfunctions sin(m pi (x + 1) / 2) sin(n pi (y + 1) / 2):
// -Lap eigenvalue (pi / 2)^2 (m^2 + n^2); E_uniform[u_a u_b] = delta_ab / 4.
const MODES: [number, number][] = [[1, 1], [1, 2], [2, 1], [2, 3]];
function sines(x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const [a, b] = tf.split(tf.add(x as tf.Tensor2D, 1), 2, 1);
    return tf.concat(MODES.map(([m, n]) => tf.mul(tf.sin(tf.mul(a, (m * Math.PI) / 2)), tf.sin(tf.mul(b, (n * Math.PI) / 2)))), 1) as tf.Tensor2D;
  });
}
function exactKinetic(c: number): number[][] {
  return MODES.map(([m, n], i) => MODES.map((_, j) => (i === j ? (c * (Math.PI / 2) ** 2 * (m * m + n * n)) / 4 : 0)));
}
/** Tensor-product grid of g(t) over midpoints t of [-1, 1] (N per axis) with weights g'(t1) g'(t2). */
function grid(n: number, g: (t: number) => number, dg: (t: number) => number): { x: tf.Tensor2D; w: tf.Tensor1D } {
  const xs: number[] = [], ws: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const ti = -1 + (2 * (i + 0.5)) / n, tj = -1 + (2 * (j + 0.5)) / n;
    xs.push(g(ti), g(tj));
    ws.push(dg(ti) * dg(tj));
  }
  return { x: tf.tensor2d(xs, [n * n, 2]), w: tf.tensor1d(ws) };
}
const sg = <T extends tf.Tensor>(t: T): T => t;
function piOf(op: SpinOperator, b: FeatureBatch): number[][] {
  const p = tf.tidy(() => op.pi(b, sg));
  const out = p.arraySync() as number[][];
  p.dispose();
  return out;
}
function expectMatrixClose(a: number[][], e: number[][], tol: number): void {
  const scale = Math.max(...e.flat().map(Math.abs));
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - e[i][j]), `entry (${i}, ${j}): ${v} vs ${e[i][j]}`).to.be.at.most(tol * scale)));
}

describe('spin: hydrogen machinery', function () {
  this.timeout(60000);
  before(async () => { await initBackend(); });

  it('kinetic operator: Dirichlet form = Laplacian form = analytic box eigenvalues (uniform grid)', () => {
    const { x, w } = grid(64, (t) => t, () => 1);
    w.dispose();
    const b = fnBatch(sines, x);
    const exact = exactKinetic(0.5);
    expectMatrixClose(piOf(kineticOperator({ form: 'dirichlet' }), b), exact, 2e-3);
    expectMatrixClose(piOf(kineticOperator({ form: 'laplacian', h: 1e-2 }), b), exact, 2e-3);
    expectMatrixClose(piOf(kineticOperator({ form: 'dirichlet', coefficient: 3 }), b), exactKinetic(3), 2e-3);
    x.dispose();
  });

  it('weighted estimates: a non-uniform grid with weights p/q gives the uniform expectations', () => {
    // x = g(t) = (t + t^3) / 2 crowds points near 0; w = g'(t1) g'(t2) = p / q
    const { x, w } = grid(64, (t) => (t + t ** 3) / 2, (t) => (1 + 3 * t * t) / 2);
    const b = fnBatch(sines, x, w);
    const exact = exactKinetic(0.5);
    expectMatrixClose(piOf(kineticOperator({ form: 'dirichlet' }), b), exact, 3e-3);
    expectMatrixClose(piOf(kineticOperator({ form: 'laplacian', h: 1e-2 }), b), exact, 3e-3);
    // potential V = 1: Pi = E[u u^T] = I / 4; without the weights the estimate is visibly wrong
    const eye = MODES.map((_, i) => MODES.map((__, j) => (i === j ? 0.25 : 0)));
    const pot = potentialOperator((xx) => tf.onesLike(tf.slice(xx, [0, 0], [-1, 1])));
    expectMatrixClose(piOf(pot, b), eye, 3e-3);
    const unweighted = piOf(pot, fnBatch(sines, x));
    expect(Math.abs(unweighted[0][0] - 0.25)).to.be.greaterThan(0.02);
    x.dispose(); w.dispose();
  });

  it('importance sampler: points in the box, and weighted means equal uniform expectations (within 5 s.e.)', () => {
    const L = 50, n = 100000;
    for (const sampling of ['importance', 'uniform'] as const) {
      const s = new HydrogenSampler({ boxHalfWidth: L, sampling });
      const xs = new Float32Array(2 * n), ws = new Float32Array(n);
      s.fill(Rng.mulberry(7), xs, ws);
      for (let i = 0; i < 2 * n; i++) expect(Math.abs(xs[i])).to.be.at.most(1);
      // exact uniform expectations on [-L, L]^2
      const tests: [string, (x: number, y: number) => number, number][] = [
        ['1', () => 1, 1],
        ['r < 2', (x, y) => (Math.hypot(x, y) < 2 ? 1 : 0), (Math.PI * 4) / (4 * L * L)],
        ['|x|^2', (x, y) => x * x + y * y, (2 * L * L) / 3],
        ['corners (r > L)', (x, y) => (Math.hypot(x, y) > L ? 1 : 0), 1 - Math.PI / 4],
        ['exp(-2r)', (x, y) => Math.exp(-2 * Math.hypot(x, y)), (2 * Math.PI) / 4 / (4 * L * L)],
      ];
      let near = 0;
      for (let b = 0; b < n; b++) if (Math.hypot(xs[2 * b], xs[2 * b + 1]) * L < 2) near++;
      if (sampling === 'importance') expect(near / n).to.be.greaterThan(0.15); // vs 0.13% uniformly
      else ws.forEach((v) => expect(v).to.equal(1));
      for (const [name, f, truth] of tests) {
        let m = 0, m2 = 0;
        for (let b = 0; b < n; b++) {
          const v = ws[b] * f(xs[2 * b] * L, xs[2 * b + 1] * L);
          m += v; m2 += v * v;
        }
        m /= n;
        const se = Math.sqrt(Math.max(m2 / n - m * m, 0) / n);
        expect(Math.abs(m - truth), `${sampling} ${name}: ${m} vs ${truth} (se ${se})`).to.be.at.most(5 * se + 1e-12);
      }
      // the density formula is the one sampled: weight = p / q
      expect(s.weight(3, 4)).to.be.closeTo(1 / (4 * L * L) / s.density(3, 4), 1e-15);
    }
    expect(() => new HydrogenSampler({ boxHalfWidth: 50, sampling: 'importance', uniformFraction: 0 })).to.throw(/uniform fraction/);
    expect(() => new HydrogenSampler({ boxHalfWidth: 50, sampling: 'bogus' as 'uniform' })).to.throw(/sampling/);
  });

  describe('trainer sample weights: integer weights equal repeating the examples', () => {
    const L = 5;
    const mult = [2, 1, 3, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1];
    const B = mult.length, B2 = mult.reduce((s, v) => s + v, 0);
    const transform = (s: tf.Tensor) => tf.tidy(() => tf.concat([s as tf.Tensor2D, tf.log1p(tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(s), 1, true), 1e-14)), L)) as tf.Tensor2D], 1));
    const mask = (s: tf.Tensor) => tf.tidy(() => tf.prod(tf.sub(1, tf.square(s as tf.Tensor2D)), 1) as tf.Tensor1D);
    function makeNet(estimator: 'jacobian-average' | 'sigma-average' | 'independent', jacobian: 'auto' | 'per-pair'): SpectralNetwork {
      const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
      const model = tf.sequential({ layers: [
        tf.layers.dense({ units: 8, inputShape: [3], activation: 'tanh', kernelInitializer: init(1) }),
        tf.layers.dense({ units: 3, kernelInitializer: init(2) }),
      ] });
      const op = sumOperators(kineticOperator({ form: 'dirichlet', coefficient: 1 / (2 * L * L) }), potentialOperator((s) => tf.div(-1 / L, tf.sqrt(tf.add(tf.sum(tf.square(s), 1), 1e-12)))));
      return new SpectralNetwork({ k: 3, model, operator: op, optimizer: tf.train.sgd(0.05), decay: 0.5, estimator, jacobian, featureMask: mask, inputTransform: transform });
    }
    function batches(seed: number): { x: number[][]; xr: number[][] }[] {
      const rng = Rng.mulberry(seed);
      return [0, 1, 2].map(() => {
        const x = Array.from({ length: B }, () => [rng.uniform(-0.9, 0.9), rng.uniform(-0.9, 0.9)]);
        const xr: number[][] = [];
        x.forEach((row, i) => { for (let r = 0; r < mult[i]; r++) xr.push(row); });
        return { x, xr };
      });
    }
    const weights = mult.map((m) => (m * B) / B2);
    function params(net: SpectralNetwork): number[] {
      return net.model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    }
    function expectSame(a: number[], b: number[]): void {
      let maxDiff = 0, maxAbs = 0;
      a.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - b[i])); maxAbs = Math.max(maxAbs, Math.abs(v)); });
      expect(maxDiff).to.be.at.most(1e-4 * maxAbs);
    }

    for (const [estimator, jacobian] of [['jacobian-average', 'auto'], ['jacobian-average', 'per-pair'], ['sigma-average', 'auto']] as const) {
      it(`${estimator} (${jacobian}): weighted batch = repeated batch, and weights change the update`, () => {
        const nw = makeNet(estimator, jacobian), nr = makeNet(estimator, jacobian), nu = makeNet(estimator, jacobian);
        const start = params(nw);
        for (const { x, xr } of batches(3)) {
          const t = [tf.tensor2d(x), tf.tensor1d(weights), tf.tensor2d(xr)] as const;
          nw.step({ x: t[0], weights: t[1] });
          nr.step({ x: t[2] });
          nu.step({ x: t[0] });
          t.forEach((v) => v.dispose());
        }
        const pw = params(nw), pr = params(nr), pu = params(nu);
        expect(pw.some((v, i) => v !== start[i])).to.equal(true);
        expectSame(pw, pr);
        const ew = Array.from(nw.eigenvalues()), er = Array.from(nr.eigenvalues());
        ew.forEach((v, i) => expect(v).to.be.closeTo(er[i], 1e-4 * Math.max(1, Math.abs(er[i]))));
        // unweighted differs (the weights are not ignored)
        expect(Math.max(...pw.map((v, i) => Math.abs(v - pu[i])))).to.be.greaterThan(1e-4);
        [nw, nr, nu].forEach((n) => { n.dispose(); n.model.dispose(); });
      });
    }

    it('independent estimator with xSigma: weighted = repeated; contraction = per-pair with weights and inputTransform', () => {
      const nw = makeNet('independent', 'auto'), nr = makeNet('independent', 'auto');
      const bs = batches(5), bs2 = batches(6);
      const wt = tf.tensor1d(weights);
      bs.forEach(({ x, xr }, i) => {
        const t = [tf.tensor2d(x), tf.tensor2d(bs2[i].x), tf.tensor2d(xr), tf.tensor2d(bs2[i].xr)];
        nw.step({ x: t[0], weights: wt, xSigma: t[1], xSigmaWeights: wt });
        nr.step({ x: t[2], xSigma: t[3] });
        t.forEach((v) => v.dispose());
      });
      expectSame(params(nw), params(nr));
      const nc = makeNet('jacobian-average', 'auto'), np = makeNet('jacobian-average', 'per-pair');
      expect(nc.diagnostics().jacobianPath).to.equal('contraction');
      expect(np.diagnostics().jacobianPath).to.equal('per-pair');
      bs.forEach(({ x }) => {
        const xt = tf.tensor2d(x);
        nc.step({ x: xt, weights: wt });
        np.step({ x: xt, weights: wt });
        xt.dispose();
      });
      expectSame(params(nc), params(np));
      let err: Error | null = null;
      const xa = tf.tensor2d(bs[0].x), xb = tf.tensor2d(bs2[0].x);
      try { nw.step({ x: xa, weights: wt, xSigma: xb }); } catch (e) { err = e as Error; }
      expect(err?.message).to.match(/xSigmaWeights/);
      [xa, xb, wt].forEach((v) => v.dispose());
      [nw, nr, nc, np].forEach((n) => { n.dispose(); n.model.dispose(); });
    });

    it('no tensor leaks per weighted step (all estimators and Jacobian paths)', () => {
      for (const [estimator, jacobian] of [['jacobian-average', 'auto'], ['jacobian-average', 'per-pair'], ['sigma-average', 'auto'], ['independent', 'auto']] as const) {
        const net = makeNet(estimator, jacobian);
        const { x } = batches(2)[0];
        const xt = tf.tensor2d(x), wt = tf.tensor1d(weights);
        net.step({ x: xt, weights: wt });
        net.step({ x: xt, weights: wt });
        const before = tf.memory().numTensors;
        net.step({ x: xt, weights: wt });
        expect(tf.memory().numTensors, `${estimator} ${jacobian}`).to.equal(before);
        [xt, wt].forEach((v) => v.dispose());
        net.dispose(); net.model.dispose();
      }
    });

    it('bad weights are clear errors', () => {
      const net = makeNet('jacobian-average', 'auto');
      const x = tf.tensor2d(batches(1)[0].x);
      for (const [w, re] of [[tf.tensor1d([1, 2]), /length 16/], [tf.tensor1d(mult.map((v, i) => (i === 2 ? -1 : 1))), />= 0/], [tf.tensor1d(mult.map((v, i) => (i === 2 ? NaN : 1))), /finite/]] as [tf.Tensor1D, RegExp][]) {
        expect(() => net.step({ x, weights: w })).to.throw(re);
        w.dispose();
      }
      x.dispose();
      net.dispose(); net.model.dispose();
    });
  });
});

describe('spin: hydrogen demo evaluation and CLI', function () {
  this.timeout(60000);
  before(async () => { await initBackend(); });

  it('quadrature evaluation: Ritz values bound the exact spectrum from above, share the trace of SpIN\'s diagonal; coarse rules differ', async () => {
    const exact = hydrogenExact(9);
    const r = await runHydrogenDemo({ iterations: 20, batch: 64, hidden: 8, seed: 3 });
    expect([r.evaluation, r.inputs, r.architecture, r.envelope, r.evalPoints]).to.deep.equal(['quadrature', 'polar', 'grouped', 6, 8 * 32 * 128]);
    for (let i = 1; i < 9; i++) {
      expect(r.eigenvalues[i]).to.be.at.least(r.eigenvalues[i - 1]);
      expect(r.ritzEigenvalues[i]).to.be.at.least(r.ritzEigenvalues[i - 1]);
    }
    // Poincare / Courant-Fischer: the i-th Ritz value of any 9-dimensional span in H^1_0(box) is >= the i-th
    // Dirichlet eigenvalue of the box, itself >= the free-plane E_i
    r.ritzEigenvalues.forEach((v, i) => expect(v, `Ritz ${i}`).to.be.at.least(exact[i]));
    // the trace of L^-1 Pi L^-T is the sum of the generalised eigenvalues; and Ritz values are the minimum over the span,
    // so the lowest Ritz value is <= every diagonal entry
    const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
    expect(Math.abs(sum(r.ritzEigenvalues) - sum(r.eigenvalues))).to.be.at.most(1e-9 * Math.abs(sum(r.eigenvalues)));
    expect(r.ritzEigenvalues[0]).to.be.at.most(r.eigenvalues[0] + 1e-12);
    r.ritzRelativeErrors.forEach((v, i) => expect(v).to.be.closeTo(Math.abs(r.ritzEigenvalues[i] - exact[i]) / Math.abs(exact[i]), 1e-12));
    expect(r.ritzMeanRelativeError).to.be.closeTo(sum(r.ritzRelativeErrors) / 9, 1e-12);
    // the half-rule check is reported (its size is tested on network features in hydrogen.quadrature.test.ts:
    // barely trained features are nearly collinear, and the float32 statistics then move Ritz values)
    expect(r.quadratureCheck).to.not.equal(null);
    expect([r.quadratureCheck?.angular, r.quadratureCheck?.radial]).to.deep.equal([16, 64]);
    expect(Number.isFinite(r.quadratureCheck?.maxRelativeDifference)).to.equal(true);
    // a coarse rule changes the numbers: the check is not vacuous
    const c = await runHydrogenDemo({ iterations: 20, batch: 64, hidden: 8, seed: 3, quadratureAngular: 2, quadratureRadial: 6 });
    expect(Math.max(...c.ritzEigenvalues.map((v, i) => Math.abs(v - r.ritzEigenvalues[i]) / Math.abs(r.ritzEigenvalues[i])))).to.be.greaterThan(1e-3);
    for (const [bad, re] of [[{ evaluation: 'bogus' as 'none' }, /evaluation/], [{ inputs: 'xy', envelope: 2 }, /envelope/], [{ architecture: 'bogus' as 'grouped' }, /architecture/]] as const) {
      let err: Error | null = null;
      try { await runHydrogenDemo({ iterations: 1, ...bad }); } catch (e) { err = e as Error; }
      expect(err?.message).to.match(re);
    }
  });

  it('`eigenopt demo hydrogen` parses the new flags; bad values are clear errors', async () => {
    const { lines, errors } = await runDemoCli([
      ['--json', '--iterations', '2', '--max-seconds', '0', '--batch', '16', '--hidden', '4', '--eval', 'monte-carlo', '--eval-points', '256', '--inputs', 'radial', '--envelope', '2', '--architecture', 'separate', '--uniform-fraction', '0.5', '--radial-scale', '2'],
      ['--json', '--iterations', '2', '--max-seconds', '0', '--batch', '16', '--hidden', '4', '--quadrature', '4,16', '--inputs', 'xy'],
      ['--quadrature', '4'], ['--eval', 'exact'], ['--inputs', 'xy', '--envelope', '3'], ['--architecture', 'wide'],
    ].map((args) => ['hydrogen', ...args]));
    expect(errors.slice(0, 2)).to.deep.equal([null, null]);
    const [a, b] = lines.map((l) => JSON.parse(l) as { evaluation: string; evalPoints: number; inputs: string; envelope: number; architecture: string; ritzEigenvalues: number[]; quadratureCheck: { angular: number } | null });
    expect([a.evaluation, a.evalPoints, a.inputs, a.envelope, a.architecture, a.quadratureCheck]).to.deep.equal(['monte-carlo', 256, 'radial', 2, 'separate', null]);
    expect([b.evaluation, b.evalPoints, b.inputs, b.envelope, b.architecture, b.quadratureCheck?.angular]).to.deep.equal(['quadrature', 8 * 4 * 16, 'xy', 0, 'grouped', 2]);
    expect(b.ritzEigenvalues).to.have.length(9);
    expect(errors[2]?.message).to.match(/--quadrature must be two integers/);
    expect(errors[3]?.message).to.match(/--eval must be quadrature, monte-carlo or none/);
    expect(errors[4]?.message).to.match(/--envelope needs --inputs radial or polar/);
    expect(errors[5]?.message).to.match(/--architecture must be/);
  });
});
