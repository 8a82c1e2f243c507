// npm run conformance: replays the upstream golden traces (ale-v5, ale-frameskip1, screen dumps)
// for every supported game and prints one row per game: exact, or the first diverging line and
// fields. Exit code: 1 on errors (missing data, loadROM failure); divergence only fails with --strict.
//
//   node dist/scripts/conformance.js [--games a,b] [--sets ale-v5,ale-frameskip1] [--strict]
//        [--json out.json] [--shared DIR] [--trace-dir DIR]
// --trace-dir writes <rom>.cpu.bin/<rom>.tia.bin debug traces of the ale-frameskip1 replay over the
// window of ../shared/conformance/debug (power-on .. step 19), for its read_debug.py diff.
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';

import { describeResult, replayTrace, ReplayResult, TRACE_SETS, TraceSet } from '../src/ale/conformance';
import { packageRoot } from '../src/ale/native';

interface Args {
  games?: string[];
  sets: TraceSet[];
  strict: boolean;
  json?: string;
  shared: string;
  traceDir?: string;
}

function parseArgs(argv: string[]): Args {
  const o = new Command('conformance')
    .description('replays the upstream golden traces for every supported game')
    .option('--games <list>', 'comma-separated games (default: all)')
    .option('--sets <list>', `trace sets (default ${TRACE_SETS.join(',')})`, TRACE_SETS.join(','))
    .option('--strict', 'exit 1 on any divergence', false)
    .option('--json <file>', 'write the results as JSON')
    .option('--shared <dir>', 'the shared folder', process.env.EIGENOPT_SHARED_DIR ?? path.resolve(packageRoot(), '..', 'shared'))
    .option('--trace-dir <dir>', 'write debug CPU/TIA traces of the ale-frameskip1 window here')
    .parse(argv, { from: 'user' })
    .opts<{ games?: string; sets: string; strict: boolean; json?: string; shared: string; traceDir?: string }>();
  const sets = o.sets.split(',').filter((x) => x.length > 0);
  for (const s of sets) if (!TRACE_SETS.includes(s as TraceSet)) throw new Error(`conformance: unknown set '${s}'`);
  return {
    games: o.games?.split(',').filter((x) => x.length > 0),
    sets: sets as TraceSet[],
    strict: o.strict,
    json: o.json,
    shared: o.shared,
    traceDir: o.traceDir,
  };
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const conformanceDir = path.join(args.shared, 'conformance');
  const romDir = process.env.EIGENOPT_ROM_DIR ?? path.join(args.shared, 'roms');
  const indexFile = path.join(conformanceDir, 'index.json');
  if (!fs.existsSync(indexFile)) throw new Error(`conformance: ${indexFile} not found (set EIGENOPT_SHARED_DIR)`);
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { sets: Record<string, Record<string, unknown>> };
  const all = Object.keys(index.sets['ale-v5']).sort();
  const games = args.games ?? all;
  for (const g of games) if (!all.includes(g)) throw new Error(`conformance: no traces for game '${g}'`);

  const results: ReplayResult[] = [];
  let errors = 0;
  let divergent = 0;
  const exactBySet: Record<string, number> = {};
  console.log(`game                | ${args.sets.join(' | ')}`);
  for (const game of games) {
    const cells: string[] = [];
    for (const set of args.sets) {
      const traceDir = set === 'ale-frameskip1' ? args.traceDir : undefined;
      const r = replayTrace(game, set, { conformanceDir, romDir, traceDir });
      results.push(r);
      if (r.error) errors++;
      else if (!r.exact) divergent++;
      else exactBySet[set] = (exactBySet[set] ?? 0) + 1;
      cells.push(describeResult(r));
    }
    console.log(`${game.padEnd(20)}| ${cells.join(' | ')}`);
  }
  const summary = args.sets.map((s) => `${s}: ${exactBySet[s] ?? 0}/${games.length} exact`).join(', ');
  console.log(`\n${summary}; ${divergent} divergent, ${errors} errors`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 1));
  if (errors > 0) return 1;
  if (args.strict && divergent > 0) return 1;
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
