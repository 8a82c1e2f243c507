// Replay buffer, scoring and the SpIN estimator pieces against exact quantities on small grids.
import { expect } from 'chai';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { ReplayBuffer } from '../src/data/replay';
import type { Env } from '../src/env';
import { randomWalkLaplacian } from '../src/mdp';
import { symmetricEigen } from '../src/linalg';
import { eigenspaceOf, exactSpectrum, scoreEigenvectors } from '../src/learners/scoring';
import { initBackend } from '../src/backend';
import { SpectralNetwork, slownessOperator } from '../src/spin';
import { requireShared, sharedDir } from './helpers/shared';

const ALLO = path.join(sharedDir(), 'layouts', 'allo');

function replayOf(world: GridWorld, observation: 'xy' | 'onehot' | 'pixels', transitions: number, seed: number): ReplayBuffer {
  const env = new GridEnv(world, { observation, start: 'uniform', maxSteps: 50, seed });
  return new ReplayBuffer(env, { transitions, seed });
}

describe('replay buffer', () => {
  it('is deterministic per seed, differs across seeds, and its sampler state replays batches', async () => {
    const world = GridWorld.fromName('fourrooms');
    const a = replayOf(world, 'xy', 2000, 3);
    const b = replayOf(world, 'xy', 2000, 3);
    const c = replayOf(world, 'xy', 2000, 4);
    expect(Buffer.from(a.rows.buffer).equals(Buffer.from(b.rows.buffer))).to.equal(true);
    expect(Buffer.from(a.observations.buffer).equals(Buffer.from(b.observations.buffer))).to.equal(true);
    expect(Buffer.from(a.rows.buffer).equals(Buffer.from(c.rows.buffer))).to.equal(false);
    const st = a.samplerState();
    const first = await a.nextBatch(64);
    a.restoreSamplerState(st);
    const again = await a.nextBatch(64);
    expect(Array.from(again.x)).to.deep.equal(Array.from(first.x));
    expect(Array.from(again.xNext)).to.deep.equal(Array.from(first.xNext));
    expect(first.x.length).to.equal(64 * 2);
  });

  it("discounted pairs (ALLO's sampling): x_t+k with k inside the episode, k distributed as the truncated geometric law", () => {
    // an env whose observation is the step count inside the episode, so x' - x = k
    let t = 0;
    const counter: Env<Float32Array> = {
      actionCount: 2,
      observationShape: [1],
      reset: () => ((t = 0), { observation: Float32Array.of(0), info: {} }),
      step: () => ({ observation: Float32Array.of(++t), reward: 0, terminated: false, truncated: false, info: {} }),
    };
    const H = 50;
    const buf = new ReplayBuffer(counter, { transitions: 20 * H, episodeLength: H, seed: 1 });
    const g = 0.9;
    const n = 200_000;
    const { rows, nextRows } = buf.sampleRows(n, g);
    const value = (r: number): number => buf.observations[r];
    const counts = new Float64Array(H + 1);
    for (let i = 0; i < n; i++) {
      const x = value(rows[i]);
      const k = value(nextRows[i]) - x;
      expect(k, `pair ${i}`).to.be.within(1, H - x);
      counts[k]++;
    }
    // P(k) = (1/H) sum over start steps s of (1 - g) g^(k-1) / (1 - g^(H - s)) for k <= H - s
    for (let k = 1; k <= 12; k++) {
      let p = 0;
      for (let st = 0; st < H; st++) if (k <= H - st) p += ((1 - g) * Math.pow(g, k - 1)) / (1 - Math.pow(g, H - st)) / H;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(counts[k] - n * p), `k = ${k}: ${counts[k]} against ${(n * p).toFixed(0)}`).to.be.below(4 * sd);
    }
    // discount 0 is the consecutive pair; a discount outside [0, 1) is refused
    const one = buf.sampleRows(1000, 0);
    for (let i = 0; i < 1000; i++) expect(value(one.nextRows[i]) - value(one.rows[i])).to.equal(1);
    expect(() => buf.sampleRows(4, 1)).to.throw(/pair discount must be in \[0, 1\)/);
  });

  it('holds episodes of 50 steps of valid random-walk moves between observations', () => {
    const world = GridWorld.fromName('fourrooms');
    const buf = replayOf(world, 'xy', 1000, 1);
    // decode observations back to cells (test-side only) and check each transition is a legal move
    const cellOf = (row: number): number => {
      const r = Math.round(((buf.observations[row * 2] + 1) / 2) * (world.layout.rows - 1));
      const c = Math.round(((buf.observations[row * 2 + 1] + 1) / 2) * (world.layout.cols - 1));
      return world.stateAt(r, c);
    };
    let breaks = 0;
    for (let t = 0; t < buf.size; t++) {
      const s = cellOf(buf.rows[t]);
      const s2 = cellOf(buf.nextRows[t]);
      expect(s).to.be.at.least(0);
      expect(world.nextTable[s * 4 + buf.actions[t]]).to.equal(s2);
      if (t + 1 < buf.size && buf.rows[t + 1] !== buf.nextRows[t]) breaks++;
      if ((t + 1) % 50 !== 0 && t + 1 < buf.size) expect(buf.rows[t + 1]).to.equal(buf.nextRows[t]);
    }
    // a new episode starts every 50 steps (a fresh uniform start can coincide with the last cell)
    expect(breaks).to.be.within(15, 19);
  });

  it('replayed pairs estimate the slowness operator 2(I - P) with uniform state marginals', function () {
    if (!requireShared(this, ALLO)) return;
    const world = GridWorld.fromName(path.join(ALLO, 'GridMaze-7.mdp'));
    const n = world.numStates;
    const buf = replayOf(world, 'onehot', 200_000, 0);
    // one-hot rows: Pi over the whole buffer is sum over transitions of (e_s - e_s')(e_s - e_s')^T / N
    const stateOfRow = (row: number): number => buf.observations.subarray(row * n, (row + 1) * n).indexOf(1);
    const Pi = new Float64Array(n * n);
    const marg = new Float64Array(n);
    for (let t = 0; t < buf.size; t++) {
      const s = stateOfRow(buf.rows[t]);
      const s2 = stateOfRow(buf.nextRows[t]);
      marg[s] += 1 / buf.size;
      if (s === s2) continue;
      Pi[s * n + s] += 1 / buf.size;
      Pi[s2 * n + s2] += 1 / buf.size;
      Pi[s * n + s2] -= 1 / buf.size;
      Pi[s2 * n + s] -= 1 / buf.size;
    }
    const L = randomWalkLaplacian(world);
    let err = 0;
    for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(Pi[i] - (2 * L[i]) / n));
    for (let s = 0; s < n; s++) expect(marg[s]).to.be.closeTo(1 / n, 0.1 / n);
    expect(err).to.be.below(0.1 * (2 / n) * 0.5);
  });
});

