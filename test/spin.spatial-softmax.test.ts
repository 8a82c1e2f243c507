// SpatialSoftArgmax (src/spin/layers.ts), the default image front end of SpIN on replay: its output
// against expected coordinates computed by hand, its gradients against the analytic derivative of
// a softmax expectation, a save/load round trip of a SpIN network that contains it, and a short
// pixel run on GridMaze-9.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, nativeKernelStats, nativeKernelsEnabled } from '../src/backend';
import { FixedOffset, SpatialSoftArgmax, pixelCoordinates } from '../src/spin/layers';
import { SpinEigenfunctions, loadSpinEigenfunctions } from '../src/spin/model';
import { SOFT_ARGMAX_FILTERS, buildSpinMlp } from '../src/learners/spin-replay';
import { runLaplacianOnce } from '../cli/benchmark';
import { requireShared, sharedDir } from './helpers/shared';

const ALLO = path.join(sharedDir(), 'layouts', 'allo');

/** [1, H, W, C] feature maps from per-channel H x W arrays. */
function maps(channels: number[][][]): tf.Tensor4D {
  const H = channels[0].length, W = channels[0][0].length, C = channels.length;
  const data = new Float32Array(H * W * C);
  for (let c = 0; c < C; c++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) data[(i * W + j) * C + c] = channels[c][i][j];
  return tf.tensor4d(data, [1, H, W, C]);
}

function layerOn(x: tf.Tensor4D, temperature: number): { layer: SpatialSoftArgmax; y: tf.Tensor } {
  const layer = new SpatialSoftArgmax({ temperature });
  const y = layer.apply(x) as tf.Tensor;
  return { layer, y };
}

