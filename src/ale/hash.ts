// Small deterministic helpers used with the golden traces (../shared/conformance/README.md).
import { Rng } from '../rng';

/** 64-bit FNV-1a of `data`, as 16 lowercase hex digits. */
export function fnv1a64Hex(data: Uint8Array): string {
  // Two 32-bit halves; prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < data.length; i++) {
    lo = (lo ^ data[i]) >>> 0;
    // (hi:lo) * 0x1b3 + ((lo << 40) as the hi part)  (mod 2^64)
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    const newHi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    hi = newHi;
    lo = newLo;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * The traces' action PRNG: xorshift32 (13/17/5) started from seed XOR 0x9E3779B9, the library's
 * Rng.xorshift32 stream (src/rng.ts); `next()` is its nextU32().
 */
export class XorShift32 {
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = Rng.xorshift32(seed);
  }

  next(): number {
    return this.rng.nextU32();
  }
}
