// Native conv/matmul kernels of the wasm backend (src/backend/native_kernels.ts, native/nn) checked
// against the cpu backend (independent implementation) on random shapes, plus gradients of a small
// conv net, every micro-kernel / thread count available here, and the addon's bounds checks.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, nativeKernelStats, nativeKernelsEnabled, pairEma, pixelCoordinates, setNativeKernelsEnabled, softArgmaxConv } from '../src/backend';
import type { PairSource } from '../src/backend';
import { loadNativeNn, NativeNn } from '../src/backend/native_kernels';

/** Deterministic uniform [-1, 1) data (mulberry32), independent of any backend. */
function randData(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let m = 0, s = 0;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / (s || 1);
}

/** Runs f on the given backend and returns every output's shape and values. */
async function runOn(backend: 'wasm' | 'cpu', f: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; data: Float32Array }[]> {
  await initBackend(backend);
  const outs = tf.tidy(() => {
    const r = f();
    return Array.isArray(r) ? r : [r];
  });
  const res = outs.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
  tf.dispose(outs);
  return res;
}

/** f on wasm (native kernels) vs cpu; asserts shapes equal and values within tol (relative). */
async function compare(f: () => tf.Tensor | tf.Tensor[], tol = 1e-5): Promise<void> {
  const w = await runOn('wasm', f);
  const c = await runOn('cpu', f);
  expect(w.length).to.equal(c.length);
  for (let i = 0; i < w.length; i++) {
    expect(w[i].shape).to.deep.equal(c[i].shape);
    expect(maxRelDiff(w[i].data, c[i].data)).to.be.below(tol);
  }
}

function t4(shape: number[], seed: number): tf.Tensor4D {
  return tf.tensor4d(randData(shape.reduce((a, b) => a * b, 1), seed), shape as [number, number, number, number]);
}
function tn(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randData(shape.reduce((a, b) => a * b, 1), seed), shape);
}

function calls(name: string): number {
  return nativeKernelStats().calls[name] ?? 0;
}
function fallbacks(name: string): number {
  return nativeKernelStats().fallbacks[name] ?? 0;
}

/**
 * The spatial soft-argmax of a stride-1 'same' convolution and its filter gradient, in float64 from
 * the definition: x [B, H, W, C], w [kh, kw, C, F] (flat, row-major), dy [B, 2F]; padding top / left
 * floor((k - 1) / 2) as TF's 'same'.
 */
function softArgmaxConvRef(x: Float32Array, w: Float32Array, dy: Float32Array, [B, H, W, C, kh, kw, F]: number[]): { y: Float64Array; dw: Float64Array } {
  const y = new Float64Array(B * 2 * F), dw = new Float64Array(kh * kw * C * F);
  const pt = Math.floor((kh - 1) / 2), pl = Math.floor((kw - 1) / 2), N = H * W;
  const grid = pixelCoordinates(H, W);
  const xAt = (b: number, i: number, j: number, c: number) => (i >= 0 && i < H && j >= 0 && j < W ? x[((b * H + i) * W + j) * C + c] : 0);
  for (let b = 0; b < B; b++)
    for (let f = 0; f < F; f++) {
      const l = new Float64Array(N);
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++)
              for (let c = 0; c < C; c++) l[i * W + j] += xAt(b, i + ky - pt, j + kx - pl, c) * w[((ky * kw + kx) * C + c) * F + f];
      const m = Math.max(...l);
      const p = l.map((v) => Math.exp(v - m));
      const z = p.reduce((a, v) => a + v, 0);
      let er = 0, ec = 0;
      for (let n = 0; n < N; n++) { p[n] /= z; er += p[n] * grid[2 * n]; ec += p[n] * grid[2 * n + 1]; }
      y[b * 2 * F + 2 * f] = er;
      y[b * 2 * F + 2 * f + 1] = ec;
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) {
          const n = i * W + j;
          const dl = p[n] * (dy[b * 2 * F + 2 * f] * (grid[2 * n] - er) + dy[b * 2 * F + 2 * f + 1] * (grid[2 * n + 1] - ec));
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++)
              for (let c = 0; c < C; c++) dw[((ky * kw + kx) * C + c) * F + f] += xAt(b, i + ky - pt, j + kx - pl, c) * dl;
        }
    }
  return { y, dw };
}

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { x: number[]; w: number[]; s: number | [number, number]; pad: Pad }
const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 11, 3], w: [3, 3, 3, 5], s: 1, pad: 'same' },
  { x: [1, 10, 10, 4], w: [8, 8, 4, 6], s: 4, pad: 'valid' },
  { x: [3, 21, 17, 2], w: [4, 4, 2, 7], s: 2, pad: 'same' },
  { x: [1, 7, 7, 1], w: [1, 1, 1, 1], s: 1, pad: 'valid' },
  { x: [2, 13, 12, 5], w: [3, 2, 5, 33], s: [2, 3], pad: 'same' },
  { x: [1, 20, 20, 4], w: [8, 8, 4, 32], s: 4, pad: 'valid' },
  { x: [2, 9, 9, 64], w: [3, 3, 64, 17], s: 1, pad: 'valid' },
  { x: [2, 8, 7, 3], w: [3, 3, 3, 4], s: [1, 2], pad: [[0, 0], [1, 2], [0, 3], [0, 0]] },
  { x: [5, 11, 11, 7], w: [5, 5, 7, 13], s: 2, pad: 'valid' },
];

