// AtariEnv: one Atari 2600 environment with ale_py v5 settings and Gymnasium's AtariPreprocessing,
// stepped natively (native/vector/atari_env.h, the same code the vector environment runs).
//
// Defaults (obsType 'preprocessed'): sticky actions 0.25 decided per frame by the core, frame skip 4
// done here (the core's frame_skip is 1), the maximum of the grayscale screens of the step's last
// two frames, an 84x84 area-average resize (OpenCV's INTER_AREA, exact rounding documented in
// native/vector/preprocess.h), a stack of the last 4 frames ([4, 84, 84], oldest first), 1..30
// NOOP frames after every reset, minimal action set, max_num_frames_per_episode 108000 (truncation),
// terminal on life loss off. obsType 'rgb' | 'grayscale' | 'ram' gives raw observations of the
// step's last frame (no noops, no pooling, no stacking unless asked).
//
// Differences from Gymnasium: when an episode ends on a frame before the step's last, the observation
// is that final frame alone (Gymnasium keeps the previous step's frame); the noop count is drawn from
// a splitmix64 stream seeded with `seed` (Gymnasium uses the env's numpy generator). ale_py derives
// the ALE seed with numpy's SeedSequence; here `seed` is ALE's random_seed directly (its 32-bit
// pattern). reset({seed}) reloads the ROM as ale_py does; reset() continues every random stream.
//
// Observations are written into caller-owned buffers: step(action, out) / reset(options, out) fill
// `out` (default: one buffer owned by the env, overwritten by the next call) and return it.
import * as fs from 'fs';

import type { Env, ResetOptions } from '../src/env';
import { loadNative, packageRoot } from '../src/ale/native';
import type { NativeAtariConfig, NativeAtariEnvInstance } from '../src/ale/native';
import { findRom, romSearchDirs } from '../src/ale/roms';

export type AtariObsType = 'preprocessed' | 'rgb' | 'grayscale' | 'ram';

/** ale_py v5 / Gymnasium AtariPreprocessing defaults. */
export const ATARI_V5_DEFAULTS = {
  frameskip: 4,
  repeatActionProbability: 0.25,
  fullActionSpace: false,
  maxNumFramesPerEpisode: 108_000,
  noopMax: 30,
  terminalOnLifeLoss: false,
  screenSize: 84,
  frameStack: 4,
  maxPool: true,
} as const;

export interface AtariEnvOptions {
  /** ROM id (e.g. "pong", looked up in romDir) or a path to a .bin file. */
  game: string;
  /** Folder with the ROMs (default: EIGENOPT_ROM_DIR, else ../shared/roms next to the package). */
  romDir?: string;
  mode?: number;
  difficulty?: number;
  /** 'preprocessed' (default) or a raw observation of the step's last frame. */
  obsType?: AtariObsType;
  /** Frames per step: a number, or [lo, hi) drawn uniformly per step. Default 4. */
  frameskip?: number | readonly [number, number];
  repeatActionProbability?: number;
  fullActionSpace?: boolean;
  /** Truncate after this many frames of an episode (0 = never). Default 108000. */
  maxNumFramesPerEpisode?: number;
  /** NOOP frames after reset drawn from [1, noopMax] (0 = none). Default 30 (preprocessed), 0 (raw). */
  noopMax?: number;
  /** End the episode (terminated) when a life is lost. Default false. */
  terminalOnLifeLoss?: boolean;
  /** Side of the square resized frame (preprocessed only); 0 keeps the full screen. Default 84. */
  screenSize?: number;
  /** Frames per observation. Default 4 (preprocessed), 1 (raw). */
  frameStack?: number;
  /** Max over the step's last two frames (preprocessed only). Default true. */
  maxPool?: boolean;
  seed?: number;
}

export type AtariInfo = {
  lives: number;
  episodeFrameNumber: number;
  frameNumber: number;
  /** ALE action id in effect on the step's last frame (after sticky repetition). */
  executedAction: number;
  seed?: number;
};

