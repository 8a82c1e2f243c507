// `eigenopt evaluate`: diffusion time of the eigenoptions of learned eigenfunctions, with a plot.
import * as path from 'path';
import type { Command } from 'commander';
import { GridWorld } from '../envs/gridworld';
import { buildOptions, diffusionTime } from '../src/options';
import { lineChart, writeChart } from '../src/viz/charts';
import { loadGridEigenfunctions } from './eigen_io';
import { EigenFolderFlags, OptionFlags, addEigenFolderFlags, addOptionFlags, optionConfigOf, parseList } from './flags';

interface EvaluateFlags extends OptionFlags, EigenFolderFlags {
  options: string;
  json: boolean;
  plot?: string;
}

export async function evaluate(o: EvaluateFlags, log: (s: string) => void = console.log): Promise<Record<string, number>> {
  const env = GridWorld.fromName(o.env);
  const { model, vectors } = await loadGridEigenfunctions(o.eigen, env);
  model.dispose();
  const counts = parseList('options', o.options);
  const cfg = optionConfigOf(o);
  const max = Math.max(...counts);
  if (max > 2 * vectors.length) {
    throw new Error(`${max} options need ${Math.ceil(max / 2)} eigenfunctions but ${o.eigen} has ${vectors.length} (rerun discover with --neig ${Math.ceil(max / 2)})`);
  }
  const all = buildOptions(env, vectors, max, cfg);
  const result: Record<string, number> = {};
  log(`diffusion time on ${env.layout.name} (${model.learner} options; mean primitive steps between two states)`);
  for (const c of counts) {
    const dt = diffusionTime(env, all.slice(0, c)).mean;
    result[String(c)] = dt;
    log(`  ${String(c).padStart(4)} options: ${dt.toFixed(1)}`);
  }
  const plotFile = o.plot ?? path.join(o.eigen, 'diffusion_time.png');
  const sorted = [...counts].sort((a, b) => a - b);
  const spec = lineChart([{ name: `${model.learner} eigenoptions`, x: sorted, y: sorted.map((c) => result[String(c)]) }], {
    title: `Diffusion time on ${env.layout.name}`,
    subtitle: 'mean primitive steps between two states under a random walk over primitives + options',
    xTitle: 'number of options',
    yTitle: 'diffusion time (steps, log scale)',
    legendTitle: 'agent',
    logY: true,
    points: true,
    rules: result['0'] !== undefined ? [{ y: result['0'], label: 'primitives only' }] : [],
  });
  const written = await writeChart(spec, plotFile);
  log(`plot: ${plotFile} (with ${path.basename(written.svg)} and the Vega-Lite spec ${path.basename(written.spec)})`);
  if (o.json) log(JSON.stringify({ diffusion_time: result }));
  return result;
}

export function registerEvaluateCommand(program: Command): void {
  addOptionFlags(
    addEigenFolderFlags(program.command('evaluate').description('diffusion time of the eigenoptions of learned eigenfunctions, with a plot'))
      .option('--options <list>', 'numbers of options, comma-separated', '0,2,4,8,16')
      .option('--json', 'print a JSON line {"diffusion_time": {...}} last', false)
      .option('--plot <file>', 'PNG of diffusion time against the number of options (default DIR/diffusion_time.png)'),
  ).action(async (o: EvaluateFlags) => {
    await evaluate(o);
  });
}
