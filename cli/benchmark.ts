// `eigenopt benchmark laplacian`: every layout of a folder x observation types x learners x seeds,
// each learner trained on the same replayed random-walk experience (same seed, same buffer) under
// the same budget, scored against the exact eigenvectors of I - P. Writes results.json,
// results.md (mean +- std over seeds of the average |cos| and the eigenspace projection, eigenvalue
// errors, wall time) and chart.png (average |cos| per grid, observation and learner).
// Several sweeps may fill one folder at once (processes on one machine, or machines sharing the
// folder): each run is claimed in OUT/claims/ while it trains and merged into results.json under a lock.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Command } from 'commander';
import { GridEnv, GridWorld } from '../envs/gridworld';
import { REPLAY_DEFAULTS, ReplayBuffer } from '../src/data/replay';
import { writeFileAtomic } from '../src/data/rollout';
import { DEFAULT_CLIP_FACTOR, DEFAULT_MAX_SECONDS, DEFAULT_REPLAY_STEPS } from '../src/learners/budget';
import { exactSpectrum, scoreEigenvectors } from '../src/learners/scoring';
import type { ExactSpectrum } from '../src/learners/scoring';
import { REPLAY_LEARNERS, ReplayLearner, ReplayLearnerName, ReplayTrainConfig } from '../src/learners/replay';
import type { GridObservation } from '../src/learners/spin';
import { randomWalkLaplacian } from '../src/mdp';
import { stateValues } from '../src/models/eigenfunctions';
import { barChart, writeChart } from '../src/viz/charts';
import type { Bar, VegaLiteSpec } from '../src/viz/charts';
import { parseChoice, parseIntArg, parseList, parseNumArg } from './flags';

export interface LaplacianRun {
  grid: string;
  states: number;
  observation: GridObservation;
  learner: ReplayLearnerName;
  seed: number;
  averageCosine: number;
  averageProjection: number;
  cosine: number[];
  projection: number[];
  /** Mean |estimated - exact| eigenvalue (I - P scale) over the k functions. */
  eigenvalueError: number;
  eigenvalues: number[];
  exact: number[];
  ritz: number[];
  steps: number;
  seconds: number;
}

export interface LaplacianBenchmarkOptions {
  layouts: string;
  grids?: string[];
  observations: GridObservation[];
  learners: ReplayLearnerName[];
  seeds: number[];
  k: number;
  transitions: number;
  train: ReplayTrainConfig;
}

/**
 * One run: buffer from the seed, learner trained on it, scored on every state's observation.
 * `spectrum`: the exact eigendecomposition of the grid's I - P when the caller already has it
 * (a sweep decomposes each grid once).
 */
export async function runLaplacianOnce(file: string, observation: GridObservation, learner: ReplayLearnerName, seed: number, k: number, transitions: number, train: ReplayTrainConfig, spectrum?: ExactSpectrum): Promise<LaplacianRun> {
  const world = GridWorld.fromName(file);
  const env = new GridEnv(world, { observation, start: 'uniform', maxSteps: REPLAY_DEFAULTS.episodeLength, seed });
  const source = new ReplayBuffer(env, { transitions, seed });
  const t0 = Date.now();
  const model = await new ReplayLearner(learner, { ...train, observation, seed }).fit({ source }, k);
  const seconds = (Date.now() - t0) / 1000;
  try {
    const vectors = await stateValues(model, world);
    const L = randomWalkLaplacian(world);
    const sc = scoreEigenvectors(vectors, spectrum ?? exactSpectrum(L, world.numStates), L, world.numStates);
    const ev = Array.from(model.eigenvalues);
    return {
      grid: world.layout.name,
      states: world.numStates,
      observation,
      learner,
      seed,
      averageCosine: sc.averageCosine,
      averageProjection: sc.averageProjection,
      cosine: sc.cosine,
      projection: sc.projection,
      eigenvalueError: ev.reduce((s, v, i) => s + Math.abs(v - sc.exact[i]), 0) / k,
      eigenvalues: ev,
      exact: sc.exact,
      ritz: sc.ritz,
      steps: Number(model.info.steps ?? NaN),
      seconds,
    };
  } finally {
    model.dispose();
  }
}

function meanStd(a: number[]): [number, number] {
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  const v = a.length > 1 ? a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1) : 0;
  return [m, Math.sqrt(v)];
}

