import { expect } from 'chai';
import { GridWorld } from '../envs/gridworld';
import { PvfLearner, RandomWalkLearner, SrLearner, learnSuccessorRepresentation } from '../src/learners';
import { cosine, symmetricEigen } from '../src/linalg';
import { canonicalize } from '../src/models/eigenfunctions';

// Independent operators built here from the layout, not from the learners' code.
function operators(env: GridWorld): { pvf: number[][]; rw: number[][] } {
  const n = env.numStates;
  const nb = (s: number): number[] => {
    const [r, c] = env.cells[s];
    return [
      [r - 1, c],
      [r + 1, c],
      [r, c - 1],
      [r, c + 1],
    ].map(([a, b]) => env.stateAt(a, b));
  };
  const deg = Array.from({ length: n }, (_, s) => nb(s).filter((t) => t >= 0).length);
  const pvf = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const rw = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let s = 0; s < n; s++) {
    pvf[s][s] = 1;
    rw[s][s] = 1;
    for (const t of nb(s)) {
      if (t >= 0) {
        pvf[s][t] -= 1 / Math.sqrt(deg[s] * deg[t]);
        rw[s][t] -= 0.25;
      } else rw[s][s] -= 0.25;
    }
  }
  return { pvf, rw };
}

function residual(M: number[][], v: ArrayLike<number>, lambda: number): number {
  let worst = 0;
  for (let i = 0; i < M.length; i++) {
    let s = 0;
    for (let j = 0; j < M.length; j++) s += M[i][j] * v[j];
    worst = Math.max(worst, Math.abs(s - lambda * v[i]));
  }
  return worst;
}

describe('eigenfunction learners (exact)', () => {
  const env = GridWorld.fromName('fourrooms');
  const ops = operators(env);

  for (const [name, learner, op] of [
    ['pvf', new PvfLearner(), ops.pvf],
    ['rw', new RandomWalkLearner(), ops.rw],
  ] as const) {
    it(`${name}: all eigenpairs satisfy the eigen-equation, orthonormal, ascending, sign fixed`, async () => {
      const eig = await learner.fit({ world: env }, env.numStates);
      expect(eig.vectors.length).to.equal(104);
      for (let i = 0; i < 104; i++) {
        expect(residual(op, eig.vectors[i], eig.eigenvalues[i]), `residual ${i}`).to.be.lessThan(1e-10);
        if (i > 0) expect(eig.eigenvalues[i]).to.be.at.least(eig.eigenvalues[i - 1]);
        let maxAbs = 0;
        let firstMax = 0;
        for (const x of eig.vectors[i]) if (Math.abs(x) > maxAbs * (1 + 1e-9)) [maxAbs, firstMax] = [Math.abs(x), x];
        expect(firstMax).to.be.greaterThan(0);
      }
      for (let i = 0; i < 12; i++) {
        for (let j = 0; j < 12; j++) {
          const d = eig.vectors[i].reduce((a, x, k) => a + x * eig.vectors[j][k], 0);
          expect(d).to.be.closeTo(i === j ? 1 : 0, 1e-10);
        }
      }
      expect(eig.eigenvalues[0]).to.be.closeTo(0, 1e-12);
      expect(eig.eigenvalues[1]).to.be.greaterThan(1e-4); // connected: a single zero eigenvalue
    });
  }

  it('rw: the first eigenvector is constant, pvf: proportional to sqrt(degree); they differ', async () => {
    const rw = await new RandomWalkLearner().fit({ world: env }, 8);
    const pvf = await new PvfLearner().fit({ world: env }, 8);
    for (const x of rw.vectors[0]) expect(x).to.be.closeTo(1 / Math.sqrt(104), 1e-10);
    const sqrtDeg = env.cells.map((_, s) => Math.sqrt([0, 1, 2, 3].filter((a) => !env.blocked(s, a)).length));
    expect(cosine(pvf.vectors[0], sqrtDeg)).to.be.closeTo(1, 1e-10);
    const angles = pvf.vectors.map((v, i) => (Math.acos(Math.min(1, Math.abs(cosine(v, rw.vectors[i])))) * 180) / Math.PI);
    expect(Math.max(...angles)).to.be.greaterThan(5);
  });

  it('symmetricEigen reproduces a known 2x2 and 3x3 spectrum', () => {
    const e2 = symmetricEigen([2, 1, 1, 2], 2);
    expect(e2.values[0]).to.be.closeTo(1, 1e-14);
    expect(e2.values[1]).to.be.closeTo(3, 1e-14);
    // path graph Laplacian on 3 nodes: eigenvalues 0, 1, 3
    const e3 = symmetricEigen([1, -1, 0, -1, 2, -1, 0, -1, 1], 3);
    expect(e3.values[0]).to.be.closeTo(0, 1e-14);
    expect(e3.values[1]).to.be.closeTo(1, 1e-14);
    expect(e3.values[2]).to.be.closeTo(3, 1e-14);
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).to.throw(/not symmetric/);
    expect(() => symmetricEigen([1, 2, 3], 2)).to.throw(/expected 4/);
  });

  it('canonicalize: unit norm, largest-magnitude entry positive (first one on ties)', () => {
    for (const v of [
      [0, -3, 4],
      [0, 3, -4],
    ]) {
      const c = canonicalize(Float64Array.from(v));
      [0, -0.6, 0.8].forEach((x, i) => expect(c[i]).to.be.closeTo(x, 1e-15));
    }
    const tie = canonicalize(Float64Array.from([-1, 1]));
    expect(tie[0]).to.be.greaterThan(0);
  });

  it('sr: TD successor representation approaches (I - gamma P)^-1 and its eigenvectors the rw ones', async () => {
    const small = GridWorld.fromName('fourrooms');
    const n = small.numStates;
    const psi = learnSuccessorRepresentation(small, { episodes: 1000, steps: 100, alpha: 0.1, gamma: 0.9, seed: 1 });
    // row sums of the true SR are 1/(1 - gamma) = 10
    let meanRow = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) meanRow += psi[i * n + j] / n;
    expect(meanRow).to.be.closeTo(10, 0.5);
    const sr = await new SrLearner({ seed: 1 }).fit({ world: small }, 5);
    const rw = await new RandomWalkLearner().fit({ world: small }, 5);
    expect(sr.info.transitions).to.equal(100000);
    for (let i = 0; i < 5; i++) expect(Math.abs(cosine(sr.vectors[i], rw.vectors[i])), `e${i + 1}`).to.be.greaterThan(0.85);
    for (let i = 0; i < 5; i++) expect(sr.eigenvalues[i]).to.be.closeTo(rw.eigenvalues[i], 0.02);
  });

  it('rejects a bad number of eigenfunctions', async () => {
    let err: Error | null = null;
    try {
      await new RandomWalkLearner().fit({ world: env }, 0);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/number of eigenfunctions/);
  });
});
