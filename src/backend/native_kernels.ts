// Native (C++ addon, native/nn) kernels for the TF.js wasm backend: Conv2D, FusedConv2D,
// Conv2DBackpropInput, Conv2DBackpropFilter, BatchMatMul and _FusedMatMul run as a packed,
// register-blocked SGEMM; Sum over consecutive float32 axes (bias gradients) is one native pass
// instead of the wasm kernel's transpose + reduce, and Add of a row vector ([..., N] + [N], the
// dense bias) one pass instead of the general broadcasting path; Softplus is vectorised (the wasm
// kernel computes log and exp per element), and the relu gradient is one kernel instead of Step, Cast
// and Multiply (registered as Relu's gradient); softArgmaxConv (SpIN's SpatialSoftArgmax) is one
// fused kernel for a 'same' convolution and the spatial soft-argmax after it, forward and filter
// gradient. The GEMM's micro-kernel (AVX-512 / AVX2 / portable) is chosen at run time and it runs
// on a small thread pool. All kernels read and write the tensors in place on the wasm heap.
// Anything they do not cover
// (dilations, NCHW, non-float32, other fused activations, PReLU weights, odd bias shapes, empty
// tensors) goes to the kernel that was registered before (the stock wasm kernel or the patch in
// wasm_kernels.ts). EIGENOPT_NATIVE_KERNELS=0 leaves the wasm kernels alone.
import * as tf from '@tensorflow/tfjs';
import { loadNative } from '../ale/native';
import { softArgmaxConvComposed, softArgmaxConvGradX } from './soft_argmax';

type Info = tf.TensorInfo;

/** The parts of the wasm backend (tfjs-backend-wasm 4.22 BackendWasm) used here. */
interface WasmData { id: number; memoryOffset: number; shape: number[]; dtype: tf.DataType; refCount?: number }
interface WasmBackend extends tf.KernelBackend {
  dataIdMap: { get(dataId: tf.DataId): WasmData | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  wasm: { HEAPF32: Float32Array; wasmMemory?: { buffer: ArrayBufferLike }; asm?: { memory?: { buffer: ArrayBufferLike } } };
}
interface KernelArgs { inputs: Record<string, Info | undefined>; backend: WasmBackend; attrs: Record<string, unknown> }
type KFunc = (args: KernelArgs) => Info | Info[];

/** The nn functions of the native addon (native/binding/nn_binding.cpp). */
export interface NativeNn {
  nnMatMul(heap: Float32Array, batch: number, M: number, N: number, K: number,
    aOff: number, aBatchStride: number, aRowStride: number, aColStride: number,
    bOff: number, bBatchStride: number, bRowStride: number, bColStride: number,
    cOff: number, biasOff: number, activation: number): void;
  nnConv2d(heap: Float32Array, shape: number[], xOff: number, wOff: number, biasOff: number, activation: number, yOff: number): void;
  nnConv2dBackpropInput(heap: Float32Array, shape: number[], dyOff: number, wOff: number, dxOff: number): void;
  nnConv2dBackpropFilter(heap: Float32Array, shape: number[], xOff: number, dyOff: number, dwOff: number): void;
  nnReduceSum(heap: Float32Array, outer: number, reduce: number, inner: number, xOff: number, yOff: number): void;
  nnAddRowVector(heap: Float32Array, rows: number, cols: number, xOff: number, vOff: number, yOff: number): void;
  nnPairEma(heap: Float32Array, k: number, R: number, C: number, srcOff: number, srcLen: number, si: number, sj: number, sr: number, sc: number,
    pairRows: number, scaleOff: number, avgOff: number, a: number, b: number, coefOff: number, outOff: number, gOff: number): void;
  nnSoftplus(heap: Float32Array, n: number, xOff: number, yOff: number): void;
  nnReluGrad(heap: Float32Array, n: number, dyOff: number, xOff: number, outOff: number): void;
  nnSoftArgmaxConv(heap: Float32Array, shape: number[], xOff: number, wOff: number, yOff: number): void;
  nnSoftArgmaxConvBackpropFilter(heap: Float32Array, shape: number[], xOff: number, wOff: number, dyOff: number, dwOff: number): void;
  nnInfo(): { isa: string; threads: number };
  nnSetThreads(n: number): number;
  nnSetIsa(name: string): boolean;
}

const ACT: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2 };
export const NATIVE_KERNEL_NAMES = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul', '_FusedMatMul', 'Sum', 'Add', 'Softplus'] as const;
type NativeKernelName = typeof NATIVE_KERNEL_NAMES[number];