describe('backend: native wasm kernels vs cpu', function () {
  this.timeout(120000);
  let nn: NativeNn;
  before(async () => {
    await initBackend('wasm');
    nn = loadNativeNn();
    expect(nativeKernelsEnabled()).to.equal(true);
  });
  after(async () => {
    setNativeKernelsEnabled(true);
    nn.nnSetIsa('auto');
    nn.nnSetThreads(0);
    await initBackend();
  });

  it('Conv2D: strides 1/2/4, same/valid/explicit padding, odd sizes, batch 1', async () => {
    const before = calls('Conv2D');
    for (const [i, c] of CONV_CASES.entries())
      await compare(() => tf.conv2d(t4(c.x, 10 + i), t4(c.w, 20 + i), c.s, c.pad));
    expect(calls('Conv2D') - before).to.equal(CONV_CASES.length);
  });

  it('FusedConv2D with bias and linear / relu / relu6; other activations delegate', async () => {
    const before = calls('FusedConv2D');
    for (const [i, c] of CONV_CASES.slice(0, 5).entries())
      for (const activation of ['linear', 'relu', 'relu6'] as const)
        await compare(() => {
          const x = t4(c.x, 30 + i), w = t4(c.w, 40 + i);
          const bias = tf.mul(tn([c.w[3]], 50 + i), 3);
          return tf.fused.conv2d({ x, filter: w, strides: c.s, pad: c.pad, bias, activation });
        });
    expect(calls('FusedConv2D') - before).to.equal(15);
    const fb = fallbacks('FusedConv2D');
    await compare(() => tf.fused.conv2d({ x: t4([1, 6, 6, 2], 1), filter: t4([3, 3, 2, 3], 2), strides: 1, pad: 'same', bias: tn([3], 3), activation: 'elu' }));
    expect(fallbacks('FusedConv2D') - fb).to.equal(1);
  });

  it('Conv2DBackpropInput and Conv2DBackpropFilter (gradients of conv2d) on every case', async () => {
    const bi = calls('Conv2DBackpropInput'), bf = calls('Conv2DBackpropFilter');
    for (const [i, c] of CONV_CASES.entries())
      await compare(() => {
        const x = t4(c.x, 60 + i), w = t4(c.w, 70 + i);
        const y = tf.conv2d(x, w, c.s, c.pad);
        const r = tn(y.shape, 80 + i);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), r)));
        return g([x, w]);
      });
    expect(calls('Conv2DBackpropInput') - bi).to.equal(CONV_CASES.length);
    expect(calls('Conv2DBackpropFilter') - bf).to.equal(CONV_CASES.length);
  });

  it('conv2dTranspose (Conv2DBackpropInput directly)', async () => {
    const before = calls('Conv2DBackpropInput');
    await compare(() => tf.conv2dTranspose(t4([2, 5, 6, 7], 1), t4([3, 3, 4, 7], 2), [2, 10, 12, 4], 2, 'same'));
    await compare(() => tf.conv2dTranspose(t4([1, 3, 3, 2], 3), t4([4, 4, 3, 2], 4), [1, 8, 8, 3], 2, 'valid'));
    expect(calls('Conv2DBackpropInput') - before).to.equal(2);
  });

  it('BatchMatMul: transposes, batch broadcasting, ranks 2-4, large blocked/threaded sizes', async () => {
    const before = calls('BatchMatMul');
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 3], false, false],
      [[7, 5], [7, 3], true, false],
      [[5, 7], [3, 7], false, true],
      [[7, 5], [3, 7], true, true],
      [[3, 5, 7], [3, 7, 4], false, false],
      [[1, 5, 7], [3, 7, 4], false, false],
      [[3, 7, 5], [1, 4, 7], true, true],
      [[2, 3, 6, 4], [2, 3, 4, 5], false, false],
      [[1, 1], [1, 1], false, false],
      [[130, 300], [300, 70], false, false],
      [[300, 5], [3100, 300], true, true],
      [[600, 257], [257, 129], false, false],
    ];
    for (const [i, [sa, sb, ta, tb]] of cases.entries()) await compare(() => tf.matMul(tn(sa, 100 + i), tn(sb, 200 + i), ta, tb));
    expect(calls('BatchMatMul') - before).to.equal(cases.length);
  });

  it('_FusedMatMul with bias [N] / [1, N] and linear / relu / relu6', async () => {
    const before = calls('_FusedMatMul');
    let n = 0;
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as [boolean, boolean][])
      for (const activation of ['linear', 'relu', 'relu6'] as const) {
        const M = 9, K = 11, N = 13;
        await compare(() => tf.fused.matMul({
          a: tf.mul(tn(ta ? [K, M] : [M, K], 300 + n), 2) as tf.Tensor2D, b: tn(tb ? [N, K] : [K, N], 400 + n) as tf.Tensor2D,
          transposeA: ta, transposeB: tb, bias: n % 2 ? tn([N], 500 + n) : tn([1, N], 500 + n), activation,
        }));
        n++;
      }
    expect(calls('_FusedMatMul') - before).to.equal(n);
  });

  it('Sum over consecutive float32 axes (keepDims, negative axes); other cases delegate', async () => {
    const before = calls('Sum'), fb = fallbacks('Sum');
    const cases: [number[], number | number[], boolean][] = [
      [[128, 37], 0, false], [[5, 7], 1, false], [[5, 7], -1, true], [[3, 4, 5, 6], [1, 2], false], [[3, 4, 5, 6], [0, 1, 2], true],
      [[2, 3, 4], [0, 1, 2], false], [[9], 0, false], [[1000, 3], 0, false], [[3, 1001], 1, true],
    ];
    for (const [i, [shape, axis, keepDims]] of cases.entries()) await compare(() => tf.sum(tn(shape, 600 + i), axis, keepDims));
    expect(calls('Sum') - before).to.equal(cases.length);
    await compare(() => tf.sum(tn([3, 4, 5], 700), [0, 2])); // not consecutive: wasm kernel
    await compare(() => tf.sum(tf.tensor1d([1, 2, 3], 'int32'))); // int32: wasm kernel
    expect(fallbacks('Sum') - fb).to.equal(2);
  });

  it('Add of a row vector ([..., N] + [N], either order); other broadcasts delegate', async () => {
    const before = calls('Add'), fb = fallbacks('Add');
    await compare(() => tf.add(tn([128, 37], 800), tn([37], 801)));
    await compare(() => tf.add(tn([5], 802), tn([3, 4, 5], 803)));
    await compare(() => tf.add(tn([1, 9], 804), tn([9], 805)));
    expect(calls('Add') - before).to.equal(3);
    await compare(() => tf.add(tn([4, 5], 806), tn([4, 1], 807))); // column broadcast: wasm kernel
    await compare(() => tf.add(tn([4, 5], 808), tn([4, 5], 809))); // same shape: wasm kernel
    expect(fallbacks('Add') - fb).to.equal(2);
  });

  it('Softplus: vectorised native kernel equals log(1 + e^x) in float64 to a few ulps, and the cpu backend', async () => {
    // every float32 range the kernel treats differently: the vector path (|x| <= 80), blocks with
    // a lane past 80 or NaN (scalar path), the tail after the last block of 8, +-inf, -0
    const n = 300007; // > 2 x 2^16: split over the thread pool
    const xs = new Float32Array(n);
    const r = randData(n, 77);
    for (let i = 0; i < n; i++) xs[i] = i % 3 === 0 ? r[i] * 30 : i % 3 === 1 ? r[i] * 1e-3 : r[i] * 120;
    xs.set([NaN, Infinity, -Infinity, -0, 0, 80, -80, 80.5, -80.5, 88, -88, 1e-30, -1e-30, -103, 1e30], n - 15);
    await initBackend('wasm');
    const before = calls('Softplus');
    const x = tf.tensor1d(xs);
    const y = tf.softplus(x);
    const got = y.dataSync() as Float32Array;
    expect(calls('Softplus') - before).to.equal(1);
    tf.dispose([x, y]);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const v = xs[i];
      const exact = Math.fround(v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
      if (Number.isNaN(v)) { expect(got[i]).to.be.NaN; continue; }
      if (!Number.isFinite(exact) || exact === 0) { expect(got[i], `x = ${v}`).to.equal(exact); continue; }
      worst = Math.max(worst, Math.abs(got[i] - exact) / Math.abs(exact));
    }
    expect(worst, 'max relative error').to.be.below(4e-7); // ~3 float32 ulps
    await compare(() => tf.softplus(tn([37, 129], 78).mul(20)), 1e-6);
    await initBackend('wasm');
  });

  it('relu gradient as one kernel: equals cpu (NaN, 0, signs), also inside a second derivative', async () => {
    const xs = randData(4099, 91).map((v, i) => (i % 7 === 0 ? 0 : v));
    xs[5] = NaN;
    const run = () => {
      const x = tf.tensor1d(xs), c = tn([4099], 92);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), c)))(x);
    };
    const w = await runOn('wasm', run), cpu = await runOn('cpu', run);
    await initBackend('wasm');
    const prof = await tf.profile(() => tf.dispose(run()));
    expect(prof.kernels.map((k) => k.name)).to.include('EigenoptReluGrad').and.not.include('Step');
    for (let i = 0; i < xs.length; i++) {
      if (Number.isNaN(cpu[0].data[i])) expect(w[0].data[i]).to.be.NaN;
      else expect(w[0].data[i]).to.equal(cpu[0].data[i]);
    }
    // d/dW2 of sum(v * d/dx f(x)), f = sum(relu(x W1) W2): differentiates through the relu gradient
    const second = () => {
      const x = tn([6, 5], 93), W1 = tn([5, 8], 94), W2 = tn([8, 3], 95), v = tn([6, 5], 96);
      const f = (xx: tf.Tensor, w2: tf.Tensor) => tf.sum(tf.matMul(tf.relu(tf.matMul(xx as tf.Tensor2D, W1 as tf.Tensor2D)), w2 as tf.Tensor2D));
      return tf.grad((w2: tf.Tensor) => tf.sum(tf.mul(v, tf.grad((xx: tf.Tensor) => f(xx, w2))(x))))(W2);
    };
    await compare(second, 1e-5);
    const s = await runOn('wasm', second);
    expect(s[0].data.some((q) => q !== 0)).to.equal(true);
  });

  // [B, H, W, Cin, kh, kw, F]: F = 8 / 16 the AVX2 path, F = 3 / 5 the scalar one; H != W; odd and even
  // kernels; batches that do not divide among the threads
  const SOFT_ARGMAX_CASES = [[5, 9, 7, 1, 3, 3, 8], [3, 6, 11, 2, 5, 5, 3], [7, 12, 10, 2, 3, 3, 16], [4, 5, 8, 1, 4, 2, 8], [3, 41, 41, 1, 3, 3, 8], [2, 4, 3, 1, 5, 3, 5]];

  it('softArgmaxConv: the fused native kernel, its filter gradient (native) and image gradient (TF ops) equal the composed expression on cpu', async () => {
    const beforeF = calls('EigenoptSoftArgmaxConv'), beforeG = calls('EigenoptSoftArgmaxConvBackpropFilter');
    let n = 0;
    for (const threads of [1, 3]) {
      nn.nnSetThreads(threads);
      for (const [B, H, W, C, kh, kw, F] of SOFT_ARGMAX_CASES) {
        await compare(() => {
          const x = t4([B, H, W, C], 31 + n), w = tf.mul(t4([kh, kw, C, F], 32 + n), 4) as tf.Tensor4D, dy = tn([B, 2 * F], 33 + n);
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(softArgmaxConv(a as tf.Tensor4D, b as tf.Tensor4D), dy)))([x, w]);
          return [softArgmaxConv(x, w), ...g];
        }, 1e-4);
        n++;
      }
    }
    nn.nnSetThreads(0);
    await initBackend('wasm');
    expect(calls('EigenoptSoftArgmaxConv') - beforeF).to.equal(4 * SOFT_ARGMAX_CASES.length);
    expect(calls('EigenoptSoftArgmaxConvBackpropFilter') - beforeG).to.equal(2 * SOFT_ARGMAX_CASES.length);
    expect(() => softArgmaxConv(t4([1, 4, 4, 2], 1), t4([3, 3, 1, 8], 2))).to.throw(/softArgmaxConv: x must be \[B, H, W, C\] and filter \[kh, kw, C, F\]/);
  });

  it('softArgmaxConv: logits more than 100 apart (exp underflows) give finite outputs equal to the float64 definition', async () => {
    await initBackend('wasm');
    const before = calls('EigenoptSoftArgmaxConv');
    // three bright pixels per image (x ~ 5, within 0.02 of each other) on a background in [-1, 1];
    // the centre tap of channel f is +-(30 + 10 f) (sign alternating), the other taps in [-0.3, 0.3]:
    // in a channel the bright pixels (or, for a negative centre, the background) share the mass and
    // the rest lie 100+ below, so their e^(l - max) underflow float32, while the gradient stays O(1)
    for (const [B, H, W, C, kh, kw, F] of [[3, 7, 6, 1, 3, 3, 8], [2, 6, 5, 2, 3, 3, 3]]) {
      const xs = randData(B * H * W * C, 41);
      const jitter = randData(3 * B, 44);
      for (let b = 0; b < B; b++)
        for (let q = 0; q < 3; q++) xs[((b * H + (b + 2 * q) % H) * W + (2 * b + q + 1) % W) * C] = 5 + 0.02 * jitter[3 * b + q];
      const centre = Math.floor(kh / 2) * kw + Math.floor(kw / 2);
      const ws = randData(kh * kw * C * F, 42).map((v, i) => {
        const tap = Math.floor(i / (C * F)), f = i % F, c = Math.floor(i / F) % C;
        return tap === centre && c === 0 ? (f % 2 ? -1 : 1) * (30 + 10 * f) : 0.3 * v;
      });
      const dys = randData(B * 2 * F, 43);
      const ref = softArgmaxConvRef(xs, ws, dys, [B, H, W, C, kh, kw, F]);
      const x = tf.tensor4d(xs, [B, H, W, C]), w = tf.tensor4d(ws, [kh, kw, C, F]), dy = tf.tensor2d(dys, [B, 2 * F]);
      const y = softArgmaxConv(x, w);
      const dw = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(softArgmaxConv(x, b as tf.Tensor4D), dy)))(w);
      const got = y.dataSync(), gotDw = dw.dataSync();
      const logits = tf.conv2d(x, w, 1, 'same');
      const spread = tf.sub(tf.max(logits, [1, 2]), tf.min(logits, [1, 2]));
      expect(tf.max(spread).dataSync()[0], 'largest logit range of a channel').to.be.above(100);
      tf.dispose([x, w, dy, y, dw, logits, spread]);
      for (let i = 0; i < got.length; i++) expect(got[i], `y[${i}], F = ${F}`).to.be.closeTo(ref.y[i], 1e-5);
      const scale = Math.max(...ref.dw.map(Math.abs));
      expect(scale).to.be.above(0);
      for (let i = 0; i < gotDw.length; i++) {
        expect(Number.isFinite(gotDw[i]), `dw[${i}] finite`).to.equal(true);
        expect(Math.abs(gotDw[i] - ref.dw[i]) / scale, `dw[${i}], F = ${F}`).to.be.below(1e-4);
      }
    }
    expect(calls('EigenoptSoftArgmaxConv') - before).to.equal(4);
  });

  it('pairEma (Jacobian average + contraction) equals its definition in float64, native and fallback, every source layout', () => {
    // V_ij[r, c] written out from the definition: strided, pair rows, column-scaled; then
    // out = a avg + b V and g = sum_pairs coef * out, in float64
    const k = 4, R = 37, C = 29, np = (k * (k + 1)) / 2;
    const layouts: { name: string; len: number; s: Omit<PairSource, 'src' | 'scale'>; scaled?: boolean }[] = [
      { name: 'full (i, r, j, c)', len: k * R * k * C, s: { k, R, C, si: R * k * C, sj: C, sr: k * C, sc: 1 } },
      { name: 'transposed (i, j, c, r)', len: k * k * C * R, s: { k, R, C, si: k * C * R, sj: C * R, sr: 1, sc: R } },
      { name: 'pair rows', len: np * R * C, s: { k, R, C, si: R * C, sj: 0, sr: C, sc: 1, pairRows: true } },
      { name: 'scaled (i, r, c) * w[c, j]', len: k * R * C, s: { k, R, C, si: R * C, sj: 0, sr: C, sc: 1 }, scaled: true },
    ];
    const a = 0.75, b = 0.25;
    layouts.forEach((L, n) => {
      const src = randData(L.len, 1000 + n), w = randData(C * k, 2000 + n), avg = randData(np * R * C, 3000 + n), coef = randData(np, 4000 + n);
      const want = new Float64Array(np * R * C), wantG = new Float64Array(R * C);
      let pair = 0;
      for (let i = 0; i < k; i++) for (let j = i; j < k; j++, pair++)
        for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
          const base = L.s.pairRows ? pair * L.s.si : i * L.s.si + j * L.s.sj;
          const v = src[base + r * L.s.sr + c * L.s.sc] * (L.scaled ? w[c * k + j] : 1);
          const o = pair * R * C + r * C + c;
          want[o] = a * avg[o] + b * v;
          wantG[r * C + c] += coef[pair] * want[o];
        }
      for (const native of [true, false]) {
        setNativeKernelsEnabled(native);
        const st = tf.tensor1d(src), sc = L.scaled ? tf.tensor2d(w, [C, k]) : undefined, av = tf.tensor2d(avg, [np, R * C]);
        const r = pairEma({ ...L.s, src: st, scale: sc }, av, a, b, coef);
        expect(maxRelDiff(r.avg.dataSync(), want), `${L.name}, native ${native}: average`).to.be.below(1e-6);
        expect(maxRelDiff((r.g as tf.Tensor1D).dataSync(), wantG), `${L.name}, native ${native}: g`).to.be.below(1e-5);
        // no average yet (first step) and no contraction
        const first = pairEma({ ...L.s, src: st, scale: sc }, null, 0, 1, null);
        expect(first.g).to.equal(null);
        const fd = first.avg.dataSync();
        for (let o = 0; o < fd.length; o++) expect(Math.abs(fd[o] - (want[o] - a * avg[o]) / b)).to.be.below(1e-5);
        // in place (native only): the same tensor comes back holding the update, unless its buffer is shared
        const av2 = tf.tensor2d(avg, [np, R * C]);
        const r2 = pairEma({ ...L.s, src: st, scale: sc }, av2, a, b, coef, true);
        expect(r2.avg === av2).to.equal(native);
        expect(maxRelDiff(r2.avg.dataSync(), want)).to.be.below(1e-6);
        expect(maxRelDiff((r2.g as tf.Tensor1D).dataSync(), wantG)).to.be.below(1e-5);
        const av3 = tf.tensor2d(avg, [np, R * C]), view = tf.reshape(av3, [-1]);
        const r3 = pairEma({ ...L.s, src: st, scale: sc }, av3, a, b, coef, true);
        expect(r3.avg === av3).to.equal(false);
        expect(Array.from(view.dataSync())).to.deep.equal(Array.from(avg));
        tf.dispose([st, av, r.avg, r.g as tf.Tensor, first.avg, av2, r2.g as tf.Tensor, ...(r2.avg !== av2 ? [r2.avg] : []), av3, view, r3.avg, r3.g as tf.Tensor, ...(sc ? [sc] : [])]);
      }
      setNativeKernelsEnabled(true);
    });
    const src = tf.zeros([10]);
    expect(() => pairEma({ src, k: 2, R: 2, C: 2, si: 5, sj: 2, sr: 2, sc: 1 }, null, 0, 1, null)).to.throw(/strides reach element/);
    expect(() => pairEma({ src, k: 2, R: 1, C: 2, si: 2, sj: 1, sr: 0, sc: -1 }, null, 0, 1, null)).to.throw(/stride sc/);
    expect(() => pairEma({ src, k: 2, R: 1, C: 2, si: 2, sj: 1, sr: 0, sc: 1 }, tf.zeros([2, 2]), 0, 1, null)).to.throw(/avg must be \[3, 2\]/);
    expect(() => pairEma({ src, k: 2, R: 1, C: 2, si: 2, sj: 1, sr: 0, sc: 1 }, null, 0, 1, new Float32Array(2))).to.throw(/coef must hold 3/);
    // the addon checks every region itself: source 20 floats at 0, coef 3 at 30, out 6 at 40, g 2 at 50
    const heap = new Float32Array(100);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 2, 1, 0, 1, 0, -1, -1, 0, 1, 30, 40, 50)).to.not.throw();
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 20, 1, 0, 1, 0, -1, -1, 0, 1, 30, 40, 50)).to.throw(RangeError, /strides reach/);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 95, 20, 2, 1, 0, 1, 0, -1, -1, 0, 1, 30, 40, 50)).to.throw(RangeError, /src .* outside the heap/);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 2, 1, 0, 1, 0, -1, 97, 0, 1, 30, 40, 50)).to.throw(RangeError, /avg .* outside/);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 2, 1, 0, 1, 0, -1, -1, 0, 1, 30, 15, 50)).to.throw(RangeError, /overlaps src/);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 2, 1, 0, 1, 0, -1, -1, 0, 1, 30, 40, 44)).to.throw(RangeError, /overlaps out/);
    expect(() => nn.nnPairEma(heap, 0, 1, 2, 0, 20, 2, 1, 0, 1, 0, -1, -1, 0, 1, 30, 40, 50)).to.throw(RangeError, /k must be/);
    expect(() => nn.nnPairEma(heap, 2, 1, 2, 0, 20, 2, 1, 0, 1, 0, 98, -1, 0, 1, 30, 40, 50)).to.throw(RangeError, /scale .* outside/);
    for (let i = 60; i < 100; i++) expect(heap[i]).to.equal(0);
    src.dispose();
  });

  it('gradients of a small conv net (tf.grads) on wasm match cpu within 1e-4', async () => {
    const net = (x: tf.Tensor4D, w1: tf.Tensor4D, b1: tf.Tensor1D, w2: tf.Tensor4D, b2: tf.Tensor1D, w3: tf.Tensor2D, b3: tf.Tensor1D): tf.Scalar => {
      const h1 = tf.fused.conv2d({ x, filter: w1, strides: 2, pad: 'same', bias: b1, activation: 'relu' });
      const h2 = tf.fused.conv2d({ x: h1, filter: w2, strides: 1, pad: 'valid', bias: b2, activation: 'relu' });
      const f = tf.reshape(h2, [x.shape[0], -1]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: f, b: w3, bias: b3, activation: 'linear' });
      return tf.mean(tf.square(y));
    };
    const before = { ...nativeKernelStats().calls };
    await compare(() => {
      const x = t4([4, 14, 14, 3], 1), w1 = tf.mul(t4([4, 4, 3, 8], 2), 0.5) as tf.Tensor4D, b1 = tn([8], 3) as tf.Tensor1D;
      const w2 = tf.mul(t4([3, 3, 8, 6], 4), 0.3) as tf.Tensor4D, b2 = tn([6], 5) as tf.Tensor1D;
      const w3 = tf.mul(tn([5 * 5 * 6, 5], 6), 0.2) as tf.Tensor2D, b3 = tn([5], 7) as tf.Tensor1D;
      return tf.grads((...a: tf.Tensor[]) => net(a[0] as tf.Tensor4D, a[1] as tf.Tensor4D, a[2] as tf.Tensor1D, a[3] as tf.Tensor4D, a[4] as tf.Tensor1D, a[5] as tf.Tensor2D, a[6] as tf.Tensor1D))(
        [x, w1, b1, w2, b2, w3, b3]);
    }, 1e-4);
    const after = nativeKernelStats().calls;
    // (under a gradient tape tf.fused.conv2d with relu runs unfused: Conv2D + Add + Relu)
    for (const k of ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', '_FusedMatMul', 'BatchMatMul'])
      expect(after[k] - (before[k] ?? 0), k).to.be.greaterThan(0);
  });

  it('every micro-kernel available here and 1 / 2 threads give the cpu results', async () => {
    const isas = ['generic', 'avx2', 'avx512'].filter((n) => nn.nnSetIsa(n));
    expect(isas).to.include('generic');
    for (const isa of isas)
      for (const threads of [1, 2]) {
        expect(nn.nnSetIsa(isa)).to.equal(true);
        nn.nnSetThreads(threads);
        expect(nn.nnInfo()).to.deep.equal({ isa, threads });
        const c = CONV_CASES[4];
        await compare(() => {
          const x = t4([3, 23, 19, 5], 7), w = t4([3, 3, 5, 33], 8);
          const r = tn(tf.conv2d(x, w, 2, 'same').shape, 9);
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), r)))([x, w]);
          return [tf.conv2d(x, w, c.s, c.pad), ...g, tf.matMul(tn([150, 300], 10), tn([3100, 300], 11), false, true)];
        });
      }
    nn.nnSetIsa('auto');
    nn.nnSetThreads(0);
  });

  it('unsupported cases (dilations) and setNativeKernelsEnabled(false) delegate to the wasm kernels', async () => {
    const fb = fallbacks('Conv2D'), nc = calls('Conv2D');
    await compare(() => tf.conv2d(t4([1, 9, 9, 2], 1), t4([3, 3, 2, 3], 2), 1, 'same', 'NHWC', 2));
    setNativeKernelsEnabled(false);
    try {
      await compare(() => tf.conv2d(t4([1, 9, 9, 2], 1), t4([3, 3, 2, 3], 2), 1, 'same'));
    } finally {
      setNativeKernelsEnabled(true);
    }
    expect(fallbacks('Conv2D') - fb).to.equal(2);
    expect(calls('Conv2D')).to.equal(nc);
  });

  it('the addon rejects out-of-heap offsets, overlaps and bad shapes with JS errors', () => {
    const heap = new Float32Array(1000);
    const shape = [1, 5, 5, 2, 3, 3, 4, 1, 1, 0, 0, 3, 3]; // x 50, w 72, y 36
    expect(() => nn.nnConv2d(heap, shape, 0, 100, -1, 0, 200)).to.not.throw();
    expect(() => nn.nnConv2d(heap, shape, 990, 100, -1, 0, 200)).to.throw(RangeError, /x .* outside the heap/);
    expect(() => nn.nnConv2d(heap, shape, 0, 100, -1, 0, 980)).to.throw(RangeError, /y .* outside the heap/);
    expect(() => nn.nnConv2d(heap, shape, -4, 100, -1, 0, 200)).to.throw(RangeError, /outside the heap/);
    expect(() => nn.nnConv2d(heap, shape, 0, 100, 999, 1, 200)).to.throw(RangeError, /bias .* outside/);
    expect(() => nn.nnConv2d(heap, shape, 0, 100, -1, 7, 200)).to.throw(RangeError, /activation/);
    expect(() => nn.nnConv2d(heap, shape, 0, 100, -1, 0, 30)).to.throw(RangeError, /overlaps x/);
    expect(() => nn.nnConv2d(heap, shape, 0.5, 100, -1, 0, 200)).to.throw(TypeError, /integer/);
    expect(() => nn.nnConv2d(heap, [1, 5, 5, 2, 3, 3, 4, 0, 1, 0, 0, 3, 3], 0, 100, -1, 0, 200)).to.throw(RangeError, /strides/);
    expect(() => nn.nnConv2d(heap, [1, 5, 5], 0, 100, -1, 0, 200)).to.throw(RangeError, /13 numbers/);
    expect(() => nn.nnConv2d(new Float64Array(10) as unknown as Float32Array, shape, 0, 100, -1, 0, 200)).to.throw(TypeError, /Float32Array/);
    expect(() => nn.nnConv2dBackpropInput(heap, shape, 0, 100, 990)).to.throw(RangeError, /dx .* outside/);
    expect(() => nn.nnConv2dBackpropFilter(heap, shape, 0, 100, 950)).to.throw(RangeError, /dw .* outside/);
    expect(() => nn.nnConv2dBackpropFilter(heap, shape, 0, 100, 110)).to.throw(RangeError, /overlaps dy/);
    // matmul: A 4x5 at 0, B 5x6 at 100, C at 200
    expect(() => nn.nnMatMul(heap, 1, 4, 6, 5, 0, 0, 5, 1, 100, 0, 6, 1, 200, -1, 0)).to.not.throw();
    expect(() => nn.nnMatMul(heap, 1, 4, 6, 5, 0, 0, 500, 1, 100, 0, 6, 1, 200, -1, 0)).to.throw(RangeError, /A .* outside/);
    expect(() => nn.nnMatMul(heap, 3, 4, 6, 5, 0, 0, 5, 1, 100, 500, 6, 1, 200, -1, 0)).to.throw(RangeError, /B .* outside/);
    expect(() => nn.nnMatMul(heap, 1, 4, 6, 5, 0, 0, -5, 1, 100, 0, 6, 1, 200, -1, 0)).to.throw(RangeError, /strides/);
    expect(() => nn.nnMatMul(heap, 1, 4, 6, 5, 0, 0, 5, 1, 100, 0, 6, 1, 110, -1, 0)).to.throw(RangeError, /overlaps B/);
    expect(() => nn.nnMatMul(heap, 1, 4, 6, 5, 0, 0, 5, 1, 100, 0, 6, 1, 200, 998, 0)).to.throw(RangeError, /bias .* outside/);
    expect(() => nn.nnReduceSum(heap, 2, 3, 4, 0, 100)).to.not.throw();
    expect(() => nn.nnReduceSum(heap, 2, 3, 4, 990, 100)).to.throw(RangeError, /x .* outside/);
    expect(() => nn.nnReduceSum(heap, 2, 3, 4, 0, 995)).to.throw(RangeError, /y .* outside/);
    expect(() => nn.nnReduceSum(heap, 2, 3, 4, 0, 10)).to.throw(RangeError, /overlaps x/);
    expect(() => nn.nnReduceSum(heap, -2, 3, 4, 0, 100)).to.throw(RangeError, /dimensions/);
    expect(() => nn.nnAddRowVector(heap, 2, 3, 0, 10, 100)).to.not.throw();
    expect(() => nn.nnAddRowVector(heap, 2, 3, 0, 999, 100)).to.throw(RangeError, /v .* outside/);
    expect(() => nn.nnAddRowVector(heap, 2, 3, 0, 10, 2)).to.throw(RangeError, /overlaps x/);
    // soft-argmax: x 2*5*4*1 = 40 at 0, w 3*3*1*8 = 72 at 100, y 2*16 = 32 at 200, dy 32 at 240, dw 72 at 280 (cleared below)
    const sa = [2, 5, 4, 1, 3, 3, 8];
    expect(() => nn.nnSoftArgmaxConv(heap, sa, 0, 100, 200)).to.not.throw();
    expect(() => nn.nnSoftArgmaxConvBackpropFilter(heap, sa, 0, 100, 240, 280)).to.not.throw();
    expect(() => nn.nnSoftArgmaxConv(heap, sa, 0, 100, 990)).to.throw(RangeError, /nnSoftArgmaxConv: y .* outside the heap/);
    expect(() => nn.nnSoftArgmaxConv(heap, sa, 980, 100, 200)).to.throw(RangeError, /x .* outside the heap/);
    expect(() => nn.nnSoftArgmaxConv(heap, sa, 0, 100, 20)).to.throw(RangeError, /overlaps x/);
    expect(() => nn.nnSoftArgmaxConv(heap, sa, 0, 100, 150)).to.throw(RangeError, /overlaps filter/);
    expect(() => nn.nnSoftArgmaxConv(heap, [2, 5, 4, 1, 3, 3], 0, 100, 200)).to.throw(RangeError, /7 numbers \[B,H,W,Cin,kh,kw,F\]/);
    expect(() => nn.nnSoftArgmaxConv(heap, [2, 5, 4, 1, 0, 3, 8], 0, 100, 200)).to.throw(RangeError, /softArgmaxConv: dimensions must be >= 1/);
    expect(() => nn.nnSoftArgmaxConv(heap, [2, 5, 4, 1.5, 3, 3, 8], 0, 100, 200)).to.throw(RangeError, /integers/);
    expect(() => nn.nnSoftArgmaxConvBackpropFilter(heap, sa, 0, 100, 240, 990)).to.throw(RangeError, /dw .* outside/);
    expect(() => nn.nnSoftArgmaxConvBackpropFilter(heap, sa, 0, 100, 240, 250)).to.throw(RangeError, /overlaps dy/);
    expect(() => nn.nnSoftArgmaxConvBackpropFilter(heap, sa, 0, 100, 995, 280)).to.throw(RangeError, /dy .* outside/);
    heap.fill(0, 200, 352);
    // nothing was written outside the valid outputs: the tail of the heap is still zero
    for (let i = 300; i < 1000; i++) expect(heap[i]).to.equal(0);
  });

  it('the matmul written by the addon equals an exact float64 product on integer data', () => {
    // Small integers: every partial sum is exact in float32, so the result must match bit for bit.
    const M = 37, N = 45, K = 29, heap = new Float32Array(M * K + K * N + M * N);
    for (let i = 0; i < M * K + K * N; i++) heap[i] = ((i * 7919) % 9) - 4;
    nn.nnMatMul(heap, 1, M, N, K, 0, 0, K, 1, M * K, 0, N, 1, M * K + K * N, -1, 0);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += heap[i * K + k] * heap[M * K + k * N + j];
        expect(heap[M * K + K * N + i * N + j]).to.equal(s);
      }
  });

  it('EIGENOPT_WASM_THREADS=2 runs XNNPACK on 2 threads in Node, same results, and the process exits', () => {
    // A child process: the backend initialises once per process. Native kernels off, so the wasm
    // (XNNPACK) matmul and conv run threaded; results are compared with exact float64 sums here.
    const child = `
      const tf = require('@tensorflow/tfjs');
      const { initBackend, backendNotices, setNativeKernelsEnabled } = require('./src/backend');
      (async () => {
        const backend = await initBackend('wasm');
        setNativeKernelsEnabled(false);
        const M = 96, K = 70, N = 50;
        const a = tf.tensor2d(Array.from({ length: M * K }, (_, i) => (i * 7) % 11 - 5), [M, K]);
        const b = tf.tensor2d(Array.from({ length: K * N }, (_, i) => (i * 5) % 9 - 4), [K, N]);
        const c = Array.from(tf.matMul(a, b).dataSync());
        setNativeKernelsEnabled(true); // native kernels on the threaded build's shared heap
        const cn = Array.from(tf.matMul(a, b).dataSync());
        const threads = require('@tensorflow/tfjs-backend-wasm').getThreadsCount();
        const nativeCalls = require('./src/backend').nativeKernelStats().calls.BatchMatMul;
        process.stdout.write(JSON.stringify({ backend, threads, notices: backendNotices(), c, cn, nativeCalls }) + '\\n');
      })();`;
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', child], {
      cwd: path.join(__dirname, '..'), env: { ...process.env, EIGENOPT_WASM_THREADS: '2', EIGENOPT_BACKEND: '' }, encoding: 'utf8', timeout: 90000,
    });
    expect(r.status, `child failed or hung: ${r.stderr}`).to.equal(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { backend: string; threads: number; notices: string[]; c: number[]; cn: number[]; nativeCalls: number };
    expect(out.nativeCalls).to.equal(1);
    expect(out.cn).to.deep.equal(out.c);
    expect(out.backend).to.equal('wasm');
    expect(out.notices).to.deep.equal([]);
    expect(out.threads).to.equal(2);
    const M = 96, K = 70, N = 50;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += (((i * K + k) * 7) % 11 - 5) * (((k * N + j) * 5) % 9 - 4);
        expect(out.c[i * N + j]).to.equal(s);
      }
  });

  it('without the addon the wasm backend still initialises, with one notice; EIGENOPT_NATIVE_KERNELS=0 patches nothing', () => {
    const child = `
      const tf = require('@tensorflow/tfjs');
      const { initBackend, backendNotices, nativeKernelsEnabled, setBackendNoticesQuiet } = require('./src/backend');
      setBackendNoticesQuiet(true);
      (async () => {
        const backend = await initBackend('wasm');
        const y = Array.from(tf.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), 1, 'valid').dataSync());
        process.stdout.write(JSON.stringify({ backend, native: nativeKernelsEnabled(), notices: backendNotices(), y }) + '\\n');
      })();`;
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', child], {
        cwd: path.join(__dirname, '..'), env: { ...process.env, EIGENOPT_BACKEND: '', ...env }, encoding: 'utf8', timeout: 60000,
      });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { backend: string; native: boolean; notices: string[]; y: number[] };
    };
    const missing = run({ EIGENOPT_NATIVE: path.join(__dirname, 'no-such-addon.node') });
    expect(missing.backend).to.equal('wasm');
    expect(missing.native).to.equal(false);
    expect(missing.notices).to.have.length(1);
    expect(missing.notices[0]).to.match(/native kernels unavailable/);
    expect(missing.y).to.deep.equal(new Array(9).fill(4));
    const off = run({ EIGENOPT_NATIVE_KERNELS: '0' });
    expect(off).to.deep.equal({ backend: 'wasm', native: false, notices: [], y: new Array(9).fill(4) });
  });
});
