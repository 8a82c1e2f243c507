// Deterministic tabular gridworlds in Machado's layout format.
//
// Layout text: first line `rows,cols`, then `rows` lines of `cols` characters: `X` wall, `.` free,
// `S` free start cell, `G` free goal cell. Actions: 0 up, 1 down, 2 left, 3 right. Moving into a
// wall (or off the grid) leaves the state unchanged. States are numbered row-major over free
// cells; (row, col) are counted with the outer walls included.
import * as fs from 'fs';
import * as path from 'path';
import { checkAction } from '../src/env';
import type { Env, ResetOptions, ResetResult, StepResult } from '../src/env';
import { adjacencyMatrix, checkState, randomWalkMatrix } from '../src/mdp';
import type { ObservableMDP } from '../src/mdp';
import { Rng } from '../src/rng';

export const ACTION_NAMES = ['up', 'down', 'left', 'right'] as const;
export const NUM_ACTIONS = 4;
/** Row/column displacement of each action, in action order. */
export const ACTION_DELTAS: ReadonlyArray<readonly [number, number]> = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

export type Cell = readonly [number, number];

export interface Layout {
  name: string;
  rows: number;
  cols: number;
  /** rows*cols, row-major, true for a wall. */
  walls: boolean[];
  start: Cell | null;
  goal: Cell | null;
}

/** Names of the layouts shipped in envs/layouts. */
export const BUILTIN_LAYOUTS: Record<string, string> = {
  fourrooms: 'fourrooms.mdp',
  openroom: 'openroom.mdp',
  imaze: 'imaze.mdp',
};

export function parseLayout(text: string, name = 'layout'): Layout {
  const lines = text.replace(/\r/g, '').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new Error(`layout ${name}: empty`);
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(lines[0]);
  if (!m) throw new Error(`layout ${name}: first line must be "rows,cols", got ${JSON.stringify(lines[0])}`);
  const rows = Number(m[1]);
  const cols = Number(m[2]);
  if (rows < 1 || cols < 1) throw new Error(`layout ${name}: rows and cols must be positive`);
  if (lines.length - 1 !== rows) {
    throw new Error(`layout ${name}: header says ${rows} rows but ${lines.length - 1} grid lines follow`);
  }
  const walls: boolean[] = [];
  let start: Cell | null = null;
  let goal: Cell | null = null;
  for (let r = 0; r < rows; r++) {
    const line = lines[r + 1];
    if (line.length !== cols) {
      throw new Error(`layout ${name}: line ${r + 2} has ${line.length} characters, expected ${cols}`);
    }
    for (let c = 0; c < cols; c++) {
      const ch = line[c];
      if (ch === 'X') walls.push(true);
      else if (ch === '.' || ch === 'S' || ch === 'G') {
        walls.push(false);
        if (ch === 'S') start = [r, c];
        if (ch === 'G') goal = [r, c];
      } else {
        throw new Error(`layout ${name}: unexpected character ${JSON.stringify(ch)} at row ${r}, col ${c}`);
      }
    }
  }
  if (!walls.some((w) => !w)) throw new Error(`layout ${name}: no free cells`);
  return { name, rows, cols, walls, start, goal };
}

/** Directory of the layout files shipped with the package. */
export function layoutsDir(): string {
  // Works from both envs/ (ts-node) and dist/envs/ (compiled): look for the .mdp files.
  const candidates = [path.join(__dirname, 'layouts'), path.join(__dirname, '..', '..', 'envs', 'layouts')];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'fourrooms.mdp'))) return c;
  throw new Error(`cannot find the envs/layouts folder (looked in ${candidates.join(', ')})`);
}

/** Loads a builtin layout by name (fourrooms, openroom, imaze) or a layout file by path. */
export function loadLayout(nameOrPath: string): Layout {
  const builtin = BUILTIN_LAYOUTS[nameOrPath.toLowerCase()];
  const file = builtin ? path.join(layoutsDir(), builtin) : nameOrPath;
  if (!fs.existsSync(file)) {
    throw new Error(
      `unknown gridworld ${JSON.stringify(nameOrPath)}: not one of ${Object.keys(BUILTIN_LAYOUTS).join(', ')} and no such file`,
    );
  }
  const name = builtin ? nameOrPath.toLowerCase() : path.basename(file).replace(/\.[^.]*$/, '');
  return parseLayout(fs.readFileSync(file, 'utf8'), name);
}

export type ObservationKind = 'index' | 'onehot' | 'xy' | 'pixels';
export const OBSERVATION_KINDS: readonly ObservationKind[] = ['index', 'onehot', 'xy', 'pixels'];

