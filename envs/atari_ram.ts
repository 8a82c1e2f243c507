// Where the avatar lives in RAM, per game: the bytes giving the avatar's position (and room or level
// where the game has them, and lives), an abstract state read from them, and a packed integer key.
//
// Every address below was found by experiment with this emulator (scripted joystick input, RAM
// recorded per frame, bytes correlated with the avatar's bounding box on the rendered screen) and is
// checked again by test/atari_ram.test.ts; docs/atari-avatar.md has the table and the method.
// Addresses are CPU addresses 0x80..0xFF; ALEInterface.getRAM()[a - 0x80] holds byte a.
//
// `xScreen` / `yScreen` give the measured relation between the byte and the left (x) or top (y)
// edge of the avatar's sprite on the 160-wide screen: edge = scale * byte + offset, about (sprite
// animation moves the edge by a pixel or two), with the screen drawn one frame after the RAM value
// when `lag` is 1.

/** Games with RAM annotations. */
export const AVATAR_RAM_GAMES = [
  'montezuma_revenge',
  'ms_pacman',
  'freeway',
  'bank_heist',
  'beam_rider',
  'space_invaders',
] as const;
export type AvatarRamGame = (typeof AVATAR_RAM_GAMES)[number];

/** Screen edge (pixels) = scale * byte + offset, the screen trailing the RAM by `lag` frames. */
export interface ScreenMap {
  scale: number;
  offset: number;
  lag: 0 | 1;
}

export interface AvatarRam {
  game: AvatarRamGame;
  /** Address of the avatar's horizontal position (null when it never moves sideways). */
  x: number | null;
  /** Address of the avatar's vertical position (null when it never moves up or down). */
  y: number | null;
  /** Address of the byte selecting the map the avatar is in (room or maze); null when there is one map. */
  room: number | null;
  /** Address of the level / stage counter (null when not identified or not present). */
  level: number | null;
  /** Lives as ALEInterface.lives() reports them outside the terminal frame (games.json lives_var). */
  lives: (ram: Uint8Array) => number;
  xScreen: ScreenMap | null;
  yScreen: ScreenMap | null;
  notes: string;
}

const byte = (ram: Uint8Array, address: number): number => ram[address - 0x80];

export const AVATAR_RAM: Readonly<Record<AvatarRamGame, AvatarRam>> = {
  montezuma_revenge: {
    game: 'montezuma_revenge',
    x: 0xaa,
    y: 0xab,
    room: 0x83,
    level: null,
    lives: (ram) => (byte(ram, 0xba) & 7) + 1,
    xScreen: { scale: 1, offset: -1, lag: 1 },
    yScreen: { scale: -1, offset: 310, lag: 1 },
    notes: 'y grows upwards (235 on the top floor of room 1, 148 at the bottom). Writing 0x83 redraws another room.',
  },
  ms_pacman: {
    game: 'ms_pacman',
    x: 0x8a,
    y: 0x90,
    room: 0x80,
    level: 0x80,
    lives: (ram) => (byte(ram, 0xfb) & 7) + 1,
    xScreen: { scale: 1, offset: -12, lag: 1 },
    yScreen: { scale: 1, offset: 1, lag: 1 },
    notes: 'Ms. Pac-Man does not move for the first ~260 frames. 0x80 selects the maze (writing it redraws another maze); the maze follows the level.',
  },
  freeway: {
    game: 'freeway',
    x: null,
    y: 0x8e,
    room: null,
    level: null,
    lives: () => 0,
    xScreen: null,
    yScreen: { scale: -1, offset: 193, lag: 0 },
    notes: 'The left chicken only moves vertically (x fixed at screen 44..49); y counts up from 6 at the kerb. No lives (ALE reports 0).',
  },
  bank_heist: {
    game: 'bank_heist',
    x: 0x9c,
    y: 0x88,
    room: 0xc1,
    level: 0x80,
    lives: (ram) => byte(ram, 0xd5),
    xScreen: { scale: 1, offset: 0, lag: 1 },
    yScreen: { scale: 1, offset: 37, lag: 1 },
    notes: 'Leaving the maze on the left wraps to the right edge of the same city; leaving on the right enters the next city: 0x80 counts cities (0, 1, 2, 3, 4) and 0xC1 the maze (0, 1, 2, 3, 0).',
  },
  beam_rider: {
    game: 'beam_rider',
    x: 0xa9,
    y: null,
    room: null,
    level: 0x80,
    lives: (ram) => byte(ram, 0x85) + 1,
    xScreen: { scale: 1.5, offset: -115, lag: 0 },
    yScreen: null,
    notes: 'The ship slides between 5 beams along the bottom (byte 94..162). 0x80 is the sector shown at the top (writing 7 shows SECTOR 07).',
  },
  space_invaders: {
    game: 'space_invaders',
    x: 0x9c,
    y: null,
    room: null,
    level: null,
    lives: (ram) => byte(ram, 0xc9),
    xScreen: { scale: 1, offset: -1, lag: 1 },
    yScreen: null,
    notes: 'The cannon is not drawn for the first ~120 frames; it only moves sideways.',
  },
};