let nn: NativeNn | undefined;
let patched = false;
let enabled = true;
const calls: Record<string, number> = {};
const fallbacks: Record<string, number> = {};

/** Loads the addon's nn functions; throws a clear Error when the addon is missing or too old. */
export function loadNativeNn(): NativeNn {
  if (nn) return nn;
  const mod = loadNative() as unknown as Partial<NativeNn>;
  if (typeof mod.nnConv2d !== 'function' || typeof mod.nnMatMul !== 'function' || typeof mod.nnConv2dBackpropInput !== 'function' ||
      typeof mod.nnConv2dBackpropFilter !== 'function' || typeof mod.nnReduceSum !== 'function' || typeof mod.nnAddRowVector !== 'function' || typeof mod.nnPairEma !== 'function' || typeof mod.nnSoftplus !== 'function' || typeof mod.nnReluGrad !== 'function' ||
      typeof mod.nnSoftArgmaxConv !== 'function' || typeof mod.nnSoftArgmaxConvBackpropFilter !== 'function' || typeof mod.nnInfo !== 'function')
    throw new Error('the native addon has no nn kernels (rebuild it: npx cmake-js compile --out build)');
  nn = mod as NativeNn;
  return nn;
}

/** Turns the native path on or off at run time (the kernels stay registered; off = delegate). */
export function setNativeKernelsEnabled(on: boolean): void {
  enabled = on;
}

export function nativeKernelsEnabled(): boolean {
  return patched && enabled;
}

/** How many times each kernel ran natively / was delegated since start (tests, profiling). */
export function nativeKernelStats(): { calls: Readonly<Record<string, number>>; fallbacks: Readonly<Record<string, number>> } {
  return { calls: { ...calls }, fallbacks: { ...fallbacks } };
}

/** The whole wasm heap as floats, read after outputs are allocated (memory may have grown). */
function heapOf(backend: WasmBackend): Float32Array {
  const w = backend.wasm;
  const mem = w.wasmMemory ?? w.asm?.memory;
  if (mem && mem.buffer.byteLength !== w.HEAPF32.buffer.byteLength) return new Float32Array(mem.buffer);
  return w.HEAPF32;
}

function offsetOf(backend: WasmBackend, t: Info): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d || d.memoryOffset == null || d.memoryOffset % 4 !== 0) return -1;
  return d.memoryOffset / 4;
}

function isF32(...ts: (Info | undefined)[]): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function dilationsOne(d: unknown): boolean {
  if (d == null) return true;
  if (typeof d === 'number') return d === 1;
  return Array.isArray(d) && d.every((v) => v === 1);
}

function nhwc(fmt: unknown): boolean {
  return fmt == null || fmt === 'NHWC' || fmt === 'channelsLast';
}

/** [B,H,W,Cin,kh,kw,Cout,sh,sw,pt,pl,oh,ow] from a Conv2DInfo. */
function convShape(ci: tf.backend_util.Conv2DInfo): number[] {
  return [ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.filterHeight, ci.filterWidth, ci.outChannels,
    ci.strideHeight, ci.strideWidth, ci.padInfo.top, ci.padInfo.left, ci.outHeight, ci.outWidth];
}

