// k x k linear algebra against analytic values.
import { expect } from 'chai';
import * as la from '../src/spin/linalg';

function rndSPD(n: number, seed: number): Float64Array {
  let s = seed;
  const r = () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
  const a = new Float64Array(n * n).map(r);
  const m = la.matmul(a, la.transpose(a, n), n);
  for (let i = 0; i < n; i++) m[i * n + i] += 0.5;
  return m;
}

describe('spin: linear algebra', () => {
  it('cholesky of a hand-computed 3x3 matrix', () => {
    // A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]
    const a = [4, 2, -2, 2, 10, 5, -2, 5, 6];
    const l = la.cholesky(a, 3)!;
    expect(Array.from(l)).to.deep.equal([2, 0, 0, 1, 3, 0, -1, 2, 1]);
  });
  it('cholesky reconstructs random SPD matrices and rejects indefinite / singular ones', () => {
    for (const n of [1, 2, 5, 10]) {
      const a = rndSPD(n, n + 7);
      const l = la.cholesky(a, n)!;
      const back = la.matmul(l, la.transpose(l, n), n);
      back.forEach((v, i) => expect(v).to.be.closeTo(a[i], 1e-12 * (1 + Math.abs(a[i]))));
    }
    expect(la.cholesky([1, 2, 2, 1], 2)).to.equal(null);
    expect(la.cholesky([1, 1, 1, 1], 2)).to.equal(null);
  });
  it('regularised cholesky adds jitter only when needed, errors on NaN', () => {
    expect(la.choleskyRegularized([2, 0, 0, 3], 2).jitter).to.equal(0);
    const r = la.choleskyRegularized([1, 1, 1, 1], 2);
    expect(r.jitter).to.be.greaterThan(0);
    r.L.forEach((v) => expect(Number.isFinite(v)).to.equal(true));
    expect(() => la.choleskyRegularized([1, NaN, NaN, 1], 2)).to.throw(/non-finite/);
    expect(() => la.cholesky([1, 2, 3], 2)).to.throw(/expected 2x2/);
  });
  it('triangular solves and inverses satisfy A A^-1 = I', () => {
    const n = 6;
    const a = rndSPD(n, 3);
    const l = la.cholesky(a, n)!;
    const li = la.invLower(l, n);
    la.matmul(l, li, n).forEach((v, i) => expect(v).to.be.closeTo(i % (n + 1) === 0 ? 1 : 0, 1e-12));
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(li[i * n + j]).to.equal(0);
    const u = la.transpose(l, n);
    const b = new Float64Array(n * 2).map((_, i) => i - 3);
    const x = la.solveUpper(u, b, n, 2);
    const ux = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) for (let c = 0; c < 2; c++) for (let p = 0; p < n; p++) ux[i * 2 + c] += u[i * n + p] * x[p * 2 + c];
    ux.forEach((v, i) => expect(v).to.be.closeTo(b[i], 1e-10));
    la.matmul(a, la.invSPD(a, n), n).forEach((v, i) => expect(v).to.be.closeTo(i % (n + 1) === 0 ? 1 : 0, 1e-10));
  });
  it('symEig reproduces the analytic spectrum of the path-graph Laplacian, orthonormal vectors', () => {
    const n = 9;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      if (i > 0) { m[i * n + i - 1] = -1; m[i * n + i]++; }
      if (i < n - 1) { m[i * n + i + 1] = -1; m[i * n + i]++; }
    }
    const e = la.symEig(m, n);
    for (let j = 0; j < n; j++) expect(e.values[j]).to.be.closeTo(2 - 2 * Math.cos((Math.PI * j) / n), 1e-12);
    const vtv = la.matmul(la.transpose(e.vectors, n), e.vectors, n);
    vtv.forEach((v, i) => expect(v).to.be.closeTo(i % (n + 1) === 0 ? 1 : 0, 1e-12));
    // eigen-equation
    const mv = la.matmul(m, e.vectors, n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) expect(mv[r * n + c]).to.be.closeTo(e.values[c] * e.vectors[r * n + c], 1e-11);
  });
  it('generalised eigenproblem: A v = lambda B v with B-orthonormal vectors', () => {
    const n = 5;
    const a = la.symmetrize(rndSPD(n, 11).map((v, i) => v - (i % (n + 1) === 0 ? 1 : 0)), n);
    const b = rndSPD(n, 12);
    const e = la.symGenEig(a, b, n);
    const av = la.matmul(a, e.vectors, n), bv = la.matmul(b, e.vectors, n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) expect(av[r * n + c]).to.be.closeTo(e.values[c] * bv[r * n + c], 1e-9);
    const vbv = la.matmul(la.transpose(e.vectors, n), bv, n);
    vbv.forEach((v, i) => expect(v).to.be.closeTo(i % (n + 1) === 0 ? 1 : 0, 1e-9));
    for (let i = 1; i < n; i++) expect(e.values[i]).to.be.at.least(e.values[i - 1]);
  });
});
