// `eigenopt discover`: learn eigenfunctions of a gridworld and write them (NPY, JSON) with heatmaps
// of their options' policies. Also the flag parsing and eigenfunction I/O shared by the other commands.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { GridWorld, OBSERVATION_KINDS, ObservationKind } from '../../envs/gridworld';
import { readNpy, writeNpy } from '../data';
import {
  EigenLearner,
  Eigenfunctions,
  LEARNER_NAMES,
  OptionConfig,
  cosine,
  createLearner,
  exactReference,
  optionByValueIteration,
} from '../options';
import { heatmap } from '../viz/heatmap';
import { ReplayLearner, ReplayLearnerName } from './replay-learners';
import { exactSpectrum, scoreEigenvectors } from '../learners/scoring';
import { randomWalkLaplacian, normalizedLaplacian } from '../options/learners';

/** Learners trained from replayed observations (--sampling replay). */
export const REPLAY_LEARNERS: readonly ReplayLearnerName[] = ['spin', 'allo', 'ggdo'];

export function parseIntArg(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

export function parseNumArg(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

export function parseList(name: string, v: string): number[] {
  const parts = v.split(',').filter((x) => x.trim() !== '');
  if (parts.length === 0) throw new Error(`--${name} must be a comma-separated list of integers`);
  return parts.map((p) => parseIntArg(name, p.trim()));
}

export interface OptionFlags {
  gamma: string;
  tolerance: string;
}

export function addOptionFlags(cmd: Command): Command {
  return cmd
    .option('--gamma <g>', 'discount of the eigenpurpose when computing option policies', '0.99')
    .option('--tolerance <t>', 'an option terminates where max_a q(s,a) <= tolerance', '1e-10');
}

export function optionConfigOf(o: OptionFlags): OptionConfig {
  return { gamma: parseNumArg('gamma', o.gamma), tolerance: parseNumArg('tolerance', o.tolerance) };
}

export interface LearnerFlags {
  seed: string;
  observation: string;
  steps?: string;
  batchSize?: string;
  lr?: string;
  sampling?: string;
  decay?: string;
  transitions?: string;
  maxSeconds?: string;
}

function parseSampling(v: string): 'uniform' | 'stratified' | 'replay' {
  if (v !== 'uniform' && v !== 'stratified' && v !== 'replay') throw new Error(`--sampling must be stratified, uniform or replay, got ${JSON.stringify(v)}`);
  return v;
}

/** The learner named on the command line: flags parsed here, construction by createLearner. */
export async function makeLearner(name: string, flags: LearnerFlags, log: (s: string) => void): Promise<EigenLearner> {
  const seed = parseIntArg('seed', flags.seed);
  if (name !== 'spin' && !REPLAY_LEARNERS.includes(name as ReplayLearnerName)) return createLearner(name, { seed });
  if (!OBSERVATION_KINDS.includes(flags.observation as ObservationKind) || flags.observation === 'index') {
    throw new Error(`--observation must be one of onehot, xy, pixels; got ${JSON.stringify(flags.observation)}`);
  }
  const sampling = parseSampling(flags.sampling ?? (flags.observation === 'onehot' && name === 'spin' ? 'stratified' : 'replay'));
  if (sampling === 'replay' || name !== 'spin') {
    if (sampling !== 'replay') throw new Error(`--learner ${name} learns from replayed experience: use --sampling replay`);
    return new ReplayLearner(name as ReplayLearnerName, {
      observation: flags.observation as ObservationKind,
      seed,
      transitions: flags.transitions !== undefined ? parseIntArg('transitions', flags.transitions, 1) : undefined,
      train: {
        steps: flags.steps !== undefined ? parseIntArg('steps', flags.steps, 1) : undefined,
        maxSeconds: flags.maxSeconds !== undefined ? parseNumArg('max-seconds', flags.maxSeconds) : undefined,
        batchSize: flags.batchSize !== undefined ? parseIntArg('batch-size', flags.batchSize, 1) : undefined,
        learningRate: flags.lr !== undefined ? parseNumArg('lr', flags.lr) : undefined,
        decay: flags.decay !== undefined ? parseNumArg('decay', flags.decay) : undefined,
        onProgress: (step: number, loss: number, ev: ArrayLike<number>) =>
          log(`  step ${step}: loss ${loss.toFixed(5)}, eigenvalues ${Array.from(ev, (x) => (name === 'spin' ? x / 2 : x).toFixed(4)).join(' ')}`),
      },
    });
  }
  return createLearner('spin', {
    observation: flags.observation as ObservationKind,
    seed,
    steps: flags.steps !== undefined ? parseIntArg('steps', flags.steps, 1) : undefined,
    batchSize: flags.batchSize !== undefined ? parseIntArg('batch-size', flags.batchSize, 1) : undefined,
    learningRate: flags.lr !== undefined ? parseNumArg('lr', flags.lr) : undefined,
    decay: flags.decay !== undefined ? parseNumArg('decay', flags.decay) : undefined,
    sampling,
    onProgress: (step: number, loss: number, ev: Float32Array) =>
      log(`  step ${step}: loss ${loss.toFixed(5)}, eigenvalues ${Array.from(ev, (x) => (x / 2).toFixed(4)).join(' ')}`),
  });
}

/** Writes eigenfunctions.npy (float32 states x K), eigenvalues.npy, states.json, meta.json. */
export function saveEigenfunctions(dir: string, env: GridWorld, eig: Eigenfunctions, meta: Record<string, unknown>): void {
  fs.mkdirSync(dir, { recursive: true });
  const n = env.numStates;
  const k = eig.vectors.length;
  const m = new Float32Array(n * k);
  for (let s = 0; s < n; s++) for (let j = 0; j < k; j++) m[s * k + j] = eig.vectors[j][s];
  writeNpy(path.join(dir, 'eigenfunctions.npy'), m, [n, k]);
  writeNpy(path.join(dir, 'eigenvalues.npy'), Float32Array.from(eig.values), [k]);
  fs.writeFileSync(path.join(dir, 'states.json'), JSON.stringify(env.cells.map(([r, c]) => [r, c])) + '\n');
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ env: env.layout.name, learner: eig.learner, k, info: eig.info, ...meta }, null, 2) + '\n');
}