/** The avatar's abstract state. Absent quantities are null. */
export interface AbstractState {
  x: number | null;
  y: number | null;
  room: number | null;
  level: number | null;
  lives: number;
}

function checkGame(game: string): AvatarRam {
  if (!(AVATAR_RAM_GAMES as readonly string[]).includes(game)) {
    throw new Error(`atari_ram: no RAM annotation for game '${game}' (known: ${AVATAR_RAM_GAMES.join(', ')})`);
  }
  return AVATAR_RAM[game as AvatarRamGame];
}

/** Reads the abstract state of `game` from 128 bytes of RAM. */
export function abstractState(game: AvatarRamGame, ram: Uint8Array): AbstractState {
  const info = checkGame(game);
  if (!(ram instanceof Uint8Array) || ram.length !== 128) {
    throw new Error(`abstractState: ram must be a Uint8Array of 128 bytes, got ${ram instanceof Uint8Array ? ram.length : typeof ram}`);
  }
  const read = (a: number | null): number | null => (a === null ? null : byte(ram, a));
  return { x: read(info.x), y: read(info.y), room: read(info.room), level: read(info.level), lives: info.lives(ram) };
}

export interface KeyOptions {
  /** Coarse binning: x and y are divided by this (floor) before packing. Default 1 (exact bytes). */
  binSize?: number;
  /** Leave lives out of the key (all lives share one state). Default false. */
  ignoreLives?: boolean;
}

// Key layout, high to low bits: room (8) | lives (4, clamped to 15) | x bin (8) | y bin (8).
// Level is not part of the key (for the games here it either equals the room byte or does not
// change where the avatar can be). Absent fields pack as 0. Keys are non-negative int32.
const LIVES_MAX = 15;

function checkBin(binSize: number): void {
  if (!Number.isInteger(binSize) || binSize < 1 || binSize > 256) {
    throw new Error(`abstractKey: binSize must be an integer in 1..256, got ${binSize}`);
  }
}

/** Packs an abstract state into one non-negative integer (see the layout above). */
export function abstractKey(state: AbstractState, options: KeyOptions = {}): number {
  const bin = options.binSize ?? 1;
  checkBin(bin);
  const lives = options.ignoreLives ? 0 : Math.max(0, Math.min(LIVES_MAX, state.lives));
  const xb = Math.floor((state.x ?? 0) / bin);
  const yb = Math.floor((state.y ?? 0) / bin);
  return ((state.room ?? 0) << 20) | (lives << 16) | (xb << 8) | yb;
}

/** Inverse of abstractKey for the packed fields: x and y come back as bin indices. */
export function unpackAbstractKey(key: number): { room: number; lives: number; xBin: number; yBin: number } {
  if (!Number.isInteger(key) || key < 0 || key >= 1 << 28) throw new Error(`unpackAbstractKey: not a packed key: ${key}`);
  return { room: key >>> 20, lives: (key >>> 16) & 0xf, xBin: (key >>> 8) & 0xff, yBin: key & 0xff };
}

