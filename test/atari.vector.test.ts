// AtariVectorEnv (threaded, asynchronous, autoreset) against N serial AtariEnvs with the same seeds.
import { expect } from 'chai';
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
});