/** Pixels per cell side of the 'pixels' observation unless a world or call says otherwise. */
export const DEFAULT_PIXEL_SCALE = 1;

/** Grey levels of the 'pixels' observation: free floor, wall, agent. */
export const PIXEL_COLORS = { free: 0, wall: 0.5, agent: 1 } as const;

export interface PixelOptions {
  /** Pixels per cell side (default: the world's pixel scale, DEFAULT_PIXEL_SCALE unless set). */
  scale?: number;
}

export interface GridWorldOptions {
  /** Pixels per cell side of 'pixels' observations (default DEFAULT_PIXEL_SCALE). */
  pixelScale?: number;
}

export class GridWorld implements ObservableMDP {
  readonly layout: Layout;
  readonly numStates: number;
  readonly numActions = NUM_ACTIONS;
  /** (row, col) of each state. */
  readonly cells: Cell[];
  /** numStates*4 table: next state of (s, a). */
  readonly nextTable: Int32Array;
  /** Pixels per cell side of 'pixels' observations. */
  readonly pixelScale: number;
  private readonly indexOf: Int32Array;
  /** The 'pixels' image without the agent, per pixel scale, rendered on first use (observe copies it). */
  private readonly backgrounds = new Map<number, Float32Array>();

  constructor(layout: Layout, options: GridWorldOptions = {}) {
    this.layout = layout;
    this.pixelScale = pixelScale({ scale: options.pixelScale ?? DEFAULT_PIXEL_SCALE });
    this.indexOf = new Int32Array(layout.rows * layout.cols).fill(-1);
    this.cells = [];
    for (let r = 0; r < layout.rows; r++) {
      for (let c = 0; c < layout.cols; c++) {
        if (!layout.walls[r * layout.cols + c]) {
          this.indexOf[r * layout.cols + c] = this.cells.length;
          this.cells.push([r, c]);
        }
      }
    }
    this.numStates = this.cells.length;
    this.nextTable = new Int32Array(this.numStates * NUM_ACTIONS);
    for (let s = 0; s < this.numStates; s++) {
      const [r, c] = this.cells[s];
      for (let a = 0; a < NUM_ACTIONS; a++) {
        const nr = r + ACTION_DELTAS[a][0];
        const nc = c + ACTION_DELTAS[a][1];
        const t = this.stateAt(nr, nc);
        this.nextTable[s * NUM_ACTIONS + a] = t < 0 ? s : t;
      }
    }
  }

  static fromName(nameOrPath: string, options: GridWorldOptions = {}): GridWorld {
    return new GridWorld(loadLayout(nameOrPath), options);
  }

  /** State index of (row, col), or -1 for a wall or outside the grid. */
  stateAt(row: number, col: number): number {
    const { rows, cols } = this.layout;
    if (row < 0 || col < 0 || row >= rows || col >= cols) return -1;
    return this.indexOf[row * cols + col];
  }

  private checkState(s: number): void {
    if (!Number.isInteger(s) || s < 0 || s >= this.numStates) {
      throw new Error(`state ${s} out of range [0, ${this.numStates})`);
    }
  }

  next(s: number, a: number): number {
    this.checkState(s);
    if (!Number.isInteger(a) || a < 0 || a >= NUM_ACTIONS) throw new Error(`action ${a} out of range [0, 4)`);
    return this.nextTable[s * NUM_ACTIONS + a];
  }

  /** True when action a from s bumps into a wall (the state does not change). */
  blocked(s: number, a: number): boolean {
    return this.next(s, a) === s;
  }

  /** Uniform-random-walk transition matrix P (row-major n*n), wall bumps as self-loops. */
  randomWalkMatrix(): Float64Array {
    return randomWalkMatrix(this);
  }

  /** 4-neighbour adjacency W (row-major n*n), no self loops. */
  adjacencyMatrix(): Float64Array {
    return adjacencyMatrix(this);
  }

  /** Length of one observation vector of the given kind. */
  observationSize(kind: ObservationKind, pixels: PixelOptions = { scale: this.pixelScale }): number {
    switch (kind) {
      case 'index':
        return 1;
      case 'onehot':
        return this.numStates;
      case 'xy':
        return 2;
      case 'pixels': {
        const scale = pixelScale(pixels);
        return this.layout.rows * scale * this.layout.cols * scale;
      }
      default:
        throw new Error(`unknown observation kind ${JSON.stringify(kind)} (expected ${OBSERVATION_KINDS.join(', ')})`);
    }
  }

