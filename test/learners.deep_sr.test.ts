// Deep-SR learner and the listable-world transition source, against the exact eigenvectors of I - P.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
  it('resumes from its checkpoint (shared training loop) to the model of an uninterrupted run; refuses another learner\'s', async function () {
    this.timeout(120_000);
    const world = GridWorld.fromName('fourrooms');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-dsr-'));
    try {
      const cfg = { hidden: [32], features: 8, steps: 40, batchSize: 64, evalTransitions: 2048, observation: 'xy' };
      const fit = (extra: object, steps = 40, seed = 5) => new DeepSrLearner({ ...cfg, seed, ...extra, steps }).fit({ source: new MdpTransitionSource(world, { observation: 'xy', sampling: 'uniform', seed }) }, 4);
      const straight = await fit({});
      const ck = path.join(dir, 'checkpoint');
      (await fit({ checkpointDir: ck, checkpointEvery: 10 }, 25)).dispose();
      const index = JSON.parse(fs.readFileSync(path.join(ck, 'index.json'), 'utf8')) as { step: number; learner: string; format: string };
      expect([index.step, index.learner, index.format]).to.deep.equal([25, 'deep-sr', 'eigenopt-learner-checkpoint']);
      // other initial weights and another sampler seed: all of it must come from the checkpoint
      const resumed = await fit({ checkpointDir: ck, resume: true }, 40, 77);
      expect(resumed.info.steps).to.equal(40);
      const v1 = await stateValues(straight, world);
      const v2 = await stateValues(resumed, world);
      expect(v2.map((v) => Array.from(v))).to.deep.equal(v1.map((v) => Array.from(v)));
      expect(Array.from(resumed.eigenvalues)).to.deep.equal(Array.from(straight.eigenvalues));
      [straight, resumed].forEach((m) => m.dispose());
      fs.writeFileSync(path.join(ck, 'index.json'), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ck, 'index.json'), 'utf8')), learner: 'allo' }));
      let msg = '';
      await fit({ checkpointDir: ck, resume: true }).catch((e: Error) => (msg = e.message));
      expect(msg).to.match(/deep-sr checkpoint: .*holds a checkpoint of "allo", not deep-sr/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

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