/** The Conv2DInfo of a conv kernel's attributes for input / filter shapes, or null when the native kernels do not cover it. */
function convInfo(a: Record<string, unknown>, xShape: number[], fShape: number[]): tf.backend_util.Conv2DInfo | null {
  if (!nhwc(a.dataFormat) || !dilationsOne(a.dilations)) return null;
  const ci = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], fShape as [number, number, number, number],
    a.strides as [number, number] | number, 1, a.pad as 'same', a.dimRoundingMode as 'floor' | undefined, false, 'channelsLast');
  const ok = ci.dilationHeight === 1 && ci.dilationWidth === 1 && ci.dataFormat === 'channelsLast' &&
    ci.padInfo.top >= 0 && ci.padInfo.left >= 0 && [ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.outChannels, ci.outHeight, ci.outWidth].every((v) => v > 0);
  return ok ? ci : null;
}

/** Bias usable natively: undefined, or N values shaped [N] / [1, ..., 1, N]. */
function biasOk(bias: Info | undefined, n: number): boolean {
  if (!bias) return true;
  const s = bias.shape;
  return s.length >= 1 && s[s.length - 1] === n && sizeOf(s) === n;
}

/**
 * Allocates a float32 output, lets `run` fill it in place (given the heap, read after the
 * allocation since memory may grow, and the output's offset) and frees it again if `run` throws.
 */
function runNative(be: WasmBackend, shape: number[], run: (heap: Float32Array, outOff: number) => void): Info {
  const out = be.makeOutput(shape, 'float32');
  try {
    run(heapOf(be), offsetOf(be, out));
  } catch (e) {
    be.disposeData(out.dataId);
    throw e;
  }
  return out;
}

/** Native code of a fused kernel's activation, or null when it is not covered (PReLU, others). */
function fusedActivation(args: KernelArgs): number | null {
  if (args.inputs.preluActivationWeights) return null;
  const name = (args.attrs.activation as string | undefined) ?? 'linear';
  return name in ACT ? ACT[name] : null;
}

// ---- kernels: each returns null when the case is not covered (the caller then delegates) ----

function conv2dNative(args: KernelArgs, fused: boolean): Info | null {
  const { x, filter, bias } = args.inputs;
  const a = args.attrs;
  if (!x || !filter || x.shape.length !== 4 || filter.shape.length !== 4 || !isF32(x, filter, bias)) return null;
  const act = fused ? fusedActivation(args) : 0;
  if (act === null || (fused && bias && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3]))) return null;
  const ci = convInfo(a, x.shape, filter.shape);
  if (!ci || sizeOf(filter.shape) === 0) return null;
  const b = args.backend;
  const xo = offsetOf(b, x), wo = offsetOf(b, filter), bo = fused && bias ? offsetOf(b, bias) : -1;
  if (xo < 0 || wo < 0 || (fused && bias && bo < 0)) return null;
  return runNative(b, ci.outShape, (heap, outOff) => nn!.nnConv2d(heap, convShape(ci), xo, wo, bo, act, outOff));
}

function conv2dBackpropInputNative(args: KernelArgs): Info | null {
  const { dy, filter } = args.inputs;
  const a = args.attrs;
  if (!dy || !filter || dy.shape.length !== 4 || filter.shape.length !== 4 || !isF32(dy, filter)) return null;
  const inShape = a.inputShape as [number, number, number, number];
  if (!Array.isArray(inShape) || inShape.length !== 4) return null;
  const ci = convInfo(a, inShape, filter.shape);
  if (!ci || sizeOf(filter.shape) === 0) return null;
  if (ci.outShape.some((v, i) => v !== dy.shape[i])) return null;
  const b = args.backend;
  const dyo = offsetOf(b, dy), wo = offsetOf(b, filter);
  if (dyo < 0 || wo < 0) return null;
  return runNative(b, [...inShape], (heap, outOff) => nn!.nnConv2dBackpropInput(heap, convShape(ci), dyo, wo, outOff));
}