describe('scoring with degenerate eigenvalues', () => {
  it('projection is rotation-invariant inside a repeated eigenvalue; |cos| is not', function () {
    if (!requireShared(this, ALLO)) return;
    const world = GridWorld.fromName(path.join(ALLO, 'GridRoom-1.mdp')); // a square room: lambda_2 = lambda_3
    const n = world.numStates;
    const L = randomWalkLaplacian(world);
    const ex = exactSpectrum(L, n);
    expect(eigenspaceOf(ex.values, 1)).to.deep.equal([1, 2]);
    const c = Math.cos(0.6);
    const s = Math.sin(0.6);
    const v2 = ex.vectors[1].map((x, i) => c * x + s * ex.vectors[2][i]);
    const v3 = ex.vectors[1].map((x, i) => -s * x + c * ex.vectors[2][i]);
    // a vector mixed across two different eigenvalues (e4 and e5 of the room differ)
    expect(Math.abs(ex.values[3] - ex.values[4])).to.be.above(1e-6);
    const v4 = ex.vectors[3].map((x, i) => 0.8 * x + 0.6 * ex.vectors[4][i]);
    const sc = scoreEigenvectors([ex.vectors[0].map((x) => -3 * x), v2, v3, v4], ex, L, n);
    expect(sc.projection[0]).to.be.closeTo(1, 1e-12);
    expect(sc.projection[1]).to.be.closeTo(1, 1e-12);
    expect(sc.projection[2]).to.be.closeTo(1, 1e-12);
    expect(sc.cosine[1]).to.be.closeTo(c, 1e-12);
    expect(sc.cosine[2]).to.be.closeTo(c, 1e-12);
    expect(sc.cosine[3]).to.be.closeTo(0.8, 1e-12);
    expect(sc.projection[3]).to.be.closeTo(0.8, 1e-12);
    // the span is e1, e2, e3 and a mix of e4 and e5: Ritz values are l1, l2, l3 and 0.64 l4 + 0.36 l5
    const r = symmetricEigen(L, n).values;
    expect(sc.ritz[0]).to.be.closeTo(r[0], 1e-10);
    expect(sc.ritz[1]).to.be.closeTo(r[1], 1e-10);
    expect(sc.ritz[3]).to.be.closeTo(0.64 * r[3] + 0.36 * r[4], 1e-10);
  });
});

