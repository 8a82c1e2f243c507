// A TransitionSource over a rollout folder written by `eigenopt rollout` (src/data/rollout.ts):
// consecutive within-episode pairs (obs_t, obs_t+1), never crossing an episode end, streamed one
// shard at a time. Each epoch visits the chosen shards in a seeded random order and the pairs of a
// shard in a seeded random order; the stream never ends (epoch after epoch).
//
// `shards` selects which shards the source reads (e.g. all but the last for training, the last for
// held-out evaluation: see splitShards).
import * as path from 'path';
import { Rng } from '../rng';
import { readRolloutMeta, readShard } from './rollout';
import type { RolloutMeta } from './rollout';
import type { TransitionBatch, TransitionSource } from './transitions';

/** Pair starts of one shard: row indices i whose row i + lag is `lag` steps later in the same env and episode. */
export function pairStarts(env: Int32Array, episode: Int32Array, step: Int32Array, rows: number, lag = 1): Int32Array {
  if (!Number.isInteger(lag) || lag < 1) throw new Error(`pairStarts: lag must be a positive integer, got ${lag}`);
  const out: number[] = [];
  // an episode's rows are contiguous in a shard, so rows i and i + lag of one env and episode whose
  // steps differ by lag hold every step in between
  for (let i = 0; i + lag < rows; i++) if (env[i] === env[i + lag] && episode[i] === episode[i + lag] && step[i + lag] === step[i] + lag) out.push(i);
  return Int32Array.from(out);
}

/** Training and held-out shard indices: the last `heldOutFraction` of shards (at least one when there are two or more). */
export function splitShards(meta: RolloutMeta, heldOutFraction = 0.1): { train: number[]; heldOut: number[] } {
  const n = meta.shards.length;
  if (n === 0) throw new Error('rollout folder has no shards');
  if (n === 1) return { train: [0], heldOut: [] };
  const h = Math.min(n - 1, Math.max(1, Math.round(n * heldOutFraction)));
  return { train: Array.from({ length: n - h }, (_, i) => i), heldOut: Array.from({ length: h }, (_, i) => n - h + i) };
}

interface LoadedShard {
  index: number;
  obs: Uint8Array;
  ram: Uint8Array;
  starts: Int32Array;
}

export interface RolloutSourceOptions {
  /** Shard indices to read (default: all). */
  shards?: readonly number[];
  /**
   * Pairs (x_t, x_{t+l}) of one episode with l drawn uniformly from 1..lag for each pair (default
   * 1: consecutive frames). Starts are those with `lag` more steps in their episode.
   */
  lag?: number;
  seed?: number;
}

export class RolloutTransitionSource implements TransitionSource<Uint8Array> {
  readonly observationShape: readonly number[];
  readonly size: number;
  readonly meta: RolloutMeta;
  private readonly shards: number[];
  private readonly obsSize: number;
  readonly lag: number;
  private seed: number;
  private epoch = 0;
  private order: number[] = [];
  private orderPos = 0;
  private current: LoadedShard | null = null;
  private pairOrder: Int32Array = new Int32Array(0);
  /** The lag of each pair in pairOrder. */
  private pairLag: Int32Array = new Int32Array(0);
  private pairPos = 0;
  private drawn = 0;

  constructor(readonly dir: string, options: RolloutSourceOptions = {}) {
    this.meta = readRolloutMeta(dir);
    this.observationShape = this.meta.obsShape.slice();
    this.obsSize = this.observationShape.reduce((a, b) => a * b, 1);
    this.shards = (options.shards ?? this.meta.shards.map((_, i) => i)).slice();
    if (this.shards.length === 0) throw new Error(`RolloutTransitionSource: no shards selected in ${dir}`);
    for (const s of this.shards) if (!Number.isInteger(s) || s < 0 || s >= this.meta.shards.length) throw new Error(`RolloutTransitionSource: shard ${s} out of range (the rollout has ${this.meta.shards.length})`);
    this.size = this.shards.reduce((a, s) => a + this.meta.shards[s].rows, 0);
    this.seed = options.seed ?? 0;
    this.lag = options.lag ?? 1;
    if (!Number.isInteger(this.lag) || this.lag < 1) throw new Error(`RolloutTransitionSource: lag must be a positive integer, got ${options.lag}`);
    this.startEpoch();
  }

  private startEpoch(): void {
    const rng = Rng.derive(this.seed, this.epoch);
    this.order = this.shards.slice();
    rng.shuffle(this.order);
    this.orderPos = 0;
  }

  private loadNext(): void {
    if (this.orderPos >= this.order.length) {
      this.epoch++;
      this.startEpoch();
    }
    const index = this.order[this.orderPos++];
    this.current = loadShard(this.dir, this.meta, index, this.lag);
    this.pairOrder = Int32Array.from(this.current.starts);
    const rng = Rng.derive(this.seed, 1_000_003 * (this.epoch + 1) + index);
    rng.shuffle(this.pairOrder);
    this.pairLag = new Int32Array(this.pairOrder.length).fill(1);
    if (this.lag > 1) for (let j = 0; j < this.pairLag.length; j++) this.pairLag[j] = 1 + rng.int(this.lag);
    this.pairPos = 0;
  }