function conv2dBackpropFilterNative(args: KernelArgs): Info | null {
  const { x, dy } = args.inputs;
  const a = args.attrs;
  if (!x || !dy || x.shape.length !== 4 || dy.shape.length !== 4 || !isF32(x, dy)) return null;
  const fShape = a.filterShape as [number, number, number, number];
  if (!Array.isArray(fShape) || fShape.length !== 4 || sizeOf(fShape) === 0) return null;
  const ci = convInfo(a, x.shape, fShape);
  if (!ci) return null;
  if (ci.outShape.some((v, i) => v !== dy.shape[i])) return null;
  const b = args.backend;
  const xo = offsetOf(b, x), dyo = offsetOf(b, dy);
  if (xo < 0 || dyo < 0) return null;
  return runNative(b, [...fShape], (heap, outOff) => nn!.nnConv2dBackpropFilter(heap, convShape(ci), xo, dyo, outOff));
}

function matMulNative(args: KernelArgs, fused: boolean): Info | null {
  const { a, b: bt, bias } = args.inputs;
  const at = args.attrs;
  if (!a || !bt || a.shape.length < 2 || bt.shape.length < 2 || !isF32(a, bt, bias)) return null;
  const ta = !!at.transposeA, tb = !!at.transposeB;
  const ra = a.shape.length, rb = bt.shape.length;
  const M = ta ? a.shape[ra - 1] : a.shape[ra - 2], Ka = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = tb ? bt.shape[rb - 1] : bt.shape[rb - 2], N = tb ? bt.shape[rb - 2] : bt.shape[rb - 1];
  if (Ka !== Kb || M === 0 || N === 0 || Ka === 0) return null;
  // A few rows against a wide B (e.g. SpIN's [1, 55] x [55, |theta|]): packing B costs more than
  // the product; the stock XNNPACK kernel streams it 2-4x faster (measured), so delegate.
  if (M <= 4 && !tb && N >= 4096) return null;
  const outerA = a.shape.slice(0, -2), outerB = bt.shape.slice(0, -2);
  const batchA = sizeOf(outerA), batchB = sizeOf(outerB);
  const sameOuter = outerA.length === outerB.length && outerA.every((v, i) => v === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null;
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  const batch = Math.max(batchA, batchB);
  if (sizeOf(outer) !== batch) return null;
  const act = fused ? fusedActivation(args) : 0;
  if (act === null || (fused && !biasOk(bias, N))) return null;
  const be = args.backend;
  const ao = offsetOf(be, a), bo = offsetOf(be, bt), biasO = fused && bias ? offsetOf(be, bias) : -1;
  if (ao < 0 || bo < 0 || (fused && bias && biasO < 0)) return null;
  const K = Ka;
  // A(i, k): row-major [M, K] (stride K, 1) or transposed storage [K, M] (stride 1, M).
  const aRs = ta ? 1 : K, aCs = ta ? M : 1, bRs = tb ? 1 : N, bCs = tb ? K : 1;
  return runNative(be, [...outer, M, N], (heap, outOff) => nn!.nnMatMul(heap, batch, M, N, K, ao, batchA === 1 ? 0 : M * K, aRs, aCs,
    bo, batchB === 1 ? 0 : K * N, bRs, bCs, outOff, biasO, act));
}

/** Sum of float32 over consecutive axes (e.g. bias gradients [batch, units] -> [units]). */
function sumNative(args: KernelArgs): Info | null {
  const { x } = args.inputs;
  if (!x || x.dtype !== 'float32' || x.shape.length === 0) return null;
  const shape = x.shape;
  let axes: number[];
  try {
    axes = [...new Set(tf.util.parseAxisParam(args.attrs.axis as number | number[], shape))].sort((p, q) => p - q);
  } catch {
    return null;
  }
  if (axes.length === 0 || sizeOf(shape) === 0) return null;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  const a0 = axes[0], a1 = axes[axes.length - 1];
  const outer = sizeOf(shape.slice(0, a0)), reduce = sizeOf(shape.slice(a0, a1 + 1)), inner = sizeOf(shape.slice(a1 + 1));
  const outShape = args.attrs.keepDims ? shape.map((d, i) => (i >= a0 && i <= a1 ? 1 : d)) : shape.filter((_, i) => i < a0 || i > a1);
  const b = args.backend;
  const xo = offsetOf(b, x);
  if (xo < 0) return null;
  return runNative(b, outShape, (heap, outOff) => nn!.nnReduceSum(heap, outer, reduce, inner, xo, outOff));
}

/** float32 [..., N] + [N] (either order): the dense-layer bias add, which the wasm kernel runs
 *  through its general broadcasting path (~10x slower than a same-shape add). */
function addNative(args: KernelArgs): Info | null {
  const { a, b } = args.inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [m, v] = b.shape.length === 1 && a.shape.length >= 2 ? [a, b] : a.shape.length === 1 && b.shape.length >= 2 ? [b, a] : [null, null];
  if (!m || !v) return null;
  const cols = m.shape[m.shape.length - 1];
  if (v.shape[0] !== cols || cols === 0) return null;
  const rows = sizeOf(m.shape) / cols;
  if (rows === 0) return null;
  const be = args.backend;
  const mo = offsetOf(be, m), vo = offsetOf(be, v);
  if (mo < 0 || vo < 0) return null;
  return runNative(be, m.shape.slice(), (heap, outOff) => nn!.nnAddRowVector(heap, rows, cols, mo, vo, outOff));
}

/** float32 softplus: the wasm kernel evaluates log(1 + exp(x)) one element at a time (~14 ns each). */
function softplusNative(args: KernelArgs): Info | null {
  const { x } = args.inputs;
  if (!x || x.dtype !== 'float32' || sizeOf(x.shape) === 0) return null;
  const be = args.backend;
  const xo = offsetOf(be, x);
  if (xo < 0) return null;
  return runNative(be, x.shape.slice(), (heap, outOff) => nn!.nnSoftplus(heap, sizeOf(x.shape), xo, outOff));
}

const IMPL: Readonly<Record<NativeKernelName, (args: KernelArgs) => Info | null>> = {
  Conv2D: (x) => conv2dNative(x, false),
  FusedConv2D: (x) => conv2dNative(x, true),
  Conv2DBackpropInput: conv2dBackpropInputNative,
  Conv2DBackpropFilter: conv2dBackpropFilterNative,
  BatchMatMul: (x) => matMulNative(x, false),
  _FusedMatMul: (x) => matMulNative(x, true),
  Sum: sumNative,
  Add: addNative,
  Softplus: softplusNative,
};

/**
 * Where the pair blocks V_ij [R, C] (0 <= i <= j < k) of a Jacobian live in `src`: element (r, c) of
 * V_ij is src[i*si + j*sj + r*sr + c*sc], or with pairRows src[pair*si + r*sr + c*sc] (pair =
 * index of (i, j) in the order (0,0), (0,1), ..., (k-1,k-1)); with `scale` ([C, k]) it is further
 * multiplied by scale[c, j].
 */
export interface PairSource {
  src: tf.Tensor;
  k: number;
  R: number;
  C: number;
  si: number;
  sj: number;
  sr: number;
  sc: number;
  pairRows?: boolean;
  scale?: tf.Tensor;
}

const PAIR_EMA = 'EigenoptPairEma';
function pairEmaNative(args: KernelArgs): Info[] {
  const { src, avg, scale, coef } = args.inputs as { src: Info; avg?: Info; scale?: Info; coef?: Info };
  const at = args.attrs as { k: number; R: number; C: number; si: number; sj: number; sr: number; sc: number; pairRows: boolean; a: number; b: number; inPlace: boolean };
  const be = args.backend;
  const np = (at.k * (at.k + 1)) / 2;
  // in place: the average is overwritten and only g is returned (see pairEma)
  const out = at.inPlace ? null : be.makeOutput([np, at.R * at.C], 'float32');
  const g = coef ? be.makeOutput([at.R * at.C], 'float32') : null;
  try {
    const off = (t: Info | undefined) => (t ? offsetOf(be, t) : -1);
    nn!.nnPairEma(heapOf(be), at.k, at.R, at.C, offsetOf(be, src), sizeOf(src.shape), at.si, at.sj, at.sr, at.sc, at.pairRows ? 1 : 0,
      off(scale), off(avg), at.a, at.b, off(coef), out ? offsetOf(be, out) : off(avg), g ? offsetOf(be, g) : -1);
  } catch (e) {
    if (out) be.disposeData(out.dataId);
    if (g) be.disposeData(g.dataId);
    throw e;
  }
  return [out, g].filter((t): t is Info => t !== null);
}

/**
 * The moving average of pair Jacobians in one pass: returns avg' = a * avg + b * V (rows pair(i, j),
 * [k(k+1)/2, R*C]; avg null counts as zeros) and, when `coef` (k(k+1)/2 values) is given,
 * g = sum over pairs of coef[pair] * avg'[pair] ([R*C]). Native (one pass over memory, no gathered
 * pair rows) with the native kernels on the wasm backend; elsewhere the same sums in JavaScript.
 * With `inPlace` (and coef), the native path writes avg' over avg's own memory and returns avg
 * itself (no second copy of a large average): only for an average that no one else holds (the
 * caller's private state; refused, i.e. copied, when its buffer is shared with another tensor).
 * Otherwise avg' is a new tensor and avg is left as it was.
 */
export function pairEma(s: PairSource, avg: tf.Tensor | null, a: number, b: number, coef: Float32Array | null, inPlace = false): { avg: tf.Tensor2D; g: tf.Tensor1D | null } {
  const { k, R, C, si, sj, sr, sc } = s;
  for (const [name, v] of [['k', k], ['R', R], ['C', C]] as [string, number][]) if (!Number.isInteger(v) || v < 1) throw new Error(`pairEma: ${name} must be a positive integer, got ${v}`);
  for (const [name, v] of [['si', si], ['sj', sj], ['sr', sr], ['sc', sc]] as [string, number][]) if (!Number.isInteger(v) || v < 0) throw new Error(`pairEma: stride ${name} must be a non-negative integer, got ${v}`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`pairEma: coefficients must be finite, got ${a}, ${b}`);
  const np = (k * (k + 1)) / 2;
  const span = 1 + (s.pairRows ? (np - 1) * si : (k - 1) * (si + sj)) + (R - 1) * sr + (C - 1) * sc;
  if (span > s.src.size) throw new Error(`pairEma: the strides reach element ${span - 1} of a source of ${s.src.size}`);
  if (avg && (avg.rank !== 2 || avg.shape[0] !== np || avg.shape[1] !== R * C)) throw new Error(`pairEma: avg must be [${np}, ${R * C}], got [${avg.shape}]`);
  if (s.scale && s.scale.size !== C * k) throw new Error(`pairEma: scale must hold ${C}x${k} values, got ${s.scale.size}`);
  if (coef && coef.length !== np) throw new Error(`pairEma: coef must hold ${np} values, got ${coef.length}`);
  const all = [s.src, avg, s.scale].filter((t): t is tf.Tensor => !!t);
  if (nativeKernelsEnabled() && tf.getBackend() === 'wasm' && all.every((t) => t.dtype === 'float32')) {
    const cf = coef ? tf.tensor1d(coef) : undefined;
    try {
      const inputs: Record<string, tf.Tensor> = { src: s.src };
      if (avg) inputs.avg = avg;
      if (s.scale) inputs.scale = s.scale;
      if (cf) inputs.coef = cf;
      const sole = avg !== null && coef !== null && inPlace && (tf.backend() as WasmBackend).dataIdMap.get(avg.dataId)?.refCount === 1;
      const r = tf.engine().runKernel(PAIR_EMA, inputs as unknown as tf.NamedTensorMap,
        { k, R, C, si, sj, sr, sc, pairRows: !!s.pairRows, a, b, inPlace: sole } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
      if (sole) return { avg: avg as tf.Tensor2D, g: r[0] as tf.Tensor1D };
      return { avg: r[0] as tf.Tensor2D, g: coef ? (r[1] as tf.Tensor1D) : null };
    } finally {
      cf?.dispose();
    }
  }
  const v = s.src.dataSync() as Float32Array;
  const av = avg ? (avg.dataSync() as Float32Array) : null;
  const scl = s.scale ? (s.scale.dataSync() as Float32Array) : null;
  const rc = R * C;
  const out = new Float32Array(np * rc);
  const g = coef ? new Float32Array(rc) : null;
  let pair = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++, pair++) {
    const base = s.pairRows ? pair * si : i * si + j * sj;
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
      let x = v[base + r * sr + c * sc];
      if (scl) x *= scl[c * k + j];
      const o = pair * rc + r * C + c;
      out[o] = (av ? a * av[o] : 0) + b * x;
      if (g && coef) g[r * C + c] += coef[pair] * out[o];
    }
  }
  return { avg: tf.tensor2d(out, [np, rc]), g: g ? tf.tensor1d(g) : null };
}

