import { expect } from 'chai';
import {
  abstractStateMatch,
  buildAbstractChain,
  splitEpisodes,
  weightedCosine,
} from '../src/data/abstract_chain';

// Truth computed here in closed form, not by the code under test:
//  * the simple random walk on a path 0..n-1 (reflecting ends, no self-loops) has eigenfunctions
//    f_j(i) = cos(pi j i / (n-1)) with P f_j = cos(pi j / (n-1)) f_j;
//  * the 4-direction walk on an nx*ny grid that stays put when it bumps a wall has eigenfunctions
//    cos(pi a (x+1/2) / nx) cos(pi b (y+1/2) / ny) with eigenvalue (cos(pi a / nx) + cos(pi b / ny)) / 2.

const KEY0 = 1000;
const KEY_STRIDE = 7; // keys deliberately not 0..n-1
const pathKey = (i: number): number => KEY0 + KEY_STRIDE * i;

/** Episodes that sweep the path 0 -> n-1 -> 0 `sweeps` times: every edge crossed equally often both ways. */
function pathEpisodes(n: number, sweeps: number, episodes: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let e = 0; e < episodes; e++) {
    const seq: number[] = [pathKey(0)];
    for (let s = 0; s < sweeps; s++) {
      for (let i = 1; i < n; i++) seq.push(pathKey(i));
      for (let i = n - 2; i >= 0; i--) seq.push(pathKey(i));
    }
    out.push(Int32Array.from(seq));
  }
  return out;
}

