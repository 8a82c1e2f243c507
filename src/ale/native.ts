// Loader and typings for the native addon (build/Release/eigenopt_native.node).
// Set EIGENOPT_NATIVE to load the addon from another path.
import * as fs from 'fs';
import * as path from 'path';

/** The native ALE object (thin binding over eo::ale::AleInterface). Use ALEInterface instead. */
export interface NativeALEInstance {
  setInt(key: string, value: number): void;
  getInt(key: string): number;
  setFloat(key: string, value: number): void;
  getFloat(key: string): number;
  setBool(key: string, value: boolean): void;
  getBool(key: string): boolean;
  setString(key: string, value: string): void;
  getString(key: string): string;
  loadROM(path: string): void;
  act(action: number, paddleStrength?: number): number;
  gameOver(withTruncation?: boolean): boolean;
  gameTruncated(): boolean;
  resetGame(): void;
  lives(): number;
  getMinimalActionSet(): number[];
  getLegalActionSet(): number[];
  getScreenDims(): [number, number];
  getScreen(out: Uint8Array): Uint8Array;
  getScreenRGB(out: Uint8Array): Uint8Array;
  getScreenGrayscale(out: Uint8Array): Uint8Array;
  getRAM(out: Uint8Array): Uint8Array;
  setRAM(index: number, value: number): void;
  getFrameNumber(): number;
  getEpisodeFrameNumber(): number;
  getAvailableModes(): number[];
  setMode(mode: number): void;
  getMode(): number;
  getAvailableDifficulties(): number[];
  setDifficulty(difficulty: number): void;
  getDifficulty(): number;
  cloneState(includeRng?: boolean): Uint8Array;
  restoreState(state: Uint8Array): void;
  setTrace(cpuPath: string | null, tiaPath: string | null): void;
  getConsoleCreatedRAM(out: Uint8Array): Uint8Array;
  romInfo(): { md5: string; rom: string; pal: boolean };
  screenHash(): string;
  tracePhase(sub: number, a: number): void;
}

/** Configuration of a native preprocessed Atari environment (native/vector/atari_env.h). */
export interface NativeAtariConfig {
  romPath: string;
  mode?: number;
  difficulty?: number;
  frameSkip?: number;
  frameSkipHigh?: number;
  repeatActionProbability?: number;
  fullActionSpace?: boolean;
  maxNumFramesPerEpisode?: number;
  noopMax?: number;
  terminalOnLifeLoss?: boolean;
  obsKind?: 'grayscale' | 'rgb' | 'ram';
  maxPool?: boolean;
  screenHeight?: number;
  screenWidth?: number;
  frameStack?: number;
}

/** One native Atari environment; step/reset write the observation and 8 scalars into caller buffers. */
export interface NativeAtariEnvInstance {
  reset(seed: number | undefined, obs: Uint8Array, scalars: Float64Array): void;
  step(action: number, obs: Uint8Array, scalars: Float64Array): void;
  getRAM(out: Uint8Array): Uint8Array;
  setRAM(index: number, value: number): void;
  actionSet(): number[];
  observationShape(): number[];
  cloneState(): Uint8Array;
  restoreState(state: Uint8Array): void;
  romMd5(): string;
}

/** The batch buffers of a native vector environment (N entries each; obs N * observation size). */
export interface NativeBatchBuffers {
  obs: Uint8Array;
  ram: Uint8Array;
  reward: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  first: Uint8Array;
  lives: Int32Array;
  executedAction: Int32Array;
  episodeStep: Int32Array;
  frameNumber: Float64Array;
  episodeFrameNumber: Float64Array;
}

export interface NativeVectorEnvInstance {
  reset(seeds?: Uint32Array): Promise<void>;
  step(actions: Int32Array): Promise<void>;
  buffers(): NativeBatchBuffers;
  actionSet(): number[];
  observationShape(): number[];
  romMd5(): string;
  threads(): number;
  /** Every env's exact state and the autoreset bookkeeping (not the batch buffers). */
  cloneState(): Uint8Array;
  restoreState(state: Uint8Array): void;
}

export interface NativeModule {
  NativeAtariEnv: new (config: NativeAtariConfig, seed?: number) => NativeAtariEnvInstance;
  NativeVectorEnv: new (config: NativeAtariConfig, numEnvs: number, threads: number) => NativeVectorEnvInstance;
  /** Area-average resize of one 8-bit image (native/vector/preprocess.h). */
  resizeArea(src: Uint8Array, srcH: number, srcW: number, dstH: number, dstW: number): Uint8Array;
  NativeALE: new () => NativeALEInstance;
  md5Hex(data: Uint8Array): string;
  mt19937Outputs(seed: number, count: number): Uint32Array;
  palette(format: 'NTSC' | 'PAL'): Uint32Array;
  /** The supported games' rom ids and md5s (the table loadROM identifies ROMs by), by rom id. */
  supportedRoms(): { rom: string; md5: string }[];
}

let cached: NativeModule | undefined;

/** Repository (package) root: the nearest ancestor of this file holding eigenopt's package.json. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const name = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'eigenopt') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('eigenopt: cannot locate the package root (package.json named "eigenopt")');
    dir = up;
  }
}

/** Path of the native addon that loadNative() uses. */
export function nativeAddonPath(): string {
  return process.env.EIGENOPT_NATIVE ?? path.join(packageRoot(), 'build', 'Release', 'eigenopt_native.node');
}

/** Loads (once) and returns the native addon; throws a clear Error when it is not built. */
export function loadNative(): NativeModule {
  if (cached) return cached;
  const file = nativeAddonPath();
  if (!fs.existsSync(file)) {
    throw new Error(
      `eigenopt: native addon not found at ${file}; build it with "npx cmake-js compile --out build" (or npm run build)`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  cached = require(file) as NativeModule;
  return cached;
}