/** Custom kernel behind the relu gradient: dy * step(x) in one pass (TF's gradient is Step, Cast and Multiply). */
const RELU_GRAD = 'EigenoptReluGrad';
function reluGradNative(args: KernelArgs): Info {
  const { dy, x } = args.inputs as { dy: Info; x: Info };
  const be = args.backend;
  return runNative(be, x.shape.slice(), (heap, outOff) => nn!.nnReluGrad(heap, sizeOf(x.shape), offsetOf(be, dy), offsetOf(be, x), outOff));
}

/** dy * step(x) (the gradient of relu at x): one native kernel on wasm with the native kernels on, else TF's own expression. */
function reluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (nativeKernelsEnabled() && tf.getBackend() === 'wasm' && dy.dtype === 'float32' && x.dtype === 'float32' && x.size > 0 && dy.shape.join() === x.shape.join())
    return tf.engine().runKernel(RELU_GRAD, { dy, x } as unknown as tf.NamedTensorMap, {}) as tf.Tensor;
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/** Custom kernels of the spatial soft-argmax of a stride-1 'same' convolution (softArgmaxConv). */
const SOFT_ARGMAX_CONV = 'EigenoptSoftArgmaxConv';
const SOFT_ARGMAX_CONV_FILTER = 'EigenoptSoftArgmaxConvBackpropFilter';

