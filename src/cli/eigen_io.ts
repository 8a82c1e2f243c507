// Eigenfunction folders of gridworld runs: written by `discover`, read by `evaluate` and `agent`.
import * as fs from 'fs';
import * as path from 'path';
import type { GridWorld } from '../../envs/gridworld';
import { EigenfunctionModel, loadEigenfunctionModel, stateValues } from '../models/eigenfunctions';

/** Writes the model plus states.json (the (row, col) of each state row). */
export async function saveGridEigenfunctions(dir: string, world: GridWorld, model: EigenfunctionModel, meta: Record<string, unknown>): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(dir, { env: world.layout.name, ...meta });
  fs.writeFileSync(path.join(dir, 'states.json'), JSON.stringify(world.cells.map(([r, c]) => [r, c])) + '\n');
}

/** The model in DIR and its values on every state of the world (checked against states.json). */
export async function loadGridEigenfunctions(dir: string, world: GridWorld): Promise<{ model: EigenfunctionModel; vectors: Float64Array[] }> {
  const model = await loadEigenfunctionModel(dir);
  if ('numStates' in model && model.numStates !== world.numStates) {
    throw new Error(`${path.join(dir, 'eigenfunctions.npy')} has ${String(model.numStates)} rows but ${world.layout.name} has ${world.numStates} states`);
  }
  const statesFile = path.join(dir, 'states.json');
  if (fs.existsSync(statesFile)) {
    const cells = JSON.parse(fs.readFileSync(statesFile, 'utf8')) as number[][];
    const same = cells.length === world.numStates && cells.every((c, i) => c[0] === world.cells[i][0] && c[1] === world.cells[i][1]);
    if (!same) throw new Error(`${statesFile} does not match the states of ${world.layout.name} (different layout?)`);
  }
  return { model, vectors: await stateValues(model, world) };
}
