// AtariEnv preprocessing (envs/atari.ts over native/vector): area resize values computed by hand,
// and every observation of a seeded episode against an independent reference built here from the
// raw ALE (grayscale screens of the last two frames, float64 area average, frame stack).
import { expect } from 'chai';
import * as path from 'path';

import { ALEInterface } from '../src/ale/ale_interface';
import { loadNative } from '../src/ale/native';
import { AtariEnv } from '../envs/atari';
import { requireShared, romDir } from './helpers/shared';

const resizeArea = (src: Uint8Array, sh: number, sw: number, dh: number, dw: number): Uint8Array =>
  loadNative().resizeArea(src, sh, sw, dh, dw);

/** Float64 area average: output (y, x) = sum over input pixels of value * overlap area / footprint area. */
function referenceResize(src: Uint8Array, sh: number, sw: number, dh: number, dw: number): Float64Array {
  const fy = sh / dh;
  const fx = sw / dw;
  const out = new Float64Array(dh * dw);
  for (let y = 0; y < dh; y++) {
    const y0 = y * fy;
    const y1 = (y + 1) * fy;
    for (let x = 0; x < dw; x++) {
      const x0 = x * fx;
      const x1 = (x + 1) * fx;
      let s = 0;
      for (let r = Math.floor(y0); r < Math.min(sh, Math.ceil(y1)); r++) {
        const oy = Math.min(y1, r + 1) - Math.max(y0, r);
        for (let c = Math.floor(x0); c < Math.min(sw, Math.ceil(x1)); c++) {
          const ox = Math.min(x1, c + 1) - Math.max(x0, c);
          s += src[r * sw + c] * oy * ox;
        }
      }
      out[y * dw + x] = s / (fy * fx);
    }
  }
  return out;
}

