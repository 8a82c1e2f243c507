// NumPy .npy (format version 1.0) and .npz (a zip of .npy members) reading and writing.
//
// .npy layout: the magic string "\x93NUMPY", major version 1, minor version 0, a little-endian
// uint16 header length, then an ASCII header: a Python dict literal with keys 'descr',
// 'fortran_order' and 'shape', padded with spaces and ended by '\n' so that the data starts at a
// multiple of 64 bytes. Headers are byte-identical to numpy.save's (which also leaves room for the
// first dimension to grow).
// The data follows in C order.
import * as fs from 'fs';
import { unzipSync, zipSync } from 'fflate';

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'uint32';

const DESCR: Record<NpyDtype, string> = {
  float32: '<f4',
  float64: '<f8',
  int32: '<i4',
  uint8: '|u1',
  int8: '|i1',
  int16: '<i2',
  uint16: '<u2',
  uint32: '<u4',
};

export type NpyData = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint32Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  throw new Error('npy: unsupported array type');
}

function shapeLiteral(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** The full .npy header (magic, version, length, padded dict) for a C-order array. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`npy: invalid dimension ${d} in shape [${shape.join(', ')}]`);
  }
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  // Like numpy.save: room for the first dimension to grow to 21 digits, then spaces up to the
  // 64-byte boundary (a full 64 when already aligned), then '\n'.
  const growth = shape.length > 0 ? Math.max(0, 21 - String(shape[0]).length) : 0;
  const preamble = 10; // magic(6) + version(2) + header length(2)
  const hlen = dict.length + growth + 1;
  const pad = 64 - ((preamble + hlen) % 64);
  const headerLen = hlen + pad;
  if (headerLen > 65535) throw new Error('npy: header too long for format version 1.0');
  const text = dict + ' '.repeat(growth + pad) + '\n';
  const total = preamble + headerLen;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  for (let i = 0; i < text.length; i++) out[preamble + i] = text.charCodeAt(i);
  return out;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes an array as .npy bytes. `shape` defaults to [data.length]. */
export function encodeNpy(data: NpyData, shape: readonly number[] = [data.length]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values but data has ${data.length}`);
  if (!littleEndian) throw new Error('npy: big-endian hosts are not supported');
  const header = npyHeader(dtypeOf(data), shape);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

export function writeNpy(file: string, data: NpyData, shape?: readonly number[]): void {
  fs.writeFileSync(file, encodeNpy(data, shape));
}

/** Decodes .npy bytes (versions 1.0, 2.0, 3.0; little-endian or byte-sized types; C order). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw new Error('npy: not a .npy file (bad magic string)');
  const major = bytes[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error('npy: truncated header');
    headerLen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0;
    start = 12;
  } else {
    throw new Error(`npy: unsupported format version ${major}.${bytes[7]}`);
  }
  if (start + headerLen > bytes.length) throw new Error('npy: truncated header');
  let header = '';
  for (let i = start; i < start + headerLen; i++) header += String.fromCharCode(bytes[i]);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) throw new Error(`npy: malformed header ${JSON.stringify(header)}`);
  if (fortran[1] === 'True') throw new Error('npy: Fortran-order arrays are not supported');
  const shape = shapeM[1]
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
    .map((x) => {
      const v = Number(x.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new Error(`npy: bad dimension ${x}`);
      return v;
    });
  const entry = (Object.entries(DESCR) as [NpyDtype, string][]).find(
    ([, d]) => d === descr[1] || (d[0] === '|' && descr[1] === `<${d.slice(1)}`),
  );
  if (!entry) throw new Error(`npy: unsupported dtype ${descr[1]}`);
  const dtype = entry[0];
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const ctor = {
    float32: Float32Array,
    float64: Float64Array,
    int32: Int32Array,
    uint8: Uint8Array,
    int8: Int8Array,
    int16: Int16Array,
    uint16: Uint16Array,
    uint32: Uint32Array,
  }[dtype];
  const nbytes = count * ctor.BYTES_PER_ELEMENT;
  if (dataStart + nbytes > bytes.length) throw new Error(`npy: file holds less data than shape [${shape.join(', ')}] needs`);
  const copy = bytes.slice(dataStart, dataStart + nbytes);
  const data = new ctor(copy.buffer, copy.byteOffset, count);
  return { dtype, shape, data };
}

export function readNpy(file: string): NpyArray {
  return decodeNpy(new Uint8Array(fs.readFileSync(file)));
}

export interface NpzEntry {
  data: NpyData;
  shape?: readonly number[];
}

/** Encodes named arrays as an .npz (zip of `<name>.npy`, deflated when `compress`). */
export function encodeNpz(arrays: Record<string, NpzEntry>, compress = false): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`npz: invalid array name ${JSON.stringify(name)}`);
    files[`${name}.npy`] = encodeNpy(a.data, a.shape);
  }
  return zipSync(files, { level: compress ? 6 : 0 });
}

export function writeNpz(file: string, arrays: Record<string, NpzEntry>, compress = false): void {
  fs.writeFileSync(file, encodeNpz(arrays, compress));
}

export function decodeNpz(bytes: Uint8Array): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new Error(`npz: not a valid zip archive (${(err as Error).message})`);
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, b] of Object.entries(files)) out[name.replace(/\.npy$/, '')] = decodeNpy(b);
  return out;
}

export function readNpz(file: string): Record<string, NpyArray> {
  return decodeNpz(new Uint8Array(fs.readFileSync(file)));
}
