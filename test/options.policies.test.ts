import { expect } from 'chai';
import { GridWorld, parseLayout } from '../envs/gridworld';
import { RandomWalkLearner } from '../src/learners';
import {
  TERMINATE,
  buildOptions,
  eigenpurposeReward,
  optionByQLearning,
  optionByValueIteration,
  optionTrajectory,
} from '../src/options';

// 7 free cells: a top corridor, a one-cell neck, a bottom corridor.
const TOY = '5,5\nXXXXX\nX...X\nXX.XX\nX...X\nXXXXX\n';
const GAMMA = 0.99;

/** max over all action sequences of length <= depth of sum_t gamma^t r_t (0 for stopping at once). */
function bruteForceValue(env: GridWorld, e: ArrayLike<number>, sign: 1 | -1, s: number, depth: number): number {
  // independent of the library: moves from the layout directly
  const move = (x: number, a: number): number => {
    const [r, c] = env.cells[x];
    const d = [
      [-1, 0],
      [1, 0],
      [0, -1],
      [0, 1],
    ][a];
    const t = env.stateAt(r + d[0], c + d[1]);
    return t < 0 ? x : t;
  };
  let best = 0;
  const rec = (x: number, ret: number, disc: number, left: number): void => {
    best = Math.max(best, ret);
    if (left === 0) return;
    for (let a = 0; a < 4; a++) {
      const y = move(x, a);
      rec(y, ret + disc * sign * (e[y] - e[x]), disc * GAMMA, left - 1);
    }
  };
  rec(s, 0, 1, depth);
  return best;
}

describe('eigenoptions: value iteration, termination, ties', () => {
  const env = new GridWorld(parseLayout(TOY, 'toy'));

  it('value-iteration option values and policies agree with brute force on a tiny layout', async () => {
    expect(env.numStates).to.equal(7);
    const eig = await new RandomWalkLearner().fit({ world: env }, 7);
    const vectors: ArrayLike<number>[] = [...eig.vectors, [0, 3, 1, 2, 5, 0, 4], [1, 1, 1, 0, 1, 1, 1]];
    for (const e of vectors) {
      for (const sign of [1, -1] as const) {
        const opt = optionByValueIteration(env, e, sign);
        for (let s = 0; s < env.numStates; s++) {
          const bf = bruteForceValue(env, e, sign, s, 8);
          expect(opt.value[s]).to.be.closeTo(bf, 1e-9);
          if (bf <= 1e-10) {
            expect(opt.policy[s], `terminates at ${s}`).to.equal(TERMINATE);
            expect(opt.availableAt[s]).to.equal(0);
          } else {
            const a = opt.policy[s];
            expect(a).to.be.within(0, 3);
            expect(env.blocked(s, a)).to.equal(false);
            const s2 = env.next(s, a);
            // the chosen move is optimal ...
            expect(sign * (e[s2] - e[s]) + GAMMA * bruteForceValue(env, e, sign, s2, 8)).to.be.closeTo(bf, 1e-9);
            // ... and no earlier action in up/down/left/right order is an optimal move
            for (let b = 0; b < a; b++) {
              const t = env.next(s, b);
              if (t === s) continue;
              expect(sign * (e[t] - e[s]) + GAMMA * bruteForceValue(env, e, sign, t, 8)).to.be.lessThan(bf - 1e-9);
            }
            expect(opt.availableAt[s]).to.equal(1);
          }
        }
      }
    }
  });

  it('breaks ties up, down, left, right and never into a wall', () => {
    // top corridor cells (1,1) (1,2) (1,3); e rewards reaching the neck (2,2) and beyond
    const e = new Float64Array(7);
    const neck = env.stateAt(2, 2);
    e[neck] = 1;
    // from (1,2) only "down" gains; from (3,2) only "up" gains
    const opt = optionByValueIteration(env, e, 1);
    expect(opt.policy[env.stateAt(1, 2)]).to.equal(1);
    expect(opt.policy[env.stateAt(3, 2)]).to.equal(0);
    expect(opt.policy[neck]).to.equal(TERMINATE);
    // an exact tie: e = 1 on both ends of the bottom corridor, start in its middle
    const f = new Float64Array(7);
    f[env.stateAt(3, 1)] = 1;
    f[env.stateAt(3, 3)] = 1;
    const tie = optionByValueIteration(env, f, 1);
    expect(tie.policy[env.stateAt(3, 2)]).to.equal(2); // left before right; up/down are walls/no gain
  });

  it('a constant eigenfunction gives an option that is available nowhere', () => {
    const opt = optionByValueIteration(env, new Float64Array(7).fill(0.377964473), 1);
    expect(Array.from(opt.availableAt)).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
  });

  it('options follow the order +e1, -e1, +e2, -e2 and end where the eigenfunction peaks', async () => {
    const four = GridWorld.fromName('fourrooms');
    const eig = await new RandomWalkLearner().fit({ world: four }, 4);
    const opts = buildOptions(four, eig.vectors, 8);
    expect(opts.map((o) => o.name)).to.deep.equal(['+e1', '-e1', '+e2', '-e2', '+e3', '-e3', '+e4', '-e4']);
    expect(opts[0].availableAt.reduce((a, b) => a + b, 0)).to.equal(0); // constant e1
    for (const o of opts.slice(2)) {
      const e = eig.vectors[o.eigenIndex];
      for (let s = 0; s < four.numStates; s++) {
        if (!o.availableAt[s]) continue;
        const path = optionTrajectory(four, o, s);
        // the eigenpurpose collected along the path is positive
        const end = path[path.length - 1];
        expect(o.sign * (e[end] - e[s])).to.be.greaterThan(0);
        expect(eigenpurposeReward(e, o.sign, s, end)).to.be.greaterThan(0);
      }
    }
    // deterministic: building again gives identical policies
    const again = buildOptions(four, (await new RandomWalkLearner().fit({ world: four }, 4)).vectors, 8);
    for (let i = 0; i < 8; i++) expect(Array.from(again[i].policy)).to.deep.equal(Array.from(opts[i].policy));
    expect(() => buildOptions(four, eig.vectors, 9)).to.throw(/need 5 eigenfunctions/);
  });

  it('Q-learning (model-free) finds the same option policies as value iteration', async () => {
    const eig = await new RandomWalkLearner().fit({ world: env }, 7);
    for (let i = 1; i < 4; i++) {
      for (const sign of [1, -1] as const) {
        const vi = optionByValueIteration(env, eig.vectors[i], sign);
        const ql = optionByQLearning(env, eig.vectors[i], sign, { episodes: 300, steps: 50, alpha: 0.5, seed: 3, tolerance: 1e-6 });
        expect(Array.from(ql.policy), `e${i + 1} ${sign}`).to.deep.equal(Array.from(vi.policy));
        for (let s = 0; s < 7; s++) expect(ql.value[s]).to.be.closeTo(vi.value[s], 1e-6);
      }
    }
  });

  it('rejects mismatched eigenfunctions and bad parameters', () => {
    expect(() => optionByValueIteration(env, [1, 2, 3], 1)).to.throw(/3 entries/);
    expect(() => optionByValueIteration(env, [0, 0, 0, NaN, 0, 0, 0], 1)).to.throw(/not finite/);
    expect(() => optionByValueIteration(env, new Float64Array(7), 1, { gamma: 1 })).to.throw(/gamma/);
  });
});
