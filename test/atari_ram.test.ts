import { expect } from 'chai';
import * as path from 'path';

import { ALEInterface, Action } from '../src/ale/ale_interface';
import {
  AVATAR_RAM,
  AvatarRamGame,
  abstractKey,
  abstractKeys,
  abstractState,
  avatarHeatmaps,
  unpackAbstractKey,
} from '../envs/atari_ram';
import { requireShared, romDir } from './helpers/shared';

// The rendered screen is the independent truth: each game is driven with scripted joystick input
// (no sticky actions), the avatar is located on every frame by its sprite colour (palette index,
// read off the frames by eye) inside a screen window, and the RAM bytes of envs/atari_ram.ts must
// follow its bounding box: an affine fit with |correlation| > MIN_CORRELATION, the fitted slope near
// the documented scale, the documented mapping within MAX_MEDIAN_RESIDUAL pixels on the median
// frame, and at least MIN_DISTINCT positions visited.

const MIN_CORRELATION = 0.95;
const MAX_MEDIAN_RESIDUAL = 2; // pixels
const MAX_SLOPE_ERROR = 0.1; // relative
const MIN_DISTINCT = 10;
const MIN_SPRITE_PIXELS = 8;
// A map redraw changes thousands of pixels; a moving sprite a few dozen.
const MIN_REDRAW_PIXELS = 2000;

interface Probe {
  game: AvatarRamGame;
  /** [action, frames] segments, one act() per frame. */
  script: Array<[Action, number]>;
  /** Palette indices of the avatar's sprite. */
  colours: number[];
  /** Screen window [lo, hi) searched for the sprite. */
  rows: [number, number];
  cols: [number, number];
  /** Rows ignored (background of the same colour). */
  excludeRows?: [number, number];
}

const { NOOP, FIRE, UP, RIGHT, LEFT, DOWN } = Action;

const PROBES: Probe[] = [
  {
    game: 'montezuma_revenge',
    // Along the middle ledge, down the ladder, right and left on the conveyor below (no fall).
    script: [[NOOP, 30], [RIGHT, 8], [LEFT, 20], [RIGHT, 12], [DOWN, 32], [RIGHT, 24], [LEFT, 8], [NOOP, 10]],
    colours: [70],
    rows: [40, 210],
    cols: [0, 160],
  },
  {
    game: 'ms_pacman',
    script: [[NOOP, 260], [LEFT, 60], [DOWN, 40], [RIGHT, 80], [UP, 60], [LEFT, 40]],
    colours: [42],
    rows: [0, 172],
    cols: [0, 160],
  },
  {
    game: 'freeway',
    script: [[NOOP, 10], [UP, 200], [DOWN, 40], [UP, 100]],
    colours: [30],
    rows: [0, 200],
    cols: [40, 52],
    excludeRows: [101, 106], // yellow median markings
  },
  {
    game: 'bank_heist',
    script: [[NOOP, 10], [RIGHT, 40], [LEFT, 40], [UP, 40], [DOWN, 40]],
    colours: [36],
    rows: [40, 165],
    cols: [0, 160],
  },
  {
    game: 'beam_rider',
    script: [[NOOP, 200], [FIRE, 5], [NOOP, 100], [RIGHT, 30], [NOOP, 20], [LEFT, 60], [NOOP, 20], [RIGHT, 15]],
    colours: [26],
    rows: [160, 181], // above the reserve ships
    cols: [0, 160],
  },
  {
    game: 'space_invaders',
    script: [[NOOP, 130], [RIGHT, 60], [LEFT, 100], [RIGHT, 40]],
    colours: [196],
    rows: [180, 195],
    cols: [0, 160],
  },
];

interface Run {
  rams: Uint8Array; // [frames, 128]
  left: Float64Array; // NaN when the sprite is not found
  top: Float64Array;
  aleLives: Int32Array;
}

function newAle(game: string): ALEInterface {
  const ale = new ALEInterface();
  ale.setFloat('repeat_action_probability', 0);
  ale.setInt('random_seed', 0);
  ale.loadROM(path.join(romDir(), `${game}.bin`));
  ale.reset_game();
  return ale;
}

