// `eigenopt agent`: Machado's Q-learning experiment over primitives + eigenoptions, with return curves.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { GridWorld, defaultStartGoal } from '../envs/gridworld';
import { Q_LEARNING_DEFAULTS, defaultEpisodes, runQLearning, tailMean } from '../agents/q_learning';
import { gridTask } from '../agents/tabular_task';
import { writeNpy } from '../src/data';
import { buildOptions } from '../src/options';
import { lineChart, writeChart } from '../src/viz/charts';
import type { LineSeries } from '../src/viz/charts';
import { loadGridEigenfunctions } from './eigen_io';
import { EigenFolderFlags, OptionFlags, addEigenFolderFlags, addOptionFlags, optionConfigOf, parseIntArg, parseList, parseNumArg } from './flags';

interface AgentFlags extends OptionFlags, EigenFolderFlags {
  options: string;
  episodes?: string;
  runs: string;
  alpha: string;
  discount: string;
  epsilon: string;
  maxSteps: string;
  seed: string;
  out?: string;
  json: boolean;
}

export interface AgentSummary {
  options: number;
  /** mean discounted return of the first and last 10% of episodes */
  early: number;
  final: number;
  /** mean episode length (primitive steps) over the last 10% of episodes */
  finalSteps: number;
}

export async function agent(o: AgentFlags, log: (s: string) => void = console.log): Promise<AgentSummary[]> {
  const env = GridWorld.fromName(o.env);
  const counts = parseList('options', o.options);
  const { model, vectors } = await loadGridEigenfunctions(o.eigen, env);
  model.dispose();
  const max = Math.max(...counts);
  if (max > 2 * vectors.length) {
    throw new Error(`${max} options need ${Math.ceil(max / 2)} eigenfunctions but ${o.eigen} has ${vectors.length}`);
  }
  const all = buildOptions(env, vectors, max, optionConfigOf(o));
  const args = {
    episodes: o.episodes !== undefined ? parseIntArg('episodes', o.episodes, 1) : defaultEpisodes(env.layout.name),
    runs: parseIntArg('runs', o.runs, 1),
    alpha: parseNumArg('alpha', o.alpha),
    gamma: parseNumArg('discount', o.discount),
    epsilon: parseNumArg('epsilon', o.epsilon),
    maxSteps: parseIntArg('max-steps', o.maxSteps, 1),
    seed: parseIntArg('seed', o.seed),
  };
  const { start, goal } = defaultStartGoal(env);
  log(
    `Q-learning on ${env.layout.name}: start ${JSON.stringify(env.cells[start])}, goal ${JSON.stringify(env.cells[goal])}, ` +
      `${args.episodes} episodes x ${args.maxSteps} steps, ${args.runs} runs, alpha ${args.alpha}, gamma ${args.gamma}, epsilon ${args.epsilon}`,
  );
  const outDir = o.out ?? o.eigen;
  fs.mkdirSync(outDir, { recursive: true });
  const series: LineSeries[] = [];
  const summary: AgentSummary[] = [];
  for (const c of counts) {
    const res = runQLearning(gridTask(env, { start, goal }), all.slice(0, c), args);
    const s: AgentSummary = {
      options: c,
      early: tailMean(res.meanReturn.slice(0, Math.max(1, Math.floor(args.episodes / 10)))),
      final: tailMean(res.meanReturn),
      finalSteps: tailMean(res.meanSteps),
    };
    summary.push(s);
    log(`  ${String(c).padStart(4)} options: return first 10% ${s.early.toFixed(4)}, last 10% ${s.final.toFixed(4)}, steps last 10% ${s.finalSteps.toFixed(1)}`);
    writeNpy(path.join(outDir, `returns_${c}_options.npy`), Float32Array.from(res.meanReturn));
    series.push({ name: c === 0 ? 'primitives only' : `${c} eigenoptions`, x: Array.from({ length: args.episodes }, (_, i) => i + 1), y: res.meanReturn });
  }
  const plot = path.join(outDir, 'returns.png');
  const spec = lineChart(series, {
    title: `Q-learning on ${env.layout.name}: primitives + eigenoptions`,
    subtitle: `mean over ${args.runs} runs; alpha ${args.alpha}, gamma ${args.gamma}, epsilon ${args.epsilon}, ${args.maxSteps} steps per episode`,
    xTitle: 'episode',
    yTitle: 'discounted return',
    legendTitle: 'actions',
  });
  const written = await writeChart(spec, plot);
  log(`plot: ${plot} (mean discounted return per episode; with ${path.basename(written.svg)} and the Vega-Lite spec ${path.basename(written.spec)})`);
  if (o.json) log(JSON.stringify({ q_learning: summary }));
  return summary;
}

export function registerAgentCommand(program: Command): void {
  addOptionFlags(
    addEigenFolderFlags(program.command('agent').description('Q-learning over primitives + eigenoptions (Machado et al. 2017 reward experiment)'))
      .option('--options <list>', 'numbers of options, comma-separated (0 = primitives only)', '0,8')
      .option('--episodes <n>', 'episodes per run (default 500 on fourrooms, 250 elsewhere)')
      .option('--runs <n>', 'independent runs averaged', String(Q_LEARNING_DEFAULTS.runs))
      .option('--alpha <x>', 'learning rate', String(Q_LEARNING_DEFAULTS.alpha))
      .option('--discount <x>', 'discount of the task', String(Q_LEARNING_DEFAULTS.gamma))
      .option('--epsilon <x>', 'epsilon-greedy exploration', String(Q_LEARNING_DEFAULTS.epsilon))
      .option('--max-steps <n>', 'primitive steps per episode', String(Q_LEARNING_DEFAULTS.maxSteps))
      .option('--seed <n>', 'seed of the first run', '0')
      .option('--out <dir>', 'where returns.png and returns_*.npy go (default: the --eigen folder)')
      .option('--json', 'print a JSON summary line last', false),
  ).action(async (o: AgentFlags) => {
    await agent(o);
  });
}