/** Markdown table: one row per grid and observation, one column group per learner. */
export function laplacianTable(runs: LaplacianRun[]): string {
  const keys = [...new Set(runs.map((r) => `${r.grid}|${r.observation}`))];
  const learners = [...new Set(runs.map((r) => r.learner))];
  const head = ['grid', 'states', 'obs', ...learners.flatMap((l) => [`${l} avg \\|cos\\|`, `${l} projection`, `${l} eig. err`, `${l} s`]), `seeds (${learners.join(' / ')})`];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const key of keys) {
    const [grid, obs] = key.split('|');
    const rs = runs.filter((r) => r.grid === grid && r.observation === obs);
    const cells = [grid, String(rs[0].states), obs];
    for (const l of learners) {
      const lr = rs.filter((r) => r.learner === l);
      if (lr.length === 0) {
        cells.push('', '', '', '');
        continue;
      }
      // mean +- std over seeds; a single run's value alone (no spread to show)
      const stat = (xs: number[]): string => {
        const [m, sd] = meanStd(xs);
        return xs.length > 1 ? `${m.toFixed(4)} ± ${sd.toFixed(4)}` : m.toFixed(4);
      };
      const [em] = meanStd(lr.map((r) => r.eigenvalueError));
      const [tm] = meanStd(lr.map((r) => r.seconds));
      cells.push(stat(lr.map((r) => r.averageCosine)), stat(lr.map((r) => r.averageProjection)), em.toExponential(1), tm.toFixed(0));
    }
    cells.push(learners.map((l) => new Set(rs.filter((r) => r.learner === l).map((r) => r.seed)).size).join(' / '));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Bar chart of the mean average |cos| per (grid, observation, learner) with the standard deviation
 * over seeds as whiskers, coloured by learner, bars in the order of the table's rows.
 */
export function laplacianChart(runs: LaplacianRun[]): VegaLiteSpec {
  const keys = [...new Set(runs.map((r) => `${r.grid}|${r.observation}`))];
  const learners = [...new Set(runs.map((r) => r.learner))];
  const bars: Bar[] = [];
  for (const key of keys) {
    const [grid, obs] = key.split('|');
    for (const l of learners) {
      const rs = runs.filter((r) => r.grid === grid && r.observation === obs && r.learner === l);
      if (rs.length === 0) continue;
      const [m, sd] = meanStd(rs.map((r) => r.averageCosine));
      bars.push({ label: `${grid} ${obs} ${l}`, value: m, error: rs.length > 1 ? sd : undefined, group: l });
    }
  }
  const seeds = new Set(runs.map((r) => r.seed)).size;
  return barChart(bars, {
    title: 'Laplacian eigenfunctions learned from observations',
    subtitle: `average |cos| with the exact eigenvectors over the first k, mean over ${seeds} seed${seeds === 1 ? '' : 's'} (whiskers: std)`,
    xTitle: 'grid, observation, learner',
    yTitle: 'average |cos|',
    legendTitle: 'learner',
    width: Math.max(480, 22 * bars.length),
  });
}

/** What a sweep's runs share, with the learners' defaults filled in (what resuming must match). */
export function benchmarkSettings(o: LaplacianBenchmarkOptions): Record<string, unknown> {
  const train: Record<string, unknown> = { steps: DEFAULT_REPLAY_STEPS, maxSeconds: DEFAULT_MAX_SECONDS, clipFactor: DEFAULT_CLIP_FACTOR };
  for (const [key, v] of Object.entries(o.train).sort(([x], [y]) => x.localeCompare(y))) if (v !== undefined && typeof v !== 'function') train[key] = v;
  return { k: o.k, transitions: o.transitions, episodeLength: REPLAY_DEFAULTS.episodeLength, train };
}

/** Whether the process `pid` of this machine is still running (a claim or lock of a killed one is stale). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Creates `file` exclusively with this process's pid and host in it; false when it exists and names
 * a live process (or one of another host, which cannot be checked). A file left by a process of this
 * host that is gone is taken over.
 */
function takeExclusive(file: string): boolean {
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname() });
  let unreadable = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: { pid?: unknown; host?: unknown } | null = null;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown };
    } catch {
      // being written this instant (look again), or left empty or damaged by a killed writer
      if (++unreadable < 2) continue;
    }
    const live = holder !== null && typeof holder.pid === 'number' && (holder.host !== os.hostname() || processAlive(holder.pid));
    if (live) return false;
    fs.rmSync(file, { force: true }); // stale: taken over on the next attempt
  }
  return false;
}

