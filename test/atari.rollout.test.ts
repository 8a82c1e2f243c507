// `eigenopt rollout`: determinism, row contents against serial AtariEnvs, resume after a kill,
// and the streaming pair reader.
import { expect } from 'chai';
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { AtariEnv } from '../envs/atari';
import { envSeeds, rollout } from '../cli/rollout';
import { framePairs } from '../src/data/frame_pairs';
import { readRolloutMeta, readShard, shardName } from '../src/data/rollout';
import { readRolloutFrames } from '../src/data/rollout_source';
import { requireShared, romDir } from './helpers/shared';

const ARGS = { game: 'montezuma_revenge', frames: 3000, envs: 2, seed: 5, shardSize: 400 } as const;
const quiet = (): void => undefined;

function shardBytes(dir: string): Buffer[] {
  const files = fs.readdirSync(dir).filter((f) => /^shard-\d+\.npz$/.test(f)).sort();
  return files.map((f) => fs.readFileSync(path.join(dir, f)));
}

describe('eigenopt rollout', function () {
  let tmp = '';
  let dirA = '';

  before(async function () {
    if (!requireShared(this, romDir())) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-rollout-'));
    dirA = path.join(tmp, 'a');
    await rollout({ ...ARGS, romDir: romDir(), out: dirA, log: quiet });
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the same command twice writes byte-identical shards and meta.json', async function () {
    if (!requireShared(this, romDir())) return;
    const dirB = path.join(tmp, 'b');
    await rollout({ ...ARGS, romDir: romDir(), out: dirB, log: quiet });
    const a = shardBytes(dirA);
    const b = shardBytes(dirB);
    expect(a.length).to.equal(8);
    expect(b.length).to.equal(a.length);
    for (let k = 0; k < a.length; k++) expect(Buffer.compare(a[k], b[k]), `shard ${k}`).to.equal(0);
    expect(fs.readFileSync(path.join(dirB, 'meta.json'), 'utf8')).to.equal(fs.readFileSync(path.join(dirA, 'meta.json'), 'utf8'));
    // A different seed gives different data.
    const dirC = path.join(tmp, 'c');
    await rollout({ ...ARGS, frames: 400, seed: 6, romDir: romDir(), out: dirC, log: quiet });
    expect(Buffer.compare(shardBytes(dirC)[0], a[0])).to.not.equal(0);
  });

  it('rows replay exactly on serial AtariEnvs (v5 settings, 84x84 single frames) from the recorded actions', function () {
    if (!requireShared(this, romDir())) return;
    const meta = readRolloutMeta(dirA);
    expect(meta.complete).to.equal(true);
    expect(meta.obsShape).to.deep.equal([84, 84]);
    expect(meta.rows).to.equal(3000);
    expect(meta.envSeeds).to.deep.equal(envSeeds(5, 2));
    const seeds = envSeeds(5, 2);
    const envs = seeds.map((seed) => new AtariEnv({ game: 'montezuma_revenge', romDir: romDir(), frameStack: 1, seed }));
    const ram = new Uint8Array(128);
    let episodesEnded = 0;
    const started = [false, false];
    for (const s of meta.shards) {
      const { rows, arrays } = readShard(path.join(dirA, s.file), meta.obsShape);
      const col = <T>(n: string): T => (arrays as unknown as Record<string, { data: T }>)[n].data;
      const obs = col<Uint8Array>('obs');
      const action = col<Int32Array>('action');
      const env = col<Int32Array>('env');
      for (let r = 0; r < rows; r++) {
        const e = env[r];
        let out: { observation: Uint8Array; reward: number; terminated: boolean; truncated: boolean; info: { lives: number } };
        if (!started[e]) {
          out = { ...envs[e].reset({ seed: seeds[e] }), reward: 0, terminated: false, truncated: false };
          started[e] = true;
          expect(action[r]).to.equal(-1);
        } else if (action[r] === -1) {
          out = { ...envs[e].reset(), reward: 0, terminated: false, truncated: false };
        } else {
          out = envs[e].step(action[r]);
        }
        const what = `${s.file} row ${r}`;
        expect(Buffer.compare(Buffer.from(obs.subarray(r * 7056, (r + 1) * 7056)), Buffer.from(out.observation)), `${what} obs`).to.equal(0);
        expect(col<Float32Array>('reward')[r], `${what} reward`).to.equal(out.reward);
        expect(col<Uint8Array>('terminated')[r] === 1, `${what} terminated`).to.equal(out.terminated);
        expect(col<Uint8Array>('truncated')[r] === 1, `${what} truncated`).to.equal(out.truncated);
        expect(col<Int32Array>('lives')[r], `${what} lives`).to.equal(out.info.lives);
        expect(Buffer.compare(Buffer.from(col<Uint8Array>('ram').subarray(r * 128, (r + 1) * 128)), Buffer.from(envs[e].getRAM(ram))), `${what} ram`).to.equal(0);
        if (out.terminated || out.truncated) episodesEnded++;
      }
    }
    expect(episodesEnded).to.be.greaterThan(0); // the data holds episode boundaries
  });

  it('a run killed mid-way resumes with --resume to the same bytes, leaving no corrupt shard', async function () {
    if (!requireShared(this, romDir())) return;
    const dir = path.join(tmp, 'killed');
    const root = path.resolve(__dirname, '..');
    const argv = ['node', 'eigenopt', 'rollout', '--game', ARGS.game, '--frames', String(ARGS.frames), '--envs', String(ARGS.envs),
      '--seed', String(ARGS.seed), '--shard-size', String(ARGS.shardSize), '--rom-dir', romDir(), '--out', dir];
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
      `require('./cli/index').main(${JSON.stringify(argv)}).catch((e) => { console.error(e); process.exit(1); })`],
    { cwd: root, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill it (SIGKILL: no clean-up) as soon as its second shard exists.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (fs.existsSync(path.join(dir, shardName(1)))) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error('the child finished before it could be killed'));
        }
      }, 5);
    });
    await exited;
    const meta = readRolloutMeta(dir);
    expect(meta.complete).to.equal(false);
    const left = fs.readdirSync(dir).filter((f) => /^shard-\d+\.npz$/.test(f));
    expect(left.length).to.be.lessThan(8);
    for (const f of left) readShard(path.join(dir, f), [84, 84]); // every shard under its name is whole
    let refused = '';
    await rollout({ ...ARGS, romDir: romDir(), out: dir, log: quiet }).catch((e: Error) => (refused = e.message));
    expect(refused).to.match(/--resume/);
    await rollout({ ...ARGS, romDir: romDir(), out: dir, resume: true, log: quiet });
    const a = shardBytes(dirA);
    const b = shardBytes(dir);
    expect(b.length).to.equal(a.length);
    for (let k = 0; k < a.length; k++) expect(Buffer.compare(a[k], b[k]), `shard ${k}`).to.equal(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-') || f === 'checkpoint.bin')).to.deep.equal([]);
  });

  it('--raw keeps full 210x160 frames; --resume of a complete run changes nothing', async function () {
    if (!requireShared(this, romDir())) return;
    const dir = path.join(tmp, 'raw');
    await rollout({ ...ARGS, frames: 40, raw: true, romDir: romDir(), out: dir, log: quiet });
    const meta = readRolloutMeta(dir);
    expect(meta.obsShape).to.deep.equal([210, 160]);
    const { rows, arrays } = readShard(path.join(dir, meta.shards[0].file), meta.obsShape);
    expect(rows).to.equal(40);
    expect(arrays.obs.shape).to.deep.equal([40, 210, 160]);
    const before = shardBytes(dir);
    const lines: string[] = [];
    await rollout({ ...ARGS, frames: 40, raw: true, romDir: romDir(), out: dir, resume: true, log: (l) => lines.push(l) });
    expect(lines.join('\n')).to.match(/already complete/);
    expect(Buffer.compare(shardBytes(dir)[0], before[0])).to.equal(0);
  });

  it('--terminal-on-life-loss ends an episode at each lost life, so every other row has full lives', async function () {
    if (!requireShared(this, romDir())) return;
    const livesOf = (dir: string): { lives: number[]; terminated: number[] } => {
      const meta = readRolloutMeta(dir);
      const out = { lives: [] as number[], terminated: [] as number[] };
      for (const sh of meta.shards) {
        const { arrays } = readShard(path.join(dir, sh.file), meta.obsShape);
        out.lives.push(...Array.from(arrays.lives.data as ArrayLike<number>));
        out.terminated.push(...Array.from(arrays.terminated.data as ArrayLike<number>));
      }
      return out;
    };
    const dir = path.join(tmp, 'life');
    await rollout({ ...ARGS, terminalOnLifeLoss: true, romDir: romDir(), out: dir, log: quiet });
    expect(readRolloutMeta(dir).settings.terminalOnLifeLoss).to.equal(true);
    expect(readRolloutMeta(dirA).settings.terminalOnLifeLoss).to.equal(false);
    const full = Math.max(...livesOf(dirA).lives);
    const plain = livesOf(dirA);
    expect(plain.lives.some((l, i) => l < full && !plain.terminated[i]), 'default: play goes on after a lost life').to.equal(true);
    const life = livesOf(dir);
    const ends = life.lives.filter((l, i) => life.terminated[i] && l < full).length;
    expect(ends, 'episodes ended by a lost life').to.be.greaterThan(2);
    life.lives.forEach((l, i) => {
      if (!life.terminated[i]) expect(l, `row ${i}`).to.equal(full);
    });
    // readRolloutFrames carries each row's action and termination; a successor is never a reset
    // row and never follows a terminated one
    const frames = readRolloutFrames(dir, readRolloutMeta(dir).shards.map((_, i) => i));
    expect(Array.from(frames.terminated)).to.deep.equal(life.terminated);
    const actions: number[] = [];
    for (const sh of readRolloutMeta(dir).shards) actions.push(...Array.from(readShard(path.join(dir, sh.file), [84, 84]).arrays.action.data as ArrayLike<number>));
    expect(Array.from(frames.action)).to.deep.equal(actions);
    let linked = 0;
    for (let i = 0; i < frames.count; i++) {
      if (frames.next[i] < 0) continue;
      linked++;
      expect(frames.action[frames.next[i]], `successor of row ${i}`).to.be.at.least(0);
      expect(frames.terminated[i], `row ${i} ends its episode`).to.equal(0);
    }
    expect(linked).to.be.greaterThan(frames.count / 2);
  });

  it('framePairs streams within-episode consecutive pairs in minibatches, across shard boundaries', function () {
    if (!requireShared(this, romDir())) return;
    const meta = readRolloutMeta(dirA);
    // Expected pairs, from the action column (a row with action -1 starts an episode), env by env,
    // with each env's last row of the previous shard leading into its first row of the next.
    const expected: [Uint8Array, Uint8Array][] = [];
    let boundaries = 0;
    const last: (Uint8Array | null)[] = [null, null];
    for (const s of meta.shards) {
      const { rows, arrays } = readShard(path.join(dirA, s.file), meta.obsShape);
      const obs = arrays.obs.data as Uint8Array;
      const action = arrays.action.data as Int32Array;
      const block = rows / meta.numEnvs;
      for (let e = 0; e < meta.numEnvs; e++) {
        for (let j = 0; j < block; j++) {
          const r = e * block + j;
          const cur = obs.subarray(r * 7056, (r + 1) * 7056);
          const prev = j > 0 ? obs.subarray((r - 1) * 7056, r * 7056) : last[e];
          if (prev && action[r] !== -1) expected.push([prev, cur]);
          else if (prev) boundaries++;
        }
        last[e] = obs.slice((e * block + block - 1) * 7056, (e * block + block) * 7056);
      }
    }
    expect(boundaries).to.be.greaterThan(0);
    let n = 0;
    let batches = 0;
    for (const batch of framePairs(dirA, { batchSize: 64 })) {
      batches++;
      expect(batch.obsShape).to.deep.equal([84, 84]);
      for (let j = 0; j < batch.count; j++) {
        const [x, y] = expected[n++];
        expect(Buffer.compare(Buffer.from(batch.obs.subarray(j * 7056, (j + 1) * 7056)), Buffer.from(x)), `pair ${n - 1}`).to.equal(0);
        expect(Buffer.compare(Buffer.from(batch.next.subarray(j * 7056, (j + 1) * 7056)), Buffer.from(y)), `pair ${n - 1}`).to.equal(0);
      }
      if (n < expected.length) expect(batch.count).to.equal(64);
    }
    expect(n).to.equal(expected.length);
    expect(n).to.equal(3000 - 2 - boundaries); // every within-episode transition once, none lost at shard ends
    expect(batches).to.equal(Math.ceil(expected.length / 64));
    // Shuffled within shards: the same number of pairs, limited by maxPairs.
    const shuffled = Array.from(framePairs(dirA, { batchSize: 1000, shuffle: true, seed: 3, maxPairs: 500 }));
    expect(shuffled.reduce((a, b) => a + b.count, 0)).to.equal(500);
    expect(() => framePairs(dirA, { batchSize: 0 }).next()).to.throw(/batchSize/);
  });

  it('framePairs with stack 4 gives the observations of an AtariEnv with frameStack 4', function () {
    if (!requireShared(this, romDir())) return;
    const meta = readRolloutMeta(dirA);
    const seeds = envSeeds(5, 2);
    const hash = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');
    // Replay every env with a 4-frame stack along the recorded actions; key = env:episode:step.
    const want = new Map<string, string>();
    const envs = seeds.map((seed) => new AtariEnv({ game: 'montezuma_revenge', romDir: romDir(), frameStack: 4, seed }));
    const episodes = [-1, -1];
    const steps = [0, 0];
    for (const s of meta.shards) {
      const { rows, arrays } = readShard(path.join(dirA, s.file), meta.obsShape);
      const action = arrays.action.data as Int32Array;
      const env = arrays.env.data as Int32Array;
      for (let r = 0; r < rows; r++) {
        const e = env[r];
        let o: Uint8Array;
        if (episodes[e] < 0) o = envs[e].reset({ seed: seeds[e] }).observation;
        else if (action[r] === -1) o = envs[e].reset().observation;
        else o = envs[e].step(action[r]).observation;
        if (action[r] === -1) {
          episodes[e]++;
          steps[e] = 0;
        } else steps[e]++;
        want.set(`${e}:${episodes[e] * 2 + e}:${steps[e]}`, hash(o));
      }
    }
    let n = 0;
    for (const batch of framePairs(dirA, { batchSize: 256, stack: 4 })) {
      expect(batch.obsShape).to.deep.equal([4, 84, 84]);
      for (let j = 0; j < batch.count; j++, n++) {
        const key = `${batch.env[j]}:${batch.episode[j]}`;
        expect(hash(batch.obs.subarray(j * 28224, (j + 1) * 28224)), `${key}:${batch.step[j]}`).to.equal(want.get(`${key}:${batch.step[j]}`));
        expect(hash(batch.next.subarray(j * 28224, (j + 1) * 28224)), `${key}:${batch.step[j] + 1}`).to.equal(want.get(`${key}:${batch.step[j] + 1}`));
      }
    }
    expect(n).to.be.greaterThan(2900);
  });
});
