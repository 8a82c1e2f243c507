// Exactness of the contraction Jacobians V_ij = E_b[u_bi d u_bj / d theta] for conv chains:
// compared with plain autodiff (perPairJacobians: one backward pass per pair) on the cpu backend
// and on wasm, with and without the feature mask, in both Conv2D contraction modes and with the
// batch chunked; plus the planner's accept/reject rules and the trainer's path selection.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpectralNetwork, slownessOperator } from '../src/spin';
import { CONTRACTION_SUPPORTED, chainJacobians, convContractionFlops, explainLayerChain, pairIndex, perPairJacobians, planDenseChain, planLayerChain } from '../src/spin/jacobian';
import type { ChainJacobianOptions } from '../src/spin/jacobian';

const K = 3;
const B = 5;
const IN = [6, 6, 2];

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
}

type Arch = 'a' | 'b' | 'c';
/** a: conv 3x3/2 'same' relu -> conv 2x2 'valid' tanh -> flatten -> dense 4 relu -> dense K (the brief's tiny net).
 *  b: conv 2x2/1 'same' (asymmetric padding) -> conv 3x3 strides [2,1] 'valid' elu, no bias -> flatten -> dense K.
 *  c: flatten -> dense 5 -> Activation softplus -> dense K (Dense-only chain with Flatten/Activation layers). */
function convNet(arch: Arch): tf.Sequential {
  const layers = arch === 'c'
    ? [tf.layers.flatten({ inputShape: IN }), tf.layers.dense({ units: 5 }), tf.layers.activation({ activation: 'softplus' }), tf.layers.dense({ units: K })]
    : arch === 'a'
    ? [
      tf.layers.conv2d({ inputShape: IN, filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 2, padding: 'valid', activation: 'tanh' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'relu' }),
      tf.layers.dense({ units: K }),
    ]
    : [
      tf.layers.conv2d({ inputShape: IN, filters: 3, kernelSize: 2, strides: 1, padding: 'same' }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: [2, 1], padding: 'valid', activation: 'elu', useBias: false }),
      tf.layers.flatten(),
      tf.layers.dense({ units: K, activation: 'sigmoid' }),
    ];
  const m = tf.sequential({ layers });
  // deterministic weights, biases non-zero so relu kinks and biases matter
  const r = lcg(7);
  m.setWeights(m.getWeights().map((w) => tf.tensor(Array.from({ length: w.size }, () => 1.2 * r()), w.shape)));
  return m;
}

function inputs(): { x: number[]; mask: number[] } {
  const r = lcg(3);
  const x = Array.from({ length: B * IN[0] * IN[1] * IN[2] }, () => 2 * r());
  const mask = Array.from({ length: B }, (_, b) => 0.5 + b * 0.3 - (b === 2 ? 1.4 : 0));
  return { x, mask };
}

interface Result { u: number[]; jac: number[][] }

function run(arch: Arch, path: 'contraction' | 'per-pair', withMask: boolean, opts: ChainJacobianOptions = {}): Result {
  const model = convNet(arch);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { x: xd, mask: md } = inputs();
  const x = tf.tensor(xd, [B, ...IN]);
  const mask = withMask ? tf.tensor1d(md) : undefined;
  let out: { u: tf.Tensor2D; jac: tf.Tensor2D[] };
  if (path === 'contraction') {
    const plan = planLayerChain(model, vars);
    expect(plan, 'planner accepts the conv chain').to.not.equal(null);
    out = chainJacobians(plan!, x, vars, mask, opts);
  } else {
    const f = (xx: tf.Tensor) => tf.tidy(() => {
      const y = model.apply(xx) as tf.Tensor2D;
      return mask ? (tf.mul(y, tf.reshape(mask, [-1, 1])) as tf.Tensor2D) : y;
    });
    out = perPairJacobians(f, x, vars, K);
  }
  const res = { u: Array.from(out.u.dataSync()), jac: out.jac.map((t) => Array.from(t.dataSync())) };
  [out.u, ...out.jac, x].forEach((t) => t.dispose());
  mask?.dispose();
  model.dispose();
  return res;
}

