// TF.js backend selection for eigenopt.
// Order: explicit name > EIGENOPT_BACKEND > @tensorflow/tfjs-node-gpu / tfjs-node when installed
// (optional, never required) > wasm (patched, see wasm_kernels.ts) > cpu. A backend that fails
// to load falls back to the next with a one-line notice on stderr.
import * as tf from '@tensorflow/tfjs';
import { patchWasmBackend } from './wasm_kernels';
import { patchWasmNativeKernels } from './native_kernels';
import { checkWasmThreads, prepareWasmThreads } from './wasm_threads';

export { patchWasmBackend } from './wasm_kernels';
export { patchWasmNativeKernels, setNativeKernelsEnabled, nativeKernelsEnabled, nativeKernelStats, pairEma, softArgmaxConv } from './native_kernels';
export { pixelCoordinates, spatialSoftArgmax, softArgmaxConvComposed } from './soft_argmax';
export type { PairSource } from './native_kernels';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'node' | 'node-gpu' | 'auto';
const KNOWN: ReadonlySet<string> = new Set(['wasm', 'cpu', 'tensorflow', 'node', 'node-gpu', 'auto']);

let notices: string[] = [];
let quiet = false;

/** Suppress (or re-enable) the one-line fallback notices on stderr. */
export function setBackendNoticesQuiet(q: boolean): void {
  quiet = q;
}

/** Fallback notices emitted so far (for tests and reports). */
export function backendNotices(): readonly string[] {
  return notices;
}

function notice(msg: string): void {
  notices.push(msg);
  if (!quiet) process.stderr.write(`eigenopt: ${msg}\n`);
}

function tryRequire(mod: string): boolean {
  try {
    // Optional dependency: resolved at run time only.
    const req: NodeRequire = require;
    req(mod);
    return true;
  } catch {
    return false;
  }
}

let wasmLoaded = false;
let nativeTried = false;
let wasmInitTried = false;
async function setWasm(): Promise<void> {
  if (!wasmLoaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
    wasmLoaded = true;
  }
  patchWasmBackend();
  if (!nativeTried) {
    // Native conv/matmul kernels (native_kernels.ts) over the wasm ones; EIGENOPT_NATIVE_KERNELS=0 skips.
    nativeTried = true;
    try {
      patchWasmNativeKernels();
    } catch (e) {
      notice(`native kernels unavailable (${(e as Error).message ?? String(e)}); using the wasm kernels`);
    }
  }
  // Opt-in multithreaded XNNPACK (wasm_threads.ts): EIGENOPT_WASM_THREADS=<n >= 2>, first init only.
  let restore: (() => void) | undefined;
  const threads = Number(process.env.EIGENOPT_WASM_THREADS ?? '0');
  if (!wasmInitTried && threads >= 2) {
    try {
      restore = prepareWasmThreads(threads);
    } catch (e) {
      notice(`wasm threads unavailable (${(e as Error).message ?? String(e)}); using 1 thread`);
    }
  }
  wasmInitTried = true;
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('wasm backend failed to initialise');
    await tf.ready();
  } finally {
    if (restore) restore();
  }
  if (restore) {
    try {
      checkWasmThreads(threads);
    } catch (e) {
      notice((e as Error).message ?? String(e));
    }
  }
}

async function setNode(gpu: boolean): Promise<void> {
  const mod = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  if (!tryRequire(mod)) throw new Error(`${mod} is not installed`);
  const ok = await tf.setBackend('tensorflow');
  if (!ok) throw new Error(`${mod} failed to initialise`);
  await tf.ready();
}

/**
 * Selects and initialises the TF.js backend and returns the name in use ('wasm', 'cpu',
 * 'tensorflow'). `name` may be 'auto' (default), 'wasm', 'cpu', 'node' / 'tensorflow', 'node-gpu'.
 */
export async function initBackend(name?: string): Promise<string> {
  const requested = (name ?? process.env.EIGENOPT_BACKEND ?? 'auto').trim().toLowerCase();
  if (!KNOWN.has(requested)) throw new Error(`unknown backend '${requested}' (expected one of: auto, wasm, cpu, node, node-gpu)`);
  if (requested !== 'auto' && tf.getBackend() === (requested === 'node' || requested === 'node-gpu' ? 'tensorflow' : requested) && (requested !== 'wasm' || wasmLoaded)) return tf.getBackend();
  const chain: string[] = requested === 'auto'
    ? (tryRequireResolve('@tensorflow/tfjs-node-gpu') ? ['node-gpu'] : []).concat(tryRequireResolve('@tensorflow/tfjs-node') ? ['node'] : [], ['wasm', 'cpu'])
    : requested === 'cpu' ? ['cpu'] : [requested, ...(requested === 'wasm' ? [] : ['wasm']), 'cpu'];
  let lastErr = '';
  for (let i = 0; i < chain.length; i++) {
    const b = chain[i];
    try {
      if (b === 'wasm') await setWasm();
      else if (b === 'cpu') {
        await tf.setBackend('cpu');
        await tf.ready();
      } else await setNode(b === 'node-gpu');
      if (i > 0 && lastErr) notice(`backend '${chain[0]}' unavailable (${lastErr}); using '${tf.getBackend()}'`);
      return tf.getBackend();
    } catch (e) {
      lastErr = (e as Error).message ?? String(e);
      if (i === chain.length - 1) throw new Error(`no TF.js backend could be initialised: ${lastErr}`);
    }
  }
  return tf.getBackend();
}

function tryRequireResolve(mod: string): boolean {
  try {
    require.resolve(mod);
    return true;
  } catch {
    return false;
  }
}

/** Clears the recorded notices (tests). */
export function resetBackendNoticesForTests(): void {
  notices = [];
}
