// Exploration with eigenoptions at equal frame budgets (Machado et al. 2018, Atari): a random agent
// over primitive actions versus one over primitives plus eigenoptions. At every decision point the
// agent picks uniformly among the primitive actions and the options available there (checking an
// option's availability only when a draw lands on it, see explore(); `optionWeight` w counts each
// option as w choices, default 1); an option
// runs until it terminates (or the budget or the episode ends). This is the walk of
// agents/random_walk.ts, generalised to any Env: options may plan asynchronously (look-ahead
// eigenoptions, awaited through Option.prepare), the budget counts frames, episodes restart when
// they end, and what counts as a "state" is pluggable.
//
// Measured along the way, as curves against frames and as a final summary:
//   abstract_states  distinct values of abstractKey(info, observation) seen (default key: the
//                    observation's contents), e.g. Montezuma's (room, x, y) cell from RAM;
//   rooms            distinct values of room(info, observation) (when given);
//   score            summed extrinsic reward.
// Frames: a step's frames are read from the env's info: the growth of `episodeFrameNumber` when
// the env reports it (AtariEnv; the frames after a reset count too), else `frameskip` per step
// when reported, else 1 per step (gridworlds: frames = steps).
//
// Run directly:  node dist/agents/explore.js --env fourrooms --options 8 --frames 2000 --runs 10 --out out/explore
import * as path from 'path';
import { Command } from 'commander';
import { GridEnv, GridWorld, defaultStartGoal } from '../envs/gridworld';
import type { Env, EnvInfo, Observation } from '../src/env';
import { randomWalkEigenfunctions } from '../src/learners';
import { buildOptions, lookaheadEigenoptions } from '../src/options';
import type { Option } from '../src/options';
import { writeHtmlReport } from '../src/report/html';
import { Rng } from '../src/rng';
import { barChart, lineChart, writeChart } from '../src/viz/charts';

// ---- hyperparameters ---------------------------------------------------------------------------
export interface ExploreArgs {
  /** frame budget of one run (default 1M, as in the paper's comparisons) */
  frames: number;
  /** seed of the agent's choices (the env is reset with this seed once) */
  seed: number;
  /** a curve point every this many frames (default: frames / 100) */
  curveEvery: number;
  /** restart the episode when it ends (default true; false walks on, as random_walk.ts) */
  resetOnEnd: boolean;
  /**
   * ask every option whether it is available at every decision, then draw among primitives and the
   * available ones (default false: ask an option only when a draw lands on it, the same
   * distribution at a fraction of the look-ahead cost; true draws as agents/random_walk.ts does)
   */
  checkAllOptions: boolean;
  /**
   * each option counts as this many choices in the uniform draw (default 1: primitives and options
   * equally likely, as in Machado et al.); 2 makes every available option twice as likely as a
   * primitive. A positive integer.
   */
  optionWeight: number;
}

export const EXPLORE_DEFAULTS: ExploreArgs = { frames: 1_000_000, seed: 0, curveEvery: 10_000, resetOnEnd: true, checkAllOptions: false, optionWeight: 1 };

/** What the agent counts, from a step's info and observation. */
export interface ExploreProbes<O extends Observation = Observation, I extends EnvInfo = EnvInfo> {
  /** Abstract state of an observation (default: its contents). */
  abstractKey?: (info: I, observation: O) => number | string;
  /** Room of an observation (default: none counted). */
  room?: (info: I, observation: O) => number | string;
}

export interface ExplorePoint {
  frames: number;
  steps: number;
  abstract_states: number;
  rooms: number;
  score: number;
}

export interface ExploreSummary extends ExplorePoint {
  /** episodes started (the first included) */
  episodes: number;
  /** options started and the primitive steps taken inside them */
  option_runs: number;
  option_steps: number;
}

export interface ExploreResult {
  summary: ExploreSummary;
  /** points at 0, curveEvery, 2 curveEvery, ... frames (the first step reaching each) and at the end */
  curve: ExplorePoint[];
  /** visits per abstract state (every observation, the reset ones included) */
  visits: Map<number | string, number>;
}

