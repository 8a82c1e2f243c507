// Backend selection and the wasm kernel patches, checked against the cpu backend.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend, backendNotices, resetBackendNoticesForTests, setBackendNoticesQuiet } from '../src/backend';

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

async function onBackend<T>(name: string, f: () => T): Promise<T> {
  await initBackend(name);
  return f();
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0, s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / (s || 1);
}

describe('spin: backends', function () {
  this.timeout(60000);
  after(async () => { await initBackend(); });

  it('default backend is wasm (no tfjs-node installed) and EIGENOPT_BACKEND overrides it', async () => {
    const prev = process.env.EIGENOPT_BACKEND;
    delete process.env.EIGENOPT_BACKEND;
    expect(await initBackend()).to.equal('wasm');
    process.env.EIGENOPT_BACKEND = 'cpu';
    try {
      expect(await initBackend()).to.equal('cpu');
    } finally {
      if (prev === undefined) delete process.env.EIGENOPT_BACKEND; else process.env.EIGENOPT_BACKEND = prev;
    }
  });

  it('an unavailable backend falls back with one notice; an unknown name is a clear error', async () => {
    resetBackendNoticesForTests();
    setBackendNoticesQuiet(true);
    try {
      const got = await initBackend('node');
      expect(['wasm', 'cpu']).to.include(got);
      expect(backendNotices()).to.have.length(1);
      expect(backendNotices()[0]).to.match(/node.*unavailable/);
    } finally {
      setBackendNoticesQuiet(false);
    }
    let err: Error | null = null;
    try { await initBackend('cuda9'); } catch (e) { err = e as Error; }
    expect(err).to.be.instanceOf(Error);
    expect(err!.message).to.match(/unknown backend 'cuda9'/);
  });

  it('wasm matMul with transposed operands equals cpu', async () => {
    for (const [ta, tb] of [[true, false], [false, true], [true, true]] as [boolean, boolean][]) {
      const run = () => tf.tidy(() => {
        const a = rand(ta ? [2, 7, 5] : [2, 5, 7], 1), b = rand(tb ? [2, 3, 7] : [2, 7, 3], 2);
        const c = tf.matMul(a, b, ta, tb);
        const d = tf.fused.matMul({ a: a.reshape(ta ? [14, 5] : [10, 7]).slice(0, ta ? 7 : 5) as tf.Tensor2D, b: b.reshape(tb ? [6, 7] : [14, 3]).slice(0, tb ? 3 : 7) as tf.Tensor2D, transposeA: ta, transposeB: tb, activation: 'relu' });
        return [Array.from(c.dataSync()), Array.from(d.dataSync())];
      });
      const cpu = await onBackend('cpu', run);
      const wasm = await onBackend('wasm', run);
      expect(maxRelDiff(wasm[0], cpu[0])).to.be.lessThan(1e-5);
      expect(maxRelDiff(wasm[1], cpu[1])).to.be.lessThan(1e-5);
    }
  });

  const convCases: { x: number[]; f: number[]; s: number; pad: 'valid' | 'same' }[] = [
    { x: [2, 12, 12, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
    { x: [2, 21, 21, 4], f: [8, 8, 4, 5], s: 4, pad: 'valid' },
    { x: [3, 9, 11, 2], f: [4, 4, 2, 3], s: 2, pad: 'same' },
    { x: [1, 7, 7, 1], f: [3, 3, 1, 2], s: 1, pad: 'valid' },
  ];
  for (const c of convCases) {
    it(`conv2d gradients on wasm equal cpu (x ${c.x}, filter ${c.f}, stride ${c.s}, ${c.pad})`, async () => {
      const run = () => tf.tidy(() => {
        const x = rand(c.x, 3), w = rand(c.f, 4);
        const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.s, c.pad))));
        const [gx, gw] = g([x, w]);
        return [Array.from(gx.dataSync()), Array.from(gw.dataSync())];
      });
      const cpu = await onBackend('cpu', run);
      const wasm = await onBackend('wasm', run);
      expect(wasm[1].length).to.equal(cpu[1].length);
      expect(maxRelDiff(wasm[0], cpu[0])).to.be.lessThan(1e-4);
      expect(maxRelDiff(wasm[1], cpu[1])).to.be.lessThan(1e-4);
    });
  }

  it('a conv net (Atari-style layers) trains on wasm with the same gradients as cpu, no tensor leaks', async () => {
    const build = () => {
      const m = tf.sequential({ layers: [
        tf.layers.conv2d({ inputShape: [36, 36, 2], filters: 4, kernelSize: 8, strides: 4, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
        tf.layers.conv2d({ filters: 6, kernelSize: 4, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      ] });
      return m;
    };
    const run = () => {
      const m = build();
      const x = rand([4, 36, 36, 2], 9);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(x) as tf.Tensor)) as tf.Scalar);
      const out = Object.values(grads).map((g) => Array.from(g.dataSync()));
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      const leaked = tf.memory().numTensors - before;
      x.dispose(); m.dispose();
      return { out, leaked };
    };
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(wasm.leaked).to.equal(0);
    expect(wasm.out.length).to.equal(cpu.out.length);
    wasm.out.forEach((g, i) => expect(maxRelDiff(g, cpu.out[i])).to.be.lessThan(1e-4));
  });
});