  async nextBatch(batchSize: number): Promise<TransitionBatch<Uint8Array>> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`RolloutTransitionSource: batch size must be a positive integer, got ${batchSize}`);
    const d = this.obsSize;
    const x = new Uint8Array(batchSize * d);
    const xNext = new Uint8Array(batchSize * d);
    let filled = 0;
    let emptyShards = 0;
    while (filled < batchSize) {
      if (!this.current || this.pairPos >= this.pairOrder.length) {
        this.loadNext();
        if (this.pairOrder.length === 0 && ++emptyShards > this.shards.length) throw new Error(`RolloutTransitionSource: the selected shards of ${this.dir} hold no ${this.lag === 1 ? 'consecutive pairs' : `episode with ${this.lag} steps after a frame (lag ${this.lag})`}`);
        continue;
      }
      const cur = this.current;
      const l = this.pairLag[this.pairPos];
      const i = this.pairOrder[this.pairPos++];
      x.set(cur.obs.subarray(i * d, (i + 1) * d), filled * d);
      xNext.set(cur.obs.subarray((i + l) * d, (i + l + 1) * d), filled * d);
      filled++;
    }
    this.drawn += batchSize;
    return { size: batchSize, x, xNext };
  }

  /**
   * [pairs drawn so far, seed]: restoring replays the stream of that seed from the start up to that
   * point (a resumed run continues the checkpoint's stream whatever seed the source was built with;
   * a one-element state, [pairsDrawn], keeps the source's own seed).
   */
  samplerState(): number[] {
    return [this.drawn, this.seed];
  }

  restoreSamplerState(state: readonly number[]): void {
    if (!(state.length === 1 || state.length === 2) || !state.every((v) => Number.isInteger(v)) || state[0] < 0) throw new Error('RolloutTransitionSource: sampler state must be [pairsDrawn] or [pairsDrawn, seed]');
    if (state.length === 2) this.seed = state[1];
    this.epoch = 0;
    this.startEpoch();
    this.current = null;
    this.pairOrder = new Int32Array(0);
    this.pairPos = 0;
    this.drawn = 0;
    let left = state[0];
    while (left > 0) {
      if (!this.current || this.pairPos >= this.pairOrder.length) {
        this.loadNext();
        continue;
      }
      const take = Math.min(left, this.pairOrder.length - this.pairPos);
      this.pairPos += take;
      left -= take;
    }
    this.drawn = state[0];
  }
}

function loadShard(dir: string, meta: RolloutMeta, index: number, lag: number): LoadedShard {
  const { rows, arrays } = readShard(path.join(dir, meta.shards[index].file), meta.obsShape);
  return {
    index,
    obs: arrays.obs.data as Uint8Array,
    ram: arrays.ram.data as Uint8Array,
    starts: pairStarts(arrays.env.data as Int32Array, arrays.episode.data as Int32Array, arrays.step.data as Int32Array, rows, lag),
  };
}

export interface RolloutFrames {
  /** Observations, [count, ...obsShape]. */
  obs: Uint8Array;
  /** RAM, [count, 128]. */
  ram: Uint8Array;
  /** Row index of each frame's successor in this array, or -1 (episode end or outside the selection). */
  next: Int32Array;
  /** Episode id per frame, unique across envs (env * 2^20 + episode). */
  episode: Int32Array;
  /** Index (in the dataset's action set) of the action that led to each frame; -1 for a reset observation. */
  action: Int32Array;
  /** 1 where the frame ends its episode by termination (a lost life in --terminal-on-life-loss data). */
  terminated: Uint8Array;
  count: number;
}

/**
 * Every row of the chosen shards (in shard order), at most `maxRows`, with successor links: for
 * evaluations (held-out slowness, abstract-state match, activation figures).
 */
export function readRolloutFrames(dir: string, shards: readonly number[], maxRows = Infinity): RolloutFrames {
  const meta = readRolloutMeta(dir);
  const size = meta.obsShape.reduce((a, b) => a * b, 1);
  const parts: { obs: Uint8Array; ram: Uint8Array; env: Int32Array; episode: Int32Array; step: Int32Array; action: Int32Array; terminated: Uint8Array; rows: number }[] = [];
  let total = 0;
  for (const s of shards) {
    if (total >= maxRows) break;
    const { rows, arrays } = readShard(path.join(dir, meta.shards[s].file), meta.obsShape);
    const take = Math.min(rows, maxRows - total);
    parts.push({
      obs: (arrays.obs.data as Uint8Array).subarray(0, take * size),
      ram: (arrays.ram.data as Uint8Array).subarray(0, take * 128),
      env: (arrays.env.data as Int32Array).subarray(0, take),
      episode: (arrays.episode.data as Int32Array).subarray(0, take),
      step: (arrays.step.data as Int32Array).subarray(0, take),
      action: (arrays.action.data as Int32Array).subarray(0, take),
      terminated: (arrays.terminated.data as Uint8Array).subarray(0, take),
      rows: take,
    });
    total += take;
  }
  const obs = new Uint8Array(total * size);
  const ram = new Uint8Array(total * 128);
  const next = new Int32Array(total).fill(-1);
  const episode = new Int32Array(total);
  const action = new Int32Array(total);
  const terminated = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    obs.set(p.obs, off * size);
    ram.set(p.ram, off * 128);
    action.set(p.action, off);
    terminated.set(p.terminated, off);
    for (let i = 0; i < p.rows; i++) episode[off + i] = p.env[i] * 1_048_576 + p.episode[i];
    const starts = pairStarts(p.env, p.episode, p.step, p.rows);
    for (const i of starts) next[off + i] = off + i + 1;
    off += p.rows;
  }
  return { obs, ram, next, episode, action, terminated, count: total };
}