/** Reads DIR/eigenfunctions.npy (+ eigenvalues.npy) and checks it matches the gridworld. */
export function loadEigenfunctions(dir: string, env: GridWorld): Eigenfunctions {
  const file = path.join(dir, 'eigenfunctions.npy');
  if (!fs.existsSync(file)) throw new Error(`no eigenfunctions.npy in ${dir} (run eigenopt discover --out ${dir} first)`);
  const a = readNpy(file);
  if (a.shape.length !== 2) throw new Error(`${file}: expected a 2-D array (states x K), got shape [${a.shape.join(', ')}]`);
  const [n, k] = a.shape;
  if (n !== env.numStates) throw new Error(`${file} has ${n} rows but ${env.layout.name} has ${env.numStates} states`);
  const statesFile = path.join(dir, 'states.json');
  if (fs.existsSync(statesFile)) {
    const cells = JSON.parse(fs.readFileSync(statesFile, 'utf8')) as number[][];
    const same = cells.length === n && cells.every((c, i) => c[0] === env.cells[i][0] && c[1] === env.cells[i][1]);
    if (!same) throw new Error(`${statesFile} does not match the states of ${env.layout.name} (different layout?)`);
  }
  const vectors: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let s = 0; s < n; s++) v[s] = a.data[s * k + j];
    vectors.push(v);
  }
  const evFile = path.join(dir, 'eigenvalues.npy');
  const values = fs.existsSync(evFile) ? Float64Array.from(readNpy(evFile).data) : new Float64Array(k).fill(NaN);
  let learner = 'unknown';
  try {
    learner = (JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { learner?: string }).learner ?? learner;
  } catch {
    // meta.json is optional
  }
  return { learner, values, vectors, info: {} };
}

interface DiscoverFlags extends LearnerFlags, OptionFlags {
  env: string;
  learner: string;
  neig: string;
  out: string;
  png: boolean;
}

