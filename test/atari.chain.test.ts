// The Atari chain's pieces on tiny budgets: the rollout transition source (pairs never cross an
// episode end, reproducible, resumable), `eigenopt train` (held-out scores, model reload), and
// `discover --env atari:GAME` end to end (summary.json keys, report.html).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ATARI_CHAIN_DEFAULTS, runAtariChain } from '../cli/atari_chain';
import { showOptions } from '../cli/options_cmd';
import { rollout } from '../cli/rollout';
import { trainOnRollout } from '../src/learners/frames';
import { readRolloutMeta, readShard } from '../src/data/rollout';
import { RolloutTransitionSource, readRolloutFrames, splitShards } from '../src/data/rollout_source';
import { loadSpinEigenfunctions } from '../src/spin/model';
import { loadEigenfunctionModel } from '../src/models/eigenfunctions';
import { requireShared, romDir } from './helpers/shared';

const quiet = (): void => undefined;

describe('Atari chain (tiny budgets)', function () {
  this.timeout(600_000);
  let tmp = '';
  let data = '';

  before(async function () {
    if (!requireShared(this, romDir())) return;
    process.env.EIGENOPT_ROM_DIR = romDir();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-chain-'));
    data = path.join(tmp, 'rollout');
    await rollout({ game: 'montezuma_revenge', frames: 2400, envs: 2, seed: 3, shardSize: 800, out: data, log: quiet });
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('RolloutTransitionSource: every pair is two consecutive steps of one episode, reproducibly', async function () {
    if (!requireShared(this, romDir())) return;
    const meta = readRolloutMeta(data);
    const split = splitShards(meta);
    expect(split.heldOut).to.deep.equal([meta.shards.length - 1]);
    // index every row by its observation bytes and (env, episode, step) to check pairs independently
    const size = meta.obsShape.reduce((a, b) => a * b, 1);
    const rowsByObs = new Map<string, string[]>();
    for (const s of meta.shards) {
      const { rows, arrays } = readShard(path.join(data, s.file), meta.obsShape);
      const o = arrays.obs.data as Uint8Array;
      for (let i = 0; i < rows; i++) {
        const key = Buffer.from(o.subarray(i * size, (i + 1) * size)).toString('base64');
        const id = `${(arrays.env.data as Int32Array)[i]}/${(arrays.episode.data as Int32Array)[i]}/${(arrays.step.data as Int32Array)[i]}`;
        rowsByObs.set(key, [...(rowsByObs.get(key) ?? []), id]);
      }
    }
    const a = new RolloutTransitionSource(data, { shards: split.train, seed: 1 });
    const b = new RolloutTransitionSource(data, { shards: split.train, seed: 1 });
    for (let batch = 0; batch < 20; batch++) {
      const x = await a.nextBatch(97);
      const y = await b.nextBatch(97);
      expect(Buffer.compare(Buffer.from(x.x), Buffer.from(y.x))).to.equal(0);
      for (let i = 0; i < x.size; i++) {
        const from = rowsByObs.get(Buffer.from(x.x.subarray(i * size, (i + 1) * size)).toString('base64')) ?? [];
        const to = rowsByObs.get(Buffer.from(x.xNext.subarray(i * size, (i + 1) * size)).toString('base64')) ?? [];
        // some (env, episode, step) of the first frame is followed by some row of the second
        const ok = from.some((f) => {
          const [e, ep, st] = f.split('/').map(Number);
          return to.includes(`${e}/${ep}/${st + 1}`);
        });
        expect(ok, `pair ${batch}/${i}`).to.equal(true);
      }
    }
    const state = a.samplerState();
    const next = await a.nextBatch(50);
    const c = new RolloutTransitionSource(data, { shards: split.train, seed: 1 });
    c.restoreSamplerState(state);
    expect(Buffer.compare(Buffer.from((await c.nextBatch(50)).x), Buffer.from(next.x))).to.equal(0);
    const frames = readRolloutFrames(data, split.heldOut);
    for (let t = 0; t < frames.count; t++) if (frames.next[t] >= 0) expect(frames.episode[frames.next[t]]).to.equal(frames.episode[t]);
  });

  it('RolloutTransitionSource with lag L: pairs 1..L steps apart in one episode, every lag about equally often', async function () {
    if (!requireShared(this, romDir())) return;
    const meta = readRolloutMeta(data);
    const size = meta.obsShape.reduce((a, b) => a * b, 1);
    // (env, episode, step) ids of each observation, from the shards directly
    const idsByObs = new Map<string, number[][]>();
    for (const s of meta.shards) {
      const { rows, arrays } = readShard(path.join(data, s.file), meta.obsShape);
      const o = arrays.obs.data as Uint8Array;
      for (let i = 0; i < rows; i++) {
        const key = Buffer.from(o.subarray(i * size, (i + 1) * size)).toString('base64');
        const id = [(arrays.env.data as Int32Array)[i], (arrays.episode.data as Int32Array)[i], (arrays.step.data as Int32Array)[i]];
        idsByObs.set(key, [...(idsByObs.get(key) ?? []), id]);
      }
    }
    const L = 3;
    const a = new RolloutTransitionSource(data, { seed: 2, lag: L });
    const counts = new Array<number>(L + 1).fill(0);
    for (let batch = 0; batch < 12; batch++) {
      const x = await a.nextBatch(100);
      for (let i = 0; i < x.size; i++) {
        const from = idsByObs.get(Buffer.from(x.x.subarray(i * size, (i + 1) * size)).toString('base64')) ?? [];
        const to = idsByObs.get(Buffer.from(x.xNext.subarray(i * size, (i + 1) * size)).toString('base64')) ?? [];
        // the lags l in 1..L for which some id of the first frame is followed l steps later by some id of the second
        const lags = new Set<number>();
        for (const [e, ep, st] of from) for (const [e2, ep2, st2] of to) if (e === e2 && ep === ep2 && st2 - st >= 1 && st2 - st <= L) lags.add(st2 - st);
        expect(lags.size, `pair ${batch}/${i}`).to.be.greaterThan(0);
        if (lags.size === 1) counts[[...lags][0]]++;
      }
    }
    const n = counts.reduce((p, q) => p + q, 0);
    expect(n).to.be.greaterThan(1000);
    for (let l = 1; l <= L; l++) expect(counts[l] / n, `lag ${l}`).to.be.closeTo(1 / L, 0.06);
    // reproducible from the sampler state, lags included
    const state = a.samplerState();
    const next = await a.nextBatch(64);
    const c = new RolloutTransitionSource(data, { seed: 2, lag: L });
    c.restoreSamplerState(state);
    const again = await c.nextBatch(64);
    expect(Buffer.compare(Buffer.from(again.xNext), Buffer.from(next.xNext))).to.equal(0);
    expect(() => new RolloutTransitionSource(data, { lag: 0 })).to.throw(/lag must be a positive integer, got 0/);
    // a lag longer than every episode: a clear error, not a hang
    const tooLong = new RolloutTransitionSource(data, { lag: 100_000 });
    await tooLong.nextBatch(4).then(() => expect.fail('no error'), (e: Error) => expect(e.message).to.match(/hold no episode with 100000 steps after a frame/));
    await trainOnRollout({ data, neig: 2, out: path.join(tmp, 'sr-lag'), learner: 'deep-sr', lag: 2, steps: 1, log: quiet }).then(
      () => expect.fail('deep-sr took a lag'),
      (e: Error) => expect(e.message).to.match(/--lag 2 is for spin and allo/),
    );
  });

  it('eigenopt train: SpIN on frames, held-out slowness for SpIN and linear SFA, the saved model reloads', async function () {
    if (!requireShared(this, romDir())) return;
    const out = path.join(tmp, 'model');
    const r = await trainOnRollout({ data, neig: 4, out, steps: 12, batchSize: 32, evalFrames: 600, clipFactor: 4, log: quiet });
    expect(r.steps).to.equal(12);
    // --clip-factor reaches the trainer: within the 100-step warm-up of the running norm nothing is clipped
    expect(r.model.info).to.include({ clipFactor: 4, clippedSteps: 0 });
    await trainOnRollout({ data, neig: 4, out: path.join(tmp, 'clip1'), steps: 1, clipFactor: 1, log: quiet }).then(
      () => expect.fail('a clip factor of 1 was accepted'),
      (e: Error) => expect(e.message).to.match(/clipFactor must be a finite number > 1, got 1/),
    );
    expect(r.heldOut.slowness).to.have.length(4);
    expect(r.heldOut.linearSfa.slowness).to.have.length(4);
    for (const v of [...r.heldOut.spanSlowness, ...r.heldOut.linearSfa.slowness]) expect(v).to.be.within(0, 2.5);
    const frames = readRolloutFrames(data, [0], 50);
    const before = await r.model.evaluate(frames.obs, frames.count);
    const loaded = await loadEigenfunctionModel(out, loadSpinEigenfunctions);
    const after = await loaded.evaluate(frames.obs, frames.count);
    expect(Array.from(after)).to.deep.equal(Array.from(before));
    loaded.dispose();
    r.model.dispose();
    // eigenopt options on that model: a PNG and a GIF per option that ran, positions in frame pixels
    const shown = await showOptions({ model: out, game: 'montezuma_revenge', out: path.join(tmp, 'options'), runs: 2, options: 2 });
    expect(Object.keys(shown)).to.deep.equal(['+e2', '-e2']);
    for (const [name, runs] of Object.entries(shown)) {
      for (const run of runs) {
        expect(run.path).to.have.length(run.steps + 1);
        for (const [x, y] of run.path) expect(x >= 0 && x < 84 && y >= 0 && y < 84, `${name} (${x}, ${y})`).to.equal(true);
      }
      if (runs.length > 0) {
        expect(fs.readFileSync(path.join(tmp, 'options', `option_${name}.gif`)).subarray(0, 6).toString('latin1')).to.equal('GIF89a');
        expect(fs.existsSync(path.join(tmp, 'options', `option_${name}.png`))).to.equal(true);
      }
    }
  });

  it('eigenopt train --learner allo: ALLO on the same frames and network, held-out slowness, the saved model reloads', async function () {
    if (!requireShared(this, romDir())) return;
    const out = path.join(tmp, 'allo');
    const r = await trainOnRollout({ data, neig: 3, out, learner: 'allo', steps: 15, batchSize: 32, evalFrames: 600, log: quiet });
    expect(r.steps).to.equal(15);
    expect(r.model.learner).to.equal('allo');
    expect(Number(r.model.info.barrier)).to.be.at.least(1); // the barrier only grows from its initial 1
    expect(String(r.model.info.dualEigenvalues).split(' ')).to.have.length(3);
    expect(r.heldOut.slowness).to.have.length(3);
    for (const v of r.heldOut.spanSlowness) expect(v).to.be.within(0, 2.5);
    const frames = readRolloutFrames(data, [0], 40);
    const before = await r.model.evaluate(frames.obs, frames.count);
    const loaded = await loadEigenfunctionModel(out, loadSpinEigenfunctions);
    expect(loaded.learner).to.equal('allo');
    expect(Array.from(await loaded.evaluate(frames.obs, frames.count))).to.deep.equal(Array.from(before));
    loaded.dispose();
    r.model.dispose();
    await trainOnRollout({ data, neig: 3, out: path.join(tmp, 'bad'), learner: 'nope' as never, steps: 1, log: quiet }).then(
      () => expect.fail('an unknown learner must be refused'),
      (e: Error) => expect(e.message).to.match(/unknown learner "nope" \(expected spin, allo, deep-sr\)/),
    );
  });

  it('eigenopt train --resume: spin and allo continue from its checkpoint to the same model as one uninterrupted run', async function () {
    if (!requireShared(this, romDir())) return;
    const frames = readRolloutFrames(data, [0], 40);
    const common = { data, neig: 3, batchSize: 16, evalFrames: 300, log: quiet };
    // (deep-sr: test/learners.deep_sr.test.ts, on a gridworld, where its LSTD pass over 65,536 frames is not needed)
    for (const learner of ['spin', 'allo'] as const) {
      const straight = await trainOnRollout({ ...common, learner, out: path.join(tmp, `${learner}-straight`), steps: 6 });
      const out = path.join(tmp, `${learner}-resumed`);
      const first = await trainOnRollout({ ...common, learner, out, steps: 3, checkpointEvery: 2 });
      first.model.dispose();
      const index = JSON.parse(fs.readFileSync(path.join(out, 'checkpoint', 'index.json'), 'utf8')) as { step: number; learner?: string };
      expect(index.step, learner).to.equal(3);
      // another seed (initial weights, sampler): all of it must come from the checkpoint
      const resumed = await trainOnRollout({ ...common, learner, out, steps: 6, resume: true, seed: 11 });
      expect(resumed.steps, learner).to.equal(6);
      const a = await straight.model.evaluate(frames.obs, frames.count);
      const b = await resumed.model.evaluate(frames.obs, frames.count);
      expect(Array.from(b), `${learner}: resumed run`).to.deep.equal(Array.from(a));
      expect(Array.from(resumed.model.eigenvalues)).to.deep.equal(Array.from(straight.model.eigenvalues));
      straight.model.dispose();
      resumed.model.dispose();
    }
    // a checkpoint is resumed only by its own learner, and a damaged one is named
    await trainOnRollout({ ...common, learner: 'allo', out: path.join(tmp, 'spin-resumed'), steps: 8, resume: true }).then(
      () => expect.fail('allo must refuse a SpIN checkpoint'),
      (e: Error) => expect(e.message).to.match(/allo checkpoint: .*is not an eigenopt allo checkpoint index \(format "eigenopt-spin-checkpoint"/),
    );
    const ck = path.join(tmp, 'allo-resumed', 'checkpoint');
    const index = JSON.parse(fs.readFileSync(path.join(ck, 'index.json'), 'utf8')) as { scalars: { duals: number[] }; files: { file: string }[] };
    fs.writeFileSync(path.join(ck, 'index.json'), JSON.stringify({ ...index, scalars: { ...index.scalars, duals: index.scalars.duals.slice(1) } }));
    await trainOnRollout({ ...common, learner: 'allo', out: path.join(tmp, 'allo-resumed'), steps: 8, resume: true }).then(
      () => expect.fail('a checkpoint with the wrong number of duals must be refused'),
      (e: Error) => expect(e.message).to.match(/allo: the saved duals must be 9 finite numbers \(k = 3\)/),
    );
    fs.rmSync(path.join(ck, index.files[0].file));
    await trainOnRollout({ ...common, learner: 'allo', out: path.join(tmp, 'allo-resumed'), steps: 8, resume: true }).then(
      () => expect.fail('a checkpoint with a missing file must be refused'),
      (e: Error) => expect(e.message).to.match(/allo checkpoint: .* is missing \(listed in index\.json\)/),
    );
  });

  it('discover --env atari:GAME writes summary.json with every phase and report.html', async function () {
    if (!requireShared(this, romDir())) return;
    const out = path.join(tmp, 'chain');
    const s = await runAtariChain({ game: 'montezuma_revenge', out, rolloutSteps: 1600, neig: 4, trainSteps: 10, exploreFrames: 600, options: 2, optionDqnSteps: 200, log: quiet, progress: false });
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(Object.keys(saved)).to.include.members(['game', 'eigenvalues', 'heldout_slowness', 'abstract_state_match', 'exploration']);
    for (const arm of ['random', 'options', 'options_dqn']) expect(Object.keys(saved.exploration[arm])).to.include.members(['frames', 'abstract_states', 'rooms', 'score']);
    expect(s.exploration.random.frames).to.be.at.least(600);
    expect(s.exploration.options.frames).to.be.at.least(600);
    expect(s.exploration.options_dqn?.frames).to.be.at.least(600);
    // one run per seed of every arm (the default seeds), the summary their means
    for (const arm of ['random', 'options', 'options_dqn'] as const) {
      const runs = s.exploration.runs[arm] ?? [];
      expect(runs, arm).to.have.length(ATARI_CHAIN_DEFAULTS.seeds);
      const mean = runs.reduce((a, r) => a + r.abstract_states, 0) / runs.length;
      expect(s.exploration[arm]?.abstract_states, arm).to.be.closeTo(mean, 1e-9);
    }
    expect(ATARI_CHAIN_DEFAULTS.seeds).to.be.greaterThan(1);
    expect(s.seconds['option-dqn']).to.be.a('number');
    // the model was trained on pairs 1..trainLag steps apart (the chain's default)
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'model', 'meta.json'), 'utf8'));
    expect(meta.info.lag).to.equal(ATARI_CHAIN_DEFAULTS.trainLag);
    expect(ATARI_CHAIN_DEFAULTS.trainLag).to.be.greaterThan(1);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).to.include('Exploration at equal frames');
    expect(html).to.include('<svg');
  });
});