describe('spin: SpatialSoftArgmax', function () {
  this.timeout(60000);
  after(async () => { await initBackend(); });

  it('pixel coordinates map the first and last row / column to -1 and 1', () => {
    const g = pixelCoordinates(3, 5);
    // pixel (2, 3): row 1, column -1 + 2 * 3 / 4 = 0.5
    expect(Array.from(g.subarray((2 * 5 + 3) * 2, (2 * 5 + 3) * 2 + 2))).to.deep.equal([1, 0.5]);
    expect(Array.from(g.subarray(0, 2))).to.deep.equal([-1, -1]);
    expect(Array.from(pixelCoordinates(1, 1))).to.deep.equal([0, 0]);
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`outputs each channel's expected (row, column) under its softmax (${backend})`, async () => {
      await initBackend(backend);
      // 3 x 5 image. Channel 1: zero except pixel (2, 3) = ln(15) / beta, so that pixel has softmax
      // weight 15 against 1 for the 14 others (Z = 29). The rows (-1, 0, 1) and columns
      // (-1, -0.5, 0, 0.5, 1) of all 15 pixels sum to 0, so E[row] = (15 * 1 - 1) / 29 = 14 / 29 and
      // E[col] = (15 * 0.5 - 0.5) / 29 = 7 / 29. Channel 2: constant 3, the centroid (0, 0).
      // Channel 3: a spike of 40 at (0, 0), i.e. (-1, -1) to float precision.
      const beta = 2;
      const a = Math.log(15) / beta;
      const zeros = () => Array.from({ length: 3 }, () => new Array<number>(5).fill(0));
      const c1 = zeros(); c1[2][3] = a;
      const c2 = zeros().map((r) => r.map(() => 3));
      const c3 = zeros(); c3[0][0] = 40;
      const x = maps([c1, c2, c3]);
      const { layer, y } = layerOn(x, beta);
      expect(y.shape).to.deep.equal([1, 6]);
      const out = Array.from(y.dataSync());
      const want = [14 / 29, 7 / 29, 0, 0, -1, -1];
      out.forEach((v, i) => expect(v, `output ${i}`).to.be.closeTo(want[i], 1e-5));
      expect(layer.computeOutputShape([null, 3, 5, 3])).to.deep.equal([null, 6]);
      tf.dispose([x, y]);
      layer.dispose();
    });

    it(`gradients equal the analytic derivative of a softmax expectation (${backend})`, async () => {
      await initBackend(backend);
      const H = 4, W = 3, C = 2, beta = 1.5;
      const x = tf.randomUniform([2, H, W, C], -1, 1, 'float32', 11) as tf.Tensor4D;
      const w = tf.randomUniform([2, 2 * C], -1, 1, 'float32', 12);
      const layer = new SpatialSoftArgmax({ temperature: beta });
      layer.apply(x); // builds the layer
      const f = (xx: tf.Tensor) => tf.sum(tf.mul(w, layer.apply(xx) as tf.Tensor)) as tf.Scalar;
      const gx = tf.grad(f)(x);
      const betaVar = layer.trainableWeights[0].read() as tf.Variable;
      const gb = tf.variableGrads(() => f(x), [betaVar]).grads[betaVar.name];
      // d/da_ij of sum_d w_d E[coord_d] = beta p_ij sum_d w_d (coord_d(ij) - E[coord_d]);
      // d/dbeta = sum_ij p_ij a_ij sum_d w_d (coord_d(ij) - E[coord_d])
      const X = x.arraySync() as number[][][][];
      const Wt = w.arraySync() as number[][];
      const G = gx.arraySync() as number[][][][];
      const GB = Array.from(gb.dataSync());
      const grid = pixelCoordinates(H, W);
      for (let c = 0; c < C; c++) {
        let dBeta = 0;
        for (let b = 0; b < 2; b++) {
          let z = 0;
          const p: number[] = [];
          for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) { const e = Math.exp(beta * X[b][i][j][c]); p.push(e); z += e; }
          const mean = [0, 0];
          p.forEach((v, n) => { p[n] = v / z; mean[0] += p[n] * grid[2 * n]; mean[1] += p[n] * grid[2 * n + 1]; });
          for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
            const n = i * W + j;
            const s = Wt[b][2 * c] * (grid[2 * n] - mean[0]) + Wt[b][2 * c + 1] * (grid[2 * n + 1] - mean[1]);
            expect(G[b][i][j][c], `d/da batch ${b} (${i}, ${j}) channel ${c}`).to.be.closeTo(beta * p[n] * s, 1e-5);
            dBeta += p[n] * X[b][i][j][c] * s;
          }
        }
        expect(GB[c], `d/dbeta channel ${c}`).to.be.closeTo(dBeta, 1e-5);
      }
      tf.dispose([x, w, gx, gb]);
      layer.dispose();
    });
  }

  it('with filters, equals a convolution (no bias, same padding) followed by the soft-argmax', async () => {
    await initBackend('wasm');
    const x = tf.randomUniform([3, 5, 6, 1], 0, 1, 'float32', 21) as tf.Tensor4D;
    const conv = new SpatialSoftArgmax({ filters: 4, kernelSize: 3, temperature: 2, seed: 5 });
    const y = conv.apply(x) as tf.Tensor;
    const [kernel, beta] = conv.getWeights();
    expect(kernel.shape).to.deep.equal([3, 3, 1, 4]);
    expect(Array.from(beta.dataSync())).to.deep.equal([2, 2, 2, 2]);
    const plain = new SpatialSoftArgmax({ temperature: 2 });
    const maps = tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same');
    const want = plain.apply(maps) as tf.Tensor;
    expect(y.shape).to.deep.equal([3, 8]);
    const a = y.dataSync(), b = want.dataSync();
    a.forEach((v, i) => expect(v).to.be.closeTo(b[i], 1e-5));
    tf.dispose([x, y, maps, want]);
    conv.dispose();
    plain.dispose();
  });

  it('with filters, output and gradients (kernel, beta, image) on wasm (fused native kernel) equal cpu (TF ops)', async () => {
    const run = async (backend: string) => {
      await initBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomUniform([5, 9, 7, 1], 0, 1, 'float32', 31) as tf.Tensor4D;
        const r = tf.randomUniform([5, 16], -1, 1, 'float32', 32);
        const layer = new SpatialSoftArgmax({ filters: 8, kernelSize: 3, seed: 6 });
        const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, r)) as tf.Scalar;
        const y = layer.apply(x) as tf.Tensor;
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => f(x), vars);
        const gx = tf.grad(f)(x);
        const out = [y, ...vars.map((v) => grads[v.name]), gx].map((t) => Array.from(t.dataSync()));
        layer.dispose();
        return out;
      });
    };
    const before = nativeKernelStats().calls.EigenoptSoftArgmaxConv ?? 0;
    const wasm = await run('wasm');
    if (nativeKernelsEnabled()) expect((nativeKernelStats().calls.EigenoptSoftArgmaxConv ?? 0) - before).to.equal(3);
    const cpu = await run('cpu');
    expect(wasm.map((a) => a.length)).to.deep.equal([5 * 16, 3 * 3 * 8, 8, 5 * 9 * 7]);
    wasm.forEach((a, k) => {
      const scale = Math.max(...cpu[k].map(Math.abs));
      expect(scale, `output ${k}`).to.be.above(0);
      a.forEach((v, i) => expect(Math.abs(v - cpu[k][i]) / scale, `output ${k}[${i}]`).to.be.below(1e-4));
    });
  });

  it('FixedOffset subtracts its fixed offset and is not trained', () => {
    const layer = new FixedOffset({ shape: [2, 3], weights: [tf.tensor2d([[1, 2, 3], [4, 5, 6]])] });
    const x = tf.tensor3d([[[1, 1, 1], [1, 1, 1]], [[0, 2, 4], [6, 8, 10]]]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.arraySync()).to.deep.equal([[[0, -1, -2], [-3, -4, -5]], [[-1, 0, 1], [2, 3, 4]]]);
    expect(layer.trainableWeights).to.have.length(0);
    expect(() => new FixedOffset({ shape: [2, 3] }).apply(tf.input({ shape: [3, 2] }))).to.throw(/does not end in the offset's shape/);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('rejects inputs that are not [B, H, W, C]', () => {
    const layer = new SpatialSoftArgmax();
    expect(() => layer.apply(tf.input({ shape: [5, 4] }))).to.throw(/SpatialSoftArgmax: input must be \[B, H, W, C\]/);
    expect(() => new SpatialSoftArgmax({ temperature: NaN })).to.throw(/temperature must be a finite number/);
  });

  it('a SpIN network with it saves and loads back exactly', async () => {
    await initBackend();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eigenopt-ssm-'));
    try {
      const shape = [6, 7];
      const offset = Float32Array.from({ length: 42 }, (_, i) => (i % 5) / 10);
      const model = buildSpinMlp(shape, 3, [8, 8], 'relu', 4, { torso: 'spatial-softmax', pyramid: [], offset });
      expect(model.layers.some((l) => l instanceof SpatialSoftArgmax)).to.equal(true);
      const off = model.layers.find((l) => l instanceof FixedOffset) as FixedOffset;
      expect(Array.from(off.getWeights()[0].dataSync())).to.deep.equal(Array.from(offset));
      expect(off.trainableWeights).to.have.length(0);
      // every weight away from its initial value (the inverse temperatures included)
      model.setWeights(model.getWeights().map((w, n) => tf.add(w, tf.randomUniform(w.shape, -0.3, 0.3, 'float32', 20 + n))));
      const eig = new SpinEigenfunctions({ learner: 'spin', model, demix: Float64Array.from([1, 0.5, 0, 0, 1, -0.25, 0.1, 0, 1]), eigenvalues: Float64Array.from([0, 0.1, 0.2]), observation: 'pixels', observationShape: shape });
      const count = 5;
      const obs = new Float32Array(count * 42);
      for (let r = 0; r < count; r++) { obs.fill(0.5, r * 42, r * 42 + 7); obs[r * 42 + 7 + 3 * r] = 1; }
      const before = await eig.evaluate(obs, count);
      await eig.save(dir);
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
      expect(JSON.stringify(meta.network)).to.contain('"class_name":"SpatialSoftArgmax"');
      expect(JSON.stringify(meta.network)).to.contain('"class_name":"FixedOffset"');
      const back = await loadSpinEigenfunctions(dir, meta);
      const after = await back.evaluate(obs, count);
      expect(Array.from(after)).to.deep.equal(Array.from(before));
      const w0 = model.getWeights().map((w) => Array.from(w.dataSync()));
      const w1 = back.model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(w1).to.deep.equal(w0);
      const ssm = back.model.layers.find((l) => l instanceof SpatialSoftArgmax) as SpatialSoftArgmax;
      expect(ssm.getConfig().temperature).to.equal(10);
      expect(ssm.filters).to.equal(SOFT_ARGMAX_FILTERS);
      eig.dispose();
      back.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spin from pixels with it on GridMaze-9 reaches avg |cos| >= 0.99 over 5 eigenfunctions in 600 steps', async function () {
    if (!requireShared(this, ALLO)) return;
    const r = await runLaplacianOnce(path.join(ALLO, 'GridMaze-9.mdp'), 'pixels', 'spin', 0, 5, 20_000, { steps: 600, torso: 'spatial-softmax' });
    expect(r.averageCosine).to.be.at.least(0.99);
  });
});
