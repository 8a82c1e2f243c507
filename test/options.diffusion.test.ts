import { expect } from 'chai';
import { GridWorld, parseLayout } from '../envs/gridworld';
import { gridTask } from '../agents/tabular_task';
import { coverage } from '../agents/random_walk';
import { PvfLearner, RandomWalkLearner } from '../src/learners';
import { Rng } from '../src/rng';
import {
  buildOptions,
  diffusionTime,
  optionByValueIteration,
  optionTrajectory,
} from '../src/options';

/** Gauss-Jordan inverse, written here so the closed form shares no code with the library. */
function inverse(M: number[][]): number[][] {
  const n = M.length;
  const a = M.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c || a[r][c] === 0) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

/** Mean first-passage time over ordered pairs from Kemeny and Snell's fundamental matrix. */
function kemenyMeanFirstPassage(env: GridWorld): { mean: number; kemeny: number[] } {
  const n = env.numStates;
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let s = 0; s < n; s++) {
    const [r, c] = env.cells[s];
    for (const [dr, dc] of [
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ]) {
      const t = env.stateAt(r + dr, c + dc);
      P[s][t < 0 ? s : t] += 0.25;
    }
  }
  // P is doubly stochastic, so the stationary distribution is uniform
  const pi = 1 / n;
  for (let j = 0; j < n; j++) expect(P.reduce((acc, row) => acc + row[j], 0)).to.be.closeTo(1, 1e-12);
  const Z = inverse(P.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - x + pi)));
  let total = 0;
  const kemeny: number[] = [];
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const m = (Z[j][j] - Z[i][j]) / pi;
      total += m;
      k += pi * m;
    }
    kemeny.push(k);
  }
  return { mean: total / (n * (n - 1)), kemeny };
}

describe('diffusion time', () => {
  it("primitives only: equals Kemeny's closed form (four-room 620.8)", () => {
    const env = GridWorld.fromName('fourrooms');
    const closed = kemenyMeanFirstPassage(env);
    // Kemeny's constant does not depend on the start state
    for (const k of closed.kemeny) expect(k).to.be.closeTo(closed.kemeny[0], 1e-6);
    const dt = diffusionTime(env).mean;
    expect(dt).to.be.closeTo(closed.mean, 1e-7);
    expect(Number(dt.toFixed(1))).to.equal(620.8);
    for (const name of ['openroom', 'imaze']) {
      const e = GridWorld.fromName(name);
      expect(diffusionTime(e).mean, name).to.be.closeTo(kemenyMeanFirstPassage(e).mean, 1e-7);
    }
  });

  it('with options: agrees with a Monte Carlo estimate on a tiny layout', () => {
    const env = new GridWorld(parseLayout('4,5\nXXXXX\nX...X\nX...X\nXXXXX\n', 'tiny'));
    const n = env.numStates;
    const e = [3, 1, 0, 2, 0.5, -1];
    const opts = [optionByValueIteration(env, e, 1), optionByValueIteration(env, e, -1)];
    const exact = diffusionTime(env, opts);
    const rng = new Rng(7);
    const runs = 4000;
    let worst = 0;
    for (let s = 0; s < n; s++) {
      for (let g = 0; g < n; g++) {
        if (s === g) continue;
        let sum = 0;
        for (let r = 0; r < runs; r++) {
          let x = s;
          let t = 0;
          while (x !== g) {
            const avail = opts.filter((o) => o.availableAt[x]);
            const k = rng.int(4 + avail.length);
            if (k < 4) {
              x = env.next(x, k);
              t++;
            } else {
              const path = optionTrajectory(env, avail[k - 4], x).slice(1);
              for (const y of path) {
                t++;
                x = y;
                if (y === g) break;
              }
            }
          }
          sum += t;
        }
        const mc = sum / runs;
        worst = Math.max(worst, Math.abs(mc - exact.hitting[g * n + s]) / exact.hitting[g * n + s]);
      }
    }
    expect(worst).to.be.lessThan(0.08);
  });

  it("Machado's finding on the four-room: a few eigenoptions raise diffusion time, enough lower it", async () => {
    const env = GridWorld.fromName('fourrooms');
    const base = diffusionTime(env).mean;
    for (const learner of [new PvfLearner(), new RandomWalkLearner()]) {
      const eig = await learner.fit({ world: env }, 32);
      const few = diffusionTime(env, buildOptions(env, eig.vectors, 4)).mean;
      const many = diffusionTime(env, buildOptions(env, eig.vectors, 64)).mean;
      expect(few, `${learner.name} 4 options`).to.be.greaterThan(2 * base);
      expect(many, `${learner.name} 64 options`).to.be.lessThan(0.8 * base);
    }
  });

  it('coverage: options let the random walk cover more of the four-room in few steps', async () => {
    const env = GridWorld.fromName('fourrooms');
    const eig = await new RandomWalkLearner().fit({ world: env }, 32);
    const start = env.stateAt(11, 1);
    let prim = 0;
    let withOpts = 0;
    const opts = buildOptions(env, eig.vectors, 64);
    for (let seed = 0; seed < 20; seed++) {
      prim += coverage(gridTask(env, { start }), [], 200, seed).coverage;
      withOpts += coverage(gridTask(env, { start }), opts, 200, seed).coverage;
    }
    expect(withOpts).to.be.greaterThan(prim);
    const c = coverage(gridTask(env, { start }), opts, 100, 0);
    expect(c.steps).to.equal(100);
    expect(c.visits.reduce((a, b) => a + b, 0)).to.equal(101);
  });
});