/**
 * A sweep folder that several processes (or calls) fill at once: results.json is re-read before
 * every run and merged into under a lock, and a run in progress is claimed by a file in claims/, so
 * two sweeps started on the same folder split the runs between them instead of repeating them.
 */
class SweepFolder {
  readonly jsonFile: string;
  private readonly lockFile: string;
  private readonly claims: string;
  constructor(readonly out: string, private readonly settings: Record<string, unknown>) {
    this.jsonFile = path.join(out, 'results.json');
    this.lockFile = path.join(out, 'results.lock');
    this.claims = path.join(out, 'claims');
  }

  /** The runs stored in results.json ([] when there is none); refused when written with other settings. */
  stored(): LaplacianRun[] {
    if (!fs.existsSync(this.jsonFile)) return [];
    let stored: { settings?: Record<string, unknown>; runs: LaplacianRun[] };
    try {
      stored = JSON.parse(fs.readFileSync(this.jsonFile, 'utf8')) as typeof stored;
    } catch (e) {
      throw new Error(`benchmark laplacian: ${this.jsonFile} is not valid JSON (${(e as Error).message}); repair it or choose another --out`);
    }
    if (!stored || !Array.isArray(stored.runs)) throw new Error(`benchmark laplacian: ${this.jsonFile} holds no 'runs' list; repair it or choose another --out`);
    const same = stored.settings !== undefined && JSON.stringify(stored.settings) === JSON.stringify(this.settings);
    if (!same) {
      throw new Error(
        `benchmark laplacian: ${this.jsonFile} was written with other settings (${stored.settings ? JSON.stringify(stored.settings) : 'not recorded'}) than this run's (${JSON.stringify(this.settings)}); choose another --out or the same settings`,
      );
    }
    return stored.runs;
  }

  /** Claims the run `name` for this process; false when another live process has it. */
  claim(name: string): boolean {
    fs.mkdirSync(this.claims, { recursive: true });
    return takeExclusive(path.join(this.claims, `${name}.claim`));
  }

  release(name: string): void {
    fs.rmSync(path.join(this.claims, `${name}.claim`), { force: true });
  }

  /** Adds `run` to results.json (unless a run with its key is there) and rewrites results.md, under the folder's lock. */
  async add(run: LaplacianRun, options: unknown): Promise<LaplacianRun[]> {
    for (let waited = 0; !takeExclusive(this.lockFile); waited += 50) {
      if (waited > 120_000) throw new Error(`benchmark laplacian: ${this.lockFile} has been held by another process for 2 minutes; remove it if no sweep is running`);
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      const runs = this.stored();
      if (!runs.some((r) => sameRun(r, run))) runs.push(run);
      writeFileAtomic(this.jsonFile, JSON.stringify({ settings: this.settings, options, runs }, null, 1) + '\n');
      writeFileAtomic(path.join(this.out, 'results.md'), laplacianTable(runs));
      return runs;
    } finally {
      fs.rmSync(this.lockFile, { force: true });
    }
  }
}

function sameRun(a: Pick<LaplacianRun, 'grid' | 'observation' | 'learner' | 'seed'>, b: Pick<LaplacianRun, 'grid' | 'observation' | 'learner' | 'seed'>): boolean {
  return a.grid === b.grid && a.observation === b.observation && a.learner === b.learner && a.seed === b.seed;
}

