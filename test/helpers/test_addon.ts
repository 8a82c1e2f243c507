// Loader and typings for the test-only native addon (build/Release/eigenopt_test_native.node,
// built from native/test_addon/ next to the package's addon): offline evaluation of the per-game
// ALE logic on recorded or hand-built RAM. Set EIGENOPT_TEST_ADDON to load it from another path.
import * as fs from 'fs';
import * as path from 'path';

export interface EvalResult {
  reward: Float64Array;
  terminal: Uint8Array;
  lives: Int32Array;
}

/** Static facts of one GameSpec, as the test addon reports them. */
export interface SpecView {
  rom: string;
  md5: string;
  legalActions: number[];
  minimalActions: number[];
  startingActions: number[];
  modes: number[];
  difficulties: number[];
  left: string;
  right: string;
  swapPorts: boolean;
  swapPaddles: boolean;
  difficultyA: number[];
  ystart: number;
  height: number;
  hmoveBlanks: boolean;
  paddleMaxOverride: number;
  hasSelectMode: boolean;
  livesAtLoad: number;
}

export interface GameTestAddon {
  evalGame(rom: string, ram: Uint8Array, resetMask: Uint8Array, cart?: Uint8Array): EvalResult;
  gameSpecs(): SpecView[];
  findGame(md5: string, stem: string): string | null;
}

export function loadTestAddon(): GameTestAddon {
  const file =
    process.env.EIGENOPT_TEST_ADDON ??
    path.resolve(__dirname, '..', '..', 'build', 'Release', 'eigenopt_test_native.node');
  if (!fs.existsSync(file)) {
    throw new Error(`test addon not built: ${file} (run npx cmake-js compile --out build)`);
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const addon = require(file) as Partial<GameTestAddon>;
  if (typeof addon.evalGame !== 'function' || typeof addon.gameSpecs !== 'function' || typeof addon.findGame !== 'function') {
    throw new Error(`${file} does not export evalGame/gameSpecs/findGame (native/test_addon/game_eval.cpp)`);
  }
  return addon as GameTestAddon;
}