/** Frames one step took, from the infos before and after it (see the file header). */
export function stepFrames(before: EnvInfo, after: EnvInfo): number {
  const a = after.episodeFrameNumber;
  const b = before.episodeFrameNumber;
  if (typeof a === 'number' && typeof b === 'number' && a >= b) return a - b;
  if (typeof after.frameskip === 'number') return after.frameskip;
  return 1;
}

/** Frames a reset took (noop frames an env runs at reset show in its episodeFrameNumber). */
function resetFrames(info: EnvInfo): number {
  return typeof info.episodeFrameNumber === 'number' ? info.episodeFrameNumber : 0;
}

function contentsKey(o: Observation): string {
  return Buffer.from(o.buffer, o.byteOffset, o.byteLength).toString('base64');
}

/**
 * One random-agent run of `frames` frames over primitives + `options` (an empty list: primitives
 * only). The agent's only randomness is one Rng(seed); options are used through Option only.
 */
export async function explore<O extends Observation, I extends EnvInfo>(
  env: Env<O, I>,
  options: readonly Option<O>[],
  probes: ExploreProbes<O, I> = {},
  partial: Partial<ExploreArgs> = {},
): Promise<ExploreResult> {
  const args: ExploreArgs = { ...EXPLORE_DEFAULTS, curveEvery: Math.max(1, Math.floor((partial.frames ?? EXPLORE_DEFAULTS.frames) / 100)), ...partial };
  if (!Number.isInteger(args.frames) || args.frames < 1) throw new Error(`explore: frames must be a positive integer, got ${args.frames}`);
  if (!Number.isInteger(args.curveEvery) || args.curveEvery < 1) throw new Error(`explore: curveEvery must be a positive integer, got ${args.curveEvery}`);
  if (!Number.isInteger(args.optionWeight) || args.optionWeight < 1) throw new Error(`explore: optionWeight must be a positive integer, got ${args.optionWeight}`);
  const w = args.optionWeight;
  const keyOf = probes.abstractKey ?? ((_i: I, o: O) => contentsKey(o));
  const rng = new Rng(args.seed);
  const visits = new Map<number | string, number>();
  const rooms = new Set<number | string>();
  const curve: ExplorePoint[] = [];
  const s: ExploreSummary = { frames: 0, steps: 0, abstract_states: 0, rooms: 0, score: 0, episodes: 0, option_runs: 0, option_steps: 0 };
  let nextPoint = 0;

  const see = (info: I, o: O): void => {
    const k = keyOf(info, o);
    visits.set(k, (visits.get(k) ?? 0) + 1);
    if (probes.room) rooms.add(probes.room(info, o));
    s.abstract_states = visits.size;
    s.rooms = rooms.size;
  };
  const record = (): void => {
    while (s.frames >= nextPoint) {
      curve.push({ frames: s.frames, steps: s.steps, abstract_states: s.abstract_states, rooms: s.rooms, score: s.score });
      nextPoint += args.curveEvery;
    }
  };

  let { observation: obs, info } = env.reset({ seed: args.seed });
  s.episodes = 1;
  s.frames += resetFrames(info);
  see(info, obs);
  record();

  /** One primitive step; returns false when the episode ended (and was restarted). */
  const step = (action: number): boolean => {
    const r = env.step(action);
    s.frames += stepFrames(info, r.info);
    s.steps++;
    s.score += r.reward;
    obs = r.observation;
    info = r.info;
    see(info, obs);
    record();
    if ((r.terminated || r.truncated) && args.resetOnEnd) {
      ({ observation: obs, info } = env.reset());
      s.episodes++;
      s.frames += resetFrames(info);
      see(info, obs);
      record();
      return false;
    }
    return true;
  };

  // options not yet ruled out at the current decision (pool[0 .. left) of option indices)
  const pool = Int32Array.from(options, (_, i) => i);
  while (s.frames < args.frames) {
    // uniform among the primitives and the options available at this observation, drawn lazily: a
    // draw that lands on an option asks whether it is available (its look-ahead runs only then) and,
    // when not, draws again without it. Every primitive and available option is equally likely, as
    // when all are checked first, but where a primitive is drawn no option has to plan.
    let left = options.length;
    let option: Option<O> | null = null;
    let primitive = -1;
    if (args.checkAllOptions) {
      const choices: number[] = Array.from({ length: env.actionCount }, (_, a) => a);
      for (let i = 0; i < options.length; i++) {
        const o = options[i];
        if (o.prepare) await o.prepare(obs);
        if (o.available(obs)) for (let r = 0; r < w; r++) choices.push(env.actionCount + i);
      }
      const c = choices[rng.int(choices.length)];
      if (c < env.actionCount) primitive = c;
      else option = options[c - env.actionCount];
    }
    while (primitive < 0 && option === null) {
      const c = rng.int(env.actionCount + left * w);
      if (c < env.actionCount) {
        primitive = c;
        break;
      }
      const j = Math.floor((c - env.actionCount) / w);
      const o = options[pool[j]];
      if (o.prepare) await o.prepare(obs);
      if (o.available(obs)) {
        option = o;
      } else {
        left--;
        [pool[j], pool[left]] = [pool[left], pool[j]];
      }
    }
    if (option === null) {
      step(primitive);
      continue;
    }
    option.begin?.(obs);
    s.option_runs++;
    for (;;) {
      if (s.frames >= args.frames) break;
      if (option.prepare) await option.prepare(obs);
      if (option.terminates(obs)) break;
      s.option_steps++;
      if (!step(option.act(obs))) break;
    }
    option.end?.();
  }
  if (curve[curve.length - 1].frames !== s.frames) curve.push({ frames: s.frames, steps: s.steps, abstract_states: s.abstract_states, rooms: s.rooms, score: s.score });
  return { summary: s, curve, visits };
}