describe('SpIN estimator pieces on a small grid', () => {
  before(async () => {
    await initBackend();
  });

  it('Sigma, Pi, eigenvalues and the demixing L^-1 u agree with the exact eigenvectors of I - P', function () {
    if (!requireShared(this, ALLO)) return;
    const world = GridWorld.fromName(path.join(ALLO, 'GridMaze-7.mdp'));
    const n = world.numStates;
    const k = 4;
    const L = randomWalkLaplacian(world);
    const ex = symmetricEigen(L, n);
    // linear one-hot model whose outputs are a lower-triangular mix of the exact eigenvectors
    // (u_j = sum_{i<=j} M_ji e_i): the demixing must undo it, in order
    const M = [
      [2, 0, 0, 0],
      [0.5, 1.5, 0, 0],
      [-0.3, 0.4, 1, 0],
      [0.2, 0.1, -0.7, 3],
    ];
    const W = new Float32Array(n * k);
    for (let s = 0; s < n; s++) for (let j = 0; j < k; j++) for (let i = 0; i <= j; i++) W[s * k + j] += M[j][i] * ex.vectors[i][s] * Math.sqrt(n);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: k, useBias: false, inputShape: [n], weights: [tf.tensor2d(W, [n, k])] })] });
    const net = new SpectralNetwork({ k, model, operator: slownessOperator(), optimizer: tf.train.sgd(0), decay: 1, estimator: 'sigma-average' });
    // every (s, a) once: the exact expectation of uniform-state random-walk pairs
    const xs: number[] = [];
    const ys: number[] = [];
    for (let s = 0; s < n; s++) for (let a = 0; a < 4; a++) {
      xs.push(s);
      ys.push(world.nextTable[s * 4 + a]);
    }
    const eye = tf.eye(n);
    const x = tf.gather(eye, tf.tensor1d(xs, 'int32'));
    const xNext = tf.gather(eye, tf.tensor1d(ys, 'int32'));
    net.step({ x, xNext });
    // Sigma = M M^T (eigenvectors orthonormal under the uniform measure after the sqrt(n) scaling)
    const sig = net.sigma() as Float64Array;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let mm = 0;
        for (let i = 0; i < k; i++) mm += M[a][i] * M[b][i];
        expect(sig[a * k + b]).to.be.closeTo(mm, 1e-4);
      }
    const ev = net.eigenvalues();
    for (let i = 0; i < k; i++) expect(ev[i]).to.be.closeTo(2 * ex.values[i], 1e-4);
    const f = net.features(eye);
    const fd = f.dataSync();
    for (let j = 0; j < k; j++) {
      let dotp = 0;
      let nn = 0;
      for (let s = 0; s < n; s++) {
        dotp += fd[s * k + j] * ex.vectors[j][s];
        nn += fd[s * k + j] ** 2;
      }
      expect(Math.abs(dotp) / Math.sqrt(nn)).to.be.closeTo(1, 1e-5);
    }
    [f, x, xNext, eye].forEach((t) => t.dispose());
    net.dispose();
    model.dispose();
  });
});

describe('spin on replay: final Rayleigh-Ritz with the buffer statistics', () => {
  it('with as many outputs as states (a linear one-hot model spans everything) returns the eigenvectors of the buffer empirical operator', async function () {
    if (!requireShared(this, ALLO)) return;
    const { trainSpinReplay } = await import('../src/learners/spin-replay');
    const world = GridWorld.fromName(path.join(ALLO, 'GridMaze-7.mdp'));
    const n = world.numStates;
    const buf = replayOf(world, 'onehot', 20_000, 5);
    // independent truth: Pi v = lambda Sigma v over one-hot states, counted from the buffer's transitions
    const stateOfRow = (row: number): number => buf.observations.subarray(row * n, (row + 1) * n).indexOf(1);
    const S = new Float64Array(n * n);
    const P = new Float64Array(n * n);
    for (let t = 0; t < buf.size; t++) {
      const a = stateOfRow(buf.rows[t]);
      const b = stateOfRow(buf.nextRows[t]);
      S[a * n + a] += 1 / buf.size;
      if (a === b) continue;
      P[a * n + a] += 1 / buf.size;
      P[b * n + b] += 1 / buf.size;
      P[a * n + b] -= 1 / buf.size;
      P[b * n + a] -= 1 / buf.size;
    }
    // S^-1/2 P S^-1/2 w = lambda w, v = S^-1/2 w
    const d = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(S[i * n + i]));
    const M = P.map((v, idx) => v * d[Math.floor(idx / n)] * d[idx % n]);
    const ev = symmetricEigen(M, n);
    const { model } = await trainSpinReplay(buf, n, { hidden: [], steps: 50, maxSeconds: 60, observation: 'onehot' });
    try {
      const eye = new Float32Array(n * n);
      for (let i = 0; i < n; i++) eye[i * n + i] = 1;
      const f = await model.evaluate(eye, n);
      for (let j = 0; j < n; j++) {
        const v = ev.vectors[j].map((x, i) => x * d[i]);
        let dotp = 0;
        let a2 = 0;
        let b2 = 0;
        for (let s = 0; s < n; s++) {
          dotp += f[s * n + j] * v[s];
          a2 += f[s * n + j] ** 2;
          b2 += v[s] ** 2;
        }
        expect(Math.abs(dotp) / Math.sqrt(a2 * b2), `vector ${j + 1}`).to.be.closeTo(1, 1e-4);
        expect(model.eigenvalues[j]).to.be.closeTo(ev.values[j] / 2, 1e-5);
      }
    } finally {
      model.dispose();
    }
  });
});