/** [B, H, W, Cin, kh, kw, F] of x [B, H, W, Cin] and filter [kh, kw, Cin, F]. */
function softArgmaxShape(x: Info, filter: Info): number[] {
  const [B, H, W, Cin] = x.shape;
  const [kh, kw, , F] = filter.shape;
  return [B, H, W, Cin, kh, kw, F];
}

function softArgmaxConvNative(args: KernelArgs): Info {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const be = args.backend;
  calls[SOFT_ARGMAX_CONV] = (calls[SOFT_ARGMAX_CONV] ?? 0) + 1;
  return runNative(be, [x.shape[0], 2 * filter.shape[3]], (heap, outOff) =>
    nn!.nnSoftArgmaxConv(heap, softArgmaxShape(x, filter), offsetOf(be, x), offsetOf(be, filter), outOff));
}

function softArgmaxConvFilterNative(args: KernelArgs): Info {
  const { x, filter, dy } = args.inputs as { x: Info; filter: Info; dy: Info };
  const be = args.backend;
  calls[SOFT_ARGMAX_CONV_FILTER] = (calls[SOFT_ARGMAX_CONV_FILTER] ?? 0) + 1;
  return runNative(be, filter.shape.slice(), (heap, outOff) =>
    nn!.nnSoftArgmaxConvBackpropFilter(heap, softArgmaxShape(x, filter), offsetOf(be, x), offsetOf(be, filter), offsetOf(be, dy), outOff));
}

