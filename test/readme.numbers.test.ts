// The four-room numbers quoted in the README are recomputed here from the README's own tables.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { GridWorld, defaultStartGoal } from '../envs/gridworld';
import { runQLearning, tailMean } from '../agents/q_learning';
import { gridTask } from '../agents/tabular_task';
import { randomWalkEigenfunctions } from '../src/learners';
import { buildOptions, diffusionTime } from '../src/options';

function tableAfter(marker: string): string[][] {
  const lines = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`readme-numbers: ${marker}`));
  if (i < 0) throw new Error(`README has no table marked ${marker}`);
  const rows: string[][] = [];
  for (let j = i + 1; j < lines.length && lines[j].startsWith('|'); j++) rows.push(lines[j].split('|').slice(1, -1).map((c) => c.trim()));
  return rows.filter((r) => !r[0].startsWith('---'));
}

describe('README numbers (four-room, exact rw eigenoptions)', () => {
  const world = GridWorld.fromName('fourrooms');
  // the CLI writes eigenfunctions as float32 and evaluate/agent read them back: do the same here
  const vectors = randomWalkEigenfunctions(world, 32).vectors.map((v) => Float64Array.from(Float32Array.from(v)));

  it('diffusion time table', () => {
    const [header, values] = tableAfter('diffusion');
    const counts = header.slice(1).map(Number);
    const all = buildOptions(world, vectors, Math.max(...counts));
    counts.forEach((c, i) => expect(diffusionTime(world, all.slice(0, c)).mean.toFixed(1), `${c} options`).to.equal(values[i + 1]));
  });

  it('Q-learning table', () => {
    const rows = tableAfter('q-learning').slice(1);
    const { start, goal } = defaultStartGoal(world);
    const all = buildOptions(world, vectors, 64);
    for (const [count, ret, steps] of rows) {
      const res = runQLearning(gridTask(world, { start, goal }), all.slice(0, Number(count)), { episodes: 500, runs: 100 });
      expect(tailMean(res.meanReturn).toFixed(4), `${count} options: return`).to.equal(ret);
      expect(tailMean(res.meanSteps).toFixed(1), `${count} options: steps`).to.equal(steps);
    }
  });
});
