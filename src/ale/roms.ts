// ROM discovery: a game name ("pong", "MsPacman", "ms-pacman") -> a ROM file. Folders searched, in
// order: EIGENOPT_ROM_DIR (one folder or several joined with the platform's path delimiter), the
// ROM folder of an installed ale-py (python3 is asked where the package lives), and ../shared/roms
// beside the package (EIGENOPT_SHARED_DIR/roms when that is set). ROMs are identified by md5 against
// the table the native layer's loadROM uses, so renamed files work; only when no folder holds a
// file with the right md5 does a file named <game>.bin (or .a26, .bin.gz) count, which loadROM
// accepts by its name with a warning. A miss throws an Error saying where it looked and how to
// supply ROMs.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

import { loadNative, packageRoot } from './native';

/** Milliseconds python3 may take to report ale-py's folder before it is skipped. */
const PYTHON_TIMEOUT_MS = 5000;
/** Python code printing the ROM folder of the installed ale-py package. */
const ALE_PY_ROM_DIR_CODE = 'import ale_py, os; print(os.path.join(os.path.dirname(ale_py.__file__), "roms"))';
/** Larger files are not read while scanning a folder (loadROM reads at most 16 MiB). */
const MAX_ROM_FILE_BYTES = 16 << 20;
/** File names that count as "<game>" when no file has the game's md5. */
const ROM_EXTENSIONS = ['.bin', '.a26', '.rom', '.bin.gz', '.a26.gz'];

/** One folder of the search, with the reason it is searched. */
export interface RomSearchDir {
  dir: string;
  source: 'EIGENOPT_ROM_DIR' | 'ale-py' | 'shared' | 'option';
}

export interface RomSearchOptions {
  /** Python interpreter asked for ale-py's ROM folder (default "python3", looked up on PATH). */
  python?: string;
}

export interface FindRomOptions extends RomSearchOptions {
  /** Folders to search instead of romSearchDirs(), in order. */
  dirs?: readonly string[];
}

/** A ROM file found for a game. `md5` is the file's (the decompressed image's for .gz files). */
export interface RomLocation {
  path: string;
  md5: string;
  game: string;
}

interface PythonAnswer {
  dir: string | null;
  note: string;  // what happened, for the miss message
}

interface ScannedFile {
  size: number;
  mtimeMs: number;
  md5: string | null;  // null: not a readable ROM image
}

// Caches: the supported-game table (static data from the addon), python3's answer per interpreter
// and PATH, and each folder's file md5s (re-hashed when a file's size or mtime changes).
let supportedCache: { byGame: Map<string, string>; byMd5: Map<string, string> } | undefined;
const pythonCache = new Map<string, PythonAnswer>();
const scanCache = new Map<string, Map<string, ScannedFile>>();

/** The supported games: rom id -> md5 and md5 -> rom id (the table loadROM identifies ROMs by). */
export function supportedRomMd5s(): { byGame: ReadonlyMap<string, string>; byMd5: ReadonlyMap<string, string> } {
  if (!supportedCache) {
    const byGame = new Map<string, string>();
    const byMd5 = new Map<string, string>();
    for (const { rom, md5 } of loadNative().supportedRoms()) {
      byGame.set(rom, md5);
      byMd5.set(md5, rom);
    }
    supportedCache = { byGame, byMd5 };
  }
  return supportedCache;
}

/** "MsPacman", "ms-pacman", "MS_PACMAN" -> "ms_pacman" (ALE rom ids are lower-case snake case). */
export function romIdOf(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

function askPython(python: string): PythonAnswer {
  const key = `${python}\0${process.env.PATH ?? ''}`;
  const cached = pythonCache.get(key);
  if (cached) return cached;
  const r = spawnSync(python, ['-c', ALE_PY_ROM_DIR_CODE], {
    encoding: 'utf8',
    timeout: PYTHON_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let answer: PythonAnswer;
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    answer = {
      dir: null,
      note: code === 'ENOENT' ? `${python} not found on PATH` : code === 'ETIMEDOUT'
        ? `${python} did not answer within ${PYTHON_TIMEOUT_MS / 1000} s` : `${python} failed: ${r.error.message}`,
    };
  } else if (r.status !== 0) {
    const missing = /No module named .?ale_py/.test(r.stderr ?? '');
    answer = { dir: null, note: missing ? `ale_py is not installed for ${python}` : `${python} exited with status ${r.status}` };
  } else {
    const lines = (r.stdout ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    const dir = lines.length > 0 ? lines[lines.length - 1] : null;
    answer = dir ? { dir, note: `from ${python}` } : { dir: null, note: `${python} printed no folder` };
  }
  pythonCache.set(key, answer);
  return answer;
}

/** ale-py's ROM folder as reported by `python` (default python3), or null when it cannot tell. */
export function alePyRomDir(options: RomSearchOptions = {}): string | null {
  return askPython(options.python ?? 'python3').dir;
}

function sharedRomDir(): string {
  const shared = process.env.EIGENOPT_SHARED_DIR;
  return shared !== undefined && shared !== '' ? path.join(shared, 'roms') : path.resolve(packageRoot(), '..', 'shared', 'roms');
}

function searchPlan(options: FindRomOptions): { dirs: RomSearchDir[]; pythonNote?: string } {
  if (options.dirs) return { dirs: options.dirs.map((dir) => ({ dir: path.resolve(dir), source: 'option' as const })) };
  const dirs: RomSearchDir[] = [];
  for (const d of (process.env.EIGENOPT_ROM_DIR ?? '').split(path.delimiter)) {
    if (d.trim() !== '') dirs.push({ dir: path.resolve(d), source: 'EIGENOPT_ROM_DIR' });
  }
  const py = askPython(options.python ?? 'python3');
  if (py.dir) dirs.push({ dir: path.resolve(py.dir), source: 'ale-py' });
  dirs.push({ dir: sharedRomDir(), source: 'shared' });
  const unique: RomSearchDir[] = [];
  for (const d of dirs) if (!unique.some((u) => u.dir === d.dir)) unique.push(d);
  return { dirs: unique, pythonNote: py.note };
}

/** The folders findRom searches (without `dirs`), in order; they need not exist. */
export function romSearchDirs(options: RomSearchOptions = {}): RomSearchDir[] {
  return searchPlan(options).dirs;
}

function md5OfImage(file: string): string | null {
  try {
    let data: Uint8Array = fs.readFileSync(file);
    if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data);
    return crypto.createHash('md5').update(data).digest('hex');
  } catch {
    return null;
  }
}

/** name -> md5 of the plausible ROM files directly in `dir` (empty when `dir` cannot be read). */
function scanDir(dir: string): Map<string, string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return new Map();
  }
  const old = scanCache.get(dir) ?? new Map<string, ScannedFile>();
  const next = new Map<string, ScannedFile>();
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    let st: fs.Stats;
    try {
      st = fs.statSync(path.join(dir, name));
    } catch {
      continue;
    }
    if (!st.isFile() || st.size < 1 || st.size > MAX_ROM_FILE_BYTES) continue;
    const prev = old.get(name);
    const entry = prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs
      ? prev
      : { size: st.size, mtimeMs: st.mtimeMs, md5: md5OfImage(path.join(dir, name)) };
    next.set(name, entry);
    if (entry.md5) out.set(name, entry.md5);
  }
  scanCache.set(dir, next);
  return out;
}