export interface AtariResetResult {
  observation: Uint8Array;
  info: AtariInfo;
}

export interface AtariStepResult {
  observation: Uint8Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: AtariInfo;
}

/**
 * Default ROM folder: the first existing folder of romSearchDirs() (EIGENOPT_ROM_DIR, ale-py's ROM
 * folder, ../shared/roms), else ../shared/roms.
 */
export function defaultRomDir(): string {
  const dirs = romSearchDirs();
  return (dirs.find((d) => fs.existsSync(d.dir)) ?? dirs[dirs.length - 1]).dir;
}

/**
 * The ROM file for `game` (a rom id such as "pong" or "MsPacman", or a path): found by md5 in
 * `romDir` when given, else in the folders of romSearchDirs() (see findRom).
 */
export function resolveRomPath(game: string, romDir?: string): string {
  return findRom(game, romDir === undefined ? {} : { dirs: [romDir] }).path;
}

function checkSeed(where: string, seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`${where}: seed must be an integer in 0..2^32-1, got ${seed}`);
  }
}

/** The native configuration for AtariEnv options (validated; ROM path resolved). */
export function atariNativeConfig(options: AtariEnvOptions): NativeAtariConfig {
  const where = 'AtariEnv';
  const fsk = options.frameskip ?? ATARI_V5_DEFAULTS.frameskip;
  let frameSkip: number;
  let frameSkipHigh = 0;
  if (typeof fsk === 'number') {
    if (!Number.isInteger(fsk) || fsk < 1) throw new Error(`${where}: frameskip must be an integer >= 1, got ${fsk}`);
    frameSkip = fsk;
  } else {
    if (!(Number.isInteger(fsk[0]) && Number.isInteger(fsk[1]) && fsk[0] >= 1 && fsk[1] > fsk[0])) {
      throw new Error(`${where}: frameskip range must be integers [lo, hi) with 1 <= lo < hi, got [${fsk.join(', ')}]`);
    }
    [frameSkip, frameSkipHigh] = fsk;
  }
  const obsType = options.obsType ?? 'preprocessed';
  if (!['preprocessed', 'rgb', 'grayscale', 'ram'].includes(obsType)) throw new Error(`${where}: unknown obsType '${obsType}'`);
  const pre = obsType === 'preprocessed';
  const rap = options.repeatActionProbability ?? ATARI_V5_DEFAULTS.repeatActionProbability;
  if (!(rap >= 0 && rap <= 1)) throw new Error(`${where}: repeatActionProbability must be in [0, 1], got ${rap}`);
  const int = (name: string, v: number, lo: number, hi: number): number => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${where}: ${name} must be an integer in ${lo}..${hi}, got ${v}`);
    return v;
  };
  const screen = int('screenSize', options.screenSize ?? ATARI_V5_DEFAULTS.screenSize, 0, 1024);
  const config: NativeAtariConfig = {
    romPath: resolveRomPath(options.game, options.romDir),
    frameSkip,
    frameSkipHigh,
    repeatActionProbability: rap,
    fullActionSpace: options.fullActionSpace ?? ATARI_V5_DEFAULTS.fullActionSpace,
    maxNumFramesPerEpisode: int('maxNumFramesPerEpisode', options.maxNumFramesPerEpisode ?? ATARI_V5_DEFAULTS.maxNumFramesPerEpisode, 0, 2 ** 31 - 1),
    noopMax: int('noopMax', options.noopMax ?? (pre ? ATARI_V5_DEFAULTS.noopMax : 0), 0, 100000),
    terminalOnLifeLoss: options.terminalOnLifeLoss ?? ATARI_V5_DEFAULTS.terminalOnLifeLoss,
    obsKind: pre ? 'grayscale' : (obsType as 'rgb' | 'grayscale' | 'ram'),
    maxPool: pre ? (options.maxPool ?? ATARI_V5_DEFAULTS.maxPool) : false,
    screenHeight: pre ? screen : 0,
    screenWidth: pre ? screen : 0,
    frameStack: int('frameStack', options.frameStack ?? (pre ? ATARI_V5_DEFAULTS.frameStack : 1), 1, 64),
  };
  if (options.mode !== undefined) config.mode = int('mode', options.mode, 0, 255);
  if (options.difficulty !== undefined) config.difficulty = int('difficulty', options.difficulty, 0, 255);
  return config;
}

export class AtariEnv implements Env<Uint8Array, AtariInfo, Uint8Array> {
  readonly obsType: AtariObsType;
  /** The ALE action ids behind Discrete indices 0..n-1. */
  readonly actionSet: readonly number[];
  /** [stack, h, w] / [h, w] (grayscale), [h, w, 3] (rgb), [128] (ram); a leading stack dim when frameStack > 1. */
  readonly observationShape: readonly number[];
  /** MD5 of the loaded ROM image. */
  readonly romMd5: string;
  private readonly native: NativeAtariEnvInstance;
  private readonly buffer: Uint8Array;
  private readonly scalars = new Float64Array(8);

  constructor(options: AtariEnvOptions) {
    const config = atariNativeConfig(options);
    if (options.seed !== undefined) checkSeed('AtariEnv', options.seed);
    this.obsType = options.obsType ?? 'preprocessed';
    this.native = new (loadNative().NativeAtariEnv)(config, options.seed);
    this.actionSet = this.native.actionSet();
    this.observationShape = this.native.observationShape();
    this.romMd5 = this.native.romMd5();
    this.buffer = new Uint8Array(this.observationShape.reduce((a, b) => a * b, 1));
  }

  get actionCount(): number {
    return this.actionSet.length;
  }

  /** Same as actionCount. */
  get numActions(): number {
    return this.actionSet.length;
  }

  /** reset(): next episode (every random stream continues); reset({seed}): reload the ROM with that seed first. */
  reset(options: ResetOptions = {}, out: Uint8Array = this.buffer): AtariResetResult {
    if (options.seed !== undefined) checkSeed('AtariEnv.reset', options.seed);
    this.native.reset(options.seed, out, this.scalars);
    const info = this.info();
    if (options.seed !== undefined) info.seed = options.seed;
    return { observation: out, info };
  }

  /** One step with Discrete index `action` (0 <= action < actionCount); the observation goes to `out`. */
  step(action: number, out: Uint8Array = this.buffer): AtariStepResult {
    if (!Number.isInteger(action) || action < 0 || action >= this.actionSet.length) {
      throw new Error(`AtariEnv.step: action index ${action} is out of range 0..${this.actionSet.length - 1}`);
    }
    this.native.step(action, out, this.scalars);
    const s = this.scalars;
    return { observation: out, reward: s[0], terminated: s[1] !== 0, truncated: s[2] !== 0, info: this.info() };
  }

  /** The 128 bytes of RAM now. */
  getRAM(out: Uint8Array = new Uint8Array(128)): Uint8Array {
    return this.native.getRAM(out);
  }

  /**
   * Writes RAM byte `index` (0..127, the address minus 0x80) to `value` (0..255), as ALE's setRAM:
   * e.g. an item written into a game's inventory. The current observation is the frame already
   * drawn; the next step draws from the changed RAM. cloneState afterwards captures the change.
   */
  setRAM(index: number, value: number): void {
    if (!Number.isInteger(index) || index < 0 || index > 127) throw new Error(`AtariEnv.setRAM: index ${index} is out of range 0..127`);
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new Error(`AtariEnv.setRAM: value ${value} is out of range 0..255`);
    this.native.setRAM(index, value);
  }

  /** Exact snapshot: emulator and ALE state with its RNG, frame buffers, random streams. */
  cloneState(): Uint8Array {
    return this.native.cloneState();
  }

  restoreState(state: Uint8Array): void {
    this.native.restoreState(state);
  }

  private info(): AtariInfo {
    const s = this.scalars;
    return { lives: s[3], episodeFrameNumber: s[5], frameNumber: s[4], executedAction: s[6] };
  }
}
