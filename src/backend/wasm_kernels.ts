// Closes gaps of the TF.js 4.22 wasm backend, using only the backend's own kernels:
//  - Conv2DBackpropFilter is missing (conv nets cannot be trained): registered here as
//    pad -> strided slices (im2col) -> concat -> transpose -> one fast matmul.
//  - BatchMatMul / _FusedMatMul with transposed operands take a ~10x slower path in the wasm
//    library: wrapped here to transpose explicitly (wasm Transpose kernel) and call the fast
//    non-transposed path.
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;
interface WasmBackendLike extends tf.KernelBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}
type KFunc = (args: { inputs: Record<string, Info>; backend: WasmBackendLike; attrs?: Record<string, unknown> }) => Info | Info[];

function kernel(name: string): KFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k.kernelFunc as unknown as KFunc;
}

function one(r: Info | Info[]): Info {
  return Array.isArray(r) ? r[0] : r;
}

let patched = false;
const originals: Record<string, tf.KernelConfig> = {};

/** Swap the last two axes using the wasm Transpose kernel. */
function transposeLast2(x: Info, backend: WasmBackendLike): Info {
  const r = x.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return one(kernel('Transpose')({ inputs: { x }, backend, attrs: { perm } }));
}

function wrapMatMul(name: 'BatchMatMul' | '_FusedMatMul'): void {
  const orig = tf.getKernel(name, 'wasm');
  if (!orig) return;
  originals[name] = orig;
  const origFunc = orig.kernelFunc as unknown as KFunc;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    ...orig,
    kernelFunc: ((args: { inputs: Record<string, Info>; backend: WasmBackendLike; attrs: Record<string, unknown> }) => {
      const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      if (!transposeA && !transposeB) return origFunc(args);
      const { a, b } = args.inputs;
      const tmp: Info[] = [];
      let aa = a, bb = b;
      if (transposeA) { aa = transposeLast2(a, args.backend); tmp.push(aa); }
      if (transposeB) { bb = transposeLast2(b, args.backend); tmp.push(bb); }
      const out = origFunc({ ...args, inputs: { ...args.inputs, a: aa, b: bb }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      for (const t of tmp) args.backend.disposeData(t.dataId);
      return out;
    }) as unknown as tf.KernelFunc,
  });
}

function conv2dBackpropFilter(args: { inputs: Record<string, Info>; backend: WasmBackendLike; attrs: Record<string, unknown> }): Info {
  const { x, dy } = args.inputs;
  const backend = args.backend;
  const attrs = args.attrs as { strides: [number, number] | number; pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding; dataFormat?: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const [kh, kw, cin, cout] = attrs.filterShape;
  const { top, bottom, left, right } = info.padInfo;
  const B = x.shape[0], H = x.shape[1], W = x.shape[2];
  const oh = info.outHeight, ow = info.outWidth, sh = info.strideHeight, sw = info.strideWidth;
  const tmp: Info[] = [];
  let xp = x;
  if (top || bottom || left || right) {
    xp = one(kernel('PadV2')({ inputs: { x }, backend, attrs: { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 } }));
    tmp.push(xp);
  }
  void H; void W;
  const cols: Info[] = [];
  for (let r = 0; r < kh; r++)
    for (let s = 0; s < kw; s++) {
      const sl = one(kernel('StridedSlice')({
        inputs: { x: xp }, backend,
        attrs: { begin: [0, r, s, 0], end: [B, r + (oh - 1) * sh + 1, s + (ow - 1) * sw + 1, cin], strides: [1, sh, sw, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 },
      }));
      cols.push(sl);
    }
  // im2col: [B, oh, ow, kh*kw*cin] with (r, s, c) order matching the filter layout
  const im = cols.length === 1 ? cols[0] : one(kernel('Concat')({ inputs: cols as unknown as Record<string, Info>, backend, attrs: { axis: 3 } }));
  if (cols.length > 1) tmp.push(...cols);
  const n = B * oh * ow;
  const im2 = one(kernel('Reshape')({ inputs: { x: im }, backend, attrs: { shape: [1, n, kh * kw * cin] } }));
  tmp.push(im, im2);
  const imT = transposeLast2(im2, backend); // [1, K, n]
  tmp.push(imT);
  const dy2 = one(kernel('Reshape')({ inputs: { x: dy }, backend, attrs: { shape: [1, n, cout] } }));
  tmp.push(dy2);
  const mm = one((originals.BatchMatMul ? (originals.BatchMatMul.kernelFunc as unknown as KFunc) : kernel('BatchMatMul'))({ inputs: { a: imT, b: dy2 }, backend, attrs: { transposeA: false, transposeB: false } }));
  const out = one(kernel('Reshape')({ inputs: { x: mm }, backend, attrs: { shape: [kh, kw, cin, cout] } }));
  backend.disposeData(mm.dataId);
  for (const t of tmp) if (t !== x) backend.disposeData(t.dataId);
  return out;
}

/** Registers the wasm fixes once (idempotent). Returns the list of patches applied. */
export function patchWasmBackend(): string[] {
  if (patched) return [];
  patched = true;
  const applied: string[] = [];
  // EIGENOPT_WASM_MATMUL_PATCH=0 keeps the stock matmul kernels (for measuring the patch).
  if (process.env.EIGENOPT_WASM_MATMUL_PATCH !== '0') {
    wrapMatMul('BatchMatMul');
    wrapMatMul('_FusedMatMul');
    applied.push('matmul-transpose');
  }
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc });
    applied.push('Conv2DBackpropFilter');
  }
  return applied;
}