/** Keys of a run of RAM snapshots ([frames, 128] row-major) as an Int32Array. */
export function abstractKeys(game: AvatarRamGame, rams: Uint8Array, options: KeyOptions = {}): Int32Array {
  if (rams.length % 128 !== 0) throw new Error(`abstractKeys: RAM array length ${rams.length} is not a multiple of 128`);
  const n = rams.length / 128;
  const keys = new Int32Array(n);
  for (let t = 0; t < n; t++) keys[t] = abstractKey(abstractState(game, rams.subarray(t * 128, (t + 1) * 128)), options);
  return keys;
}

/** Mean of each function over the frames at each avatar position of one room (map). */
export interface AvatarHeatmap {
  /** Room / maze byte (0 for games with one map). */
  room: number;
  binSize: number;
  /** Grid size; column 0 is the leftmost position bin, row 0 the topmost on the screen. */
  width: number;
  height: number;
  /** Byte bin (x / binSize, y / binSize) of column 0 and of row 0. */
  xBin0: number;
  yBin0: number;
  /** +1 when rows follow increasing y bins, -1 when y grows upwards on the screen. */
  yStep: 1 | -1;
  /** Frames per cell (row-major height*width). */
  count: Int32Array;
  /** mean[j][row*width+col]: mean of function j over the cell's frames (NaN when unvisited). */
  mean: Float64Array[];
}

/**
 * Heatmaps of `numFunctions` functions (values [frames, numFunctions] row-major, e.g. learned
 * eigenfunctions on each frame) over the avatar's position, one per room, oriented as the screen
 * shows the avatar. `rams` holds the frames' RAM ([frames, 128] row-major).
 */
export function avatarHeatmaps(
  game: AvatarRamGame,
  rams: Uint8Array,
  values: Float32Array | Float64Array,
  numFunctions: number,
  options: { binSize?: number } = {},
): AvatarHeatmap[] {
  const info = checkGame(game);
  const bin = options.binSize ?? 1;
  checkBin(bin);
  if (rams.length % 128 !== 0) throw new Error(`avatarHeatmaps: RAM array length ${rams.length} is not a multiple of 128`);
  const frames = rams.length / 128;
  if (!Number.isInteger(numFunctions) || numFunctions < 1) throw new Error(`avatarHeatmaps: numFunctions must be an integer >= 1, got ${numFunctions}`);
  if (values.length !== frames * numFunctions) {
    throw new Error(`avatarHeatmaps: values has ${values.length} entries, expected frames*numFunctions = ${frames}*${numFunctions}`);
  }
  const yStep: 1 | -1 = info.yScreen !== null && info.yScreen.scale < 0 ? -1 : 1;
  const cells = new Map<number, { frames: number[] }>();
  const xb = new Int32Array(frames);
  const yb = new Int32Array(frames);
  const rooms = new Int32Array(frames);
  for (let t = 0; t < frames; t++) {
    const s = abstractState(game, rams.subarray(t * 128, (t + 1) * 128));
    xb[t] = Math.floor((s.x ?? 0) / bin);
    yb[t] = Math.floor((s.y ?? 0) / bin);
    rooms[t] = s.room ?? 0;
    const group = cells.get(rooms[t]) ?? { frames: [] };
    group.frames.push(t);
    cells.set(rooms[t], group);
  }
  const out: AvatarHeatmap[] = [];
  for (const room of Array.from(cells.keys()).sort((a, b) => a - b)) {
    const ts = (cells.get(room) as { frames: number[] }).frames;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const t of ts) {
      x0 = Math.min(x0, xb[t]);
      x1 = Math.max(x1, xb[t]);
      y0 = Math.min(y0, yb[t]);
      y1 = Math.max(y1, yb[t]);
    }
    const width = x1 - x0 + 1;
    const height = y1 - y0 + 1;
    const yBin0 = yStep === 1 ? y0 : y1;
    const count = new Int32Array(width * height);
    const sums = Array.from({ length: numFunctions }, () => new Float64Array(width * height));
    for (const t of ts) {
      const cell = (yStep * (yb[t] - yBin0)) * width + (xb[t] - x0);
      count[cell]++;
      for (let j = 0; j < numFunctions; j++) sums[j][cell] += values[t * numFunctions + j];
    }
    const mean = sums.map((sum) => sum.map((v, c) => (count[c] > 0 ? v / count[c] : NaN)));
    out.push({ room, binSize: bin, width, height, xBin0: x0, yBin0, yStep, count, mean });
  }
  return out;
}
