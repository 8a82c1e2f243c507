// SpIN's final demixing from statistics: for outputs u = M e that mix exact eigenfunctions e
// (E[e e^T] = I, E[(e - e')(e - e')^T] = diag(2 lambda)) by a lower-triangular M, L^-1 u = e and the
// eigenvalues are 2 lambda, in order.
import { expect } from 'chai';
import { demixFromStatistics } from '../src/spin/linalg';

describe('demixing from Sigma and Pi', () => {
  it('recovers the eigenfunctions of a lower-triangular mix and their eigenvalues', () => {
    const k = 4;
    const lam = [0, 0.01, 0.05, 0.2];
    const M = [2, 0, 0, 0, 0.5, 1, 0, 0, -1, 0.3, 1.5, 0, 0.2, 0.2, -0.4, 0.7];
    const sigma = new Float64Array(k * k);
    const pi = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let m = 0; m < k; m++) {
      sigma[i * k + j] += M[i * k + m] * M[j * k + m];
      pi[i * k + j] += M[i * k + m] * 2 * lam[m] * M[j * k + m];
    }
    const { demix, eigenvalues } = demixFromStatistics(sigma, pi, k);
    for (let i = 0; i < k; i++) expect(eigenvalues[i]).to.be.closeTo(2 * lam[i], 1e-12);
    // e(x) = u(x) @ demix with u = M e: (M^T demix) must be the identity
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += M[m * k + a] * demix[m * k + b];
      expect(s).to.be.closeTo(a === b ? 1 : 0, 1e-12);
    }
  });
});
