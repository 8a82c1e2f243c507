import { expect } from 'chai';
import { activationSummary, extremeIndices, meanFrame } from '../src/viz/activations';

describe('viz: most/least activating frames', () => {
  it('extremeIndices picks the largest and smallest values, ties by index', () => {
    const v = [3, -1, 7, 7, 0, -1, 2];
    expect(extremeIndices(v, 3)).to.deep.equal({ top: [2, 3, 0], bottom: [1, 5, 4] });
    expect(extremeIndices(v, 10).top.length).to.equal(7);
    expect(() => extremeIndices([1, NaN], 1)).to.throw(/not finite/);
  });

  it('mean frames of the top and bottom 1% are the pixel means of those frames', () => {
    // 200 frames of 2x2 pixels; frame i has all pixels i % 256 and value i: the top 1% are frames
    // 199 and 198 (mean 198.5), the bottom 1% frames 0 and 1 (mean 0.5)
    const n = 200;
    const frames = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) frames.fill(i, i * 4, i * 4 + 4);
    const values = Float64Array.from({ length: n }, (_, i) => i);
    const s = activationSummary(frames, 4, values, 16);
    expect(s.top.slice(0, 3)).to.deep.equal([199, 198, 197]);
    expect(s.bottom.slice(0, 3)).to.deep.equal([0, 1, 2]);
    expect(Array.from(s.topMean)).to.deep.equal([198.5, 198.5, 198.5, 198.5]);
    expect(Array.from(s.bottomMean)).to.deep.equal([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(meanFrame(frames, 4, []))).to.deep.equal([0, 0, 0, 0]);
    expect(() => activationSummary(frames, 4, values.subarray(1))).to.throw(/199 values for 200 frames/);
  });
});
