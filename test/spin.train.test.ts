// The SpIN training loop: ScheduledAdam against TF.js's Adam, bit-identical resume from a checkpoint
// folder (one go vs half + checkpoint + fresh objects + resume), clear errors on corrupt checkpoints,
// the seed driving initialisation and minibatches, stops and schedules.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { Rng } from '../src/rng';
import type { TransitionBatch, TransitionSource } from '../src/data/transitions';
import { buildMlp } from '../src/models/networks';
import { CHECKPOINT_INDEX, ScheduledAdam, SpectralNetwork, cosineSchedule, readSpinCheckpoint, slownessOperator, trainSpin, transitionBatches } from '../src/spin';
import type { SpinBatch, SpinBatchSource, TrainLogRecord } from '../src/spin';

const N = 10;

/** Lazy random walk on a path of N states (one-hot observations), sampled from its own stream. */
class WalkSource implements TransitionSource<Float32Array> {
  readonly observationShape = [N];
  readonly size = Infinity;
  private readonly rng: Rng;
  constructor(seed: number) { this.rng = Rng.mulberry(seed); }
  async nextBatch(batchSize: number): Promise<TransitionBatch<Float32Array>> {
    const x = new Float32Array(batchSize * N), xNext = new Float32Array(batchSize * N);
    for (let b = 0; b < batchSize; b++) {
      const s = this.rng.int(N), r = this.rng.next();
      const t = Math.min(Math.max(s + (r < 0.25 ? -1 : r < 0.5 ? 1 : 0), 0), N - 1);
      x[b * N + s] = 1; xNext[b * N + t] = 1;
    }
    return { size: batchSize, x, xNext };
  }
  samplerState(): number[] { return [this.rng.state]; }
  restoreSamplerState(state: readonly number[]): void { this.rng.state = state[0]; }
}

const toTensors = (b: TransitionBatch): SpinBatch => ({ x: tf.tensor2d(b.x as Float32Array, [b.size, N]), xNext: tf.tensor2d(b.xNext as Float32Array, [b.size, N]) });

