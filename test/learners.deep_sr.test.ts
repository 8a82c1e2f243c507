// Deep-SR learner and the listable-world transition source, against the exact eigenvectors of I - P.
import { expect } from 'chai';
import { GridWorld } from '../envs/gridworld';
import { MdpTransitionSource } from '../src/data/mdp_source';
import { DeepSrLearner } from '../src/learners/deep_sr';
import { randomWalkEigenfunctions } from '../src/learners';
import { cosine } from '../src/linalg';
import { stateValues } from '../src/models/eigenfunctions';

describe('MdpTransitionSource', () => {
  const world = GridWorld.fromName('fourrooms');

  it('stratified batches hold every (s, a) pair once per 416 transitions, as observations', async () => {
    const src = new MdpTransitionSource(world, { observation: 'onehot', sampling: 'stratified' });
    const b = await src.nextBatch(416);
    const n = world.numStates;
    const seen = new Set<string>();
    for (let i = 0; i < b.size; i++) {
      const s = b.x.subarray(i * n, (i + 1) * n).indexOf(1);
      const s2 = b.xNext.subarray(i * n, (i + 1) * n).indexOf(1);
      expect(world.nextTable[s * 4 + (b.action as Int32Array)[i]]).to.equal(s2);
      seen.add(`${s},${(b.action as Int32Array)[i]}`);
    }
    expect(seen.size).to.equal(416);
    await src.nextBatch(832);
    try {
      await src.nextBatch(100);
      expect.fail('no error');
    } catch (e) {
      expect((e as Error).message).to.match(/multiple of 416/);
    }
  });

  it('uniform batches are reproducible per seed and resumable from the sampler state', async () => {
    const a = new MdpTransitionSource(world, { observation: 'xy', seed: 3 });
    const b = new MdpTransitionSource(world, { observation: 'xy', seed: 3 });
    const c = new MdpTransitionSource(world, { observation: 'xy', seed: 4 });
    expect(Array.from((await a.nextBatch(64)).x)).to.deep.equal(Array.from((await b.nextBatch(64)).x));
    expect(Array.from((await a.nextBatch(64)).x)).to.not.deep.equal(Array.from((await c.nextBatch(64)).x));
    const state = a.samplerState();
    const next = await a.nextBatch(32);
    b.restoreSamplerState(state);
    expect(Array.from((await b.nextBatch(32)).xNext)).to.deep.equal(Array.from(next.xNext));
  });
});

describe('deep-sr learner', () => {
  it('on one-hot four-room transitions: the slowest eigenfunctions and eigenvalues of I - P', async function () {
    this.timeout(300_000);
    const world = GridWorld.fromName('fourrooms');
    const source = new MdpTransitionSource(world, { observation: 'onehot', sampling: 'uniform', seed: 1 });
    const model = await new DeepSrLearner({ hidden: [], features: world.numStates, steps: 1500, observation: 'onehot' }).fit({ source }, 5);
    try {
      const exact = randomWalkEigenfunctions(world, 5);
      const v = await stateValues(model, world);
      for (let i = 0; i < 5; i++) {
        expect(Math.abs(cosine(v[i], exact.vectors[i])), `e${i + 1}`).to.be.at.least(0.95);
        expect(model.eigenvalues[i], `lambda${i + 1}`).to.be.closeTo(exact.eigenvalues[i], 0.001);
      }
    } finally {
      model.dispose();
    }
  });

  it('rejects a missing source and bad settings', async () => {
    const world = GridWorld.fromName('fourrooms');
    const source = new MdpTransitionSource(world, { observation: 'onehot' });
    let msg = '';
    await new DeepSrLearner().fit({}, 3).catch((e: Error) => (msg = e.message));
    expect(msg).to.match(/transition source/);
    await new DeepSrLearner({ features: 4 }).fit({ source }, 5).catch((e: Error) => (msg = e.message));
    expect(msg).to.match(/k must be an integer in \[1, 4\]/);
  });
});