/** Mulberry32: a tiny seeded generator for the noise in these tests. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

describe('abstract chain: empirical walk over abstract states and its exact eigenvectors', () => {
  it('path graph: eigenvalues 1 - cos(pi j/(n-1)) and cosine eigenvectors', () => {
    const n = 9;
    const chain = buildAbstractChain(pathEpisodes(n, 3, 2), { k: 5 });
    expect(Array.from(chain.keys)).to.deep.equal(Array.from({ length: n }, (_, i) => pathKey(i)));
    expect(chain.components).to.equal(1);
    expect(chain.droppedVisits).to.equal(0);
    for (let j = 0; j < 5; j++) {
      expect(chain.values[j]).to.be.closeTo(1 - Math.cos((Math.PI * j) / (n - 1)), 1e-9);
      const exact = Array.from({ length: n }, (_, i) => Math.cos((Math.PI * j * i) / (n - 1)));
      expect(Math.abs(weightedCosine(chain.vectors[j], exact, chain.degree))).to.be.closeTo(1, 1e-9);
    }
    // Unit norm under d / sum(d).
    const total = chain.degree.reduce((a, b) => a + b, 0);
    const norm = chain.vectors[2].reduce((s, f, i) => s + (chain.degree[i] * f * f) / total, 0);
    expect(norm).to.be.closeTo(1, 1e-9);
    // Counts: each episode sweeps 3 times; 2 episodes; each edge crossed 3 times per direction per episode.
    expect(chain.counts[0 * n + 1]).to.equal(6);
    expect(chain.counts[1 * n + 0]).to.equal(6);
    expect(chain.counts[0 * n + 2]).to.equal(0);
  });

  it('grid walk from every (cell, move) as a two-frame episode: product-of-cosines eigenvectors', () => {
    const nx = 3;
    const ny = 7;
    const key = (x: number, y: number): number => (x << 8) | y;
    const episodes: Int32Array[] = [];
    const moves = [[1, 0], [-1, 0], [0, 1], [0, -1]];
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) {
        for (const [dx, dy] of moves) {
          const x2 = x + dx >= 0 && x + dx < nx ? x + dx : x;
          const y2 = y + dy >= 0 && y + dy < ny ? y + dy : y;
          episodes.push(Int32Array.of(key(x, y), key(x2, y2)));
        }
      }
    }
    const chain = buildAbstractChain(episodes, { k: 6 });
    const modes: Array<[number, number]> = [];
    for (let a = 0; a < nx; a++) for (let b = 0; b < ny; b++) modes.push([a, b]);
    const lam = ([a, b]: [number, number]): number => 1 - (Math.cos((Math.PI * a) / nx) + Math.cos((Math.PI * b) / ny)) / 2;
    modes.sort((p, q) => lam(p) - lam(q));
    for (let m = 0; m < 6; m++) {
      const [a, b] = modes[m];
      expect(chain.values[m]).to.be.closeTo(lam(modes[m]), 1e-9);
      const exact = Array.from(chain.keys, (k) => {
        const x = k >> 8;
        const y = k & 0xff;
        return Math.cos((Math.PI * a * (x + 0.5)) / nx) * Math.cos((Math.PI * b * (y + 0.5)) / ny);
      });
      expect(Math.abs(weightedCosine(chain.vectors[m], exact, chain.degree))).to.be.closeTo(1, 1e-9);
    }
  });

  it('no transition is counted across an episode boundary', () => {
    // Two episodes 0-1 and 2-3: joined they would link 1 and 2.
    const split = splitEpisodes(Int32Array.of(pathKey(0), pathKey(1), pathKey(2), pathKey(3)), [0, 2]);
    const chain = buildAbstractChain(split, { largestComponentOnly: false, k: 4 });
    expect(chain.components).to.equal(2);
    expect(chain.counts[1 * 4 + 2]).to.equal(0);
    expect(chain.values[0]).to.be.closeTo(0, 1e-12);
    expect(chain.values[1]).to.be.closeTo(0, 1e-12); // one zero eigenvalue per component
    const largest = buildAbstractChain([Int32Array.of(1, 2, 1, 2), Int32Array.of(5, 6)]);
    expect(Array.from(largest.keys)).to.deep.equal([1, 2]);
    expect(largest.droppedVisits).to.equal(2);
  });

  it('abstractStateMatch: an exact eigenvector per key scores |cos| 1 and explained variance 1', () => {
    const n = 9;
    const episodes = pathEpisodes(n, 4, 3);
    const chain = buildAbstractChain(episodes, { k: 6 });
    const keys = Int32Array.from(episodes.flatMap((e) => Array.from(e)));
    const k = 3; // learned functions = exact eigenfunctions 1, 2, 3 (cosines written here), scaled and signed arbitrarily
    const scale = [2.5, -0.3, 7];
    const learned = new Float64Array(keys.length * k);
    keys.forEach((key, t) => {
      const i = (key - KEY0) / KEY_STRIDE;
      for (let j = 0; j < k; j++) learned[t * k + j] = scale[j] * Math.cos((Math.PI * (j + 1) * i) / (n - 1));
    });
    const res = abstractStateMatch(learned, k, keys, chain, { indexOffset: 1 });
    res.perEigenfunction.forEach((m, j) => {
      expect(m.sameIndexCos).to.be.closeTo(1, 1e-9);
      expect(m.bestCos).to.be.closeTo(1, 1e-9);
      expect(m.bestIndex).to.equal(j + 1);
      expect(m.explainedVariance).to.be.closeTo(1, 1e-12);
    });
    // Without the offset, column 0 (eigenfunction 1) is compared with the constant: orthogonal under
    // the walk's measure; with visit weights (proportional to degree here except at the ends) nearly so.
    const shifted = abstractStateMatch(learned, k, keys, chain);
    expect(shifted.perEigenfunction[0].sameIndexCos).to.be.below(0.2);
    expect(shifted.perEigenfunction[0].bestIndex).to.equal(1);
  });

  it('abstractStateMatch: independent noise lowers explained variance to var(f) / (var(f) + sigma^2)', () => {
    const n = 9;
    const episodes = pathEpisodes(n, 200, 10); // 32,010 frames
    const chain = buildAbstractChain(episodes, { k: 4 });
    const keys = Int32Array.from(episodes.flatMap((e) => Array.from(e)));
    const normal = gaussian(rng(12345));
    const sigma = 0.5;
    const learned = new Float64Array(keys.length);
    let sum = 0;
    let sumSq = 0;
    keys.forEach((key, t) => {
      const f = Math.cos((Math.PI * 2 * ((key - KEY0) / KEY_STRIDE)) / (n - 1));
      sum += f;
      sumSq += f * f;
      learned[t] = f + sigma * normal();
    });
    const varF = sumSq / keys.length - (sum / keys.length) ** 2;
    const expected = varF / (varF + sigma * sigma);
    const res = abstractStateMatch(learned, 1, keys, chain, { indexOffset: 2 });
    const m = res.perEigenfunction[0];
    // Sampling error of eta^2 with 32k frames is well under 0.01; the per-key means keep |cos| near 1.
    expect(m.explainedVariance).to.be.closeTo(expected, 0.01);
    expect(m.sameIndexCos).to.be.above(0.999);
    // Pure noise: explained variance about (states - 1) / frames, |cos| well below 1.
    const pure = Float64Array.from(keys, () => normal());
    const r2 = abstractStateMatch(pure, 1, keys, chain).perEigenfunction[0];
    expect(r2.explainedVariance).to.be.below(0.002);
  });

  it('rejects bad input with clear errors', () => {
    const chain = buildAbstractChain(pathEpisodes(5, 1, 1));
    expect(() => abstractStateMatch(new Float64Array(3), 2, Int32Array.of(pathKey(0), pathKey(1)), chain)).to.throw(/expected frames\*numFunctions/);
    expect(() => abstractStateMatch(new Float64Array(1), 1, Int32Array.of(-5), chain)).to.throw(/no frame has a key/);
    expect(() => buildAbstractChain(pathEpisodes(20, 1, 1), { maxStates: 10 })).to.throw(/20 abstract states exceed the dense-solver cap maxStates=10/);
    expect(() => buildAbstractChain([])).to.throw(/no frames/);
    expect(() => splitEpisodes(Int32Array.of(1, 2, 3), [1])).to.throw(/begin with 0/);
  });
});
