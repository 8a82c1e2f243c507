// Streaming reader of consecutive observation pairs (obs_t, obs_t+1) from a rollout folder
// (src/data/rollout.ts) for SpIN: shards are read one at a time, never the whole dataset.
//
// A pair is two consecutive outputs of the same env within one episode, so pairs never cross an
// episode boundary (an episode's last observation is never paired with the next reset
// observation). Pairs that straddle two shards are included: the reader keeps each env's last
// `stack` rows of the previous shard. With `stack` K > 1 each observation is the K most recent
// frames of its episode, oldest first ([K, ...frame shape]); at an episode's start the reset frame
// is repeated, exactly as AtariEnv's frame stack does, so the pairs equal what an AtariEnv with
// frameStack K would have returned.
//
// Batches are filled in shard order (within a shard: env by env, in time order) and carried
// across shards; the last batch may be smaller. With `shuffle`, pairs are shuffled within each
// shard by a seeded generator.
import * as path from 'path';

import { readRolloutMeta, readShard } from './rollout';
import { Rng } from '../rng';

export interface FramePairBatch {
  /** obs_t of each pair: count * stack * frameSize bytes. */
  obs: Uint8Array;
  /** obs_t+1 of each pair. */
  next: Uint8Array;
  count: number;
  /** Shape of one observation: [stack, ...frame shape] when stack > 1, else the frame shape. */
  obsShape: readonly number[];
  /** env, episode and step (index in its episode) of obs_t, per pair. */
  env: Int32Array;
  episode: Int32Array;
  step: Int32Array;
}

export interface FramePairOptions {
  batchSize: number;
  /** Frames per observation (default 1). */
  stack?: number;
  shuffle?: boolean;
  seed?: number;
  /** Stop after this many pairs. */
  maxPairs?: number;
}

/** One env's rows as a sequence: carried rows of earlier shards at negative positions, this shard's at 0.. */
interface EnvSeq {
  carryObs: Uint8Array[];
  carryEpisode: number[];
  carryStep: number[];
}

/** Yields minibatches of consecutive within-episode observation pairs from the rollout in `dir`. */
export function* framePairs(dir: string, options: FramePairOptions): Generator<FramePairBatch> {
  const { batchSize } = options;
  const K = options.stack ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`framePairs: batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(K) || K < 1 || K > 64) throw new Error(`framePairs: stack must be an integer in 1..64, got ${K}`);
  const meta = readRolloutMeta(dir);
  const frameShape = meta.obsShape;
  const frameSize = frameShape.reduce((a, b) => a * b, 1);
  const obsShape = K > 1 ? [K, ...frameShape] : [...frameShape];
  const size = K * frameSize;
  const E = meta.numEnvs;
  // the shuffle's generator: the library's xorshift32 stream (src/rng.ts)
  const rng = Rng.xorshift32(options.seed ?? 0);
  const rand = (n: number): number => {
    return rng.nextU32() % n;
  };
  const fresh = () => ({
    obs: new Uint8Array(batchSize * size),
    next: new Uint8Array(batchSize * size),
    env: new Int32Array(batchSize),
    episode: new Int32Array(batchSize),
    step: new Int32Array(batchSize),
  });
  let batch = fresh();
  let count = 0;
  let emitted = 0;
  const limit = options.maxPairs ?? Infinity;
  const seqs: EnvSeq[] = Array.from({ length: E }, () => ({ carryObs: [], carryEpisode: [], carryStep: [] }));

  for (const shard of meta.shards) {
    const { rows, arrays } = readShard(path.join(dir, shard.file), frameShape);
    if (rows % E !== 0) throw new Error(`framePairs: ${shard.file} has ${rows} rows, not a multiple of ${E} envs`);
    const T = rows / E;
    const o = arrays.obs.data as Uint8Array;
    const envCol = arrays.env.data as Int32Array;
    const epCol = arrays.episode.data as Int32Array;
    const stCol = arrays.step.data as Int32Array;
    // Position p of env e: p >= 0 is shard row e*T + p; p < 0 is carried row (carry length + p).
    const frame = (e: number, p: number): Uint8Array => {
      if (p >= 0) return o.subarray((e * T + p) * frameSize, (e * T + p + 1) * frameSize);
      const c = seqs[e].carryObs;
      return c[c.length + p];
    };
    const episode = (e: number, p: number): number => (p >= 0 ? epCol[e * T + p] : seqs[e].carryEpisode[seqs[e].carryEpisode.length + p]);
    const step = (e: number, p: number): number => (p >= 0 ? stCol[e * T + p] : seqs[e].carryStep[seqs[e].carryStep.length + p]);
    const writeObs = (dst: Uint8Array, offset: number, e: number, p: number): void => {
      const start = p - step(e, p); // the episode's reset observation
      for (let k = 0; k < K; k++) {
        const q = Math.max(p - (K - 1 - k), start);
        dst.set(frame(e, q), offset + k * frameSize);
      }
    };
    const pairs: [number, number][] = [];
    for (let e = 0; e < E; e++) {
      if (envCol[e * T] !== e) throw new Error(`framePairs: ${shard.file}: rows are not grouped by env`);
      const from = seqs[e].carryObs.length > 0 ? -1 : 0;
      for (let p = from; p + 1 < T; p++) {
        if (episode(e, p) === episode(e, p + 1) && step(e, p + 1) === step(e, p) + 1) pairs.push([e, p]);
      }
    }
    if (options.shuffle) {
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = rand(i + 1);
        [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
      }
    }
    for (const [e, p] of pairs) {
      if (emitted >= limit) break;
      writeObs(batch.obs, count * size, e, p);
      writeObs(batch.next, count * size, e, p + 1);
      batch.env[count] = e;
      batch.episode[count] = episode(e, p);
      batch.step[count] = step(e, p);
      count++;
      emitted++;
      if (count === batchSize) {
        yield { ...batch, count, obsShape };
        batch = fresh();
        count = 0;
      }
    }
    if (emitted >= limit) break;
    // Keep each env's last K rows (copies: the shard's arrays are released).
    for (let e = 0; e < E; e++) {
      const s = seqs[e];
      const keep = Math.min(K, T + s.carryObs.length);
      const obs: Uint8Array[] = [];
      const eps: number[] = [];
      const sts: number[] = [];
      for (let p = T - keep; p < T; p++) {
        obs.push(frame(e, p).slice());
        eps.push(episode(e, p));
        sts.push(step(e, p));
      }
      s.carryObs = obs;
      s.carryEpisode = eps;
      s.carryStep = sts;
    }
  }
  if (count > 0) {
    yield {
      obs: batch.obs.subarray(0, count * size),
      next: batch.next.subarray(0, count * size),
      env: batch.env.subarray(0, count),
      episode: batch.episode.subarray(0, count),
      step: batch.step.subarray(0, count),
      count,
      obsShape,
    };
  }
}
