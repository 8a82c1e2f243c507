// AtariVectorEnv (threaded, asynchronous, autoreset) against N serial AtariEnvs with the same seeds.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';

import { AtariEnv, AtariEnvOptions } from '../envs/atari';
import { AtariVectorEnv } from '../envs/atari_vector';
import { XorShift32 } from '../src/ale/hash';
import { requireShared, romDir } from './helpers/shared';

describe('AtariVectorEnv', () => {
  it('equals N serial AtariEnvs with the same seeds over hundreds of steps with autoresets', async function () {
    if (!requireShared(this, romDir())) return;
    const options: AtariEnvOptions = {
      game: path.join(romDir(), 'breakout.bin'),
      terminalOnLifeLoss: true, // short episodes: many autoresets
      maxNumFramesPerEpisode: 400, // and some truncations
    };
    const N = 3;
    const seeds = [101, 202, 303];
    const vec = new AtariVectorEnv({ ...options, numEnvs: N, threads: 2 });
    const serial = seeds.map((seed) => new AtariEnv({ ...options, seed }));
    const size = vec.observationSize;
    expect(vec.observationShape).to.deep.equal([4, 84, 84]);
    const obsBuffer = vec.buffers.obs.buffer;

    await vec.reset(seeds);
    const done = new Array<boolean>(N).fill(false);
    const episodeStep = new Array<number>(N).fill(0);
    const ram = new Uint8Array(128);
    const compare = (i: number, o: { observation: Uint8Array; reward: number; terminated: boolean; truncated: boolean; info: { lives: number; frameNumber: number; executedAction: number } }, first: boolean, what: string): void => {
      const b = vec.buffers;
      expect(Buffer.compare(Buffer.from(vec.observation(i)), Buffer.from(o.observation)), `${what} obs`).to.equal(0);
      expect(b.reward[i], `${what} reward`).to.equal(o.reward);
      expect(b.terminated[i] === 1, `${what} terminated`).to.equal(o.terminated);
      expect(b.truncated[i] === 1, `${what} truncated`).to.equal(o.truncated);
      expect(b.first[i] === 1, `${what} first`).to.equal(first);
      expect(b.lives[i], `${what} lives`).to.equal(o.info.lives);
      expect(b.frameNumber[i], `${what} frame`).to.equal(o.info.frameNumber);
      expect(b.executedAction[i], `${what} executed`).to.equal(o.info.executedAction);
      expect(b.episodeStep[i], `${what} episodeStep`).to.equal(episodeStep[i]);
      expect(Buffer.compare(Buffer.from(b.ram.subarray(i * 128, (i + 1) * 128)), Buffer.from(serial[i].getRAM(ram))), `${what} ram`).to.equal(0);
    };
    for (let i = 0; i < N; i++) compare(i, { ...serial[i].reset({ seed: seeds[i] }), reward: 0, terminated: false, truncated: false }, true, `reset ${i}`);

    const rng = new XorShift32(9);
    const actions = new Int32Array(N);
    let resets = 0;
    let truncations = 0;
    for (let t = 0; t < 400; t++) {
      for (let i = 0; i < N; i++) actions[i] = rng.next() % vec.actionCount;
      const pending = vec.step(actions);
      await pending;
      for (let i = 0; i < N; i++) {
        const what = `step ${t} env ${i}`;
        if (done[i]) {
          const r = serial[i].reset();
          episodeStep[i] = 0;
          compare(i, { ...r, reward: 0, terminated: false, truncated: false }, true, what);
          done[i] = false;
          resets++;
        } else {
          const s = serial[i].step(actions[i]);
          episodeStep[i]++;
          compare(i, s, false, what);
          done[i] = s.terminated || s.truncated;
          if (s.truncated) truncations++;
        }
      }
    }
    expect(resets).to.be.greaterThan(5);
    expect(truncations).to.be.greaterThan(0);
    expect(vec.buffers.obs.buffer).to.equal(obsBuffer); // the same shared memory throughout
    expect(size).to.equal(4 * 84 * 84);
  });

  it('step is asynchronous: a second call while one is pending is refused; bad input gives clear errors', async function () {
    if (!requireShared(this, romDir())) return;
    const vec = new AtariVectorEnv({ game: path.join(romDir(), 'pong.bin'), numEnvs: 2, threads: 2 });
    await vec.reset([1, 2]);
    const pending = vec.step(new Int32Array([0, 1]));
    expect(pending).to.be.instanceOf(Promise);
    expect(() => vec.step(new Int32Array([0, 1]))).to.throw(/still running/);
    await pending;
    expect(() => vec.step(new Int32Array([0]))).to.throw(/has 1 elements, expected 2/);
    expect(() => vec.step(new Int32Array([0, 6]))).to.throw(/action 6 of env 1 is out of range 0..5/);
    expect(() => vec.reset([1])).to.throw(/1 seeds for 2 envs/);
    expect(() => new AtariVectorEnv({ game: path.join(romDir(), 'pong.bin'), numEnvs: 0 })).to.throw(/numEnvs/);
    await vec.step(new Int32Array([2, 3]));
  });

  it('the event loop keeps running while a step is in flight', async function () {
    if (!requireShared(this, romDir())) return;
    const vec = new AtariVectorEnv({ game: path.join(romDir(), 'breakout.bin'), numEnvs: 8, threads: 1 });
    await vec.reset();
    let ticked = false;
    const pending = vec.step(new Int32Array(8).fill(1));
    setImmediate(() => (ticked = true));
    await pending;
    expect(ticked).to.equal(true); // ran while the 32 frames were being emulated
  });

  it('gives the same batch for 1, 2, 3 and 4 threads (more envs than threads, uneven split)', async function () {
    if (!requireShared(this, romDir())) return;
    const N = 5;
    const runs: Uint8Array[] = [];
    for (const threads of [1, 2, 3, 4]) {
      const vec = new AtariVectorEnv({ game: path.join(romDir(), 'breakout.bin'), numEnvs: N, threads, terminalOnLifeLoss: true });
      await vec.reset([5, 6, 7, 8, 9]);
      const rng = new XorShift32(77);
      const actions = new Int32Array(N);
      const digest: number[] = [];
      for (let t = 0; t < 150; t++) {
        for (let i = 0; i < N; i++) actions[i] = rng.next() % vec.actionCount;
        await vec.step(actions);
        let h = 0;
        for (const x of vec.buffers.obs) h = (h * 31 + x) >>> 0;
        digest.push(h, ...vec.buffers.reward, ...vec.buffers.first, ...vec.buffers.frameNumber);
      }
      runs.push(Uint8Array.from(Buffer.from(JSON.stringify(digest))));
    }
    for (const r of runs.slice(1)) expect(Buffer.compare(Buffer.from(r), Buffer.from(runs[0]))).to.equal(0);
  });

  it('the process exits cleanly with several envs alive, a step in flight, or process.exit during a step', function () {
    if (!requireShared(this, romDir())) return;
    this.timeout(60_000);
    const rom = JSON.stringify(path.join(romDir(), 'montezuma_revenge.bin'));
    for (const ending of ['', 'vec.step(new Int32Array(4));', 'vec.step(new Int32Array(4)); process.exit(0);']) {
      for (const threads of [1, 2, 4]) {
        const child = `const { AtariVectorEnv } = require(${JSON.stringify(path.resolve(__dirname, '..', 'envs', 'atari_vector'))});
          (async () => { let vec; for (let k = 0; k < 3; k++) { vec = new AtariVectorEnv({ game: ${rom}, numEnvs: 4, threads: ${threads} });
            await vec.reset(); await vec.step(new Int32Array(4)); } ${ending} })();`;
        const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', child], { encoding: 'utf8', timeout: 30_000 });
        expect(r.signal, `${threads} threads, ending "${ending}": ${r.stderr}`).to.equal(null);
        expect(r.status, `${threads} threads, ending "${ending}": ${r.stderr}`).to.equal(0);
      }
    }
  });
});
