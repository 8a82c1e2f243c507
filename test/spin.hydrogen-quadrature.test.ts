// The hydrogen demo's deterministic evaluation against exact truth: Gauss-Legendre rules, the box
// quadrature (polynomial moments, the exact box area), Rayleigh quotients of the analytic 2D hydrogen
// eigenfunctions through the demo's operator and quadrature (= E_n = -1 / (2 (n - 1/2)^2)), Ritz values
// of a mixed span, and the envelope network.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { gaussLegendre, hydrogenQuadrature, spanEigenvalues } from '../src/spin/demos/hydrogenQuadrature';
import { hydrogenExact, hydrogenOperator, hydrogenQuadratureStatistics } from '../src/spin/demos/hydrogen';
import { HydrogenEnvelope, buildHydrogenModel } from '../src/spin/demos/hydrogenModel';
import { GroupedMLP } from '../src/spin/layers';
import { SpectralNetwork } from '../src/spin';

/** generalised Laguerre polynomial L_m^(a)(x) by the three-term recurrence */
function laguerre(m: number, a: number, x: tf.Tensor): tf.Tensor {
  let p0: tf.Tensor = tf.onesLike(x);
  if (m === 0) return p0;
  let p1: tf.Tensor = tf.sub(1 + a, x);
  for (let j = 1; j < m; j++) {
    const p2 = tf.div(tf.sub(tf.mul(tf.sub(2 * j + 1 + a, x), p1), tf.mul(p0, j + a)), j + 1);
    p0 = p1; p1 = p2;
  }
  return p1;
}

/**
 * The 2D hydrogen bound states psi_{n,l} = r^|l| exp(-kappa r) L^(2|l|)_{n-|l|-1}(2 kappa r) {cos, sin}(l theta),
 * kappa = 1 / (n - 1/2), E = -kappa^2 / 2 (solve -1/2 (f'' + f'/r - l^2 f / r^2) - f / r = E f with
 * f = r^|l| exp(-kappa r) g(2 kappa r): g satisfies Laguerre's equation x g'' + (2|l| + 1 - x) g' + (n - |l| - 1) g = 0).
 * Listed n = 1..3 in the order of hydrogenExact; features of scaled coordinates s = x / L.
 */
const STATES: [number, number, 'c' | 's'][] = [[1, 0, 'c'], [2, 0, 'c'], [2, 1, 'c'], [2, 1, 's'], [3, 0, 'c'], [3, 1, 'c'], [3, 1, 's'], [3, 2, 'c'], [3, 2, 's']];
function analytic(L: number): (s: tf.Tensor) => tf.Tensor2D {
  return (s: tf.Tensor) => tf.tidy(() => {
    const [a, b] = tf.split(tf.mul(s as tf.Tensor2D, L), 2, 1);
    const r = tf.sqrt(tf.add(tf.add(tf.square(a), tf.square(b)), 1e-30));
    const cols = STATES.map(([n, l, cs]) => {
      const kappa = 1 / (n - 0.5);
      const radial = tf.mul(tf.exp(tf.mul(r, -kappa)), laguerre(n - l - 1, 2 * l, tf.mul(r, 2 * kappa)));
      if (l === 0) return radial;
      // r^l cos(l theta), r^l sin(l theta) as polynomials in x, y (Re/Im of (x + i y)^l)
      const ang = l === 1 ? (cs === 'c' ? a : b) : cs === 'c' ? tf.sub(tf.square(a), tf.square(b)) : tf.mul(2, tf.mul(a, b));
      return tf.mul(radial, ang);
    });
    return tf.concat(cols, 1) as tf.Tensor2D;
  });
}

