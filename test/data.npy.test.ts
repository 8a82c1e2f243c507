import { expect } from 'chai';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz, npyHeader, readNpy, writeNpy, writeNpz } from '../src/data';

function hasNumpy(): boolean {
  const r = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Header bytes spelled out from the format description (NEP 1, version 1.0). */
function specHeader(dict: string, totalLen: number): Buffer {
  const headerLen = totalLen - 10;
  const body = dict.padEnd(headerLen - 1, ' ') + '\n';
  return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, headerLen & 0xff, headerLen >> 8]), Buffer.from(body, 'latin1')]);
}

describe('NPY/NPZ I/O', () => {
  it('writes the version 1.0 header byte for byte', () => {
    const h = npyHeader('float32', [104, 8]);
    expect(h.length % 64).to.equal(0);
    expect(Buffer.from(h).equals(specHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (104, 8), }", 128))).to.equal(true);
    expect(Buffer.from(npyHeader('float64', [8])).equals(specHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }", 128))).to.equal(true);
    expect(Buffer.from(npyHeader('float32', [])).equals(specHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 128))).to.equal(true);
    expect(Buffer.from(npyHeader('uint8', [2, 3, 4])).toString('latin1', 10)).to.match(/^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 3, 4\), \} +\n$/);
    expect(() => npyHeader('float32', [2.5])).to.throw(/invalid dimension/);
  });

  it('round-trips arrays through encode/decode and files', () => {
    const a = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 3);
    const back = decodeNpy(encodeNpy(a, [3, 4]));
    expect(back.dtype).to.equal('float32');
    expect(back.shape).to.deep.equal([3, 4]);
    expect(Array.from(back.data)).to.deep.equal(Array.from(a));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    const f = path.join(dir, 'x.npy');
    writeNpy(f, Int32Array.from([1, -2, 3]));
    const r = readNpy(f);
    expect(r.shape).to.deep.equal([3]);
    expect(Array.from(r.data)).to.deep.equal([1, -2, 3]);
    const z = decodeNpz(encodeNpz({ a: { data: a, shape: [3, 4] }, b: { data: Float64Array.from([1.5]) } }, true));
    expect(Object.keys(z).sort()).to.deep.equal(['a', 'b']);
    expect(Array.from(z.a.data)).to.deep.equal(Array.from(a));
    expect(z.b.dtype).to.equal('float64');
    fs.rmSync(dir, { recursive: true });
  });

  it('rejects bad input with clear errors', () => {
    expect(() => encodeNpy(Float32Array.from([1, 2, 3]), [2, 2])).to.throw(/holds 4 values/);
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3]))).to.throw(/magic/);
    const good = encodeNpy(Float32Array.from([1, 2, 3, 4]));
    expect(() => decodeNpy(good.slice(0, good.length - 2))).to.throw(/less data/);
    expect(() => decodeNpz(Uint8Array.from([1, 2, 3, 4]))).to.throw(/npz/);
  });

  it('numpy.load reads our files and numpy.save writes byte-identical ones', function () {
    if (!hasNumpy()) this.skip(); // only when python3 has no numpy
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    const a = Float32Array.from({ length: 104 * 8 }, (_, i) => Math.sin(i) * 1e3);
    writeNpy(path.join(dir, 'a.npy'), a, [104, 8]);
    writeNpy(path.join(dir, 'b.npy'), Float64Array.from([0.1, -2, 3e300]));
    writeNpy(path.join(dir, 'c.npy'), Uint8Array.from([0, 255, 7, 9, 1, 2]), [2, 3, 1]);
    writeNpz(path.join(dir, 'd.npz'), { e: { data: a, shape: [104, 8] }, v: { data: Float64Array.from([1, 2]) } });
    const script = `
import numpy as np, sys, os
d = sys.argv[1]
a = np.load(os.path.join(d, 'a.npy'))
assert a.dtype == np.float32 and a.shape == (104, 8), (a.dtype, a.shape)
ref = (np.sin(np.arange(104 * 8)) * 1e3).astype(np.float32).reshape(104, 8)
assert np.array_equal(a, ref)
b = np.load(os.path.join(d, 'b.npy'))
assert b.dtype == np.float64 and list(b) == [0.1, -2, 3e300]
c = np.load(os.path.join(d, 'c.npy'))
assert c.dtype == np.uint8 and c.shape == (2, 3, 1) and c[0, 1, 0] == 255
z = np.load(os.path.join(d, 'd.npz'))
assert sorted(z.files) == ['e', 'v'] and np.array_equal(z['e'], ref)
for name, arr in [('a', a), ('b', b), ('c', c)]:
    np.save(os.path.join(d, name + '_np.npy'), arr)
print('ok')
`;
    const out = execFileSync('python3', ['-c', script, dir]).toString().trim();
    expect(out).to.equal('ok');
    for (const name of ['a', 'b', 'c']) {
      const ours = fs.readFileSync(path.join(dir, `${name}.npy`));
      const theirs = fs.readFileSync(path.join(dir, `${name}_np.npy`));
      expect(ours.equals(theirs), `${name}.npy identical to numpy.save`).to.equal(true);
    }
    // and we read what numpy wrote
    const back = readNpy(path.join(dir, 'a_np.npy'));
    expect(back.shape).to.deep.equal([104, 8]);
    expect(Array.from(back.data)).to.deep.equal(Array.from(a));
    fs.rmSync(dir, { recursive: true });
  });
});
