// Eigenfunction folders of gridworld runs: written by `discover`, read by `evaluate` and `agent`.
// Every folder has eigenfunctions.npy (float32 [states, k], the model evaluated on every state, for
// NumPy users) and states.json; network models (SpIN) also keep their weights and load as networks.
import * as fs from 'fs';
import * as path from 'path';
import type { GridWorld } from '../envs/gridworld';
import { writeNpy } from '../src/data/npy';
import { EigenfunctionModel, loadEigenfunctionModel, stateValues } from '../src/models/eigenfunctions';

/**
 * Writes the model, its values on every state (eigenfunctions.npy) and states.json. `vectors` are
 * those values (stateValues(model, world)) when the caller has them already.
 */
export async function saveGridEigenfunctions(dir: string, world: GridWorld, model: EigenfunctionModel, meta: Record<string, unknown>, vectors?: Float64Array[]): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(dir, { env: world.layout.name, ...meta });
  if (model.observation !== 'index') {
    vectors ??= await stateValues(model, world);
    const n = world.numStates;
    const k = model.k;
    const m = new Float32Array(n * k);
    for (let s = 0; s < n; s++) for (let j = 0; j < k; j++) m[s * k + j] = vectors[j][s];
    writeNpy(path.join(dir, 'eigenfunctions.npy'), m, [n, k]);
  }
  fs.writeFileSync(path.join(dir, 'states.json'), JSON.stringify(world.cells.map(([r, c]) => [r, c])) + '\n');
}

/** The model in DIR and its values on every state of the world (checked against states.json). */
export async function loadGridEigenfunctions(dir: string, world: GridWorld): Promise<{ model: EigenfunctionModel; vectors: Float64Array[] }> {
  const model = await loadEigenfunctionModel(dir, async (d, meta) => {
    const { initBackend } = await import('../src/backend');
    await initBackend();
    const { loadSpinEigenfunctions } = await import('../src/spin/model');
    return loadSpinEigenfunctions(d, meta);
  });
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
