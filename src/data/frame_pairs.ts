// Streaming reader of consecutive observation pairs (obs_t, obs_t+1) from a rollout folder
// (src/data/rollout.ts) for SpIN: shards are read one at a time, never the whole dataset.
//
// A pair is two consecutive rows of the same env and episode, so pairs never cross an episode
// boundary (the reset observation of the next episode is never paired with the last one before).
// Pairs whose two rows fall in different shards are skipped (one per env and shard boundary).
// Batches are filled in shard order, rows in order, and carried across shards; the last batch may
// be smaller. With `shuffle`, pairs are shuffled within each shard by a seeded generator.
import * as path from 'path';

import { readRolloutMeta, readShard } from './rollout';

export interface FramePairBatch {
  /** obs_t of each pair, count * obsSize bytes. */
  obs: Uint8Array;
  /** obs_t+1 of each pair. */
  next: Uint8Array;
  count: number;
  obsShape: readonly number[];
}

export interface FramePairOptions {
  batchSize: number;
  shuffle?: boolean;
  seed?: number;
  /** Stop after this many pairs. */
  maxPairs?: number;
}

/** Yields minibatches of consecutive within-episode observation pairs from the rollout in `dir`. */
export function* framePairs(dir: string, options: FramePairOptions): Generator<FramePairBatch> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`framePairs: batchSize must be a positive integer, got ${batchSize}`);
  const meta = readRolloutMeta(dir);
  const obsShape = meta.obsShape;
  const size = obsShape.reduce((a, b) => a * b, 1);
  let state = ((options.seed ?? 0) ^ 0x9e3779b9) >>> 0 || 1;
  const rand = (n: number): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
  let obs = new Uint8Array(batchSize * size);
  let next = new Uint8Array(batchSize * size);
  let count = 0;
  let emitted = 0;
  const limit = options.maxPairs ?? Infinity;
  for (const shard of meta.shards) {
    const { rows, arrays } = readShard(path.join(dir, shard.file), obsShape);
    const o = arrays.obs.data as Uint8Array;
    const env = arrays.env.data as Int32Array;
    const ep = arrays.episode.data as Int32Array;
    const st = arrays.step.data as Int32Array;
    const starts: number[] = [];
    for (let i = 0; i + 1 < rows; i++) {
      if (env[i] === env[i + 1] && ep[i] === ep[i + 1] && st[i + 1] === st[i] + 1) starts.push(i);
    }
    if (options.shuffle) {
      for (let i = starts.length - 1; i > 0; i--) {
        const j = rand(i + 1);
        [starts[i], starts[j]] = [starts[j], starts[i]];
      }
    }
    for (const i of starts) {
      if (emitted >= limit) break;
      obs.set(o.subarray(i * size, (i + 1) * size), count * size);
      next.set(o.subarray((i + 1) * size, (i + 2) * size), count * size);
      count++;
      emitted++;
      if (count === batchSize) {
        yield { obs, next, count, obsShape };
        obs = new Uint8Array(batchSize * size);
        next = new Uint8Array(batchSize * size);
        count = 0;
      }
    }
    if (emitted >= limit) break;
  }
  if (count > 0) yield { obs: obs.subarray(0, count * size), next: next.subarray(0, count * size), count, obsShape };
}
