// Network builders (src/models/networks.ts): architectures against hand-computed shapes and
// parameter counts, seeds following the documented formula, specs that survive JSON, clear errors.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend';
import { LAYER_SEED_STRIDE, buildNetwork } from '../src/models/networks';
import type { NetworkSpec } from '../src/models/networks';

function shapes(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => w.shape);
}

describe('models: network builders', function () {
  this.timeout(60000);
  before(async () => { await initBackend(); });

  it('nature-dqn on [84, 84, 4]: conv 8x8/4 -> 20x20x32, 4x4/2 -> 9x9x64, 3x3/1 -> 7x7x64, dense 512, head k', () => {
    const m = buildNetwork({ kind: 'nature-dqn', inputShape: [84, 84, 4], outputs: 5 });
    expect(shapes(m)).to.deep.equal([[8, 8, 4, 32], [32], [4, 4, 32, 64], [64], [3, 3, 64, 64], [64], [7 * 7 * 64, 512], [512], [512, 5], [5]]);
    // 8224 + 32832 + 36928 + 1606144 + 2565
    expect(m.countParams()).to.equal(1686693);
    m.dispose();
  });

  it('pixel-conv on 20x20 frames: 4x4/2 -> 9x9x8, 3x3/2 -> 4x4x16, dense 64, head k; output [B, k]', () => {
    const m = buildNetwork({ kind: 'pixel-conv', inputShape: [20, 20, 1], outputs: 3, seed: 1 });
    expect(shapes(m)).to.deep.equal([[4, 4, 1, 8], [8], [3, 3, 8, 16], [16], [256, 64], [64], [64, 3], [3]]);
    const y = m.predict(tf.zeros([2, 20, 20, 1])) as tf.Tensor;
    expect(y.shape).to.deep.equal([2, 3]);
    y.dispose();
    m.dispose();
  });

  it('mlp and grouped-mlp: shapes; layer l of a model seeded s is Glorot-uniform with seed s * stride + l + 1', () => {
    const spec: NetworkSpec = { kind: 'mlp', inputDim: 2, hidden: [16, 8], outputs: 4, activation: 'tanh', seed: 3 };
    const m = buildNetwork(JSON.parse(JSON.stringify(spec)) as NetworkSpec);
    expect(shapes(m)).to.deep.equal([[2, 16], [16], [16, 8], [8], [8, 4], [4]]);
    const kernels = m.getWeights().filter((w) => w.rank === 2);
    kernels.forEach((w, l) => {
      const expected = tf.initializers.glorotUniform({ seed: 3 * LAYER_SEED_STRIDE + l + 1 }).apply(w.shape);
      expect(Array.from(w.dataSync())).to.deep.equal(Array.from(expected.dataSync()));
      expected.dispose();
    });
    const again = buildNetwork(spec);
    expect(again.getWeights().map((w) => Array.from(w.dataSync()))).to.deep.equal(m.getWeights().map((w) => Array.from(w.dataSync())));
    const other = buildNetwork({ ...spec, seed: 4 });
    expect(Array.from(other.getWeights()[0].dataSync())).to.not.deep.equal(Array.from(m.getWeights()[0].dataSync()));
    const g = buildNetwork({ kind: 'grouped-mlp', inputDim: 3, outputs: 5, hidden: 8, layers: 2, seed: 1 });
    expect(shapes(g)).to.deep.equal([[5, 3, 8], [5, 1, 8], [5, 8, 8], [5, 1, 8], [5, 8, 1], [5, 1, 1]]);
    [m, again, other, g].forEach((x) => x.dispose());
  });

  it('bad specs are clear errors', () => {
    expect(() => buildNetwork({ kind: 'resnet' } as unknown as NetworkSpec)).to.throw(/unknown network kind "resnet"/);
    expect(() => buildNetwork({ kind: 'mlp', inputDim: 0, hidden: [], outputs: 2 })).to.throw(/inputDim must be a positive integer/);
    expect(() => buildNetwork({ kind: 'mlp', inputDim: 2, hidden: [4, -1], outputs: 2 })).to.throw(/hidden\[1\]/);
    expect(() => buildNetwork({ kind: 'mlp', inputDim: 2, hidden: [], outputs: 2, activation: 'swish' as 'relu' })).to.throw(/activation/);
    expect(() => buildNetwork({ kind: 'nature-dqn', inputShape: [84, 84] as unknown as [number, number, number], outputs: 2 })).to.throw(/inputShape must be \[height, width, channels\]/);
    expect(() => buildNetwork({ kind: 'pixel-conv', inputShape: [20, 20, 1], outputs: 2, seed: 1.5 })).to.throw(/seed must be an integer/);
  });
});
