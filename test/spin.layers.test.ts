// GroupedMLP (src/spin/layers.ts) against k separate tf.layers MLPs holding the same weights: equal
// outputs, equal gradients for every weight and the input, on cpu and wasm; a SpIN step trains it.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { GroupedMLP } from '../src/spin/layers';
import { buildGroupedMlp } from '../src/models/networks';
import { SpectralNetwork, kernelOperator, slownessOperator } from '../src/spin';
import { groupedJacobians, perPairJacobians, explainWeightGroups } from '../src/spin/jacobian';

const K = 3, H = 5, D = 4, DEPTH = 3, B = 7;

/** k separate Sequential MLPs D -> H (x DEPTH) -> 1 whose weights are the grouped ones, sliced. */
function separateFrom(g: tf.LayersModel, activation: 'softplus' | 'tanh'): tf.Sequential[] {
  const w = g.getWeights();
  return Array.from({ length: K }, (_, i) => {
    const layers: tf.layers.Layer[] = [];
    for (let l = 0; l < DEPTH; l++) layers.push(tf.layers.dense({ units: H, activation, ...(l === 0 ? { inputShape: [D] } : {}) }));
    layers.push(tf.layers.dense({ units: 1 }));
    const m = tf.sequential({ layers });
    const dims = [D, ...Array.from({ length: DEPTH }, () => H), 1];
    const ws: tf.Tensor[] = [];
    for (let l = 0; l <= DEPTH; l++) ws.push(tf.reshape(tf.slice(w[2 * l], [i, 0, 0], [1, -1, -1]), [dims[l], dims[l + 1]]), tf.reshape(tf.slice(w[2 * l + 1], [i, 0, 0], [1, -1, -1]), [dims[l + 1]]));
    m.setWeights(ws);
    tf.dispose(ws);
    return m;
  });
}