export async function runLaplacianBenchmark(o: LaplacianBenchmarkOptions, out: string, log: (s: string) => void = console.log): Promise<LaplacianRun[]> {
  if (!fs.existsSync(o.layouts)) throw new Error(`benchmark laplacian: no such folder ${o.layouts}`);
  let files = fs.readdirSync(o.layouts).filter((f) => f.endsWith('.mdp')).sort();
  if (o.grids) files = files.filter((f) => o.grids?.includes(f.replace(/\.mdp$/, '')));
  if (files.length === 0) throw new Error(`benchmark laplacian: no .mdp layouts selected in ${o.layouts}`);
  fs.mkdirSync(out, { recursive: true });
  // the settings every run of the folder shares, defaults resolved: a sweep resumes only into a
  // folder written with the same ones (a changed default must not mix two budgets in one table)
  const settings = benchmarkSettings(o);
  const folder = new SweepFolder(out, settings);
  folder.stored(); // refuses a folder of other settings before any run
  const options = { ...o, train: { ...o.train, onProgress: undefined } };
  for (const f of files) {
    let spectrum: ExactSpectrum | undefined; // decomposed on the grid's first run
    for (const obs of o.observations)
      for (const learner of o.learners)
        for (const seed of o.seeds) {
          const grid = f.replace(/\.mdp$/, '');
          const key = { grid, observation: obs, learner, seed };
          // done already (by this sweep, an earlier one or one running beside it), or being run
          if (folder.stored().some((r) => sameRun(r, key))) continue;
          const name = `${grid}_${obs}_${learner}_${seed}`;
          if (!folder.claim(name)) {
            log(`${grid} ${obs} ${learner} seed ${seed}: being run by another process, skipped`);
            continue;
          }
          try {
            if (folder.stored().some((r) => sameRun(r, key))) continue; // finished between the check and the claim
            if (!spectrum) {
              const world = GridWorld.fromName(path.join(o.layouts, f));
              spectrum = exactSpectrum(randomWalkLaplacian(world), world.numStates);
            }
            const r = await runLaplacianOnce(path.join(o.layouts, f), obs, learner, seed, o.k, o.transitions, o.train, spectrum);
            log(`${grid} ${obs} ${learner} seed ${seed}: avg |cos| ${r.averageCosine.toFixed(4)}, projection ${r.averageProjection.toFixed(4)}, ${r.steps} steps, ${r.seconds.toFixed(0)} s`);
            // written after every run so a long sweep can be resumed
            await folder.add(r, options);
          } finally {
            folder.release(name);
          }
        }
  }
  const runs = folder.stored();
  await writeChart(laplacianChart(runs), path.join(out, 'chart.png'));
  return runs;
}

interface BenchFlags {
  layouts: string;
  grids?: string;
  observations: string;
  learners: string;
  seeds: string;
  neig: string;
  transitions: string;
  steps?: string;
  maxSeconds?: string;
  out: string;
}

export function registerBenchmarkCommands(program: Command): void {
  const bench = program.command('benchmark').description('benchmarks that sweep settings and write tables');
  bench
    .command('laplacian')
    .description('SpIN, ALLO and GGDO on replayed random-walk experience over a folder of layouts: avg |cos| to the exact eigenvectors of I - P')
    .option('--layouts <dir>', 'folder of .mdp layouts', path.join('..', 'shared', 'layouts', 'allo'))
    .option('--grids <names>', 'comma-separated layout names to keep (default all)')
    .option('--observations <list>', 'comma-separated: xy, pixels', 'xy,pixels')
    .option('--learners <list>', `comma-separated: ${REPLAY_LEARNERS.join(', ')}`, REPLAY_LEARNERS.join(','))
    .option('--seeds <list>', 'comma-separated seeds', '0,1,2')
    .option('--neig <k>', 'eigenfunctions', '11')
    .option('--transitions <n>', 'replay buffer size', String(REPLAY_DEFAULTS.transitions))
    .option('--steps <n>', 'training steps per run (default: each learner its own)')
    .option('--max-seconds <s>', 'wall-clock training budget per run')
    .option('--out <dir>', 'output folder (results.json is resumed when present; sweeps started together on one folder split its runs)', 'benchmark-laplacian')
    .action(async (f: BenchFlags) => {
      const observations = f.observations.split(',').map((s) => parseChoice<GridObservation>('observations', s.trim(), ['xy', 'pixels', 'onehot']));
      const learners = f.learners.split(',').map((s) => parseChoice<ReplayLearnerName>('learners', s.trim(), REPLAY_LEARNERS));
      const runs = await runLaplacianBenchmark(
        {
          layouts: f.layouts,
          grids: f.grids ? f.grids.split(',').map((s) => s.trim()) : undefined,
          observations,
          learners,
          seeds: parseList('seeds', f.seeds),
          k: parseIntArg('neig', f.neig, 1),
          transitions: parseIntArg('transitions', f.transitions, 1),
          train: {
            steps: f.steps !== undefined ? parseIntArg('steps', f.steps, 1) : undefined,
            maxSeconds: f.maxSeconds !== undefined ? parseNumArg('max-seconds', f.maxSeconds, 0) : undefined,
          },
        },
        f.out,
      );
      console.log(laplacianTable(runs));
      console.log(`wrote ${path.join(f.out, 'results.json')}, results.md, chart.png (.svg, .vl.json)`);
    });
}
