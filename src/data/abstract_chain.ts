// A check with a computable truth for eigenfunctions learned from pixels: the empirical transition
// chain over an abstract state read from RAM (room, lives, avatar x, y, packed into one integer key)
// and its slowest eigenvectors, and a score of how well a learned eigenfunction, averaged per
// abstract state, matches them.
//
// The chain. Over the frames of each episode, C[i][j] counts the transitions from abstract state i
// to j (never across an episode boundary). W = C + C^T is symmetric; its row sums d_i (the degree:
// transitions into plus out of i, about twice the visits of i) define the reversible random walk
// P = D^-1 W, whose stationary distribution is d / sum(d). Its slowest eigenvectors are those of the
// normalised Laplacian L = I - D^-1/2 W D^-1/2 with the smallest eigenvalues: L u = lambda u gives
// P f = (1 - lambda) f for f = D^-1/2 u. The eigenfunctions f are returned, normalised so that
// sum_i d_i f_i^2 / sum_i d_i = 1 (unit norm under the walk's stationary distribution), with the
// sign fixed so that the entry of largest magnitude is positive.
//
// By default only the largest connected component of W is kept (the walk is irreducible there, so
// eigenvalue 0 is simple); frames outside it are counted in `droppedVisits`.
//
// Solver and cap: the library's dense symmetric eigensolver (src/linalg.ts, Householder + QR,
// O(n^3)), up to `maxStates` abstract states (default MAX_STATES_DEFAULT); a chain with more states
// throws, and the caller bins the key more coarsely (envs/atari_ram.ts: `binSize`) or passes a
// larger cap and waits.
import { symmetricEigen } from '../linalg';

/** Most abstract states the dense eigensolver is run on unless the caller raises the cap. */
export const MAX_STATES_DEFAULT = 1000;
/** Number of slowest eigenvectors computed unless the caller asks for another number. */
export const NUM_EIGENVECTORS_DEFAULT = 16;

export interface AbstractChainOptions {
  /** Slowest eigenvectors to compute (clamped to the number of states). Default 16. */
  k?: number;
  /** Cap on the number of states for the dense solver. Default MAX_STATES_DEFAULT. */
  maxStates?: number;
  /** Keep only the largest connected component. Default true. */
  largestComponentOnly?: boolean;
}

export interface AbstractChain {
  /** Abstract-state keys, ascending; state index i has key keys[i]. */
  keys: Int32Array;
  /** key -> state index. */
  index: ReadonlyMap<number, number>;
  /** Frames seen in each state (over the kept states). */
  visits: Float64Array;
  /** Transition counts C, row-major n*n: counts[i*n+j] = transitions i -> j. */
  counts: Float64Array;
  /** d_i = row sums of C + C^T. */
  degree: Float64Array;
  /** The k smallest eigenvalues of I - D^-1/2 (C + C^T) D^-1/2, ascending (0 first). */
  values: Float64Array;
  /** vectors[m][i]: eigenfunction m of the walk at state i, unit norm under d / sum(d). */
  vectors: Float64Array[];
  /** Connected components among all visited states (before dropping any). */
  components: number;
  /** Frames whose state was outside the kept component. */
  droppedVisits: number;
}

function checkKeys(keys: Int32Array, what: string): void {
  if (!(keys instanceof Int32Array)) throw new TypeError(`${what}: keys must be an Int32Array`);
}

/**
 * Splits one key sequence into episodes. `episodeStarts` holds the index of the first frame of
 * each episode (ascending, first 0); frames before the first start are rejected.
 */
export function splitEpisodes(keys: Int32Array, episodeStarts: ArrayLike<number>): Int32Array[] {
  checkKeys(keys, 'splitEpisodes');
  const starts = Array.from(episodeStarts);
  if (starts.length === 0 || starts[0] !== 0) throw new Error('splitEpisodes: episodeStarts must begin with 0');
  for (let i = 1; i < starts.length; i++) {
    if (!(Number.isInteger(starts[i]) && starts[i] > starts[i - 1] && starts[i] <= keys.length)) {
      throw new Error(`splitEpisodes: episodeStarts must be increasing integers in 0..${keys.length}, bad entry ${i}: ${starts[i]}`);
    }
  }
  return starts.map((s, i) => keys.subarray(s, i + 1 < starts.length ? starts[i + 1] : keys.length));
}