  /** Shape of one observation: [1], [n], [2] or [height, width] (grayscale pixels). */
  observationShape(kind: ObservationKind, pixels: PixelOptions = { scale: this.pixelScale }): number[] {
    if (kind === 'pixels') {
      const scale = pixelScale(pixels);
      return [this.layout.rows * scale, this.layout.cols * scale];
    }
    return [this.observationSize(kind)];
  }

  /**
   * Observation of state s written into `out` (length observationSize). `index`: the state number;
   * `onehot`: indicator vector; `xy`: (row, col) of the agent, each scaled linearly so the grid's
   * first and last row (column), outer walls included, map to -1 and 1; `pixels`: the top-down
   * grayscale image of the whole layout, (rows * scale) x (cols * scale) with `scale` pixels per cell
   * side, free cells 0, walls 0.5, the agent's cell 1 (PIXEL_COLORS).
   */
  observe(s: number, kind: ObservationKind, out?: Float32Array, pixels: PixelOptions = { scale: this.pixelScale }): Float32Array {
    this.checkState(s);
    const size = this.observationSize(kind, pixels);
    const o = out ?? new Float32Array(size);
    if (o.length < size) throw new Error(`observation buffer too small: ${o.length} < ${size}`);
    const [r, c] = this.cells[s];
    switch (kind) {
      case 'index':
        o[0] = s;
        break;
      case 'onehot':
        o.fill(0, 0, size);
        o[s] = 1;
        break;
      case 'xy':
        o[0] = this.layout.rows > 1 ? (2 * r) / (this.layout.rows - 1) - 1 : 0;
        o[1] = this.layout.cols > 1 ? (2 * c) / (this.layout.cols - 1) - 1 : 0;
        break;
      case 'pixels': {
        const scale = pixelScale(pixels);
        const W = this.layout.cols * scale;
        o.set(this.background(scale));
        for (let y = r * scale; y < (r + 1) * scale; y++) o.fill(PIXEL_COLORS.agent, y * W + c * scale, y * W + (c + 1) * scale);
        break;
      }
    }
    return o;
  }

  /** The layout's image at `scale` pixels per cell: walls PIXEL_COLORS.wall, everything else free. */
  private background(scale: number): Float32Array {
    let img = this.backgrounds.get(scale);
    if (!img) {
      const W = this.layout.cols * scale;
      img = new Float32Array(this.layout.rows * scale * W);
      for (let y = 0; y < this.layout.rows * scale; y++) {
        for (let x = 0; x < W; x++) {
          img[y * W + x] = this.layout.walls[Math.floor(y / scale) * this.layout.cols + Math.floor(x / scale)] ? PIXEL_COLORS.wall : PIXEL_COLORS.free;
        }
      }
      this.backgrounds.set(scale, img);
    }
    return img;
  }

  /** Observations of many states, concatenated (states.length * observationSize). */
  observeBatch(states: ArrayLike<number>, kind: ObservationKind, pixels: PixelOptions = { scale: this.pixelScale }): Float32Array {
    const size = this.observationSize(kind, pixels);
    const out = new Float32Array(states.length * size);
    for (let i = 0; i < states.length; i++) {
      this.observe(states[i], kind, out.subarray(i * size, (i + 1) * size), pixels);
    }
    return out;
  }

  /** ObservableMDP: shape of one observation of a kind, at this world's pixel scale. */
  observationShapeOf(kind: string): readonly number[] {
    return this.observationShape(asKind(kind));
  }

  /** ObservableMDP: observations of the given states, at this world's pixel scale. */
  observeStates(states: ArrayLike<number>, kind: string): Float32Array {
    return this.observeBatch(states, asKind(kind));
  }

  /** The layout as text, optionally marking one state with `A`. */
  render(agent?: number): string {
    const { rows, cols, walls } = this.layout;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      let line = '';
      for (let c = 0; c < cols; c++) {
        const s = this.stateAt(r, c);
        line += walls[r * cols + c] ? 'X' : agent !== undefined && s === agent ? 'A' : '.';
      }
      lines.push(line);
    }
    return lines.join('\n');
  }
}

