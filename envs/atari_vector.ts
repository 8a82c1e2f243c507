// AtariVectorEnv: N preprocessed Atari environments (AtariEnv's options and code) stepped natively by
// a thread pool. step() and reset() return Promises (the Node event loop keeps running) and write
// into one batch of buffers owned by the native side and shared with JavaScript without copies:
// `buffers.obs` holds N observations back to back, `buffers.reward[i]` etc. one entry per env.
// Do not read or write the buffers while a step or reset is pending.
//
// Autoreset (Gymnasium's next-step mode): after a step that ends env i's episode (terminated or
// truncated), the next step() ignores env i's action and resets it (no re-seeding: its random
// streams continue, as AtariEnv.reset() does); that output has first[i] = 1, reward 0 and
// terminated = truncated = false. So the last observation of every episode is returned once, and
// N serial AtariEnvs seeded alike and reset() after each episode give identical results.
import * as os from 'os';

import { loadNative } from '../src/ale/native';
import type { NativeBatchBuffers, NativeVectorEnvInstance } from '../src/ale/native';
import { AtariEnvOptions, atariNativeConfig } from './atari';

export interface AtariVectorEnvOptions extends Omit<AtariEnvOptions, 'seed'> {
  numEnvs: number;
  /** Pool threads stepping the envs (pinned one per core when there are no more than cores). Default min(numEnvs, CPUs). */
  threads?: number;
}

export type AtariBatch = NativeBatchBuffers;

export class AtariVectorEnv {
  readonly numEnvs: number;
  readonly threads: number;
  readonly actionSet: readonly number[];
  /** Shape of one env's observation. */
  readonly observationShape: readonly number[];
  readonly observationSize: number;
  readonly romMd5: string;
  /** The batch written by step/reset (valid after the returned Promise resolves). */
  readonly buffers: AtariBatch;
  private readonly native: NativeVectorEnvInstance;

  constructor(options: AtariVectorEnvOptions) {
    const { numEnvs } = options;
    if (!Number.isInteger(numEnvs) || numEnvs < 1 || numEnvs > 4096) {
      throw new Error(`AtariVectorEnv: numEnvs must be an integer in 1..4096, got ${numEnvs}`);
    }
    const threads = options.threads ?? Math.min(numEnvs, os.cpus().length || 1);
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new Error(`AtariVectorEnv: threads must be an integer in 1..256, got ${threads}`);
    }
    this.native = new (loadNative().NativeVectorEnv)(atariNativeConfig(options), numEnvs, threads);
    this.numEnvs = numEnvs;
    this.threads = this.native.threads();
    this.actionSet = this.native.actionSet();
    this.observationShape = this.native.observationShape();
    this.observationSize = this.observationShape.reduce((a, b) => a * b, 1);
    this.romMd5 = this.native.romMd5();
    this.buffers = this.native.buffers();
  }

  get actionCount(): number {
    return this.actionSet.length;
  }

  /** Resets every env; env i is re-seeded with seeds[i] when seeds are given. */
  reset(seeds?: readonly number[] | Uint32Array): Promise<void> {
    if (seeds === undefined) return this.native.reset();
    if (seeds.length !== this.numEnvs) throw new Error(`AtariVectorEnv.reset: ${seeds.length} seeds for ${this.numEnvs} envs`);
    for (const s of seeds) {
      if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new Error(`AtariVectorEnv.reset: seed ${s} is not an integer in 0..2^32-1`);
    }
    return this.native.reset(Uint32Array.from(seeds));
  }

  /** Steps every env with action indices actions[i] (0 <= a < actionCount); autoreset as described above. */
  step(actions: Int32Array): Promise<void> {
    return this.native.step(actions);
  }

  /** Exact snapshot of every env (emulator, random streams, frame buffers, autoreset flags); not the batch buffers. */
  cloneState(): Uint8Array {
    return this.native.cloneState();
  }

  restoreState(state: Uint8Array): void {
    this.native.restoreState(state);
  }

  /** Env i's observation inside buffers.obs (a view, no copy). */
  observation(i: number): Uint8Array {
    return this.buffers.obs.subarray(i * this.observationSize, (i + 1) * this.observationSize);
  }
}