/** Builds the empirical chain of the episodes' key sequences and its k slowest eigenvectors. */
export function buildAbstractChain(episodes: readonly Int32Array[], options: AbstractChainOptions = {}): AbstractChain {
  const k = options.k ?? NUM_EIGENVECTORS_DEFAULT;
  const maxStates = options.maxStates ?? MAX_STATES_DEFAULT;
  const largestOnly = options.largestComponentOnly ?? true;
  if (!Number.isInteger(k) || k < 1) throw new Error(`buildAbstractChain: k must be an integer >= 1, got ${k}`);
  if (!Number.isInteger(maxStates) || maxStates < 1) throw new Error(`buildAbstractChain: maxStates must be an integer >= 1, got ${maxStates}`);
  episodes.forEach((e, i) => checkKeys(e, `buildAbstractChain: episode ${i}`));

  // All visited keys, ascending.
  const seen = new Set<number>();
  for (const e of episodes) for (let t = 0; t < e.length; t++) seen.add(e[t]);
  if (seen.size === 0) throw new Error('buildAbstractChain: no frames');
  const allKeys = Int32Array.from(seen).sort();
  const nAll = allKeys.length;
  const allIndex = new Map<number, number>();
  allKeys.forEach((key, i) => allIndex.set(key, i));

  // Connected components by union-find over the transitions (cheap for any number of states).
  const parent = Int32Array.from({ length: nAll }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const allVisits = new Float64Array(nAll);
  for (const e of episodes) {
    for (let t = 0; t < e.length; t++) {
      const i = allIndex.get(e[t]) as number;
      allVisits[i]++;
      if (t + 1 < e.length) {
        const a = find(i);
        const b = find(allIndex.get(e[t + 1]) as number);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const compVisits = new Map<number, number>();
  const compSize = new Map<number, number>();
  for (let i = 0; i < nAll; i++) {
    const r = find(i);
    compVisits.set(r, (compVisits.get(r) ?? 0) + allVisits[i]);
    compSize.set(r, (compSize.get(r) ?? 0) + 1);
  }
  const numComponents = compSize.size;
  let keepRoot = -1;
  if (largestOnly) {
    for (const [r, v] of compVisits) if (keepRoot < 0 || v > (compVisits.get(keepRoot) as number)) keepRoot = r;
  }
  const kept: number[] = [];
  for (let i = 0; i < nAll; i++) if (!largestOnly || find(i) === keepRoot) kept.push(i);
  const n = kept.length;
  if (n > maxStates) {
    throw new Error(`buildAbstractChain: ${n} abstract states exceed the dense-solver cap maxStates=${maxStates}; bin the key more coarsely or raise the cap`);
  }
  const keys = Int32Array.from(kept.map((i) => allKeys[i]));
  const index = new Map<number, number>();
  keys.forEach((key, i) => index.set(key, i));

  const visits = new Float64Array(n);
  const counts = new Float64Array(n * n);
  let droppedVisits = 0;
  for (const e of episodes) {
    for (let t = 0; t < e.length; t++) {
      const i = index.get(e[t]);
      if (i === undefined) {
        droppedVisits++;
        continue;
      }
      visits[i]++;
      if (t + 1 < e.length) {
        const j = index.get(e[t + 1]);
        if (j !== undefined) counts[i * n + j]++;
      }
    }
  }
  const w = new Float64Array(n * n);
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = counts[i * n + j] + counts[j * n + i];
      w[i * n + j] = x;
      degree[i] += x;
    }
  }

  const kk = Math.min(k, n);
  let values: Float64Array;
  let vectors: Float64Array[];
  if (n === 1) {
    values = Float64Array.of(0);
    vectors = [Float64Array.of(1)];
  } else {
    for (let i = 0; i < n; i++) {
      if (degree[i] === 0) throw new Error(`buildAbstractChain: state with key ${keys[i]} has no transitions (isolated single-frame episode); keep largestComponentOnly`);
    }
    const isq = degree.map((d) => 1 / Math.sqrt(d));
    const lap = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) lap[i * n + j] = (i === j ? 1 : 0) - isq[i] * w[i * n + j] * isq[j];
    }
    const eig = symmetricEigen(lap, n);
    const total = degree.reduce((s, d) => s + d, 0);
    values = eig.values.slice(0, kk);
    vectors = eig.vectors.slice(0, kk).map((u) => {
      const f = new Float64Array(n);
      let norm = 0;
      let big = 0;
      for (let i = 0; i < n; i++) {
        f[i] = u[i] * isq[i];
        norm += degree[i] * f[i] * f[i];
        if (Math.abs(f[i]) > Math.abs(f[big]) + 1e-12) big = i;
      }
      const scale = (f[big] < 0 ? -1 : 1) / Math.sqrt(norm / total);
      for (let i = 0; i < n; i++) f[i] *= scale;
      return f;
    });
  }
  return { keys, index, visits, counts, degree, values, vectors, components: numComponents, droppedVisits };
}

export interface EigenfunctionMatch {
  /** Index of the learned eigenfunction (column of `learned`). */
  index: number;
  /** Visit-weighted |cos| between its per-state mean and exact eigenvector `index + indexOffset` (NaN when there is none). */
  sameIndexCos: number;
  /** Largest visit-weighted |cos| over the chain's eigenvectors, and which one. */
  bestCos: number;
  bestIndex: number;
  /** Between-state variance / total variance of the learned values over the scored frames (NaN when constant). */
  explainedVariance: number;
}