describe('spin: hydrogen quadrature evaluation', function () {
  this.timeout(60000);
  before(async () => { await initBackend(); });

  it('Gauss-Legendre rules integrate polynomials of degree 2n - 1 exactly', () => {
    for (const n of [1, 2, 5, 16, 129]) {
      const { nodes, weights } = gaussLegendre(n);
      for (let i = 1; i < n; i++) expect(nodes[i]).to.be.greaterThan(nodes[i - 1]);
      for (let d = 0; d <= 2 * n - 1; d += 1) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** d;
        const exact = d % 2 === 1 ? 0 : 2 / (d + 1);
        expect(Math.abs(s - exact), `n ${n} degree ${d}`).to.be.at.most(1e-13 * (n > 100 ? 10 : 1));
      }
    }
    expect(() => gaussLegendre(0)).to.throw(/integer/);
  });

  it('box quadrature: nodes inside the box, area 4 L^2, exact moments and a radial integral', () => {
    const L = 50;
    const q = hydrogenQuadrature({ boxHalfWidth: L, angular: 16, radial: 64 });
    expect(q.n).to.equal(8 * 16 * 64);
    let area = 0, x2 = 0, x2y2 = 0, x4 = 0, e2r = 0;
    for (let i = 0; i < q.n; i++) {
      const x = q.points[2 * i], y = q.points[2 * i + 1], w = q.weights[i];
      expect(Math.max(Math.abs(x), Math.abs(y))).to.be.at.most(L);
      expect(w).to.be.greaterThan(0);
      area += w; x2 += w * x * x; x2y2 += w * x * x * y * y; x4 += w * x ** 4;
      e2r += w * Math.exp(-2 * Math.hypot(x, y));
    }
    // integrals over [-L, L]^2: 4L^2, 4L^4/3, 4L^6/9, 4L^6/5; exp(-2r) over the plane = 2 pi / 4 (tail ~ e^-100)
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(area, 4 * L * L)).to.be.at.most(1e-12);
    expect(rel(x2, (4 * L ** 4) / 3)).to.be.at.most(1e-10);
    expect(rel(x2y2, (4 * L ** 6) / 9)).to.be.at.most(1e-10);
    expect(rel(x4, (4 * L ** 6) / 5)).to.be.at.most(1e-10);
    expect(rel(e2r, Math.PI / 2)).to.be.at.most(1e-10);
    expect(() => hydrogenQuadrature({ boxHalfWidth: -1 })).to.throw(/half-width/);
    expect(() => hydrogenQuadrature({ boxHalfWidth: 1, radial: 0 })).to.throw(/radial/);
  });

  it('Rayleigh quotients of the 9 analytic eigenfunctions through the quadrature equal E_n (1e-5), Ritz values of a mixed span too', () => {
    const L = 50;
    const exact = hydrogenExact(9);
    const f = analytic(L);
    const st = hydrogenQuadratureStatistics(f, [hydrogenOperator(L, 'dirichlet', 1e-30)], 9, { boxHalfWidth: L });
    const pi = st.pis[0], sigma = st.sigma;
    for (let i = 0; i < 9; i++) {
      const rq = pi[i * 9 + i] / sigma[i * 9 + i];
      expect(Math.abs(rq - exact[i]) / Math.abs(exact[i]), `state ${i}: ${rq} vs ${exact[i]}`).to.be.at.most(1e-5);
      // orthogonality: |Sigma_ij| / sqrt(Sigma_ii Sigma_jj) tiny
      for (let j = 0; j < i; j++) expect(Math.abs(sigma[i * 9 + j]) / Math.sqrt(sigma[i * 9 + i] * sigma[j * 9 + j])).to.be.at.most(1e-5);
    }
    // a mixed span: u = psi A for a fixed well-conditioned A, Sigma -> A^T Sigma A, Pi -> A^T Pi A
    const A: number[] = [];
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) A.push((i === j ? 1 : 0) + 0.3 * Math.sin(1 + 7 * i + 3 * j * j));
    const tr = (m: Float64Array) => {
      const out = new Float64Array(81);
      for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) {
        let s = 0;
        for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) s += A[i * 9 + a] * m[i * 9 + j] * A[j * 9 + b];
        out[a * 9 + b] = s;
      }
      return out;
    };
    const { diagonal, ritz } = spanEigenvalues(tr(sigma), tr(pi), 9);
    ritz.forEach((v, i) => expect(Math.abs(v - exact[i]) / Math.abs(exact[i]), `Ritz ${i}: ${v}`).to.be.at.most(1e-5));
    // SpIN's diagonal of a mixed span is not the spectrum, but its trace is
    const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
    expect(Math.abs(sum(diagonal) - sum(exact)) / Math.abs(sum(exact))).to.be.at.most(1e-5);
    expect(Math.max(...diagonal.map((v, i) => Math.abs(v - exact[i]) / Math.abs(exact[i])))).to.be.greaterThan(1e-3);
    // and the quadrature resolves what Monte-Carlo cannot: a perturbed state is detectably above E
    const fp = (s: tf.Tensor) => tf.tidy(() => {
      const u = f(s);
      const r = tf.mul(tf.sqrt(tf.sum(tf.square(s), 1, true)), L);
      return tf.mul(u, tf.add(1, tf.mul(1e-2, tf.exp(tf.neg(r))))) as tf.Tensor2D;
    });
    const sp = hydrogenQuadratureStatistics(fp, [hydrogenOperator(L, 'dirichlet', 1e-30)], 9, { boxHalfWidth: L });
    expect(sp.pis[0][0] / sp.sigma[0] - exact[0]).to.be.greaterThan(1e-5 * 2);
  });

  it('envelope layer: shape, initial rates, value and gradients against a direct formula', () => {
    const env = new HydrogenEnvelope({ units: 2, terms: 3, rateMin: 0.1, rateMax: 2.5, logRadiusColumn: 2 });
    expect(env.initialRates().map((v) => +v.toFixed(10))).to.deep.equal([0.1, 0.5, 2.5]);
    const r = [0, 0.3, 4, 20];
    const x = tf.tensor2d(r.flatMap((v) => [0.1, -0.2, Math.log1p(v)]), [4, 3]);
    const y = env.apply(x) as tf.Tensor;
    expect(y.shape).to.deep.equal([4, 2]);
    const yd = y.dataSync();
    r.forEach((v, b) => {
      const want = (Math.exp(-0.1 * v) + Math.exp(-0.5 * v) + Math.exp(-2.5 * v)) / 3;
      for (let i = 0; i < 2; i++) expect(yd[b * 2 + i]).to.be.closeTo(want, 1e-5 * Math.max(want, 1e-3));
    });
    // d/d(amplitude_0j) of sum_b u_0(b) = sum_b exp(-sigma_j r_b); d/d(rho_0j) = -sum_b amp r_b exp(-sigma_j r_b) sigmoid(rho_j)
    const [amp, rho] = env.trainableWeights.map((w) => w.read() as tf.Variable);
    const g = tf.grads((a: tf.Tensor, p: tf.Tensor) => {
      const sig = tf.softplus(p);
      const rr = tf.expm1(tf.slice(x, [0, 2], [-1, 1]));
      return tf.sum(tf.slice(tf.sum(tf.mul(tf.exp(tf.neg(tf.mul(tf.reshape(rr, [-1, 1, 1]), tf.expandDims(sig, 0)))), tf.expandDims(a, 0)), 2), [0, 0], [-1, 1]));
    })([amp, rho]);
    const vg = tf.variableGrads(() => tf.sum(tf.slice(env.apply(x) as tf.Tensor2D, [0, 0], [-1, 1])) as tf.Scalar, [amp, rho] as tf.Variable[]);
    const rates = [0.1, 0.5, 2.5];
    for (let j = 0; j < 3; j++) {
      const da = r.reduce((s, v) => s + Math.exp(-rates[j] * v), 0);
      const dr = -r.reduce((s, v) => s + (1 / 3) * v * Math.exp(-rates[j] * v), 0) * (1 - Math.exp(-rates[j]));
      expect(vg.grads[amp.name].dataSync()[j]).to.be.closeTo(da, 1e-4 * Math.abs(da));
      expect(vg.grads[rho.name].dataSync()[j]).to.be.closeTo(dr, 1e-4 * Math.abs(dr));
      expect(g[0].dataSync()[j]).to.be.closeTo(da, 1e-4 * Math.abs(da));
      // second eigenfunction's parameters get no gradient from the first output
      expect(vg.grads[amp.name].dataSync()[3 + j]).to.equal(0);
    }
    [x, y, vg.value, ...Object.values(vg.grads), ...g].forEach((t) => t.dispose());
    const model = buildHydrogenModel({ k: 3, inDim: 3, hidden: 4, layers: 2, activation: 'softplus', architecture: 'separate', envelopeTerms: 2, logRadiusColumn: 2, seed: 1 });
    expect(model.outputs[0].shape).to.deep.equal([null, 3]);
    expect(() => buildHydrogenModel({ k: 3, inDim: 2, hidden: 4, layers: 2, activation: 'softplus', architecture: 'separate', envelopeTerms: 2, seed: 1 })).to.throw(/ln\(1 \+ r\)/);
    expect(() => new HydrogenEnvelope({ units: 2, terms: 0, rateMin: 0.1, rateMax: 1, logRadiusColumn: 2 })).to.throw(/terms/);
    model.dispose();
  });
  it('grouped model: GroupedMLP with the envelope; a SpIN trainer with decay < 1 takes the grouped Jacobian path', () => {
    const model = buildHydrogenModel({ k: 3, inDim: 3, hidden: 4, layers: 2, activation: 'softplus', architecture: 'grouped', envelopeTerms: 2, logRadiusColumn: 2, seed: 2 });
    expect(model.layers.some((l) => l instanceof GroupedMLP)).to.equal(true);
    const net = new SpectralNetwork({ k: 3, model, operator: hydrogenOperator(50, 'laplacian'), decay: 0.1 });
    expect(net.diagnostics().jacobianPath).to.equal('grouped');
    net.dispose();
    model.dispose();
  });
  it('network features: per-feature Rayleigh quotients agree between the default rule and half of it (1e-5)', () => {
    // an untrained grouped MLP with envelope, polar inputs and the boundary mask, as in the demo
    const L = 50;
    const m = buildHydrogenModel({ k: 4, inDim: 3, hidden: 8, layers: 3, activation: 'softplus', architecture: 'grouped', envelopeTerms: 6, logRadiusColumn: 2, seed: 3 });
    const f = (s: tf.Tensor) => tf.tidy(() => {
      const r = tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(s), 1, true), 1e-14)), L);
      const inp = tf.concat([tf.div(tf.mul(s, L), tf.add(r, 1)), tf.log1p(r)], 1);
      return tf.mul(m.apply(inp) as tf.Tensor, tf.reshape(tf.prod(tf.sub(1, tf.square(s)), 1), [-1, 1])) as tf.Tensor2D;
    });
    const rq = (angular: number, radial: number) => {
      const st = hydrogenQuadratureStatistics(f, [hydrogenOperator(L, 'dirichlet', 1e-30)], 4, { boxHalfWidth: L, angular, radial });
      return [0, 1, 2, 3].map((i) => st.pis[0][i * 4 + i] / st.sigma[i * 4 + i]);
    };
    const full = rq(32, 128), half = rq(16, 64), coarse = rq(2, 4);
    full.forEach((v, i) => expect(Math.abs(half[i] - v) / Math.abs(v), `feature ${i}: ${half[i]} vs ${v}`).to.be.at.most(1e-5));
    expect(Math.max(...full.map((v, i) => Math.abs(coarse[i] - v) / Math.abs(v)))).to.be.greaterThan(1e-4);
    m.dispose();
  });
});