export async function discover(o: DiscoverFlags, log: (s: string) => void = console.log): Promise<{ cosines: number[]; projections: number[] }> {
  const env = GridWorld.fromName(o.env);
  const k = parseIntArg('neig', o.neig, 1);
  if (k > env.numStates) throw new Error(`--neig ${k} exceeds the ${env.numStates} states of ${env.layout.name}`);
  const cfg = optionConfigOf(o);
  const learner = await makeLearner(o.learner, o, log);
  log(`eigenopt discover: ${env.layout.name} (${env.numStates} states), learner ${learner.name}, ${k} eigenfunctions -> ${o.out}`);
  const t0 = Date.now();
  const eig = await learner.fit(env, k);
  const seconds = (Date.now() - t0) / 1000;
  const exact = await exactReference(env, learner.name, k);
  const cosines = eig.vectors.map((v, i) => Math.abs(cosine(v, exact.vectors[i])));
  // projection onto the exact eigenspace of each index (degenerate eigenvalues), Ritz values of the span
  const op = learner.name === 'pvf' ? normalizedLaplacian(env) : randomWalkLaplacian(env);
  const sc = scoreEigenvectors(eig.vectors, exactSpectrum(op, env.numStates), op, env.numStates);
  const projections = sc.projection;
  saveEigenfunctions(o.out, env, eig, {
    seconds,
    cosineToExact: cosines,
    projectionToExact: projections,
    averageCosine: sc.averageCosine,
    averageProjection: sc.averageProjection,
    rayleighQuotients: sc.rayleigh,
    ritzValues: sc.ritz,
    exactEigenvalues: sc.exact,
    exactOperator: exact.info.operator,
  });
  if (o.png) {
    for (let i = 0; i < k; i++) {
      const opt = optionByValueIteration(env, eig.vectors[i], 1, cfg, i);
      heatmap(env, eig.vectors[i], { policy: opt.policy }).save(path.join(o.out, `eigenfunction_${String(i + 1).padStart(2, '0')}.png`));
    }
  }
  log(`learned in ${seconds.toFixed(1)} s${eig.info.transitions !== undefined ? ` from ${eig.info.transitions} transitions` : ''}`);
  log(`  i   eigenvalue   exact(${exact.info.operator})   |cos| to exact   projection on eigenspace   Ritz value`);
  for (let i = 0; i < k; i++) {
    log(`${String(i + 1).padStart(3)}   ${eig.values[i].toFixed(5).padStart(9)}   ${exact.values[i].toFixed(5).padStart(9)}   ${cosines[i].toFixed(4).padStart(14)}   ${projections[i].toFixed(4).padStart(23)}   ${(sc.ritz[i] ?? NaN).toFixed(5).padStart(10)}`);
  }
  log(`average |cos| ${sc.averageCosine.toFixed(4)}, average projection ${sc.averageProjection.toFixed(4)}`);
  log(`wrote ${path.join(o.out, 'eigenfunctions.npy')} (float32 ${env.numStates} x ${k}), eigenvalues.npy, states.json, meta.json${o.png ? `, ${k} PNG heatmaps with +e option arrows` : ''}`);
  return { cosines, projections };
}

export function registerDiscoverCommands(program: Command): void {
  addOptionFlags(
    program
      .command('discover')
      .description('learn eigenfunctions of a gridworld and write them with heatmaps of their options')
      .option('--env <name>', 'gridworld: fourrooms, openroom, imaze, or a layout file', 'fourrooms')
      .option('--learner <name>', `eigenfunction learner: ${[...LEARNER_NAMES, 'allo', 'ggdo'].join('|')}`, 'spin')
      .option('--neig <k>', 'number of eigenfunctions', '8')
      .option('--out <dir>', 'output folder', 'eigenopt-out')
      .option('--seed <n>', 'random seed (sr, spin)', '0')
      .option('--observation <kind>', 'spin input: onehot, xy or pixels', 'onehot')
      .option('--steps <n>', 'training steps (spin stratified/uniform default 2500; replay learners default 20000)')
      .option('--sampling <how>', 'minibatches: stratified (every (s,a) transition once), uniform (i.i.d. (s,a)) or replay (i.i.d. from a buffer of random-walk experience; default for xy, pixels and for allo/ggdo)')
      .option('--transitions <n>', 'replay buffer size (default 200000: uniform random policy, episodes of 50 steps)')
      .option('--max-seconds <s>', 'wall-clock budget of replay training (stops early, the schedule follows the budget)')
      .option('--batch-size <n>', 'spin transitions per step (default 4 x states stratified, 512 uniform)')
      .option('--lr <x>', 'spin Adam learning rate (default 0.03 one-hot, 1e-3 otherwise)')
      .option('--decay <x>', 'spin moving-average rate (default 0.1)')
      .option('--no-png', 'skip the heatmap PNGs'),
  ).action(async (o: DiscoverFlags) => {
    await discover(o);
  });

}