export interface AbstractStateMatch {
  perEigenfunction: EigenfunctionMatch[];
  /** Means over eigenfunctions (NaN entries left out). */
  meanSameIndexCos: number;
  meanBestCos: number;
  meanExplainedVariance: number;
  /** Frames scored, and frames skipped because their key is not a state of the chain. */
  scoredFrames: number;
  skippedFrames: number;
}

export interface AbstractStateMatchOptions {
  /** Exact eigenvector index matched to learned column 0 (1 when the learner omits the constant). Default 0. */
  indexOffset?: number;
}

/** Visit-weighted cosine sum_s w_s a_s b_s / sqrt(sum w a^2 * sum w b^2); 0 when either is zero. */
export function weightedCosine(a: ArrayLike<number>, b: ArrayLike<number>, w: ArrayLike<number>): number {
  if (a.length !== b.length || a.length !== w.length) throw new Error('weightedCosine: lengths differ');
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += w[i] * a[i] * b[i];
    aa += w[i] * a[i] * a[i];
    bb += w[i] * b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * Scores learned eigenfunctions against the chain. `learned` is [frames, numFunctions] row-major
 * (the learned functions evaluated on each frame), `keys[t]` the abstract-state key of frame t.
 * Per learned function g: its mean per abstract state g_s over the scored frames; the |cos| of
 * g_s against the exact eigenvectors, weighted by the visits of the scored frames; and the fraction
 * of g's variance over the frames explained by the state (the correlation ratio eta^2).
 */
export function abstractStateMatch(
  learned: Float32Array | Float64Array,
  numFunctions: number,
  keys: Int32Array,
  chain: AbstractChain,
  options: AbstractStateMatchOptions = {},
): AbstractStateMatch {
  checkKeys(keys, 'abstractStateMatch');
  const offset = options.indexOffset ?? 0;
  if (!Number.isInteger(numFunctions) || numFunctions < 1) {
    throw new Error(`abstractStateMatch: numFunctions must be an integer >= 1, got ${numFunctions}`);
  }
  if (learned.length !== keys.length * numFunctions) {
    throw new Error(`abstractStateMatch: learned has ${learned.length} values, expected frames*numFunctions = ${keys.length}*${numFunctions}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`abstractStateMatch: indexOffset must be an integer >= 0, got ${offset}`);
  const n = chain.keys.length;
  const stateOf = new Int32Array(keys.length);
  const w = new Float64Array(n);
  let scored = 0;
  for (let t = 0; t < keys.length; t++) {
    const s = chain.index.get(keys[t]);
    stateOf[t] = s ?? -1;
    if (s !== undefined) {
      w[s]++;
      scored++;
    }
  }
  if (scored === 0) throw new Error('abstractStateMatch: no frame has a key that is a state of the chain');
  const perEigenfunction: EigenfunctionMatch[] = [];
  const sums = new Float64Array(n);
  for (let j = 0; j < numFunctions; j++) {
    sums.fill(0);
    let total = 0;
    for (let t = 0; t < keys.length; t++) {
      const s = stateOf[t];
      if (s < 0) continue;
      const g = learned[t * numFunctions + j];
      if (!Number.isFinite(g)) throw new Error(`abstractStateMatch: learned value at frame ${t}, function ${j} is not finite`);
      sums[s] += g;
      total += g;
    }
    const mean = total / scored;
    const perState = new Float64Array(n);
    let between = 0;
    for (let s = 0; s < n; s++) {
      if (w[s] === 0) continue;
      perState[s] = sums[s] / w[s];
      between += w[s] * (perState[s] - mean) ** 2;
    }
    let within = 0;
    for (let t = 0; t < keys.length; t++) {
      const s = stateOf[t];
      if (s < 0) continue;
      within += (learned[t * numFunctions + j] - perState[s]) ** 2;
    }
    const totalVar = between + within;
    let bestCos = -1;
    let bestIndex = -1;
    chain.vectors.forEach((f, m) => {
      const c = Math.abs(weightedCosine(perState, f, w));
      if (c > bestCos) {
        bestCos = c;
        bestIndex = m;
      }
    });
    const same = j + offset < chain.vectors.length ? Math.abs(weightedCosine(perState, chain.vectors[j + offset], w)) : NaN;
    perEigenfunction.push({
      index: j,
      sameIndexCos: same,
      bestCos,
      bestIndex,
      explainedVariance: totalVar > 0 ? between / totalVar : NaN,
    });
  }
  const meanOf = (xs: number[]): number => {
    const v = xs.filter((x) => !Number.isNaN(x));
    return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
  };
  return {
    perEigenfunction,
    meanSameIndexCos: meanOf(perEigenfunction.map((m) => m.sameIndexCos)),
    meanBestCos: meanOf(perEigenfunction.map((m) => m.bestCos)),
    meanExplainedVariance: meanOf(perEigenfunction.map((m) => m.explainedVariance)),
    scoredFrames: scored,
    skippedFrames: keys.length - scored,
  };
}
