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

export interface NativeModule {
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
