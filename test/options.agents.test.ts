import { expect } from 'chai';
import { GridWorld } from '../envs/gridworld';
import { runQLearning, tailMean } from '../agents/q_learning';
import { runRandomWalk } from '../agents/random_walk';
import { gridTask } from '../agents/tabular_task';
import { RandomWalkLearner } from '../src/learners';
import { buildOptions } from '../src/options';

describe('agents: Q-learning and random walk over primitives + eigenoptions', () => {
  const env = GridWorld.fromName('fourrooms');

  it('eigenoptions speed up learning to reach the far corner of the four-room', async () => {
    const eig = await new RandomWalkLearner().fit({ world: env }, 8);
    const args = { runs: 20, episodes: 500 };
    const prim = runQLearning(gridTask(env), [], args);
    const opts = runQLearning(gridTask(env), buildOptions(env, eig.vectors, 16), args);
    // an optimal path takes 20 steps: discounted return 0.9^19 ~ 0.135
    expect(tailMean(opts.meanReturn)).to.be.greaterThan(3 * tailMean(prim.meanReturn));
    expect(tailMean(opts.meanReturn)).to.be.lessThan(0.9 ** 19 + 1e-9);
    expect(tailMean(opts.successRate)).to.be.greaterThan(0.9);
    expect(tailMean(opts.meanSteps)).to.be.lessThan(tailMean(prim.meanSteps));
  });

  it('is deterministic per seed and checks its hyperparameters', () => {
    const a = runQLearning(gridTask(env), [], { runs: 2, episodes: 20, seed: 5 });
    const b = runQLearning(gridTask(env), [], { runs: 2, episodes: 20, seed: 5 });
    expect(Array.from(a.meanSteps)).to.deep.equal(Array.from(b.meanSteps));
    expect(() => runQLearning(gridTask(env), [], { alpha: 0 })).to.throw(/alpha/);
    expect(() => runQLearning(gridTask(env), [], { runs: 0 })).to.throw(/runs/);
    expect(() => runQLearning(gridTask(env), [], { epsilon: 2 })).to.throw(/epsilon/);
  });

  it('random walk with options covers more states than without', async () => {
    const eig = await new RandomWalkLearner().fit({ world: env }, 32);
    const prim = runRandomWalk(gridTask(env), [], { steps: 300, runs: 20 });
    const withOpts = runRandomWalk(gridTask(env), buildOptions(env, eig.vectors, 64), { steps: 300, runs: 20 });
    expect(withOpts.coverage).to.be.greaterThan(prim.coverage);
    expect(prim.visits.reduce((x, y) => x + y, 0)).to.be.closeTo(301, 1e-9);
  });
});
