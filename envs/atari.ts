// A small Gymnasium-like Atari environment over ALEInterface (ale-semantics.md §13, ale_py's AtariEnv):
// frame skip done here with the core's frame_skip = 1, sticky actions decided per frame by the core,
// minimal action set unless fullActionSpace.
//
// Seeding differs from ale_py in one respect: ale_py derives the ALE seed with numpy's SeedSequence;
// here `seed` is used directly as ALE's random_seed (its 32-bit pattern) and seeds the xorshift
// generator that draws stochastic frame skips. reset({seed}) reloads the ROM as ale_py does.
import * as fs from 'fs';

import { ALEInterface } from '../src/ale/ale_interface';
import { XorShift32 } from '../src/ale/hash';
import { findRom, romSearchDirs } from '../src/ale/roms';

export type AtariObsType = 'rgb' | 'grayscale' | 'ram';

export interface AtariEnvOptions {
  /** ROM id (e.g. "pong", looked up in romDir) or a path to a .bin file. */
  game: string;
  /** Folder with the ROMs (default: EIGENOPT_ROM_DIR, else ../shared/roms next to the package). */
  romDir?: string;
  mode?: number;
  difficulty?: number;
  obsType?: AtariObsType;
  /** Frames per step: a number, or [lo, hi) drawn uniformly per step. Default 4. */
  frameskip?: number | readonly [number, number];
  repeatActionProbability?: number;
  fullActionSpace?: boolean;
  maxNumFramesPerEpisode?: number;
  seed?: number;
}

export interface AtariInfo {
  lives: number;
  episodeFrameNumber: number;
  frameNumber: number;
  seed?: number;
}

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

export class AtariEnv {
  readonly ale: ALEInterface;
  readonly obsType: AtariObsType;
  /** The action ids behind Discrete indices 0..n-1. */
  readonly actionSet: readonly number[];
  /** Observation shape: [h, w, 3] (rgb), [h, w] (grayscale) or [128] (ram). */
  readonly observationShape: readonly number[];
  private readonly romPath: string;
  private readonly frameskip: number | readonly [number, number];
  private readonly mode?: number;
  private readonly difficulty?: number;
  private frameskipRng: XorShift32;

  constructor(options: AtariEnvOptions) {
    const fsk = options.frameskip ?? 4;
    if (typeof fsk === 'number') {
      if (!Number.isInteger(fsk) || fsk < 1) throw new Error(`AtariEnv: frameskip must be an integer >= 1, got ${fsk}`);
    } else if (!(Number.isInteger(fsk[0]) && Number.isInteger(fsk[1]) && fsk[0] >= 1 && fsk[1] > fsk[0])) {
      throw new Error(`AtariEnv: frameskip range must be integers [lo, hi) with 1 <= lo < hi, got [${fsk.join(', ')}]`);
    }
    const obsType = options.obsType ?? 'rgb';
    if (!['rgb', 'grayscale', 'ram'].includes(obsType)) throw new Error(`AtariEnv: unknown obsType '${obsType}'`);
    const rap = options.repeatActionProbability ?? 0.25;
    if (!(rap >= 0 && rap <= 1)) throw new Error(`AtariEnv: repeatActionProbability must be in [0, 1], got ${rap}`);
    this.obsType = obsType;
    this.frameskip = fsk;
    this.mode = options.mode;
    this.difficulty = options.difficulty;
    this.romPath = resolveRomPath(options.game, options.romDir);
    this.ale = new ALEInterface();
    this.ale.setFloat('repeat_action_probability', rap);
    this.ale.setInt('frame_skip', 1);
    if (options.maxNumFramesPerEpisode !== undefined) {
      this.ale.setInt('max_num_frames_per_episode', options.maxNumFramesPerEpisode);
    }
    this.frameskipRng = new XorShift32(0);
    this.seedAndLoad(options.seed);
    this.actionSet = options.fullActionSpace ? this.ale.getLegalActionSet() : this.ale.getMinimalActionSet();
    const [h, w] = this.ale.getScreenDims();
    this.observationShape = obsType === 'rgb' ? [h, w, 3] : obsType === 'grayscale' ? [h, w] : [128];
  }

  /** Number of discrete actions. */
  get numActions(): number {
    return this.actionSet.length;
  }

  /** reset(): next episode (both RNG streams continue); reset({seed}): reload the ROM with that seed first. */
  reset(options: { seed?: number } = {}): AtariResetResult {
    if (options.seed !== undefined) this.seedAndLoad(options.seed);
    this.ale.reset_game();
    const info = this.info();
    if (options.seed !== undefined) info.seed = options.seed;
    return { observation: this.observation(), info };
  }

  /** One step with Discrete index `action` (0 <= action < numActions). */
  step(action: number, paddleStrength = 1.0): AtariStepResult {
    if (!Number.isInteger(action) || action < 0 || action >= this.actionSet.length) {
      throw new Error(`AtariEnv.step: action index ${action} is out of range 0..${this.actionSet.length - 1}`);
    }
    const id = this.actionSet[action];
    let frames: number;
    if (typeof this.frameskip === 'number') {
      frames = this.frameskip;
    } else {
      const [lo, hi] = this.frameskip;
      frames = lo + (this.frameskipRng.next() % (hi - lo));
    }
    let reward = 0;
    for (let i = 0; i < frames; i++) reward += this.ale.act(id, paddleStrength);
    return {
      observation: this.observation(),
      reward,
      terminated: this.ale.game_over(false),
      truncated: this.ale.game_truncated(),
      info: this.info(),
    };
  }

  /** The current observation (a fresh array). */
  observation(): Uint8Array {
    if (this.obsType === 'rgb') return this.ale.getScreenRGB();
    if (this.obsType === 'grayscale') return this.ale.getScreenGrayscale();
    return this.ale.getRAM();
  }

  private info(): AtariInfo {
    return {
      lives: this.ale.lives(),
      episodeFrameNumber: this.ale.getEpisodeFrameNumber(),
      frameNumber: this.ale.getFrameNumber(),
    };
  }

  private seedAndLoad(seed: number | undefined): void {
    if (seed !== undefined) {
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new Error(`AtariEnv: seed must be an integer in 0..2^32-1, got ${seed}`);
      }
      this.ale.setInt('random_seed', seed | 0);  // 32-bit pattern, as ale_py passes a signed int
      this.frameskipRng = new XorShift32(seed);
    }
    this.ale.loadROM(this.romPath);
    if (this.mode !== undefined) this.ale.setMode(this.mode);
    if (this.difficulty !== undefined) this.ale.setDifficulty(this.difficulty);
  }
}