function play(p: Probe): Run {
  const ale = newAle(p.game);
  const frames = p.script.reduce((s, [, n]) => s + n, 0);
  const [h, w] = ale.getScreenDims();
  const screen = new Uint8Array(h * w);
  const run: Run = {
    rams: new Uint8Array(frames * 128),
    left: new Float64Array(frames).fill(NaN),
    top: new Float64Array(frames).fill(NaN),
    aleLives: new Int32Array(frames),
  };
  const colour = new Uint8Array(256);
  for (const c of p.colours) colour[c] = 1;
  let t = 0;
  for (const [action, n] of p.script) {
    for (let i = 0; i < n; i++, t++) {
      ale.act(action);
      ale.getRAM(run.rams.subarray(t * 128, (t + 1) * 128));
      run.aleLives[t] = ale.lives();
      ale.getScreen(screen);
      let minX = w;
      let minY = h;
      let count = 0;
      for (let y = p.rows[0]; y < p.rows[1]; y++) {
        if (p.excludeRows && y >= p.excludeRows[0] && y < p.excludeRows[1]) continue;
        for (let x = p.cols[0]; x < p.cols[1]; x++) {
          if (colour[screen[y * w + x]]) {
            count++;
            if (x < minX) minX = x;
            if (y < minY) minY = y;
          }
        }
      }
      if (count >= MIN_SPRITE_PIXELS) {
        run.left[t] = minX;
        run.top[t] = minY;
      }
    }
  }
  return run;
}

interface AxisFit {
  pairs: number;
  distinct: number;
  correlation: number;
  slope: number;
  medianResidual: number; // against the documented mapping
  medianOffset: number; // median of edge - scale * byte
}

function fitAxis(run: Run, address: number, edge: Float64Array, scale: number, offset: number, lag: number): AxisFit {
  const xs: number[] = [];
  const ys: number[] = [];
  const frames = edge.length;
  for (let t = 0; t + lag < frames; t++) {
    const e = edge[t + lag];
    if (Number.isNaN(e)) continue;
    xs.push(run.rams[t * 128 + address - 0x80]);
    ys.push(e);
  }
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const residuals = xs.map((x, i) => Math.abs(ys[i] - (scale * x + offset))).sort((a, b) => a - b);
  const offsets = xs.map((x, i) => ys[i] - scale * x).sort((a, b) => a - b);
  return {
    pairs: n,
    distinct: new Set(xs).size,
    correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0,
    slope: sxx > 0 ? sxy / sxx : NaN,
    medianResidual: residuals[Math.floor(n / 2)],
    medianOffset: offsets[Math.floor(n / 2)],
  };
}

function screenDiff(a: Uint8Array, b: Uint8Array, rows: [number, number]): number {
  let d = 0;
  for (let i = rows[0] * 160; i < rows[1] * 160; i++) if (a[i] !== b[i]) d++;
  return d;
}

