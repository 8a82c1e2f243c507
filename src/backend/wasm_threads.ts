// Opt-in: multithreaded XNNPACK for the TF.js wasm backend under Node (EIGENOPT_WASM_THREADS=<n>).
// tfjs-backend-wasm 4.22 refuses threads in Node for three reasons, each worked around here only
// for the duration of the backend's initialisation:
//  1. the WASM_HAS_MULTITHREAD_SUPPORT flag returns false when IS_NODE: we set it to true;
//  2. the pthread worker script is handed to Emscripten as a Blob URL, which Node's worker_threads
//     cannot load, and the worker then loads the main script from a Blob the same way: we take the
//     worker script out of the installed bundle at run time, make it read the Blob asynchronously
//     (Blob.text()) and define the few bundle-scope names the factory refers to, write it to a file
//     in the temp directory and answer URL.createObjectURL for that Blob with the file's path;
//  3. the library sizes its pool from the logical core count (halved, for hyperthreads), which is 1
//     thread on a 2-core machine: os.cpus() reports at least 2n cores while it initialises.
// Everything is checked (patterns present, thread count reached); on any mismatch it throws and
// the caller keeps the single-threaded backend. The native kernels (native_kernels.ts) do the heavy
// ops with their own thread pool, so this mainly helps ops they do not cover.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

const BLOB_BRANCH = '{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}WasmBackendModuleThreadedSimd(Module)';
// The factory's source refers to these rollup bundle-scope names (see the tfjs bundle's header):
// the modules they hold, checked against the bundle and defined in the worker.
const BUNDLE_REQUIRES: Readonly<Record<string, string>> = { require$$0: 'fs', require$$1: 'path', require$$3: 'perf_hooks', require$$4: 'os' };
const BUNDLE_NAMES = Object.entries(BUNDLE_REQUIRES).map(([name, mod]) => `globalThis.${name}=require("${mod}");`).join('') +
  'globalThis.commonjsGlobal=globalThis;';
const ASYNC_BRANCH = `{e.data.urlOrBlob.text().then(t=>{${BUNDLE_NAMES}(0,eval)(t);WasmBackendModuleThreadedSimd(Module)});return}WasmBackendModuleThreadedSimd(Module)`;

/** Writes (once) the Node-loadable pthread worker script and returns its path. */
export function wasmWorkerScriptPath(): string {
  const bundlePath = require.resolve('@tensorflow/tfjs-backend-wasm');
  const bundle = fs.readFileSync(bundlePath, 'utf8');
  for (const [name, mod] of Object.entries(BUNDLE_REQUIRES))
    if (!bundle.includes(`var ${name} = require('${mod}');`)) throw new Error(`wasm threads: unexpected tfjs-backend-wasm bundle (${name})`);
  const m = /var wasmWorkerContents = ("(?:[^"\\]|\\.)*");/.exec(bundle);
  if (!m) throw new Error('wasm threads: worker script not found in the tfjs-backend-wasm bundle');
  let src: string;
  try {
    src = (JSON.parse(m[1]) as string).replace(/\n/g, '\\n'); // as the library does before making its Blob
  } catch {
    throw new Error('wasm threads: cannot read the worker script of the tfjs-backend-wasm bundle');
  }
  if (!src.includes(BLOB_BRANCH)) throw new Error('wasm threads: unexpected worker script in the tfjs-backend-wasm bundle');
  src = src.replace(BLOB_BRANCH, () => ASYNC_BRANCH);
  const hash = crypto.createHash('sha256').update(src).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `eigenopt-tfjs-wasm-worker-${hash}.js`);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== src) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, src);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * Prepares a multithreaded wasm backend with `threads` threads (2..64). Call before
 * tf.setBackend('wasm') initialises it; call the returned function right after initialisation
 * (success or not) to undo the temporary hooks, and then checkWasmThreads(threads).
 */
export function prepareWasmThreads(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 2 || threads > 64) throw new Error(`wasm threads: thread count must be an integer in [2, 64], got ${threads}`);
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('wasm threads: SharedArrayBuffer is not available');
  const file = wasmWorkerScriptPath();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasmMod = require('@tensorflow/tfjs-backend-wasm') as WasmModule;
  // The library calls require('os').cpus(): patch that module object (not an import wrapper).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const osMod = require('os') as { cpus: typeof os.cpus };
  const origUrl = URL.createObjectURL;
  const origCpus = osMod.cpus;
  URL.createObjectURL = ((obj: Blob) => (obj && obj.type === 'application/javascript' ? file : origUrl.call(URL, obj))) as typeof URL.createObjectURL;
  osMod.cpus = () => {
    const c = origCpus.call(osMod);
    const out = [...c];
    for (let i = 0; c.length > 0 && out.length < 2 * threads; i++) out.push(c[i % c.length]);
    return out;
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmMod.setThreadsCount(threads);
  return () => {
    URL.createObjectURL = origUrl;
    osMod.cpus = origCpus;
  };
}

interface PThreadPool { runningWorkers?: { unref?: () => void }[]; unusedWorkers?: { unref?: () => void }[] }

/**
 * After initialisation: lets the process exit although XNNPACK's pool threads live on (Emscripten
 * keeps a running pthread's worker referenced, so Node would never exit), and returns the thread
 * count in use; throws if it is not the requested one.
 */
export function checkWasmThreads(threads: number): number {
  const be = tf.findBackend('wasm') as unknown as { wasm?: { PThread?: PThreadPool } } | null;
  const pool = be?.wasm?.PThread;
  for (const w of [...(pool?.runningWorkers ?? []), ...(pool?.unusedWorkers ?? [])]) if (w && typeof w.unref === 'function') w.unref();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const got = (require('@tensorflow/tfjs-backend-wasm') as WasmModule).getThreadsCount();
  if (got !== threads) throw new Error(`wasm threads: asked for ${threads} threads, the backend uses ${got}`);
  return got;
}