function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('spin: GroupedMLP', function () {
  this.timeout(60000);
  after(async () => { await initBackend(); });
  for (const backend of ['cpu', 'wasm']) {
    it(`equals ${K} separate MLPs with its weights: outputs and gradients (${backend})`, async () => {
      await initBackend(backend);
      for (const activation of ['softplus', 'tanh'] as const) {
        const g = buildGroupedMlp({ kind: 'grouped-mlp', inputDim: D, outputs: K, hidden: H, layers: DEPTH, activation, seed: 7 });
        // non-zero biases so that their placement is checked too
        g.setWeights(g.getWeights().map((w, n) => (n % 2 === 1 ? tf.randomUniform(w.shape, -0.5, 0.5, 'float32', 100 + n) : w.clone())));
        const sep = separateFrom(g, activation);
        const x = tf.randomUniform([B, D], -1, 1, 'float32', 3);
        const c = tf.randomUniform([B, K], -1, 1, 'float32', 4);
        const yg = g.apply(x) as tf.Tensor;
        const ys = tf.concat(sep.map((m) => m.apply(x) as tf.Tensor), 1);
        expect(yg.shape).to.deep.equal([B, K]);
        expect(maxAbs(yg, ys)).to.be.below(1e-5);
        const gv = g.trainableWeights.map((w) => w.read() as tf.Variable);
        const gg = tf.variableGrads(() => tf.sum(tf.mul(c, g.apply(x) as tf.Tensor)) as tf.Scalar, gv).grads;
        sep.forEach((m, i) => {
          const sv = m.trainableWeights.map((w) => w.read() as tf.Variable);
          const sg = tf.variableGrads(() => tf.sum(tf.mul(tf.slice(c, [0, i], [B, 1]), m.apply(x) as tf.Tensor)) as tf.Scalar, sv).grads;
          const slices: tf.Tensor[] = [];
          for (let l = 0; l <= DEPTH; l++) slices.push(tf.slice(gg[gv[2 * l].name], [i, 0, 0], [1, -1, -1]), tf.slice(gg[gv[2 * l + 1].name], [i, 0, 0], [1, -1, -1]));
          sv.forEach((v, n) => expect(maxAbs(tf.reshape(slices[n], v.shape), sg[v.name]), `${activation} net ${i} weight ${n}`).to.be.below(1e-5));
          tf.dispose([...slices, ...Object.values(sg)]);
        });
        // input gradient
        const dxg = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(c, g.apply(xx) as tf.Tensor)))(x);
        const dxs = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(c, tf.concat(sep.map((m) => m.apply(xx) as tf.Tensor), 1))))(x);
        expect(maxAbs(dxg, dxs)).to.be.below(1e-5);
        tf.dispose([x, c, yg, ys, dxg, dxs, ...Object.values(gg)]);
        sep.forEach((m) => m.dispose());
        g.dispose();
      }
    });
  }

  it('grouped Jacobians (k backward passes) equal per-pair autodiff; the trainer takes that path and matches per-pair', async () => {
    await initBackend('wasm');
    const model = buildGroupedMlp({ kind: 'grouped-mlp', inputDim: D, outputs: K, hidden: H, layers: DEPTH, seed: 11 });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { groups, groupOf, reason } = explainWeightGroups(model, vars, K);
    expect(reason).to.equal('');
    expect(groups).to.have.length(vars.length);
    expect(explainWeightGroups(model, vars, K + 1).groups).to.equal(null);
    const x = tf.randomUniform([B, D], -1, 1, 'float32', 12);
    const f = (xx: tf.Tensor) => model.apply(xx) as tf.Tensor2D;
    const a = groupedJacobians(f, x, vars, K, groupOf!);
    const p = perPairJacobians(f, x, vars, K);
    a.jac.forEach((t, n) => expect(maxAbs(t, p.jac[n]), `variable ${n}`).to.be.below(1e-6));
    expect(a.jac.some((t) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]) > 1e-3)).to.equal(true);
    tf.dispose([x, a.u, p.u, ...a.jac, ...p.jac]);
    // the trainer: same parameters after a few jacobian-average steps by either path
    const run = (jacobian: 'grouped' | 'per-pair') => {
      const m = buildGroupedMlp({ kind: 'grouped-mlp', inputDim: D, outputs: K, hidden: H, layers: DEPTH, seed: 13 });
      const net = new SpectralNetwork({ k: K, model: m, operator: slownessOperator(), optimizer: tf.train.sgd(0.05), decay: 0.3, jacobian, seed: 2 });
      expect(net.diagnostics().jacobianPath).to.equal(jacobian);
      const xs = tf.randomUniform([16, D], -1, 1, 'float32', 14), ys = tf.randomUniform([16, D], -1, 1, 'float32', 15);
      for (let i = 0; i < 4; i++) net.step({ x: xs, xNext: ys });
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      net.dispose(); m.dispose(); tf.dispose([xs, ys]);
      return w;
    };
    const g = run('grouped'), pp = run('per-pair');
    g.forEach((w, n) => w.forEach((v, e) => expect(Math.abs(v - pp[n][e])).to.be.below(1e-5)));
    const auto = new SpectralNetwork({ k: K, model, operator: slownessOperator(), decay: 0.3 });
    expect(auto.diagnostics().jacobianPath).to.equal('grouped');
    auto.dispose();
    model.dispose();
  });

  it('rejects bad settings with clear errors, and trains in a SpectralNetwork', async () => {
    await initBackend('wasm');
    expect(() => new GroupedMLP({ groups: 0, hidden: 4, layers: 2 })).to.throw(/groups/);
    expect(() => new GroupedMLP({ groups: 2, hidden: 4, layers: 2, activation: 'gelu' as 'relu' })).to.throw(/activation/);
    expect(() => buildGroupedMlp({ kind: 'grouped-mlp', inputDim: 0, outputs: 2, hidden: 4, layers: 1 })).to.throw(/inputDim/);
    // a 3x3 symmetric kernel operator on the one-hot states (uniform): the top two eigenvalues of
    // K / 3, K = [[2,1,0],[1,2,1],[0,1,2]] (2 + sqrt 2 and 2, over 3)
    const model = buildGroupedMlp({ kind: 'grouped-mlp', inputDim: 3, outputs: 2, hidden: 8, layers: 2, seed: 1 });
    const kmat = tf.tensor2d([[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
    const net = new SpectralNetwork({ k: 2, model, operator: kernelOperator(() => kmat.clone() as tf.Tensor2D), optimizer: tf.train.adam(0.02), order: 'largest', decay: 1, seed: 1 });
    const x = tf.eye(3);
    for (let i = 0; i < 1000; i++) net.step({ x });
    const eig = Array.from(net.eigenvalues()).sort((a, b) => b - a);
    expect(eig[0]).to.be.closeTo((2 + Math.SQRT2) / 3, 1e-2);
    expect(eig[1]).to.be.closeTo(2 / 3, 1e-2);
    net.dispose();
    model.dispose();
    tf.dispose([x, kmat]);
  });
});
