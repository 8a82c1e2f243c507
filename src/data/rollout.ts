// Rollout datasets: shards DIR/shard-00000.npz, ... (numpy.load opens them) and DIR/meta.json.
//
// Every row is one environment output (Gymnasium's step/reset result): obs[i] is the observation,
// action[i] the action index that led to it (-1 for the first observation of an episode),
// reward[i] the reward received with it, terminated[i] / truncated[i] whether obs[i] ends its
// episode, lives[i] and ram[i] (128 bytes) the lives counter and RAM at obs[i], env[i] the
// environment, episode[i] a dataset-wide episode id and step[i] the index of obs[i] in its episode
// (0 = reset observation). Within a shard the rows are grouped by environment (env-major), in time
// order inside each group, so row i+1 follows row i in time exactly when env and episode agree.
//
// Files are written to a temporary name in the same folder and renamed into place, so a killed
// writer never leaves a partial shard under a shard's name. Encoding is deterministic: the same
// arrays always give the same bytes (fixed zip timestamps, fixed member order).
import * as fs from 'fs';
import * as path from 'path';
import { zipSync } from 'fflate';

import { encodeNpy, readNpz, NpyArray } from './npy';

/** Column order inside each shard. */
export const ROLLOUT_COLUMNS = ['obs', 'action', 'reward', 'terminated', 'truncated', 'lives', 'ram', 'env', 'episode', 'step'] as const;
export type RolloutColumn = (typeof ROLLOUT_COLUMNS)[number];

/** The arrays of one shard (n rows; obs holds n * obsShape elements). */
export interface ShardArrays {
  obs: Uint8Array;
  action: Int32Array;
  reward: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  lives: Int32Array;
  ram: Uint8Array;
  env: Int32Array;
  episode: Int32Array;
  step: Int32Array;
}

export interface ShardInfo {
  file: string;
  rows: number;
  sha256: string;
}

/** DIR/meta.json. */
export interface RolloutMeta {
  format: 'eigenopt-rollout-1';
  game: string;
  romMd5: string;
  /** Observation shape of one row. */
  obsShape: number[];
  actionSet: number[];
  settings: Record<string, number | boolean | string>;
  preprocessing: string;
  policy: string;
  seed: number;
  envSeeds: number[];
  numEnvs: number;
  /** Rows requested (--frames) and rows written (a multiple of numEnvs). */
  framesRequested: number;
  rows: number;
  /** Consecutive outputs per env in each shard (rows per shard = stepsPerShard * numEnvs). */
  stepsPerShard: number;
  shards: ShardInfo[];
  episodesStarted: number;
  complete: boolean;
  rowSemantics: string;
}

export function shardName(index: number): string {
  return `shard-${String(index).padStart(5, '0')}.npz`;
}

export function allocShard(rows: number, obsSize: number): ShardArrays {
  return {
    obs: new Uint8Array(rows * obsSize),
    action: new Int32Array(rows),
    reward: new Float32Array(rows),
    terminated: new Uint8Array(rows),
    truncated: new Uint8Array(rows),
    lives: new Int32Array(rows),
    ram: new Uint8Array(rows * 128),
    env: new Int32Array(rows),
    episode: new Int32Array(rows),
    step: new Int32Array(rows),
  };
}

// Zip entries carry local date/time fields; 1980-01-01 00:00 built from local components is the
// same bytes in every time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Deterministic .npz bytes of a shard with `rows` rows; compression level 0 (stored) .. 9. */
export function encodeShard(a: ShardArrays, rows: number, obsShape: readonly number[], level: number): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const name of ROLLOUT_COLUMNS) {
    const shape = name === 'obs' ? [rows, ...obsShape] : name === 'ram' ? [rows, 128] : [rows];
    const count = shape.reduce((x, y) => x * y, 1);
    files[`${name}.npy`] = encodeNpy(a[name].subarray(0, count), shape);
  }
  return zipSync(files, { level: level as 0, mtime: FIXED_MTIME });
}

/** Writes `data` to `file` through a temporary file in the same folder, fsync and rename. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Removes temporary files a killed writer left in `dir`. */
export function removeTemporaryFiles(dir: string): void {
  for (const f of fs.readdirSync(dir)) if (/^\..*\.tmp-\d+$/.test(f)) fs.rmSync(path.join(dir, f), { force: true });
}

export function readRolloutMeta(dir: string): RolloutMeta {
  const file = path.join(dir, 'meta.json');
  if (!fs.existsSync(file)) throw new Error(`rollout: ${file} not found (not a rollout folder?)`);
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as RolloutMeta;
  if (meta.format !== 'eigenopt-rollout-1') throw new Error(`rollout: ${file} has unknown format ${JSON.stringify(meta.format)}`);
  return meta;
}

/** Reads one shard's arrays (checking that every column is there with the expected length). */
export function readShard(file: string, obsShape: readonly number[]): { rows: number; arrays: Record<RolloutColumn, NpyArray> } {
  const z = readNpz(file);
  const rows = z.obs?.shape[0];
  if (rows === undefined) throw new Error(`rollout: ${file} has no obs array`);
  const obsSize = obsShape.reduce((x, y) => x * y, 1);
  for (const name of ROLLOUT_COLUMNS) {
    const a = z[name];
    if (!a) throw new Error(`rollout: ${file} lacks the '${name}' array`);
    const per = name === 'obs' ? obsSize : name === 'ram' ? 128 : 1;
    if (a.data.length !== rows * per) throw new Error(`rollout: ${file}: '${name}' has ${a.data.length} values, expected ${rows * per}`);
  }
  return { rows, arrays: z as Record<RolloutColumn, NpyArray> };
}
