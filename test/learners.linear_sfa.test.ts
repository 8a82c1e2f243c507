// Linear SFA and pair slowness against the exact spectrum of I - P on the four-room: with one-hot
// observations of every state and every (s, a) transition as a pair, linear SFA's slowest functions
// are the non-constant eigenvectors of I - P and their slowness is the eigenvalue.
import { expect } from 'chai';
import { GridWorld } from '../envs/gridworld';
import { randomWalkEigenfunctions } from '../src/learners';
import { applyLinearSfa, fitLinearSfa, pairSlowness } from '../src/learners/linear_sfa';
import { cosine } from '../src/linalg';

describe('linear SFA on pairs', () => {
  const world = GridWorld.fromName('fourrooms');
  const n = world.numStates;
  const x = new Float64Array(n * n);
  for (let s = 0; s < n; s++) x[s * n + s] = 1;
  const pairs = new Int32Array(2 * n * 4);
  for (let s = 0; s < n; s++) for (let a = 0; a < 4; a++) {
    pairs[2 * (s * 4 + a)] = s;
    pairs[2 * (s * 4 + a) + 1] = world.nextTable[s * 4 + a];
  }
  const exact = randomWalkEigenfunctions(world, 7);

  it('recovers lambda_2.. and the eigenvectors of I - P from one-hot frames', () => {
    const sfa = fitLinearSfa(x, n, n, pairs, n - 1, 6);
    const f = applyLinearSfa(sfa, x, n);
    for (let j = 0; j < 6; j++) {
      expect(sfa.eigenvalues[j]).to.be.closeTo(exact.eigenvalues[j + 1], 1e-9);
      const v = Float64Array.from({ length: n }, (_, s) => f[s * 6 + j]);
      expect(Math.abs(cosine(v, exact.vectors[j + 1])), `f${j + 1}`).to.be.closeTo(1, 1e-6);
    }
    const slow = pairSlowness(f, n, 6, pairs);
    for (let j = 0; j < 6; j++) {
      expect(slow.perFunction[j]).to.be.closeTo(exact.eigenvalues[j + 1], 1e-9);
      expect(slow.span[j]).to.be.closeTo(exact.eigenvalues[j + 1], 1e-9);
    }
  });

  it('rejects bad sizes', () => {
    expect(() => fitLinearSfa(x, n, n, pairs, n + 1, 2)).to.throw(/p must be/);
    expect(() => fitLinearSfa(x, n, n, pairs, 5, 6)).to.throw(/k must be/);
    expect(() => fitLinearSfa(x.subarray(1), n, n, pairs, 5, 2)).to.throw(/expected/);
  });
});