function asKind(kind: string): ObservationKind {
  if (!(OBSERVATION_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown observation kind ${JSON.stringify(kind)} (expected ${OBSERVATION_KINDS.join(', ')})`);
  return kind as ObservationKind;
}

function pixelScale(p: PixelOptions): number {
  const scale = p.scale ?? DEFAULT_PIXEL_SCALE;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`pixel scale must be a positive integer, got ${scale}`);
  return scale;
}

/** Bottom-left and top-right free cells (Machado's start and goal) unless the layout marks S/G. */
export function defaultStartGoal(env: GridWorld): { start: number; goal: number } {
  const L = env.layout;
  let start = L.start ? env.stateAt(L.start[0], L.start[1]) : -1;
  let goal = L.goal ? env.stateAt(L.goal[0], L.goal[1]) : -1;
  if (start < 0) {
    // bottom-most row, then left-most column
    let best = 0;
    for (let s = 1; s < env.numStates; s++) {
      const [r, c] = env.cells[s];
      const [br, bc] = env.cells[best];
      if (r > br || (r === br && c < bc)) best = s;
    }
    start = best;
  }
  if (goal < 0) {
    let best = 0;
    for (let s = 1; s < env.numStates; s++) {
      const [r, c] = env.cells[s];
      const [br, bc] = env.cells[best];
      if (r < br || (r === br && c > bc)) best = s;
    }
    goal = best;
  }
  return { start, goal };
}

export interface GridEnvOptions {
  /** Observation kind of reset/step (default 'index': the state number as a float). */
  observation?: ObservationKind;
  /** Start state of every episode; undefined: the layout's S cell, else uniformly random. */
  start?: number | 'layout' | 'uniform';
  /** Goal state: reaching it gives reward 1 and ends the episode (default: none). */
  goal?: number;
  /** Steps after which an episode is truncated (default: never). */
  maxSteps?: number;
  /** Seed of the uniform start draws (default 0). */
  seed?: number;
}

export interface GridInfo {
  [key: string]: number;
  /** The agent's state index (for evaluation code; learners never read it). */
  state: number;
  /** Steps taken in this episode. */
  step: number;
}

/**
 * A gridworld as an `Env`: episodes from a start state (fixed or uniform), four actions, an
 * optional goal (reward 1, terminated) and step limit (truncated). Observations are fresh arrays.
 */
export class GridEnv implements Env<Float32Array, GridInfo, number> {
  readonly actionCount = NUM_ACTIONS;
  readonly observationShape: readonly number[];
  readonly observation: ObservationKind;
  private readonly start: number | 'uniform';
  private readonly goal: number;
  private readonly maxSteps: number;
  private rng: Rng;
  private s = 0;
  private t = 0;

  constructor(readonly world: GridWorld, options: GridEnvOptions = {}) {
    this.observation = asKind(options.observation ?? 'index');
    this.observationShape = world.observationShape(this.observation);
    const st = options.start ?? 'layout';
    if (st === 'layout') {
      const L = world.layout.start;
      this.start = L ? world.stateAt(L[0], L[1]) : 'uniform';
    } else if (st === 'uniform') {
      this.start = 'uniform';
    } else {
      if (!Number.isInteger(st) || st < 0 || st >= world.numStates) throw new Error(`GridEnv: start state ${st} out of range [0, ${world.numStates})`);
      this.start = st;
    }
    this.goal = options.goal ?? -1;
    if (options.goal !== undefined && (!Number.isInteger(options.goal) || options.goal < 0 || options.goal >= world.numStates)) {
      throw new Error(`GridEnv: goal state ${options.goal} out of range [0, ${world.numStates})`);
    }
    this.maxSteps = options.maxSteps ?? Infinity;
    if (!(this.maxSteps >= 1)) throw new Error(`GridEnv: maxSteps must be >= 1, got ${options.maxSteps}`);
    this.rng = new Rng(options.seed ?? 0);
  }

  /** The current state index. */
  get state(): number {
    return this.s;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array, GridInfo> {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    this.s = this.start === 'uniform' ? this.rng.int(this.world.numStates) : this.start;
    this.t = 0;
    return { observation: this.world.observe(this.s, this.observation), info: { state: this.s, step: 0 } };
  }

  step(action: number): StepResult<Float32Array, GridInfo> {
    checkAction('GridEnv.step', action, NUM_ACTIONS);
    this.s = this.world.nextTable[this.s * NUM_ACTIONS + action];
    this.t++;
    const terminated = this.s === this.goal;
    return {
      observation: this.world.observe(this.s, this.observation),
      reward: terminated ? 1 : 0,
      terminated,
      truncated: !terminated && this.t >= this.maxSteps,
      info: { state: this.s, step: this.t },
    };
  }

  cloneState(): number {
    return this.s;
  }

  restoreState(state: number): void {
    checkState(this.world, state);
    this.s = state;
  }
}
