// DQN eigenoptions (agents/option_dqn.ts) against exact truth: on a deterministic chain whose
// eigenpurposes and optimal Q-values are computed here by value iteration, the offline DQN recovers
// Q*, its greedy option walks to the end its eigenfunction rises towards and terminates there; a
// transition into a lost life is valued as the reward minus the penalty, with no bootstrap; stall
// termination and bad input.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { SpinEigenfunctions } from '../src/spin/model';
import { DqnEigenoption, OptionQ, OptionQEvaluator, OptionTransitions, eigenoptionSpecs, trainOptionQ } from '../agents/option_dqn';

// chain 0 .. N-1; actions 0 = stay, 1 = left, 2 = right (walls at the ends); e1 = 1, e2(s) = s / (N - 1)
const N = 6;
const A = 3;
const move = (s: number, a: number): number => (a === 1 ? Math.max(0, s - 1) : a === 2 ? Math.min(N - 1, s + 1) : s);
const e2 = (s: number): number => s / (N - 1);

/** Every (s, a) once, as frame 2t (state s) -> frame 2t + 1 (its successor); features one-hot. */
function chainData(killAt?: { s: number; a: number }): OptionTransitions {
  const pairs: [number, number, number][] = [];
  for (let s = 0; s < N; s++) for (let a = 0; a < A; a++) pairs.push([s, a, move(s, a)]);
  const count = 2 * pairs.length;
  const features = new Float32Array(count * N);
  const values = new Float64Array(count * 2);
  const next = new Int32Array(count).fill(-1);
  const action = new Int32Array(count);
  const lifeLost = new Uint8Array(count);
  pairs.forEach(([s, a, t], p) => {
    for (const [f, st] of [[2 * p, s], [2 * p + 1, t]]) {
      features[f * N + st] = 1;
      values[f * 2] = 1;
      values[f * 2 + 1] = e2(st);
    }
    next[2 * p] = 2 * p + 1;
    action[2 * p] = a;
    if (killAt && killAt.s === s && killAt.a === a) lifeLost[2 * p] = 1;
  });
  return { features, width: N, values, k: 2, next, action, lifeLost, actionCount: A, count };
}

/** Q* of the eigenpurpose sign * (e2(s') - e2(s)) by value iteration (a lost life: r - penalty, no future). */
function exactQ(sign: number, gamma: number, penalty: number, killAt?: { s: number; a: number }): Float64Array {
  let q = new Float64Array(N * A);
  for (let it = 0; it < 2000; it++) {
    const nq = new Float64Array(N * A);
    for (let s = 0; s < N; s++) for (let a = 0; a < A; a++) {
      const t = move(s, a);
      const r = sign * (e2(t) - e2(s));
      if (killAt && killAt.s === s && killAt.a === a) nq[s * A + a] = r - penalty;
      else nq[s * A + a] = r + gamma * Math.max(...Array.from({ length: A }, (_, b) => q[t * A + b]));
    }
    q = nq;
  }
  return q;
}

function oneHot(s: number): Float32Array {
  const f = new Float32Array(N);
  f[s] = 1;
  return f;
}