describe('atari_ram: avatar RAM bytes follow the avatar on the rendered screen', function () {
  this.timeout(60000);

  before(function () {
    requireShared(this, romDir());
  });

  for (const p of PROBES) {
    it(`${p.game}: position bytes track the sprite's bounding box; lives match ALE`, () => {
      const info = AVATAR_RAM[p.game];
      const run = play(p);
      const frames = run.left.length;
      const found = run.left.filter((v) => !Number.isNaN(v)).length;
      expect(found, 'frames with the sprite found').to.be.above(0.5 * frames);
      const axes: Array<['x' | 'y', number | null, Float64Array]> = [['x', info.x, run.left], ['y', info.y, run.top]];
      const lines: string[] = [];
      for (const [axis, address, edge] of axes) {
        const map = axis === 'x' ? info.xScreen : info.yScreen;
        if (address === null) {
          expect(map).to.equal(null);
          continue;
        }
        expect(map, `${axis} screen map`).to.not.equal(null);
        if (map === null) continue;
        const fit = fitAxis(run, address, edge, map.scale, map.offset, map.lag);
        lines.push(`${axis}@0x${address.toString(16)}: r=${fit.correlation.toFixed(4)} slope=${fit.slope.toFixed(3)} ` +
          `offset=${fit.medianOffset} median|res|=${fit.medianResidual} distinct=${fit.distinct} pairs=${fit.pairs}`);
        expect(Math.abs(fit.correlation), `${axis} correlation`).to.be.above(MIN_CORRELATION);
        expect(Math.abs(fit.slope / map.scale - 1), `${axis} slope ${fit.slope} vs ${map.scale}`).to.be.below(MAX_SLOPE_ERROR);
        expect(fit.medianResidual, `${axis} median residual`).to.be.at.most(MAX_MEDIAN_RESIDUAL);
        expect(fit.distinct, `${axis} distinct positions`).to.be.at.least(MIN_DISTINCT);
      }
      console.log(`      ${p.game}: ${lines.join('; ')}`);
      // Lives read from RAM equal ALE's, and the script loses none (the sprite stays the live avatar).
      for (let t = 0; t < frames; t++) {
        const s = abstractState(p.game, run.rams.subarray(t * 128, (t + 1) * 128));
        expect(s.lives, `lives at frame ${t}`).to.equal(run.aleLives[t]);
      }
      expect(run.aleLives[frames - 1]).to.equal(run.aleLives[0]);
    });
  }

  it('montezuma_revenge: 0x83 selects the room drawn; ms_pacman: 0x80 selects the maze drawn', () => {
    for (const [game, address, warm, other] of [['montezuma_revenge', 0x83, 30, 0], ['ms_pacman', 0x80, 100, 2]] as const) {
      const ale = newAle(game);
      for (let i = 0; i < warm; i++) ale.act(NOOP);
      const state = ale.cloneState();
      const frame = (value: number): Uint8Array => {
        ale.restoreState(state);
        ale.setRAM(address - 0x80, value);
        for (let i = 0; i < 3; i++) ale.act(NOOP);
        return ale.getScreen().slice();
      };
      const original = ale.getRAM()[address - 0x80];
      const same = frame(original);
      const again = frame(original);
      const changed = frame(other);
      expect(screenDiff(same, again, [0, 210]), `${game}: same value, same picture`).to.equal(0);
      expect(screenDiff(same, changed, [0, 170]), `${game}: another value redraws the map`).to.be.above(MIN_REDRAW_PIXELS);
      expect(AVATAR_RAM[game].room).to.equal(address);
    }
  });

  it('beam_rider: writing 0x80 changes only the sector number at the top of the screen', () => {
    const ale = newAle('beam_rider');
    for (let i = 0; i < 300; i++) ale.act(i === 200 ? FIRE : NOOP);
    const state = ale.cloneState();
    const frame = (value: number | null): Uint8Array => {
      ale.restoreState(state);
      if (value !== null) ale.setRAM(0x80 - 0x80, value);
      for (let i = 0; i < 3; i++) ale.act(NOOP);
      return ale.getScreen().slice();
    };
    const base = frame(null);
    expect(ale.getRAM()[0]).to.equal(1); // sector 1 at the start
    const seven = frame(7);
    expect(screenDiff(base, seven, [15, 30]), 'sector digits redrawn').to.be.at.least(10);
    expect(screenDiff(base, seven, [0, 15]) + screenDiff(base, seven, [30, 210]), 'nothing else changes').to.equal(0);
    expect(AVATAR_RAM.beam_rider.level).to.equal(0x80);
  });

  it('bank_heist: leaving the city on the right redraws the maze exactly when 0x80 and 0xC1 step', () => {
    const ale = newAle('bank_heist');
    let prev = ale.getScreen().slice();
    let prevState = abstractState('bank_heist', ale.getRAM());
    const changes: Array<{ redraw: boolean; room: number | null; level: number | null; x: number | null }> = [];
    // LEFT wraps to the right edge of the same city, RIGHT then drives out of it.
    for (const [action, n] of [[LEFT, 30], [RIGHT, 60], [LEFT, 40], [RIGHT, 60]] as Array<[Action, number]>) {
      for (let i = 0; i < n; i++) {
        ale.act(action);
        const screen = ale.getScreen().slice();
        const s = abstractState('bank_heist', ale.getRAM());
        const redraw = screenDiff(prev, screen, [41, 170]) > MIN_REDRAW_PIXELS;
        if (redraw || s.room !== prevState.room || s.level !== prevState.level) changes.push({ redraw, room: s.room, level: s.level, x: s.x });
        prev = screen;
        prevState = s;
      }
    }
    expect(changes.map((c) => [c.redraw, c.room, c.level])).to.deep.equal([[true, 1, 1], [true, 2, 2]]);
  });

});

