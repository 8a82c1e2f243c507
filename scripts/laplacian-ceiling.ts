// Ceiling of any learner fitting a replay buffer: the eigenvectors of the buffer's empirical operator
// (Pi v = lambda Sigma v over one-hot states, from the same transitions) scored against exact I - P.
// Usage: node -r ts-node/register/transpile-only scripts/laplacian-ceiling.ts GRID|FILE.mdp [TRANSITIONS] [K] [SEED]
import * as path from 'path';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { ReplayBuffer } from '../src/data/replay';
import { randomWalkLaplacian } from '../src/mdp';
import { symGenEig } from '../src/spin/linalg';
import { exactSpectrum, scoreEigenvectors } from '../src/learners/scoring';
const [grid, tr, kk, sd] = process.argv.slice(2);
const seed = Number(sd ?? 0);
// GRID: a layout name of ../shared/layouts/allo, or the path of any .mdp file
const world = GridWorld.fromName(grid.endsWith('.mdp') ? grid : path.join(__dirname, '..', '..', 'shared', 'layouts', 'allo', `${grid}.mdp`));
const n = world.numStates, k = Number(kk ?? 11);
const buf = new ReplayBuffer(new GridEnv(world, { observation: 'onehot', start: 'uniform', maxSteps: 50, seed }), { transitions: Number(tr ?? 200000), seed });
const st = (row: number) => buf.observations.subarray(row * n, (row + 1) * n).indexOf(1);
const S = new Float64Array(n * n), P = new Float64Array(n * n);
for (let t = 0; t < buf.size; t++) {
  const a = st(buf.rows[t]), b = st(buf.nextRows[t]);
  S[a * n + a] += 1 / buf.size;
  if (a === b) continue;
  P[a * n + a] += 1 / buf.size; P[b * n + b] += 1 / buf.size; P[a * n + b] -= 1 / buf.size; P[b * n + a] -= 1 / buf.size;
}
for (let i = 0; i < n; i++) if (S[i * n + i] === 0) S[i * n + i] = 1e-9;
const g = symGenEig(P, S, n);
const vecs = Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, s) => g.vectors[s * n + j]));
const L = randomWalkLaplacian(world);
const sc = scoreEigenvectors(vecs, exactSpectrum(L, n), L, n);
console.log(grid, buf.size, 'seed', seed, 'empirical-operator ceiling avg|cos|', sc.averageCosine.toFixed(4), 'proj', sc.averageProjection.toFixed(4), sc.cosine.map((c) => c.toFixed(3)).join(' '));