/** Expects `got` to be the nearest integers of `exact` (either neighbour where exact is a float-rounding tie). */
function expectRounded(got: Uint8Array, exact: Float64Array, what: string): void {
  expect(got.length).to.equal(exact.length);
  const bad: string[] = [];
  for (let i = 0; i < exact.length; i++) {
    const v = exact[i];
    const frac = v - Math.floor(v);
    const ok = Math.abs(frac - 0.5) < 1e-9 ? got[i] === Math.floor(v) || got[i] === Math.ceil(v) : got[i] === Math.round(v);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${got[i]}, exact ${v}`);
  }
  expect(bad, what).to.deep.equal([]);
}

/** splitmix64's first output for `seed`, high 32 bits (the noop-count draw, atari_env.h). */
function splitmixHigh(seed: number): number {
  const M = (1n << 64n) - 1n;
  let z = (BigInt(seed) + 0x9e3779b97f4a7c15n) & M;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  z = z ^ (z >> 31n);
  return Number(z >> 32n);
}

function noopCount(seed: number, noopMax: number): number {
  return 1 + Number((BigInt(splitmixHigh(seed)) * BigInt(noopMax)) >> 32n);
}

describe('Atari preprocessing: area resize (INTER_AREA)', () => {
  it('averages over fractional footprints (values computed by hand)', () => {
    // 1x5 -> 1x2: footprints [0, 2.5) and [2.5, 5): (10 + 20 + 0.5*30) / 2.5 = 18, (0.5*30 + 40 + 50) / 2.5 = 42.
    expect(Array.from(resizeArea(Uint8Array.from([10, 20, 30, 40, 50]), 1, 5, 1, 2))).to.deep.equal([18, 42]);
    // 3x3 -> 2x2 (footprint 1.5 x 1.5 = 2.25): e.g. (0,0) = (0 + 0.5*30 + 0.5*90 + 0.25*120) / 2.25 = 40.
    const g = Uint8Array.from([0, 30, 60, 90, 120, 150, 180, 210, 240]);
    expect(Array.from(resizeArea(g, 3, 3, 2, 2))).to.deep.equal([40, 80, 160, 200]);
    // Integer factor: plain block means; identity when the size is unchanged.
    expect(Array.from(resizeArea(Uint8Array.from([1, 3, 5, 7, 3, 5, 7, 9]), 2, 4, 1, 2))).to.deep.equal([3, 7]);
    expect(Array.from(resizeArea(g, 3, 3, 3, 3))).to.deep.equal(Array.from(g));
  });

  it('rounds to nearest with exact ties to even', () => {
    expect(resizeArea(Uint8Array.from([0, 1]), 1, 2, 1, 1)[0]).to.equal(0); // 0.5
    expect(resizeArea(Uint8Array.from([1, 2]), 1, 2, 1, 1)[0]).to.equal(2); // 1.5
    expect(resizeArea(Uint8Array.from([2, 3]), 1, 2, 1, 1)[0]).to.equal(2); // 2.5
    expect(resizeArea(Uint8Array.from([0, 0, 1]), 1, 3, 1, 1)[0]).to.equal(0); // 1/3
    expect(resizeArea(Uint8Array.from([0, 1, 1]), 1, 3, 1, 1)[0]).to.equal(1); // 2/3
    expect(resizeArea(Uint8Array.from([255, 255, 255]), 1, 3, 1, 1)[0]).to.equal(255);
  });

  it('210x160 -> 84x84 matches hand-computed pixels and a float64 reference', () => {
    const sh = 210;
    const sw = 160;
    const src = new Uint8Array(sh * sw);
    for (let r = 0; r < sh; r++) for (let c = 0; c < sw; c++) src[r * sw + c] = (7 * r + 3 * c) & 255;
    const out = resizeArea(src, sh, sw, 84, 84);
    // Output row 0 covers input rows [0, 2.5): weights 2/5, 2/5, 1/5; column 0 covers [0, 40/21):
    // weights 21/40, 19/40. Value 7r + 3c: 7*(0.4*0 + 0.4*1 + 0.2*2) + 3*(0.475*1) = 5.6 + 1.425 = 7.025 -> 7.
    expect(out[0]).to.equal(7);
    // (1, 1): rows [2.5, 5) -> 2,3,4 with 1/5, 2/5, 2/5 (mean 3.2); columns [40/21, 80/21) -> 1,2,3 with
    // 2/40, 21/40, 17/40 (mean 95/40 = 2.375): 7*3.2 + 3*2.375 = 29.525 -> 30.
    expect(out[84 + 1]).to.equal(30);
    expectRounded(out, referenceResize(src, sh, sw, 84, 84), 'synthetic');
  });
});

describe('Atari preprocessing: AtariEnv against the raw ALE', () => {
  const game = (name: string): string => path.join(romDir(), `${name}.bin`);

  it('every observation of a seeded breakout run equals max-pool + area resize + stack of raw screens', function () {
    if (!requireShared(this, romDir())) return;
    const seed = 7;
    const env = new AtariEnv({ game: game('breakout'), seed });
    expect(env.observationShape).to.deep.equal([4, 84, 84]);
    expect(env.actionCount).to.equal(4);

    const ale = new ALEInterface();
    ale.setInt('random_seed', seed);
    ale.setFloat('repeat_action_probability', 0.25);
    ale.setInt('frame_skip', 1);
    ale.setInt('max_num_frames_per_episode', 108000);
    ale.loadROM(game('breakout'));
    ale.reset_game();
    const noops = noopCount(seed, 30);
    for (let i = 0; i < noops; i++) ale.act(0);
    const frame = (a: Uint8Array, b: Uint8Array | null): Float64Array => {
      const m = Uint8Array.from(a, (v, i) => (b && b[i] > v ? b[i] : v));
      return referenceResize(m, 210, 160, 84, 84);
    };
    let stack: Float64Array[] = [];
    const f0 = frame(ale.getScreenGrayscale(), null);
    stack = [f0, f0, f0, f0];
    const check = (obs: Uint8Array, what: string): void => {
      for (let k = 0; k < 4; k++) expectRounded(obs.subarray(k * 7056, (k + 1) * 7056), stack[k], `${what} stack ${k}`);
    };
    const r = env.reset({ seed });
    expect(r.info.episodeFrameNumber).to.equal(ale.getEpisodeFrameNumber());
    check(r.observation, 'reset');

    const actions = [1, 1, 2, 3, 3, 2, 0, 1, 3, 2, 2, 2, 3, 0, 1, 3, 3, 3, 2, 1, 0, 0, 2, 3];
    for (let t = 0; t < 80; t++) {
      const a = actions[t % actions.length];
      let reward = 0;
      let prev: Uint8Array | null = null;
      let last: Uint8Array | null = null;
      for (let f = 0; f < 4; f++) {
        reward += ale.act(env.actionSet[a]);
        if (f === 2) prev = ale.getScreenGrayscale();
        if (f === 3) last = ale.getScreenGrayscale();
      }
      stack = [...stack.slice(1), frame(last as Uint8Array, prev)];
      const s = env.step(a);
      expect(s.reward, `reward ${t}`).to.equal(reward);
      expect(s.terminated).to.equal(ale.game_over(false));
      expect(s.info.lives).to.equal(ale.lives());
      expect(s.info.frameNumber).to.equal(ale.getFrameNumber());
      expect(s.info.episodeFrameNumber).to.equal(ale.getEpisodeFrameNumber());
      check(s.observation, `step ${t}`);
    }
    expect(ale.lives()).to.be.greaterThan(0);
  });

  it('noop starts: 1..noopMax NOOP frames after reset, drawn from the seed', function () {
    if (!requireShared(this, romDir())) return;
    const base = new AtariEnv({ game: game('pong'), noopMax: 0, seed: 1 }).reset({ seed: 1 }).info.episodeFrameNumber;
    const env = new AtariEnv({ game: game('pong') });
    const seen = new Set<number>();
    for (let seed = 0; seed < 12; seed++) {
      const n = env.reset({ seed }).info.episodeFrameNumber - base;
      expect(n).to.equal(noopCount(seed, 30));
      expect(n).to.be.within(1, 30);
      seen.add(n);
    }
    expect(seen.size).to.be.greaterThan(4);
  });

  it('stacks the last four frames, oldest first; the reset frame fills the stack', function () {
    if (!requireShared(this, romDir())) return;
    const env = new AtariEnv({ game: game('pong'), seed: 3 });
    const obs = env.reset({ seed: 3 }).observation.slice();
    for (let k = 1; k < 4; k++) expect(obs.subarray(k * 7056, (k + 1) * 7056)).to.deep.equal(obs.subarray(0, 7056));
    let prev = obs;
    for (let t = 0; t < 20; t++) {
      const cur = env.step(t % 6).observation.slice();
      expect(cur.subarray(0, 3 * 7056)).to.deep.equal(prev.subarray(7056));
      prev = cur;
    }
  });

  it('info.executedAction is the sticky action: the chosen id without stickiness, NOOP when always repeating', function () {
    if (!requireShared(this, romDir())) return;
    const plain = new AtariEnv({ game: game('breakout'), repeatActionProbability: 0, seed: 2 });
    const always = new AtariEnv({ game: game('breakout'), repeatActionProbability: 1, seed: 2 });
    plain.reset();
    always.reset();
    for (let t = 0; t < 12; t++) {
      expect(plain.step(t % 4).info.executedAction).to.equal(plain.actionSet[t % 4]);
      expect(always.step(t % 4).info.executedAction).to.equal(0);
    }
    // With 0.25 some steps keep the previous action: over 200 steps both cases occur.
    const sticky = new AtariEnv({ game: game('breakout'), seed: 5 });
    sticky.reset();
    let kept = 0;
    for (let t = 0; t < 200; t++) if (sticky.step(t % 4).info.executedAction !== sticky.actionSet[t % 4]) kept++;
    expect(kept).to.be.within(1, 199);
  });

  it('terminal on life loss ends the episode at the step where lives drop; truncation at maxNumFramesPerEpisode', function () {
    if (!requireShared(this, romDir())) return;
    const opts = { game: game('breakout'), seed: 11 } as const;
    const a = new AtariEnv(opts);
    const b = new AtariEnv({ ...opts, terminalOnLifeLoss: true });
    let lives = a.reset({ seed: 11 }).info.lives;
    b.reset({ seed: 11 });
    let t = 0;
    for (; t < 2000; t++) {
      const sa = a.step(1); // FIRE: the ball is served and missed by the still paddle
      const sb = b.step(1);
      const lost = sa.info.lives < lives;
      expect(sb.terminated, `step ${t}`).to.equal(lost);
      lives = sa.info.lives;
      if (lost) break;
      expect(sb.observation).to.deep.equal(sa.observation);
    }
    expect(t).to.be.lessThan(2000);

    const c = new AtariEnv({ game: game('pong'), noopMax: 0, maxNumFramesPerEpisode: 250, seed: 0 });
    const start = c.reset({ seed: 0 }).info.episodeFrameNumber;
    expect(start).to.be.lessThan(250);
    let s = c.step(0);
    while (!s.truncated) {
      expect(s.info.episodeFrameNumber).to.be.lessThan(250);
      s = c.step(0);
    }
    expect(s.info.episodeFrameNumber).to.equal(250);
    expect(s.terminated).to.equal(false);
  });

  it('cloneState/restoreState reproduce the following observations exactly', function () {
    if (!requireShared(this, romDir())) return;
    const env = new AtariEnv({ game: game('breakout'), seed: 4 });
    env.reset({ seed: 4 });
    for (let t = 0; t < 10; t++) env.step(t % 4);
    const snap = env.cloneState();
    const first: Uint8Array[] = [];
    for (let t = 0; t < 15; t++) first.push(env.step((t * 3) % 4).observation.slice());
    env.restoreState(snap);
    for (let t = 0; t < 15; t++) expect(env.step((t * 3) % 4).observation).to.deep.equal(first[t]);
    expect(() => env.restoreState(snap.subarray(0, 100))).to.throw(/corrupt|not a state/);
  });

  it('setRAM writes a RAM byte the next step draws from (a key in the inventory), and cloneState keeps it', function () {
    if (!requireShared(this, romDir())) return;
    // montezuma_revenge: bits of 0xC1 draw the items of the inventory in the top rows of the screen
    const env = new AtariEnv({ game: game('montezuma_revenge'), seed: 1, repeatActionProbability: 0 });
    env.reset({ seed: 1 });
    for (let t = 0; t < 40; t++) env.step(0);
    const before = env.cloneState();
    const plain = env.step(0).observation.slice();
    env.restoreState(before);
    env.setRAM(0xc1 - 0x80, 0x02);
    expect(env.getRAM()[0x41]).to.equal(0x02);
    const withKey = env.step(0).observation.slice();
    // the key shows: some pixel changes, all of them in the top quarter (the inventory), none below
    const [h, w] = [84, 84];
    const last = plain.length - h * w; // last frame of the stack
    let changedTop = 0;
    let changedBelow = 0;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      if (plain[last + y * w + x] !== withKey[last + y * w + x]) {
        if (y < h / 4) changedTop++;
        else changedBelow++;
      }
    }
    expect(changedTop).to.be.greaterThan(0);
    expect(changedBelow).to.equal(0);
    // the write travels with the state: a second env restored from a clone taken after it draws the same
    env.restoreState(before);
    env.setRAM(0x41, 0x02);
    const snap = env.cloneState();
    const other = new AtariEnv({ game: game('montezuma_revenge'), seed: 9, repeatActionProbability: 0 });
    other.reset();
    other.restoreState(snap);
    expect(other.getRAM()[0x41]).to.equal(0x02);
    expect(other.step(0).observation).to.deep.equal(withKey);
    // bad writes are clear errors, from JavaScript and from the native binding alike
    expect(() => env.setRAM(128, 0)).to.throw(/index 128 is out of range 0..127/);
    expect(() => env.setRAM(-1, 0)).to.throw(/out of range/);
    expect(() => env.setRAM(1.5, 0)).to.throw(/out of range/);
    expect(() => env.setRAM(0, 256)).to.throw(/value 256 is out of range 0..255/);
    const native = (env as unknown as { native: { setRAM(i: unknown, v: unknown): void } }).native;
    expect(() => native.setRAM(200, 1)).to.throw(RangeError, /index 200 is out of range 0..127/);
    expect(() => native.setRAM(0, -3)).to.throw(RangeError, /value -3 is out of range 0..255/);
    expect(() => native.setRAM('a', 1)).to.throw(TypeError, /index must be a number/);
  });

  it('rejects bad actions, buffers and settings with clear errors', function () {
    if (!requireShared(this, romDir())) return;
    const env = new AtariEnv({ game: game('pong'), seed: 0 });
    env.reset();
    expect(() => env.step(6)).to.throw(/out of range 0..5/);
    expect(() => env.step(0, new Uint8Array(10))).to.throw(/has 10 elements, expected 28224/);
    expect(() => new AtariEnv({ game: game('pong'), frameStack: 0 })).to.throw(/frameStack/);
    expect(() => new AtariEnv({ game: game('pong'), repeatActionProbability: 2 })).to.throw(/repeatActionProbability/);
    expect(() => new AtariEnv({ game: 'no_such_game' })).to.throw(/unknown game "no_such_game"/);
    // Full action set: all 18 ids in order; the minimal set is the game's own.
    const full = new AtariEnv({ game: game('pong'), fullActionSpace: true });
    expect(full.actionSet).to.deep.equal(Array.from({ length: 18 }, (_, i) => i));
    expect(env.actionSet).to.deep.equal([0, 1, 3, 4, 11, 12]);
  });
});
