// `eigenopt rollout`: random-action (or any policy's) rollouts through AtariVectorEnv with ale_py
// v5 settings and Gymnasium's AtariPreprocessing (single 84x84 frames; --raw keeps the full
// 210x160 grayscale frame), written as .npz shards plus meta.json (src/data/rollout.ts).
//
// --frames counts rows (observations, one per env output), rounded up to a multiple of --envs;
// each step is 4 emulator frames. Env i is seeded with envSeeds(seed, envs)[i]; the policy draws
// from its own generator seeded with --seed, so the same command always writes the same bytes.
// After every shard a checkpoint (every env's exact state, the last outputs, the policy generator,
// counters) is written atomically next to it; --resume continues from the last checkpoint and
// produces the same shards as an uninterrupted run.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';

import { ATARI_V5_DEFAULTS, AtariEnvOptions } from '../envs/atari';
import { AtariVectorEnv } from '../envs/atari_vector';
import {
  RolloutMeta, ShardArrays, allocShard, encodeShard, readRolloutMeta, removeTemporaryFiles, shardName, writeFileAtomic,
} from '../src/data/rollout';
import { Rng } from '../src/rng';

// Defaults.
export const ROLLOUT_DEFAULTS = {
  envs: 2,
  seed: 0,
  shardSize: 10_000, // rows per shard (rounded up to a multiple of --envs)
  compression: 1, // deflate level of the shards (0 = stored)
};

/** The policy's generator: xorshift32 (src/rng.ts) from seed XOR POLICY_SEED_SALT, its state saved in checkpoints. */
export const POLICY_SEED_SALT = 0x2545f491;

export function policyRng(seed: number): Rng {
  return Rng.xorshift32((seed ^ POLICY_SEED_SALT ^ 0x9e3779b9) >>> 0);
}

export interface PolicyInput {
  /** The current observations of all envs, back to back. */
  obs: Uint8Array;
  numEnvs: number;
  obsShape: readonly number[];
  actionCount: number;
}

/** A policy: fills actions[i] (0 <= a < actionCount) for every env from the observations. */
export type RolloutPolicy = (input: PolicyInput, rng: Rng, actions: Int32Array) => void;

export const randomPolicy: RolloutPolicy = (input, rng, actions) => {
  for (let i = 0; i < input.numEnvs; i++) actions[i] = rng.int(input.actionCount);
};

/** Per-env seeds: murmur3's 32-bit finaliser of seed XOR (i+1) * golden ratio. */
export function envSeeds(seed: number, numEnvs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < numEnvs; i++) {
    let x = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    out.push((x ^ (x >>> 16)) >>> 0);
  }
  return out;
}

export interface RolloutOptions {
  game: string;
  frames: number;
  envs?: number;
  seed?: number;
  out: string;
  raw?: boolean;
  /** End an episode when a life is lost (Gymnasium's terminal_on_life_loss; the next reset restarts the game). Default false. */
  terminalOnLifeLoss?: boolean;
  resume?: boolean;
  shardSize?: number;
  threads?: number;
  compression?: number;
  romDir?: string;
  policy?: RolloutPolicy;
  policyName?: string;
  /** Show a progress bar (default: when stdout is a terminal). */
  progress?: boolean;
  log?: (line: string) => void;
  /** Test hook: called after shard k is complete (file and checkpoint written). */
  afterShard?: (k: number) => void;
}

export interface RolloutResult {
  meta: RolloutMeta;
  seconds: number;
  rowsWritten: number;
  rowsPerSecond: number;
  emulatorFramesPerSecond: number;
}

const CHECKPOINT = 'checkpoint.bin';
const BATCH_FIELDS = ['obs', 'ram', 'reward', 'terminated', 'truncated', 'first', 'lives', 'executedAction', 'episodeStep', 'frameNumber', 'episodeFrameNumber'] as const;

function checkInt(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`rollout: --${name} must be an integer in ${lo}..${hi}, got ${v}`);
  return v;
}

interface Checkpoint {
  nextShard: number;
  episodeCount: number[];
  rngState: number;
  lastActions: number[];
  vecState: Uint8Array;
  buffers: Uint8Array[];
}