/**
 * [B, 2F]: for each filter f the expected (row, column) (scaled to [-1, 1], see pixelCoordinates)
 * under the softmax over the pixels of the stride-1 'same' convolution (no bias) of x
 * [B, H, W, Cin] with filter [kh, kw, Cin, F]; outputs ordered (row_1, col_1, row_2, ...). With
 * the native kernels on the wasm backend (float32) one fused kernel (the logits never stored; the
 * filter gradient natively, the image gradient by TF ops); elsewhere softArgmaxConvComposed (TF ops).
 */
export function softArgmaxConv(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor2D {
  if (x.rank !== 4 || filter.rank !== 4 || filter.shape[2] !== x.shape[3])
    throw new Error(`softArgmaxConv: x must be [B, H, W, C] and filter [kh, kw, C, F], got [${x.shape}] and [${filter.shape}]`);
  if (nativeKernelsEnabled() && tf.getBackend() === 'wasm' && x.dtype === 'float32' && filter.dtype === 'float32' && x.size > 0 && filter.size > 0)
    return tf.engine().runKernel(SOFT_ARGMAX_CONV, { x, filter } as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
  return softArgmaxConvComposed(x, filter);
}

/**
 * Registers the native kernels on the 'wasm' backend, each delegating to the previously registered
 * kernel for cases it does not cover. Idempotent; returns the kernel names patched (empty when
 * EIGENOPT_NATIVE_KERNELS=0 or already patched). Throws when the addon cannot be loaded (the
 * caller reports it and keeps the wasm kernels). Call after patchWasmBackend().
 */
export function patchWasmNativeKernels(): string[] {
  if (patched) return [];
  if (process.env.EIGENOPT_NATIVE_KERNELS === '0') return [];
  loadNativeNn();
  patched = true;
  const applied: string[] = [];
  for (const name of NATIVE_KERNEL_NAMES) {
    const prev = tf.getKernel(name, 'wasm');
    const prevFunc = prev ? (prev.kernelFunc as unknown as KFunc) : undefined;
    const impl = IMPL[name];
    calls[name] = 0;
    fallbacks[name] = 0;
    const kernelFunc = (args: KernelArgs): Info | Info[] => {
      if (enabled) {
        const r = impl(args);
        if (r) {
          calls[name]++;
          return r;
        }
      }
      if (!prevFunc) throw new Error(`wasm backend: ${name} is not supported for these inputs`);
      fallbacks[name]++;
      return prevFunc(args);
    };
    if (prev) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...(prev ?? {}), kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    applied.push(name);
  }
  if (!tf.getKernel(PAIR_EMA, 'wasm')) tf.registerKernel({ kernelName: PAIR_EMA, backendName: 'wasm', kernelFunc: pairEmaNative as unknown as tf.KernelFunc });
  if (!tf.getKernel(RELU_GRAD, 'wasm')) {
    tf.registerKernel({ kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGradNative as unknown as tf.KernelFunc });
    // its own gradient (second derivatives through relu): d/d dy = step(x), d/dx = 0
    tf.registerGradient({ kernelName: RELU_GRAD, inputsToSave: ['x'], gradFunc: (g: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ dy: () => reluGrad(g as tf.Tensor, saved[0]), x: () => tf.zerosLike(saved[0]) }) });
    // the relu gradient as one kernel on every backend (the same values as TF's Step * Cast * Multiply)
    tf.registerGradient({ kernelName: 'Relu', inputsToSave: ['x'], gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ x: () => reluGrad(dy as tf.Tensor, saved[0]) }) });
  }
  if (!tf.getKernel(SOFT_ARGMAX_CONV, 'wasm')) {
    tf.registerKernel({ kernelName: SOFT_ARGMAX_CONV, backendName: 'wasm', kernelFunc: softArgmaxConvNative as unknown as tf.KernelFunc });
    tf.registerKernel({ kernelName: SOFT_ARGMAX_CONV_FILTER, backendName: 'wasm', kernelFunc: softArgmaxConvFilterNative as unknown as tf.KernelFunc });
    // filter: the native kernel; x: TF ops, evaluated only when the image is differentiated
    tf.registerGradient({
      kernelName: SOFT_ARGMAX_CONV, inputsToSave: ['x', 'filter'],
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
        return {
          x: () => softArgmaxConvGradX(x, filter, dy as tf.Tensor2D),
          filter: () => tf.engine().runKernel(SOFT_ARGMAX_CONV_FILTER, { x, filter, dy: dy as tf.Tensor } as unknown as tf.NamedTensorMap, {}) as tf.Tensor,
        };
      },
    });
  }
  return applied;
}