/** |a - b| <= tol * max|b| per variable (relative to the variable's Jacobian scale). */
function expectClose(a: Result, b: Result, tol = 1e-5): void {
  expect(a.u.length).to.equal(b.u.length);
  const us = Math.max(...b.u.map(Math.abs));
  a.u.forEach((v, i) => expect(Math.abs(v - b.u[i])).to.be.at.most(tol * us + 1e-12));
  expect(a.jac.length).to.equal(b.jac.length);
  a.jac.forEach((ja, n) => {
    const jb = b.jac[n];
    expect(ja.length).to.equal(jb.length);
    const scale = Math.max(...jb.map(Math.abs));
    expect(scale, `variable ${n} has a non-trivial Jacobian`).to.be.greaterThan(1e-6);
    let worst = 0;
    ja.forEach((v, p) => { worst = Math.max(worst, Math.abs(v - jb[p])); });
    expect(worst / scale, `variable ${n}: max error relative to max |J|`).to.be.at.most(tol);
  });
}

describe('spin: contraction Jacobians for conv chains', function () {
  this.timeout(60000);
  const ref: Record<string, Result> = {};
  before(async () => {
    await initBackend('cpu');
    for (const arch of ['a', 'b', 'c'] as const) for (const m of [false, true]) ref[`${arch}${m}`] = run(arch, 'per-pair', m);
  });
  after(async () => { await initBackend(); });

  for (const backend of ['cpu', 'wasm'] as const) {
    describe(`on ${backend}`, () => {
      before(async () => { expect(await initBackend(backend)).to.equal(backend); });
      for (const arch of ['a', 'b', 'c'] as const)
        for (const withMask of [false, true]) {
          it(`net ${arch}${withMask ? ', feature mask' : ''}: equals per-pair autodiff (cpu) and per-pair on ${backend}, all modes (conv per-example/direct x matmul batched/loop)`, () => {
            const own = run(arch, 'per-pair', withMask);
            expectClose(own, ref[`${arch}${withMask}`]);
            const modes: ChainJacobianOptions[] = [{ conv: 'per-example', matmul: 'batched' }, { conv: 'per-example', matmul: 'loop' }, { conv: 'direct', matmul: 'batched' }, { conv: 'direct', matmul: 'loop' }];
            for (const o of modes) expectClose(run(arch, 'contraction', withMask, o), ref[`${arch}${withMask}`]);
            expectClose(run(arch, 'contraction', withMask), own);
          });
        }
      it('chunked per-example contraction (several batch chunks) equals the unchunked one', () => {
        for (const matmul of ['batched', 'loop'] as const) expectClose(run('a', 'contraction', true, { conv: 'per-example', matmul, maxBlockElements: 400 }), ref.atrue);
      });
    });
  }

  it('Jacobian rows are ordered by pairIndex and the masked/unmasked results differ (the mask is applied)', async () => {
    await initBackend('cpu');
    const a = run('a', 'contraction', false), b = run('a', 'contraction', true);
    expect(a.jac[0].length).to.equal(((K * (K + 1)) / 2) * 3 * 3 * 2 * 3);
    // the mask scales u_i and d u_j by m_b: the rows change
    expect(Math.max(...a.jac[0].map((v, i) => Math.abs(v - b.jac[0][i])))).to.be.greaterThan(1e-4);
    expect(pairIndex(1, 2, K)).to.equal(4);
  });

  it('flop model picks per-example for large P and direct for P = 1', () => {
    const big = convContractionFlops(64, 49, 576, 64, 10);
    expect(big.perExample).to.be.lessThan(big.direct);
    const one = convContractionFlops(64, 1, 576, 64, 10);
    expect(one.direct).to.be.lessThan(one.perExample);
  });

  it('planner: accepts conv/dense chains, rejects what it cannot contract with a reason', async () => {
    await initBackend('cpu');
    const ok = convNet('a');
    const vars = (m: tf.LayersModel) => m.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(planLayerChain(ok, vars(ok))).to.not.equal(null);
    expect(planDenseChain(ok, vars(ok)), 'planDenseChain stays Dense-only').to.equal(null);
    const dense = convNet('c');
    expect(planDenseChain(dense, vars(dense))?.steps.map((st) => st.kind)).to.deep.equal(['flatten', 'dense', 'activation', 'dense']);
    dense.dispose();
    const cases: [string, () => tf.Sequential, RegExp][] = [
      ['max pooling', () => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: IN, filters: 2, kernelSize: 2 }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: K })] }), /MaxPooling2D/],
      ['dilation', () => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: IN, filters: 2, kernelSize: 2, dilationRate: 2 }), tf.layers.flatten(), tf.layers.dense({ units: K })] }), /dilated/],
      ['dense on rank-4', () => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: IN, filters: 2, kernelSize: 2 }), tf.layers.dense({ units: K })] }), /Dense layer gets a rank-4/],
      ['softmax', () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: K, activation: 'softmax' })] }), /softmax/],
    ];
    for (const [name, make, re] of cases) {
      const m = make();
      const r = explainLayerChain(m, vars(m));
      expect(r.plan, name).to.equal(null);
      expect(r.reason, name).to.match(re);
      m.dispose();
    }
    const frozen = convNet('a');
    frozen.layers[0].trainable = false;
    expect(explainLayerChain(frozen, vars(frozen)).reason).to.match(/frozen|trainable/);
    frozen.dispose();
    ok.dispose();
  });

  it('chainJacobians rejects a wrong input shape, mask or option with a clear error', async () => {
    await initBackend('cpu');
    const m = convNet('a');
    const v = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const plan = planLayerChain(m, v)!;
    const bad = tf.zeros([2, 5, 6, 2]);
    expect(() => chainJacobians(plan, bad, v)).to.throw(/input shape \[5,6,2\] does not match the model input \[6,6,2\]/);
    const x = tf.zeros([2, ...IN]);
    const mask = tf.ones([3]) as tf.Tensor1D;
    expect(() => chainJacobians(plan, x, v, mask)).to.throw(/mask must be \[2\]/);
    expect(() => chainJacobians(plan, x, v, undefined, { maxBlockElements: 0 })).to.throw(/maxBlockElements must be >= 1/);
    expect(() => chainJacobians(plan, x, v, undefined, { conv: 'im2col' as 'auto' })).to.throw(/unknown conv mode 'im2col'/);
    [bad, x, mask].forEach((t) => t.dispose());
    m.dispose();
  });

  it('SpectralNetwork: picks the contraction path for a conv net, trains like per-pair, and names what is supported otherwise', async () => {
    await initBackend('cpu');
    const { x: xd } = inputs();
    const ws: number[][][] = [];
    for (const jacobian of ['auto', 'per-pair'] as const) {
      const m = convNet('a');
      const net = new SpectralNetwork({ k: K, model: m, operator: slownessOperator(), optimizer: tf.train.sgd(0.05), decay: 0.3, jacobian });
      expect(net.diagnostics().jacobianPath).to.equal(jacobian === 'auto' ? 'contraction' : 'per-pair');
      for (let s = 0; s < 3; s++) {
        const x = tf.tensor(xd.map((v, i) => v + 0.01 * s * Math.sin(i)), [B, ...IN]);
        const xn = tf.tensor(xd.map((v, i) => v + 0.1 * Math.cos(i + s)), [B, ...IN]);
        net.step({ x, xNext: xn });
        x.dispose(); xn.dispose();
      }
      ws.push(m.getWeights().map((w) => Array.from(w.dataSync())));
      net.dispose(); m.dispose();
    }
    ws[0].forEach((arr, i) => arr.forEach((v, j) => expect(v).to.be.closeTo(ws[1][i][j], 1e-4)));
    const pool = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: IN, filters: 2, kernelSize: 2 }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: K })] });
    let err: Error | null = null;
    try { new SpectralNetwork({ k: K, model: pool, operator: slownessOperator(), jacobian: 'contraction' }); } catch (e) { err = e as Error; }
    expect(err?.message).to.contain(CONTRACTION_SUPPORTED);
    expect(err?.message).to.contain('MaxPooling2D');
    const auto = new SpectralNetwork({ k: K, model: pool, operator: slownessOperator() });
    expect(auto.diagnostics().jacobianPath).to.equal('per-pair');
    auto.dispose();
    pool.dispose();
  });
});