function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const head = Buffer.from(JSON.stringify({
    nextShard: c.nextShard, episodeCount: c.episodeCount, rngState: c.rngState, lastActions: c.lastActions,
    sizes: [c.vecState.length, ...c.buffers.map((b) => b.length)],
  }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return Buffer.concat([Buffer.from('EOCK'), len, head, c.vecState, ...c.buffers]);
}

function decodeCheckpoint(bytes: Buffer): Checkpoint {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== 'EOCK') throw new Error('rollout: checkpoint.bin is not a rollout checkpoint');
  const n = bytes.readUInt32LE(4);
  const head = JSON.parse(bytes.toString('utf8', 8, 8 + n)) as { nextShard: number; episodeCount: number[]; rngState: number; lastActions: number[]; sizes: number[] };
  let off = 8 + n;
  const parts = head.sizes.map((s) => {
    const p = new Uint8Array(bytes.buffer, bytes.byteOffset + off, s);
    off += s;
    return p;
  });
  if (off !== bytes.length) throw new Error('rollout: checkpoint.bin is corrupt (size mismatch)');
  return { nextShard: head.nextShard, episodeCount: head.episodeCount, rngState: head.rngState, lastActions: head.lastActions, vecState: parts[0], buffers: parts.slice(1) };
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function rollout(o: RolloutOptions): Promise<RolloutResult> {
  const log = o.log ?? ((s: string) => console.log(s));
  const numEnvs = checkInt('envs', o.envs ?? ROLLOUT_DEFAULTS.envs, 1, 4096);
  const seed = checkInt('seed', o.seed ?? ROLLOUT_DEFAULTS.seed, 0, 0xffffffff);
  const frames = checkInt('frames', o.frames, 1, 2 ** 40);
  const shardRows = checkInt('shard-size', o.shardSize ?? ROLLOUT_DEFAULTS.shardSize, 1, 2 ** 30);
  const level = checkInt('compression', o.compression ?? ROLLOUT_DEFAULTS.compression, 0, 9);
  const threads = checkInt('threads', o.threads ?? Math.min(numEnvs, os.cpus().length || 1), 1, 256);
  const policy = o.policy ?? randomPolicy;
  const policyName = o.policyName ?? (o.policy ? 'custom' : 'random (uniform over the action set)');
  const steps = Math.ceil(frames / numEnvs); // outputs per env
  const stepsPerShard = Math.ceil(shardRows / numEnvs);
  const numShards = Math.ceil(steps / stepsPerShard);

  const terminalOnLifeLoss = o.terminalOnLifeLoss ?? ATARI_V5_DEFAULTS.terminalOnLifeLoss;
  const envOptions: AtariEnvOptions = { game: o.game, romDir: o.romDir, obsType: 'preprocessed', frameStack: 1, screenSize: o.raw ? 0 : ATARI_V5_DEFAULTS.screenSize, terminalOnLifeLoss };
  const vec = new AtariVectorEnv({ ...envOptions, numEnvs, threads });
  const seeds = envSeeds(seed, numEnvs);
  const settings = {
    frameskip: ATARI_V5_DEFAULTS.frameskip,
    repeatActionProbability: ATARI_V5_DEFAULTS.repeatActionProbability,
    fullActionSpace: ATARI_V5_DEFAULTS.fullActionSpace,
    maxNumFramesPerEpisode: ATARI_V5_DEFAULTS.maxNumFramesPerEpisode,
    noopMax: ATARI_V5_DEFAULTS.noopMax,
    terminalOnLifeLoss,
    maxPool: ATARI_V5_DEFAULTS.maxPool,
    screenSize: o.raw ? 0 : ATARI_V5_DEFAULTS.screenSize,
    frameStack: 1,
    compression: level,
    autoreset: 'next-step',
  };
  const meta: RolloutMeta = {
    format: 'eigenopt-rollout-1',
    game: o.game,
    romMd5: vec.romMd5,
    obsShape: [...vec.observationShape],
    actionSet: [...vec.actionSet],
    settings,
    preprocessing: o.raw
      ? 'grayscale, max over the last two of 4 frames, full 210x160 (--raw), single frames, 1..30 noop frames at reset'
      : 'grayscale, max over the last two of 4 frames, area resize to 84x84 (INTER_AREA, exact, ties to even), single frames, 1..30 noop frames at reset',
    policy: policyName,
    seed,
    envSeeds: seeds,
    numEnvs,
    framesRequested: frames,
    rows: steps * numEnvs,
    stepsPerShard,
    shards: [],
    episodesStarted: 0,
    complete: false,
    rowSemantics: 'row = one env output: obs after action (-1 on reset rows), reward received, terminated/truncated = obs ends the episode; rows env-major within a shard; pairs (i, i+1) with equal env and episode are transitions',
  };

  fs.mkdirSync(o.out, { recursive: true });
  removeTemporaryFiles(o.out);
  const metaFile = path.join(o.out, 'meta.json');
  const ckFile = path.join(o.out, CHECKPOINT);
  const rng = policyRng(seed);
  const episodeCount = new Array<number>(numEnvs).fill(-1);
  const actions = new Int32Array(numEnvs);
  let start = 0;
  const b = vec.buffers;

  if (o.resume && fs.existsSync(metaFile)) {
    const old = readRolloutMeta(o.out);
    const same = (x: RolloutMeta): string => JSON.stringify([x.game, x.romMd5, x.obsShape, x.settings, x.policy, x.seed, x.envSeeds, x.framesRequested, x.stepsPerShard]);
    if (same(old) !== same(meta)) throw new Error(`rollout: --resume: ${metaFile} was written with other settings; use a new --out folder`);
    if (old.complete) {
      log(`rollout: ${o.out} is already complete (${old.rows} frames in ${old.shards.length} shards)`);
      return { meta: old, seconds: 0, rowsWritten: 0, rowsPerSecond: 0, emulatorFramesPerSecond: 0 };
    }
    if (fs.existsSync(ckFile)) {
      const ck = decodeCheckpoint(fs.readFileSync(ckFile));
      if (ck.buffers.length !== BATCH_FIELDS.length) throw new Error('rollout: checkpoint.bin is corrupt (buffers)');
      vec.restoreState(ck.vecState);
      BATCH_FIELDS.forEach((f, k) => {
        const dst = bytesOf(b[f]);
        if (dst.length !== ck.buffers[k].length) throw new Error('rollout: checkpoint.bin is corrupt (buffer size)');
        dst.set(ck.buffers[k]);
      });
      rng.state = ck.rngState;
      ck.episodeCount.forEach((c, i) => (episodeCount[i] = c));
      ck.lastActions.forEach((a, i) => (actions[i] = a));
      start = ck.nextShard;
      meta.shards = old.shards.slice(0, start);
      log(`rollout: resuming at shard ${start} of ${numShards}`);
    }
  } else if (fs.existsSync(metaFile) && !o.resume) {
    const old = readRolloutMeta(o.out);
    if (old.shards.length > 0 || old.complete) throw new Error(`rollout: ${o.out} already holds a rollout; pass --resume to continue it or choose a new --out`);
  }
  // Shards past the checkpoint are rewritten (identically) from it.
  for (const f of fs.readdirSync(o.out)) {
    const m = /^shard-(\d+)\.npz$/.exec(f);
    if (m && Number(m[1]) >= start) fs.rmSync(path.join(o.out, f));
  }
  if (start === 0) fs.rmSync(ckFile, { force: true });
  writeFileAtomic(metaFile, JSON.stringify(meta, null, 2) + '\n');

  const obsSize = vec.observationSize;
  const showBar = o.progress ?? Boolean(process.stdout.isTTY);
  const bar = showBar
    ? new SingleBar({
      format: 'rollout {bar} {percentage}% | {value}/{total} frames | {rate} frames/s | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: true,
    })
    : null;
  const totalRows = steps * numEnvs;
  const doneRows = Math.min(start * stepsPerShard, steps) * numEnvs;
  bar?.start(totalRows, doneRows, { rate: '-' });
  const t0 = process.hrtime.bigint();
  const frameSum = (): number => b.frameNumber.reduce((x, y) => x + y, 0);
  const frames0 = start === 0 ? 0 : frameSum();
  let rowsWritten = 0;
  let shard: ShardArrays | null = null;

  for (let k = start; k < numShards; k++) {
    const T = Math.min(stepsPerShard, steps - k * stepsPerShard);
    if (!shard || shard.action.length !== T * numEnvs) shard = allocShard(T * numEnvs, obsSize);
    for (let j = 0; j < T; j++) {
      const t = k * stepsPerShard + j;
      if (t === 0) {
        await vec.reset(seeds);
      } else {
        policy({ obs: b.obs, numEnvs, obsShape: vec.observationShape, actionCount: vec.actionCount }, rng, actions);
        for (let i = 0; i < numEnvs; i++) {
          if (!Number.isInteger(actions[i]) || actions[i] < 0 || actions[i] >= vec.actionCount) {
            throw new Error(`rollout: the policy chose action ${actions[i]} for env ${i} (valid: 0..${vec.actionCount - 1})`);
          }
        }
        await vec.step(actions);
      }
      for (let i = 0; i < numEnvs; i++) {
        const r = i * T + j;
        const first = b.first[i] === 1;
        if (first) episodeCount[i]++;
        shard.obs.set(vec.observation(i), r * obsSize);
        shard.ram.set(b.ram.subarray(i * 128, (i + 1) * 128), r * 128);
        shard.action[r] = first ? -1 : actions[i];
        shard.reward[r] = b.reward[i];
        shard.terminated[r] = b.terminated[i];
        shard.truncated[r] = b.truncated[i];
        shard.lives[r] = b.lives[i];
        shard.env[r] = i;
        shard.episode[r] = episodeCount[i] * numEnvs + i;
        shard.step[r] = b.episodeStep[i];
      }
      if (bar && j % 50 === 49) {
        const done = rowsWritten + (j + 1) * numEnvs;
        bar.update(doneRows + done, { rate: Math.round(done / (Number(process.hrtime.bigint() - t0) / 1e9)) });
      }
    }
    const bytes = encodeShard(shard, T * numEnvs, vec.observationShape, level);
    const file = shardName(k);
    writeFileAtomic(path.join(o.out, file), bytes);
    meta.shards.push({ file, rows: T * numEnvs, sha256: createHash('sha256').update(bytes).digest('hex') });
    writeFileAtomic(ckFile, encodeCheckpoint({
      nextShard: k + 1,
      episodeCount,
      rngState: rng.state,
      lastActions: Array.from(actions),
      vecState: vec.cloneState(),
      buffers: BATCH_FIELDS.map((f) => bytesOf(b[f])),
    }));
    writeFileAtomic(metaFile, JSON.stringify(meta, null, 2) + '\n');
    rowsWritten += T * numEnvs;
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    bar?.update(doneRows + rowsWritten, { rate: Math.round(rowsWritten / secs) });
    o.afterShard?.(k);
  }
  bar?.stop();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  meta.episodesStarted = episodeCount.reduce((a, c) => a + c + 1, 0);
  meta.complete = true;
  writeFileAtomic(metaFile, JSON.stringify(meta, null, 2) + '\n');
  fs.rmSync(ckFile, { force: true });
  const emu = frameSum() - frames0;
  const result: RolloutResult = {
    meta,
    seconds,
    rowsWritten,
    rowsPerSecond: rowsWritten / seconds,
    emulatorFramesPerSecond: emu / seconds,
  };
  log(`rollout: ${rowsWritten} frames (${numEnvs} envs, ${vec.threads} threads) in ${seconds.toFixed(1)} s = ${result.rowsPerSecond.toFixed(0)} frames/s ` +
    `(${result.emulatorFramesPerSecond.toFixed(0)} emulator frames/s); ${meta.shards.length} shards in ${o.out}`);
  return result;
}

interface RolloutFlags {
  game: string;
  frames: string;
  envs: string;
  seed: string;
  out: string;
  raw: boolean;
  terminalOnLifeLoss: boolean;
  resume: boolean;
  shardSize: string;
  threads?: string;
  compression: string;
  romDir?: string;
  progress?: boolean;
}

const toInt = (name: string, v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw new Error(`rollout: --${name} must be an integer, got '${v}'`);
  return n;
};

export function registerRolloutCommand(program: Command): void {
  program
    .command('rollout')
    .description('random-action Atari rollouts (v5 settings, standard preprocessing) written as .npz shards')
    .requiredOption('--game <name>', 'ROM id (e.g. montezuma_revenge) or path to a .bin')
    .requiredOption('--frames <n>', 'observations to record in total (rounded up to a multiple of --envs)')
    .option('--envs <n>', 'parallel environments', String(ROLLOUT_DEFAULTS.envs))
    .option('--seed <n>', 'seed of the env seeds and the policy', String(ROLLOUT_DEFAULTS.seed))
    .requiredOption('--out <dir>', 'output folder (shards, meta.json)')
    .option('--raw', 'keep full 210x160 grayscale frames instead of 84x84', false)
    .option('--terminal-on-life-loss', 'end an episode at every lost life (the next reset restarts the game)', false)
    .option('--resume', 'continue an interrupted rollout in --out', false)
    .option('--shard-size <rows>', 'rows per shard', String(ROLLOUT_DEFAULTS.shardSize))
    .option('--threads <n>', 'stepping threads (default min(envs, CPUs))')
    .option('--compression <level>', 'deflate level of the shards, 0 = stored', String(ROLLOUT_DEFAULTS.compression))
    .option('--rom-dir <dir>', 'folder with the ROMs')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .action(async (f: RolloutFlags) => {
      await rollout({
        game: f.game,
        frames: toInt('frames', f.frames),
        envs: toInt('envs', f.envs),
        seed: toInt('seed', f.seed),
        out: f.out,
        raw: f.raw,
        terminalOnLifeLoss: f.terminalOnLifeLoss,
        resume: f.resume,
        shardSize: toInt('shard-size', f.shardSize),
        threads: f.threads === undefined ? undefined : toInt('threads', f.threads),
        compression: toInt('compression', f.compression),
        romDir: f.romDir,
        progress: f.progress === false ? false : undefined,
      });
    });
}