describe('atari_ram: abstract state and key (no ROM needed)', () => {
  it('abstractKey packs room, lives and binned x, y; abstractKeys reads a run', () => {
    const ram = new Uint8Array(128);
    ram[0x83 - 0x80] = 5;
    ram[0xaa - 0x80] = 77;
    ram[0xab - 0x80] = 235;
    ram[0xba - 0x80] = 4;
    const s = abstractState('montezuma_revenge', ram);
    expect(s).to.deep.equal({ x: 77, y: 235, room: 5, level: null, lives: 5 });
    expect(unpackAbstractKey(abstractKey(s))).to.deep.equal({ room: 5, lives: 5, xBin: 77, yBin: 235 });
    expect(unpackAbstractKey(abstractKey(s, { binSize: 8 }))).to.deep.equal({ room: 5, lives: 5, xBin: 9, yBin: 29 });
    expect(unpackAbstractKey(abstractKey(s, { ignoreLives: true })).lives).to.equal(0);
    const two = new Uint8Array(256);
    two.set(ram, 0);
    two.set(ram, 128);
    two[128 + 0xaa - 0x80] = 78;
    const keys = abstractKeys('montezuma_revenge', two);
    expect(keys).to.be.instanceOf(Int32Array);
    expect(keys[1] - keys[0]).to.equal(1 << 8);
    expect(() => abstractState('pong' as AvatarRamGame, ram)).to.throw(/no RAM annotation for game 'pong'/);
    expect(() => abstractState('freeway', new Uint8Array(10))).to.throw(/128 bytes/);
    expect(() => abstractKey(s, { binSize: 0 })).to.throw(/binSize/);
  });

  it('avatarHeatmaps: per-room grids of the mean value at each position, oriented as on screen', () => {
    // ms_pacman frames (x 0x8A, y 0x90, maze 0x80): value_0 = x + 1000 y exactly, value_1 = frame index.
    const frames: Array<[number, number, number]> = [
      [0, 10, 20], [0, 11, 20], [0, 10, 22], [0, 10, 20], [1, 50, 60],
    ];
    const rams = new Uint8Array(frames.length * 128);
    const values = new Float64Array(frames.length * 2);
    frames.forEach(([maze, x, y], t) => {
      rams[t * 128 + 0x80 - 0x80] = maze;
      rams[t * 128 + 0x8a - 0x80] = x;
      rams[t * 128 + 0x90 - 0x80] = y;
      values[2 * t] = x + 1000 * y;
      values[2 * t + 1] = t;
    });
    const maps = avatarHeatmaps('ms_pacman', rams, values, 2);
    expect(maps.map((m) => m.room)).to.deep.equal([0, 1]);
    const m0 = maps[0];
    expect([m0.width, m0.height, m0.xBin0, m0.yBin0, m0.yStep]).to.deep.equal([2, 3, 10, 20, 1]);
    expect(Array.from(m0.count)).to.deep.equal([2, 1, 0, 0, 1, 0]);
    expect(m0.mean[0][0]).to.equal(10 + 20000);
    expect(m0.mean[0][1]).to.equal(11 + 20000);
    expect(m0.mean[0][4]).to.equal(10 + 22000);
    expect(Number.isNaN(m0.mean[0][2])).to.equal(true);
    expect(m0.mean[1][0]).to.equal((0 + 3) / 2); // frames 0 and 3 share the cell
    expect([maps[1].width, maps[1].height, maps[1].mean[1][0]]).to.deep.equal([1, 1, 4]);
    // montezuma_revenge's y grows upwards: row 0 holds the largest y; binSize 4 groups x 77..79.
    const mr = new Uint8Array(3 * 128);
    [[77, 235], [79, 235], [77, 192]].forEach(([x, y], t) => {
      mr[t * 128 + 0x83 - 0x80] = 1;
      mr[t * 128 + 0xaa - 0x80] = x;
      mr[t * 128 + 0xab - 0x80] = y;
    });
    const [h] = avatarHeatmaps('montezuma_revenge', mr, Float64Array.of(1, 3, 7), 1, { binSize: 4 });
    expect([h.room, h.width, h.height, h.yBin0, h.yStep]).to.deep.equal([1, 1, Math.floor(235 / 4) - Math.floor(192 / 4) + 1, Math.floor(235 / 4), -1]);
    expect(h.mean[0][0]).to.equal(2);
    expect(h.mean[0][(h.height - 1) * h.width]).to.equal(7);
    expect(() => avatarHeatmaps('ms_pacman', rams, values, 3)).to.throw(/expected frames\*numFunctions/);
  });
});
