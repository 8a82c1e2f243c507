// The one symmetric eigensolver (src/linalg.ts) against analytic spectra and by its defining
// properties (A v = lambda v, orthonormal vectors) on hard cases: rank-deficient covariances with
// exact zero rows, repeated eigenvalues, the zero matrix.
import { expect } from 'chai';
import { dot, matVec, solveLinear, symmetricEigen } from '../src/linalg';

function check(A: Float64Array, n: number, tol: number): void {
  const e = symmetricEigen(A, n);
  for (let k = 0; k < n; k++) {
    if (k > 0) expect(e.values[k]).to.be.at.least(e.values[k - 1]);
    const v = e.vectors[k];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * v[j];
      expect(Math.abs(s - e.values[k] * v[i])).to.be.lessThan(tol);
    }
    for (let l = 0; l <= k; l++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += v[i] * e.vectors[l][i];
      expect(Math.abs(d - (k === l ? 1 : 0))).to.be.lessThan(1e-10);
    }
  }
}

describe('linalg: symmetric eigensolver', () => {
  it('path-graph Laplacian: eigenvalues 2 - 2 cos(pi j / n) (free ends), cosine eigenvectors', () => {
    const n = 60;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      A[i * n + i] = i === 0 || i === n - 1 ? 1 : 2;
      if (i + 1 < n) A[i * n + i + 1] = A[(i + 1) * n + i] = -1;
    }
    const e = symmetricEigen(A, n);
    for (let j = 0; j < n; j++) expect(e.values[j]).to.be.closeTo(2 - 2 * Math.cos((Math.PI * j) / n), 1e-12);
    const v1 = e.vectors[1];
    const c = Float64Array.from({ length: n }, (_, i) => Math.cos((Math.PI * (i + 0.5)) / n));
    let dot = 0;
    let nc = 0;
    for (let i = 0; i < n; i++) {
      dot += v1[i] * c[i];
      nc += c[i] * c[i];
    }
    expect(Math.abs(dot) / Math.sqrt(nc)).to.be.closeTo(1, 1e-10);
    check(A, n, 1e-11);
  });

  it('rank-deficient covariances with exact zero rows and a repeated zero eigenvalue converge', () => {
    for (const n of [30, 120]) {
      const r = 8;
      const C = new Float64Array(n * n);
      // r pseudo-random rows (a fractional-part hash), every third column zero
      const x = (a: number, i: number): number => (i % 3 === 0 ? 0 : ((Math.sin(12.9898 * (a * n + i + 1)) * 43758.5453) % 1));
      for (let a = 0; a < r; a++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] += x(a, i) * x(a, j);
      check(C, n, 1e-10);
      const zeros = Array.from(symmetricEigen(C, n).values).filter((v) => Math.abs(v) < 1e-9).length;
      expect(zeros).to.equal(n - r);
    }
  });

  it('repeated eigenvalues, the zero matrix, 1 x 1, and bad input', () => {
    const n = 6;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + i] = i < 3 ? 2 : 5;
    check(A, n, 1e-14);
    expect(Array.from(symmetricEigen(new Float64Array(9), 3).values)).to.deep.equal([0, 0, 0]);
    expect(Array.from(symmetricEigen([7], 1).values)).to.deep.equal([7]);
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).to.throw(/not symmetric/);
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).to.throw(/non-finite/);
    expect(Array.from(solveLinear([2, 0, 0, 4], [2, 8], 2))).to.deep.equal([1, 2]);
    expect(() => solveLinear([1, 1, 1, 1], [1, 2], 2)).to.throw(/singular/);
  });

  it('matVec and dot on hand-computed values', () => {
    // [[1, 2], [3, 4]] (5, 6) = (17, 39)
    expect(Array.from(matVec([1, 2, 3, 4], 2, [5, 6]))).to.deep.equal([17, 39]);
    expect(Array.from(matVec([2, 0, 0, 0, 3, 0, 0, 0, 4], 3, [1, 1, 1]))).to.deep.equal([2, 3, 4]);
    expect(dot([1, 2, 3], [4, 5, 6])).to.equal(32);
  });
});