describe('DQN eigenoptions (agents/option_dqn.ts)', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend();
  });

  const cfg = { gamma: 0.8, steps: 3000, batchSize: 64, targetEvery: 50, learningRate: 3e-3, hidden: 64, seed: 1 };

  it('recovers the exact Q-values of +e2 and -e2 on a chain, and the greedy options walk to their ends and stop there', async () => {
    const specs = eigenoptionSpecs(2, 2);
    expect(specs).to.deep.equal([{ eigenIndex: 1, sign: 1 }, { eigenIndex: 1, sign: -1 }]);
    const { q, finalLoss } = await trainOptionQ(chainData(), specs, cfg);
    try {
      expect(finalLoss).to.be.below(1e-3);
      const feats = new Float32Array(N * N);
      for (let s = 0; s < N; s++) feats[s * N + s] = 1;
      const learned = q.values(feats, N);
      for (const [o, sign] of [[0, 1], [1, -1]]) {
        const exact = exactQ(sign, cfg.gamma, 1);
        for (let s = 0; s < N; s++) for (let a = 0; a < A; a++) expect(learned[(s * 2 + o) * A + a]).to.be.closeTo(exact[s * A + a], 0.02, `option ${o} Q(${s}, ${a})`);
      }
      // run both options on the chain through the Option interface
      let state = 0;
      const evaluator = new OptionQEvaluator<Float32Array>(q, async (x) => ({ features: x, values: Float64Array.of(1, e2(x.indexOf(1))) }));
      const up = new DqnEigenoption(evaluator, 0, { terminationValue: 0.05, maxSteps: 100, stallSteps: 4, stallTolerance: 0.01 });
      const down = new DqnEigenoption(evaluator, 1, { terminationValue: 0.05, maxSteps: 100, stallSteps: 4, stallTolerance: 0.01 });
      expect(up.name).to.equal('+e2');
      expect(down.name).to.equal('-e2');
      for (const [opt, end] of [[up, N - 1], [down, 0]] as [DqnEigenoption<Float32Array>, number][]) {
        let obs = oneHot(state);
        await opt.prepare(obs);
        expect(opt.available(obs)).to.equal(true);
        opt.begin(obs);
        const path = [state];
        for (;;) {
          await opt.prepare(obs);
          if (opt.terminates(obs)) break;
          state = move(state, opt.act(obs));
          path.push(state);
          obs = oneHot(state);
          expect(path.length).to.be.below(20);
        }
        opt.end();
        expect(state).to.equal(end);
        // straight there: one cell per step
        expect(path.length).to.equal(N);
        await opt.prepare(obs);
        expect(opt.available(obs)).to.equal(false);
      }
    } finally {
      q.dispose();
    }
  });

  it('values a transition into a lost life as reward minus the penalty, with no bootstrap', async () => {
    const kill = { s: 3, a: 2 };
    const { q } = await trainOptionQ(chainData(kill), eigenoptionSpecs(1, 2), { ...cfg, lifeLossPenalty: 2 });
    try {
      const exact = exactQ(1, cfg.gamma, 2, kill);
      const learned = q.values(oneHot(3), 1);
      for (let a = 0; a < A; a++) expect(learned[a]).to.be.closeTo(exact[3 * A + a], 0.03, `Q(3, ${a})`);
      // the option no longer steps right at 3 (it would die), though right is where e2 rises
      expect(exact[3 * A + 2]).to.be.below(exact[3 * A + 0]);
      expect(learned[2]).to.be.below(Math.max(learned[0], learned[1]));
    } finally {
      q.dispose();
    }
  });

  it('terminates a run whose eigenpurpose stops rising (stall), however high its Q-values', async () => {
    // a hand-set head: Q(x, stay) = 1 everywhere, the other actions 0
    const input = tf.input({ shape: [N] });
    const out = tf.layers.dense({ units: A, useBias: true, kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 0 }) }).apply(input) as tf.SymbolicTensor;
    const head = tf.model({ inputs: input, outputs: out });
    head.layers[1].setWeights([tf.zeros([N, A]), tf.tensor1d([1, 0, 0])]);
    const q = new OptionQ(head, eigenoptionSpecs(1, 2), A, N);
    try {
      const evaluator = new OptionQEvaluator<Float32Array>(q, async (x) => ({ features: x, values: Float64Array.of(1, e2(x.indexOf(1))) }));
      const opt = new DqnEigenoption(evaluator, 0, { terminationValue: 0.05, maxSteps: 100, stallSteps: 5, stallTolerance: 0.01 });
      const obs = oneHot(2);
      await opt.prepare(obs);
      opt.begin(obs);
      let steps = 0;
      for (;;) {
        await opt.prepare(obs);
        if (opt.terminates(obs)) break;
        expect(opt.act(obs)).to.equal(0);
        steps++;
      }
      expect(steps).to.equal(5);
      // an observation that was not prepared is refused
      expect(() => opt.act(oneHot(4))).to.throw(/not prepared/);
    } finally {
      q.dispose();
    }
  });

  it("SpinEigenfunctions.featuresAndValues: the input of the output layer, which through it and the demixing gives evaluate(), and evaluate()'s values from the same pass", async () => {
    const input = tf.input({ shape: [3] });
    const h = tf.layers.dense({ units: 5, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.randomNormal({ seed: 4 }), biasInitializer: tf.initializers.constant({ value: 0.3 }) }).apply(h) as tf.SymbolicTensor;
    const demix = Float64Array.of(0.5, -1, 2, 0.25);
    const m = new SpinEigenfunctions({ learner: 'spin', model: tf.model({ inputs: input, outputs: out }), demix, eigenvalues: Float64Array.of(0, 0.1), observation: 'test', observationShape: [3], inputScale: 0.5 });
    try {
      const x = Float32Array.of(1, -2, 3, 0.5, 0.5, -1);
      const { features, width, values } = await m.featuresAndValues(x, 2);
      expect(width).to.equal(5);
      const [W, bias] = m.model.layers[m.model.layers.length - 1].getWeights().map((t) => t.dataSync());
      // by hand: the hidden layer on x * inputScale, then the output layer and the demixing
      const [W1, b1] = m.model.layers[1].getWeights().map((t) => t.dataSync());
      const e = await m.evaluate(x, 2);
      expect(Array.from(values)).to.deep.equal(Array.from(e));
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 5; j++) {
          let a = b1[j];
          for (let d = 0; d < 3; d++) a += 0.5 * x[i * 3 + d] * W1[d * 5 + j];
          expect(features[i * 5 + j]).to.be.closeTo(Math.max(0, a), 1e-5);
        }
        const u = [0, 1].map((o) => bias[o] + [0, 1, 2, 3, 4].reduce((acc, j) => acc + features[i * 5 + j] * W[j * 2 + o], 0));
        for (let c = 0; c < 2; c++) expect(e[i * 2 + c]).to.be.closeTo(u[0] * demix[c] + u[1] * demix[2 + c], 1e-5);
      }
      await expectReject(m.featuresAndValues(x, 3), /expected 3 observations/);
    } finally {
      m.dispose();
    }
  });

  it('refuses bad transitions and settings with errors naming them', async () => {
    const d = chainData();
    await expectReject(trainOptionQ({ ...d, action: d.action.map((a, i) => (i === 0 ? 7 : a)) }, eigenoptionSpecs(1, 2), cfg), /action\[0\] = 7/);
    await expectReject(trainOptionQ({ ...d, next: new Int32Array(d.count).fill(-1) }, eigenoptionSpecs(1, 2), cfg), /no transitions/);
    await expectReject(trainOptionQ(d, [{ eigenIndex: 5, sign: 1 }], cfg), /eigenIndex 5/);
    await expectReject(trainOptionQ(d, eigenoptionSpecs(1, 2), { ...cfg, gamma: 1 }), /gamma/);
    await expectReject(trainOptionQ({ ...d, features: d.features.subarray(1) }, eigenoptionSpecs(1, 2), cfg), /features/);
    expect(() => eigenoptionSpecs(4, 2)).to.throw(/eigenfunctions/);
  });
});

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail(`expected a rejection matching ${re}`);
}