function looksLikePath(game: string): boolean {
  return game.includes('/') || game.includes('\\') || /\.(bin|a26|rom|gz)$/i.test(game);
}

function gameByStem(file: string, byGame: ReadonlyMap<string, string>): string | undefined {
  let stem = path.basename(file).toLowerCase();
  for (const ext of ROM_EXTENSIONS) {
    if (stem.endsWith(ext)) {
      stem = stem.slice(0, -ext.length);
      break;
    }
  }
  return byGame.has(stem) ? stem : undefined;
}

function missMessage(game: string, md5: string, dirs: RomSearchDir[], pythonNote: string | undefined): string {
  const label = (d: RomSearchDir): string => {
    if (d.source === 'ale-py') return 'ale-py ROM folder, reported by python3';
    if (d.source === 'shared') return '../shared/roms';
    if (d.source === 'option') return 'romDir';
    return d.source;
  };
  const lines = dirs.map((d) => {
    const exists = fs.existsSync(d.dir);
    const n = exists ? scanDir(d.dir).size : 0;
    return `  ${d.dir} (${label(d)}): ${exists ? `${n} ROM file(s), none with that md5 or named ${game}.bin` : 'no such folder'}`;
  });
  if (pythonNote !== undefined && !dirs.some((d) => d.source === 'ale-py')) lines.push(`  ale-py: not searched (${pythonNote})`);
  return [
    `findRom: no ROM found for game '${game}' (md5 ${md5}). Looked in:`,
    ...lines,
    'Supply ROMs in one of these ways: put the .bin files in a folder and set EIGENOPT_ROM_DIR to it (any file',
    'names: ROMs are identified by md5); install ale-py (pip install ale-py; its ROM folder is found through',
    'python3); or pass the path of the ROM file instead of a game name.',
  ].join('\n');
}

/**
 * The ROM file for `game`: a supported rom id in any common spelling ("pong", "MsPacman"), or a path
 * to a ROM file (returned as is, identified by md5 or, failing that, by its name).
 */
export function findRom(game: string, options: FindRomOptions = {}): RomLocation {
  const { byGame, byMd5 } = supportedRomMd5s();
  if (looksLikePath(game)) {
    const file = path.resolve(game);
    const md5 = fs.existsSync(file) ? md5OfImage(file) : null;
    if (md5 === null) throw new Error(`findRom: ROM file ${JSON.stringify(game)} does not exist or cannot be read`);
    const id = byMd5.get(md5) ?? gameByStem(file, byGame);
    if (id === undefined) throw new Error(`findRom: ${JSON.stringify(game)} (md5 ${md5}) is not one of the supported ALE games`);
    return { path: game, md5, game: id };
  }
  const id = romIdOf(game);
  const md5 = byGame.get(id);
  if (md5 === undefined) {
    const near = [...byGame.keys()].filter((g) => g.startsWith(id.slice(0, 3)) || (id.length >= 3 && g.includes(id)));
    throw new Error(
      `findRom: unknown game ${JSON.stringify(game)}: not one of the ${byGame.size} supported ALE games` +
        (near.length > 0 ? ` (did you mean ${near.slice(0, 8).join(', ')}?)` : ' (rom ids look like pong, ms_pacman, space_invaders)'),
    );
  }
  const plan = searchPlan(options);
  for (const d of plan.dirs) {
    for (const [name, fileMd5] of scanDir(d.dir)) {
      if (fileMd5 === md5) return { path: path.join(d.dir, name), md5, game: id };
    }
  }
  for (const d of plan.dirs) {
    for (const [name, fileMd5] of scanDir(d.dir)) {
      if (gameByStem(name, byGame) === id) return { path: path.join(d.dir, name), md5: fileMd5, game: id };
    }
  }
  throw new Error(missMessage(id, md5, plan.dirs, plan.pythonNote));
}