// ---- several runs, with and without options ---------------------------------------------------

export interface CompareResult {
  /** One summary per run (seeds seed, seed + 1, ...). */
  primitives: ExploreSummary[];
  withOptions: ExploreSummary[];
  /** Mean distinct abstract states at frames 0, curveEvery, 2 curveEvery, ... */
  frames: number[];
  primitivesCurve: number[];
  withOptionsCurve: number[];
}

/** Distinct abstract states at each frame mark (the last point at or before it). */
function curveAt(curve: readonly ExplorePoint[], marks: readonly number[]): number[] {
  let j = 0;
  return marks.map((m) => {
    while (j + 1 < curve.length && curve[j + 1].frames <= m) j++;
    return curve[j].abstract_states;
  });
}

/**
 * `runs` runs of the random agent over primitives and over primitives + options, run i of both
 * with seed + i, on fresh environments and options from the factories.
 */
export async function compareExploration<O extends Observation, I extends EnvInfo>(
  makeEnv: () => Env<O, I>,
  makeOptions: (env: Env<O, I>) => readonly Option<O>[],
  probes: ExploreProbes<O, I>,
  partial: Partial<ExploreArgs> & { runs?: number } = {},
): Promise<CompareResult> {
  const runs = partial.runs ?? 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`explore: runs must be a positive integer, got ${runs}`);
  const frames = partial.frames ?? EXPLORE_DEFAULTS.frames;
  const every = partial.curveEvery ?? Math.max(1, Math.floor(frames / 100));
  const marks = Array.from({ length: Math.floor(frames / every) + 1 }, (_, i) => i * every);
  const out: CompareResult = { primitives: [], withOptions: [], frames: marks, primitivesCurve: new Array<number>(marks.length).fill(0), withOptionsCurve: new Array<number>(marks.length).fill(0) };
  for (let r = 0; r < runs; r++) {
    const seed = (partial.seed ?? EXPLORE_DEFAULTS.seed) + r;
    const base = await explore(makeEnv(), [], probes, { ...partial, seed, curveEvery: every });
    const env = makeEnv();
    const opt = await explore(env, makeOptions(env), probes, { ...partial, seed, curveEvery: every });
    out.primitives.push(base.summary);
    out.withOptions.push(opt.summary);
    curveAt(base.curve, marks).forEach((v, i) => (out.primitivesCurve[i] += v / runs));
    curveAt(opt.curve, marks).forEach((v, i) => (out.withOptionsCurve[i] += v / runs));
  }
  return out;
}

// ---- command line (gridworlds; Atari runs go through the same functions) ----------------------

function meanSd(xs: readonly number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, se: Math.sqrt(v / xs.length) };
}