/** Walk batches drawn from the network's own RNG. */
function netWalk(net: SpectralNetwork, batch: number): SpinBatchSource {
  const src = { rng: net.rng };
  return {
    next: () => {
      const xs: number[] = [], ys: number[] = [];
      for (let b = 0; b < batch; b++) {
        const s = src.rng.int(N), r = src.rng.next();
        xs.push(s); ys.push(Math.min(Math.max(s + (r < 0.25 ? -1 : r < 0.5 ? 1 : 0), 0), N - 1));
      }
      return tf.tidy(() => ({ x: tf.oneHot(tf.tensor1d(xs, 'int32'), N).toFloat(), xNext: tf.oneHot(tf.tensor1d(ys, 'int32'), N).toFloat() }));
    },
  };
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

async function rejects(p: Promise<unknown> | (() => unknown), re: RegExp): Promise<void> {
  let err: Error | null = null;
  try { await (typeof p === 'function' ? p() : p); } catch (e) { err = e as Error; }
  expect(err?.message).to.match(re);
}

describe('spin: training loop and checkpoints', function () {
  this.timeout(120000);
  let dir = '';
  before(async () => { await initBackend(); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spin-train-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('ScheduledAdam takes the same steps as tf.train.adam, bit for bit; its saved state resumes exactly', async () => {
    const run = (opt: tf.Optimizer, steps: number, v: tf.Variable) => {
      for (let i = 0; i < steps; i++) {
        const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(tf.sub(v, tf.tensor1d([1, -2, 3]))), tf.tensor1d([1, 5, 0.3]))) as tf.Scalar, [v]);
        opt.applyGradients(grads);
        tf.dispose(grads);
      }
    };
    const a = tf.variable(tf.tensor1d([0.5, 0.25, -1]));
    const b = tf.variable(tf.tensor1d([0.5, 0.25, -1]));
    const ref = tf.train.adam(0.05);
    const ours = new ScheduledAdam(0.05);
    run(ref, 40, a);
    run(ours, 40, b);
    expect(Array.from(b.dataSync())).to.deep.equal(Array.from(a.dataSync()));
    // the saved state (iterations, beta^t products, moments) continues exactly in a fresh optimiser
    const saved = (await ours.getWeights()).map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    const c = tf.variable(b.clone());
    run(ours, 25, b);
    const fresh = new ScheduledAdam(0.05);
    await fresh.setWeights(saved);
    run(fresh, 25, c);
    expect(Array.from(c.dataSync())).to.deep.equal(Array.from(b.dataSync()));
    expect(fresh.iterations).to.equal(65);
    fresh.setLearningRate(0.01);
    expect(fresh.currentLearningRate).to.equal(0.01);
    expect(() => fresh.setLearningRate(-1)).to.throw(/learning rate/);
    [ref, ours, fresh].forEach((o) => o.dispose());
    tf.dispose([a, b, c, ...saved.map((w) => w.tensor)]);
  });

  it('N steps in one go equal N/2 + checkpoint folder + fresh objects + resume (weights, eigenvalues, Jacobian averages, sampler, schedule)', async () => {
    const steps = 40;
    const setup = (initSeed: number) => {
      const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [8], outputs: 3, activation: 'tanh', seed: initSeed });
      const net = new SpectralNetwork({ k: 3, model, operator: slownessOperator(), optimizer: new ScheduledAdam(0.02), decay: 0.1, seed: 5 });
      return { model, net, batches: transitionBatches(new WalkSource(9), 16, toTensors) };
    };
    const schedule = cosineSchedule(0.02, 0.002);
    const a = setup(1);
    const ra = await trainSpin({ net: a.net, batches: a.batches, steps, schedule });
    expect([ra.steps, ra.stoppedBy, ra.resumedFrom]).to.deep.equal([40, 'steps', null]);
    expect(a.net.diagnostics().jacobianPath).to.equal('contraction');

    const b = setup(1);
    await trainSpin({ net: b.net, batches: b.batches, steps, until: (s) => s === steps / 2, schedule, checkpointDir: dir });
    const { checkpoint, sampler } = readSpinCheckpoint(dir);
    expect(checkpoint.step).to.equal(20);
    expect(sampler).to.have.length(1);
    expect(checkpoint.jacobianAvg).to.have.length(4);
    b.net.dispose(); b.model.dispose();

    const c = setup(42); // different initial weights: all of them come from the checkpoint
    const rc = await trainSpin({ net: c.net, batches: c.batches, steps, schedule, checkpointDir: dir, resume: true });
    expect([rc.steps, rc.resumedFrom]).to.deep.equal([40, 20]);
    expect(weightsOf(c.model)).to.deep.equal(weightsOf(a.model));
    expect(Array.from(c.net.eigenvalues())).to.deep.equal(Array.from(a.net.eigenvalues()));
    // the final checkpoint replaced the step-20 files
    const index = JSON.parse(fs.readFileSync(path.join(dir, CHECKPOINT_INDEX), 'utf8')) as { step: number; files: { file: string }[] };
    expect(index.step).to.equal(40);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([CHECKPOINT_INDEX, ...index.files.map((f) => f.file)].sort());
    [a, c].forEach((s) => { s.net.dispose(); s.model.dispose(); });
  });

  it('adaptive clipping: normal steps untouched, an outlier step scaled to clipFactor x the running norm, resumed exactly', async () => {
    const lr = 0.05;
    const setup = (clipFactor?: number) => {
      const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [6], outputs: 2, activation: 'tanh', seed: 3 });
      const net = new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: tf.train.sgd(lr), decay: 1, estimator: 'sigma-average', seed: 4, clipFactor });
      return { model, net };
    };
    const flat = (m: tf.LayersModel): Float64Array => Float64Array.from(weightsOf(m).flat());
    const dist = (a: Float64Array, b: Float64Array): number => Math.sqrt(a.reduce((t, v, i) => t + (v - b[i]) ** 2, 0));
    // with SGD a step's update is -lr g, so the gradient norms are read off the weights: the running
    // average is recomputed here from them by the documented rule (rate 0.01, from the first step)
    const plain = setup();
    const clipped = setup(4);
    const walkA = transitionBatches(new WalkSource(2), 32, toTensors);
    const walkB = transitionBatches(new WalkSource(2), 32, toTensors);
    let avg: number | null = null;
    for (let t = 0; t < 120; t++) {
      const before = flat(clipped.model);
      await trainSpin({ net: plain.net, batches: walkA, steps: t + 1 });
      await trainSpin({ net: clipped.net, batches: walkB, steps: t + 1 });
      const norm = dist(flat(clipped.model), before) / lr;
      avg = avg === null ? norm : avg + 0.01 * (norm - avg);
    }
    expect(clipped.net.diagnostics().clippedSteps).to.equal(0);
    expect(weightsOf(clipped.model)).to.deep.equal(weightsOf(plain.model)); // nothing clipped: the same run
    // an outlier: a minibatch whose x are nearly all one state, so its Sigma is nearly singular and
    // L^-1 (and the masked gradient) huge, as in the rare batches that derailed replay training
    const jump: SpinBatch = { x: tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => (i === 0 ? 4 : 3)), 'int32'), N).toFloat(), xNext: tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => (i === 0 ? 5 : 4)), 'int32'), N).toFloat() };
    const copy = (b: SpinBatch): SpinBatch => ({ x: b.x.clone(), xNext: (b.xNext as tf.Tensor).clone() });
    const beforePlain = flat(plain.model);
    const beforeClipped = flat(clipped.model);
    plain.net.step(copy(jump));
    clipped.net.step(copy(jump));
    const rawNorm = dist(flat(plain.model), beforePlain) / lr;
    const clippedNorm = dist(flat(clipped.model), beforeClipped) / lr;
    expect(rawNorm).to.be.greaterThan(4 * (avg as number));
    expect(clippedNorm / (4 * (avg as number))).to.be.closeTo(1, 1e-3);
    expect(clipped.net.diagnostics().clippedSteps).to.equal(1);
    expect(clipped.net.diagnostics().maxNormRatio).to.be.closeTo(rawNorm / (avg as number), 1e-2 * (rawNorm / (avg as number)));
    tf.dispose([jump.x, jump.xNext as tf.Tensor]);
    // the clipping state is part of the checkpoint: a resumed run clips as the uninterrupted one
    const ckDir = path.join(dir, 'clip');
    const run = async (resumeAt: number | null) => {
      const r = setup(1.05); // a tight factor, so that some steps of the walk are clipped
      const batches = transitionBatches(new WalkSource(7), 8, toTensors);
      if (resumeAt !== null) {
        await trainSpin({ net: r.net, batches, steps: resumeAt, checkpointDir: ckDir });
        const fresh = setup(1.05);
        const batches2 = transitionBatches(new WalkSource(99), 8, toTensors);
        await trainSpin({ net: fresh.net, batches: batches2, steps: 260, checkpointDir: ckDir, resume: true });
        r.net.dispose(); r.model.dispose();
        return fresh;
      }
      await trainSpin({ net: r.net, batches, steps: 260 });
      return r;
    };
    const straight = await run(null);
    const resumed = await run(150);
    expect(straight.net.diagnostics().clippedSteps).to.be.greaterThan(0);
    expect(resumed.net.diagnostics().clippedSteps).to.equal(straight.net.diagnostics().clippedSteps);
    expect(weightsOf(resumed.model)).to.deep.equal(weightsOf(straight.model));
    // a checkpoint without clipping state is refused by a clipping trainer, and bad factors by name
    const noClip = setup();
    await trainSpin({ net: noClip.net, batches: transitionBatches(new WalkSource(1), 8, toTensors), steps: 2, checkpointDir: path.join(dir, 'noclip') });
    const wants = setup(4);
    await rejects(trainSpin({ net: wants.net, batches: transitionBatches(new WalkSource(1), 8, toTensors), steps: 4, checkpointDir: path.join(dir, 'noclip'), resume: true }), /holds no valid clipping state/);
    expect(() => setup(1)).to.throw(/clipFactor must be a finite number > 1, got 1/);
    expect(() => setup(NaN)).to.throw(/clipFactor must be a finite number > 1/);
    [plain, clipped, straight, resumed, noClip, wants].forEach((x) => { x.net.dispose(); x.model.dispose(); });
  });

  it('a class-based batch source keeps its `this` when the loop saves and restores its sampler', async () => {
    class Walk implements SpinBatchSource {
      private readonly src = new WalkSource(13);
      async next(): Promise<SpinBatch> { return toTensors(await this.src.nextBatch(8)); }
      samplerState(): number[] { return this.src.samplerState(); }
      restoreSamplerState(st: readonly number[]): void { this.src.restoreSamplerState(st); }
    }
    const setup = () => {
      const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [4], outputs: 2, activation: 'tanh', seed: 2 });
      return { model, net: new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: new ScheduledAdam(0.02), decay: 0.5, seed: 3 }) };
    };
    const a = setup();
    await trainSpin({ net: a.net, batches: new Walk(), steps: 12 });
    const ckDir = path.join(dir, 'class-source');
    const b = setup();
    await trainSpin({ net: b.net, batches: new Walk(), steps: 5, checkpointDir: ckDir });
    const c = setup();
    await trainSpin({ net: c.net, batches: new Walk(), steps: 12, checkpointDir: ckDir, resume: true });
    expect(weightsOf(c.model)).to.deep.equal(weightsOf(a.model));
    [a, b, c].forEach((x) => { x.net.dispose(); x.model.dispose(); });
  });

  it('a resume whose batch source and checkpoint disagree on keeping a sampler state is refused before anything is restored', async () => {
    const setup = (seed: number) => {
      const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [4], outputs: 2, activation: 'tanh', seed });
      return { model, net: new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: new ScheduledAdam(0.02), decay: 0.5, seed }) };
    };
    // saved by a source that keeps a sampler state
    const withSampler = path.join(dir, 'with-sampler');
    const a = setup(2);
    await trainSpin({ net: a.net, batches: transitionBatches(new WalkSource(1), 8, toTensors), steps: 3, checkpointDir: withSampler });
    // saved by one that draws from the network's RNG (no sampler state)
    const without = path.join(dir, 'without-sampler');
    const b = setup(2);
    await trainSpin({ net: b.net, batches: netWalk(b.net, 8), steps: 3, checkpointDir: without });
    for (const [ckDir, batches, re] of [
      [withSampler, (n: SpectralNetwork) => netWalk(n, 8), /holds a sampler state but this batch source keeps none/],
      [without, () => transitionBatches(new WalkSource(1), 8, toTensors), /keeps a sampler state but the checkpoint .* holds none/],
    ] as [string, (n: SpectralNetwork) => SpinBatchSource, RegExp][]) {
      const c = setup(7); // another seed: a partial restore would change these weights or the step count
      const before = weightsOf(c.model);
      await rejects(trainSpin({ net: c.net, batches: batches(c.net), steps: 6, checkpointDir: ckDir, resume: true }), re);
      expect(c.net.iteration).to.equal(0);
      expect(weightsOf(c.model)).to.deep.equal(before);
      c.net.dispose(); c.model.dispose();
    }
    [a, b].forEach((x) => { x.net.dispose(); x.model.dispose(); });
  });

  it('corrupt or missing checkpoint files give clear errors', async () => {
    const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [], outputs: 2, seed: 1 });
    const net = new SpectralNetwork({ k: 2, model, operator: slownessOperator(), seed: 1 });
    await trainSpin({ net, batches: netWalk(net, 8), steps: 2, checkpointDir: dir });
    const indexFile = path.join(dir, CHECKPOINT_INDEX);
    const good = fs.readFileSync(indexFile, 'utf8');
    const index = JSON.parse(good) as { files: { file: string; shape: number[] }[] };
    const npy = path.join(dir, index.files[0].file);
    const bytes = fs.readFileSync(npy);

    fs.writeFileSync(indexFile, good.slice(0, good.length / 2));
    await rejects(() => readSpinCheckpoint(dir), /index\.json is not valid JSON/);
    fs.writeFileSync(indexFile, JSON.stringify({ ...JSON.parse(good), format: 'something-else' }));
    await rejects(() => readSpinCheckpoint(dir), /not an eigenopt SpIN checkpoint/);
    fs.writeFileSync(indexFile, good);
    fs.writeFileSync(npy, bytes.subarray(0, bytes.length - 4));
    await rejects(() => readSpinCheckpoint(dir), /is corrupt \(npy: file holds less data than shape/);
    fs.writeFileSync(npy, bytes);
    const badShape = JSON.parse(good) as { files: { shape: number[] }[] };
    badShape.files[0].shape = [3, 3];
    fs.writeFileSync(indexFile, JSON.stringify(badShape));
    await rejects(() => readSpinCheckpoint(dir), /the index says float32 \[3,3\]/);
    fs.writeFileSync(indexFile, good);
    fs.rmSync(npy);
    await rejects(() => readSpinCheckpoint(dir), /is missing/);
    await rejects(trainSpin({ net, batches: netWalk(net, 8), steps: 4, checkpointDir: dir, resume: true }), /is missing/);
    await rejects(() => readSpinCheckpoint(path.join(dir, 'nowhere')), /no index\.json/);
    net.dispose(); model.dispose();
  });

  it('the seed drives the initialisation and the minibatches: same seed, same run; another seed, another run', async () => {
    const run = async (initSeed: number, netSeed: number) => {
      const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [6], outputs: 2, activation: 'tanh', seed: initSeed });
      const initial = weightsOf(model);
      const net = new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: new ScheduledAdam(0.01), seed: netSeed });
      const batches = netWalk(net, 8);
      const first = await batches.next();
      const firstX = Array.from(first.x.dataSync());
      tf.dispose([first.x, first.xNext as tf.Tensor]);
      await trainSpin({ net, batches, steps: 5 });
      const out = { initial, firstX, final: weightsOf(model), eig: Array.from(net.eigenvalues()) };
      net.dispose(); model.dispose();
      return out;
    };
    const a = await run(3, 3), same = await run(3, 3), otherInit = await run(4, 3), otherBatches = await run(3, 4);
    expect(same).to.deep.equal(a);
    expect(otherInit.initial).to.not.deep.equal(a.initial);
    expect(otherInit.firstX).to.deep.equal(a.firstX);
    expect(otherInit.final).to.not.deep.equal(a.final);
    expect(otherBatches.initial).to.deep.equal(a.initial);
    expect(otherBatches.firstX).to.not.deep.equal(a.firstX);
    expect(otherBatches.final).to.not.deep.equal(a.final);
  });

  it('stops on steps, time or a condition; logs; applies the schedule; refuses a schedule without a ScheduledOptimizer', async () => {
    const model = buildMlp({ kind: 'mlp', inputDim: N, hidden: [], outputs: 2, seed: 2 });
    const net = new SpectralNetwork({ k: 2, model, operator: slownessOperator(), optimizer: new ScheduledAdam(0.1), seed: 2 });
    const logs: TrainLogRecord[] = [];
    const r1 = await trainSpin({ net, batches: netWalk(net, 8), steps: 5, logEvery: 2, log: (r) => logs.push(r), schedule: cosineSchedule(0.1, 0.001) });
    expect(r1.stoppedBy).to.equal('steps');
    expect(logs.map((l) => l.step)).to.deep.equal([2, 4, 5]);
    // lr before step s (0-based) = 0.001 + 0.0495 (1 + cos(pi s / 4)); the step-4 record carries the rate of step index 3
    expect(logs[1].learningRate).to.be.closeTo(0.001 + 0.0495 * (1 + Math.cos((Math.PI * 3) / 4)), 1e-15);
    expect(logs[2].learningRate).to.be.closeTo(0.001, 1e-15);
    const before = tf.memory().numTensors;
    const r2 = await trainSpin({ net, batches: netWalk(net, 8), steps: 100, until: (s) => s === 7 });
    expect(tf.memory().numTensors, 'no tensors left behind by the loop').to.equal(before);
    expect([r2.steps, r2.stoppedBy]).to.deep.equal([7, 'until']);
    const r3 = await trainSpin({ net, batches: netWalk(net, 8), steps: 1e6, maxSeconds: 1e-3 });
    expect(r3.stoppedBy).to.equal('time');
    expect(r3.steps).to.be.at.least(8);
    const sgdModel = buildMlp({ kind: 'mlp', inputDim: N, hidden: [], outputs: 2, seed: 2 });
    const sgdNet = new SpectralNetwork({ k: 2, model: sgdModel, operator: slownessOperator(), optimizer: tf.train.sgd(0.1) });
    await rejects(trainSpin({ net: sgdNet, batches: netWalk(sgdNet, 8), steps: 2, schedule: cosineSchedule(0.1, 0.01) }), /needs a ScheduledOptimizer/);
    await rejects(trainSpin({ net, batches: netWalk(net, 8), steps: 2, resume: true }), /need checkpointDir/);
    [net, sgdNet].forEach((n) => n.dispose());
    [model, sgdModel].forEach((m) => m.dispose());
  });
});