async function cli(argv: string[]): Promise<void> {
  const o = new Command('explore')
    .option('--env <name>', 'gridworld name or layout file', 'fourrooms')
    .option('--options <n>', 'number of eigenoptions (+e1, -e1, +e2, ... of the exact rw eigenvectors)', '8')
    .option('--planner <kind>', "'vi' (value iteration on the model) or 'lookahead' (greedy look-ahead)", 'vi')
    .option('--frames <n>', 'frame budget per run', '2000')
    .option('--runs <n>', 'runs averaged', '10')
    .option('--seed <n>', 'seed of the first run', '0')
    .option('--out <dir>', 'where coverage.png, states.png and report.html go', 'eigenopt-out/explore')
    .parse(argv)
    .opts<Record<string, string>>();
  const world = GridWorld.fromName(o.env);
  const count = Number(o.options);
  const model = randomWalkEigenfunctions(world, Math.max(1, Math.ceil(count / 2)));
  const { start } = defaultStartGoal(world);
  const makeEnv = (): GridEnv => new GridEnv(world, { observation: 'index', start });
  const makeOptions = (env: Env<Float32Array>): readonly Option<Float32Array>[] =>
    o.planner === 'lookahead' ? lookaheadEigenoptions(env as GridEnv, model, count) : buildOptions(world, model.vectors, count);
  if (o.planner !== 'vi' && o.planner !== 'lookahead') throw new Error(`--planner must be vi or lookahead, got ${o.planner}`);
  const quadrant = (s: number): string => {
    const [r, c] = world.cells[s];
    return `${r < world.layout.rows / 2 ? 'top' : 'bottom'}-${c < world.layout.cols / 2 ? 'left' : 'right'}`;
  };
  const res = await compareExploration(makeEnv, makeOptions, { abstractKey: (i) => i.state, room: (i) => quadrant(i.state) }, {
    frames: Number(o.frames),
    runs: Number(o.runs),
    seed: Number(o.seed),
  });
  const p = meanSd(res.primitives.map((s) => s.abstract_states));
  const w = meanSd(res.withOptions.map((s) => s.abstract_states));
  console.log(`distinct states after ${o.frames} frames: primitives ${p.mean.toFixed(1)} ± ${p.se.toFixed(1)}, with ${count} options ${w.mean.toFixed(1)} ± ${w.se.toFixed(1)}`);
  const title = `Random exploration on ${world.layout.name}`;
  const coverage = lineChart(
    [
      { name: 'primitives', x: res.frames, y: res.primitivesCurve },
      { name: `primitives + ${count} eigenoptions (${o.planner})`, x: res.frames, y: res.withOptionsCurve },
    ],
    { title, subtitle: `mean over ${o.runs} runs`, xTitle: 'frames', yTitle: 'distinct states visited', legendTitle: 'agent' },
  );
  const bars = barChart(
    [
      { label: 'primitives', value: p.mean, error: p.se },
      { label: 'eigenoptions', value: w.mean, error: w.se },
    ],
    { title: `Distinct states after ${o.frames} frames`, xTitle: 'agent', yTitle: 'distinct states (mean ± s.e.)', legendTitle: 'agent' },
  );
  await writeChart(coverage, path.join(o.out, 'coverage.png'));
  await writeChart(bars, path.join(o.out, 'states.png'));
  const table = (name: string, xs: ExploreSummary[]): (string | number)[] => {
    const m = (f: (s: ExploreSummary) => number): number => meanSd(xs.map(f)).mean;
    return [name, m((s) => s.frames), m((s) => s.abstract_states), m((s) => s.rooms), m((s) => s.score), m((s) => s.option_runs)];
  };
  const file = await writeHtmlReport(o.out, {
    title,
    subtitle: `node dist/agents/explore.js ${argv.slice(2).join(' ')}`,
    sections: [
      {
        title: 'Summary',
        blocks: [
          { kind: 'table', caption: `means over ${o.runs} runs`, columns: ['agent', 'frames', 'distinct states', 'rooms', 'score', 'option runs'], rows: [table('primitives', res.primitives), table('eigenoptions', res.withOptions)] },
          { kind: 'chart', id: 'coverage', spec: coverage },
          { kind: 'chart', id: 'states', spec: bars },
        ],
      },
    ],
  });
  console.log(`report: ${file}`);
}

if (require.main === module) {
  cli(process.argv).catch((err) => {
    process.stderr.write(`explore: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
