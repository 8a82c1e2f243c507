// Generates the static-data part of native/ale/games/<rom>.cpp (one file per supported game) and
// the registry native/ale/games/registry.cpp from ../shared/docs/games.json (facts) and
// ../shared/roms/cart-types.json (raw Stella properties).
//
//   npm run gen:games                  (rewrite the files)
//   npm run gen:games -- --check       (only compare; exit 1 and list the stale files)
//   npx ts-node --transpile-only scripts/gen-games.ts [--check] [--shared DIR] [--out DIR] [sharedDir]
//
// test/gen-games.test.ts runs the check, so a generated block that no longer matches games.json or
// cart-types.json (or a hand edit inside it) fails the tests.
//
// Each game file has two regions:
//   * BEGIN LOGIC .. END LOGIC: hand-written reset/update/lives/selectMode functions. An existing
//     region is kept verbatim; a new file gets a template quoting the games.json expressions.
//   * BEGIN GENERATED .. END GENERATED: the GameSpec factory with the static facts; always rewritten.
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';

interface GameEntry {
  rom: string;
  md5: string;
  video: { format: string; screen_height: number; ystart: number; hmove_blanks: boolean };
  controllers: { left: string; right: string; swap_ports: boolean; swap_paddles: boolean };
  console_difficulty_property: string;
  legal_action_set: number[];
  minimal_action_set: number[];
  starting_actions: number[];
  state_after_rom_reset: Record<string, unknown>;
  score: string | null;
  reward: string | null;
  terminal: string | null;
  lives_var: string | null;
  lives: string | null;
  update_order: string[] | null;
  modes: { available: number[]; default: number; selection: string };
  difficulties: { available: number[]; default: number };
  settings_override: Record<string, number> | null;
  state_not_in_clone: string[];
  notes: string;
}

interface CartEntry {
  md5: string;
  properties: Record<string, string>;
}

// The repository root: the nearest folder above this file holding package.json (this file also
// runs compiled from dist/scripts).
function findRepoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('gen-games: package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** Where the generated files go by default: native/ale/games of this repository. */
export function defaultGamesDir(): string {
  return path.join(findRepoRoot(), 'native', 'ale', 'games');
}

/** ../shared beside the repository, or EIGENOPT_SHARED_DIR. */
export function defaultSharedDir(): string {
  return process.env.EIGENOPT_SHARED_DIR ?? path.resolve(findRepoRoot(), '..', 'shared');
}

const BEGIN_LOGIC = '// ---- BEGIN LOGIC (hand-written from games.json; kept by scripts/gen-games.ts) ----';
const END_LOGIC = '// ---- END LOGIC ----';
const BEGIN_GEN = '// ---- BEGIN GENERATED (scripts/gen-games.ts; do not edit) ----';
const END_GEN = '// ---- END GENERATED ----';

function controller(name: string): string {
  switch (name) {
    case 'JOYSTICK': return 'Controller::Joystick';
    case 'PADDLES': return 'Controller::Paddles';
    case 'NONE': return 'Controller::None';
    default: throw new Error(`unknown controller type ${name}`);
  }
}

// A brace list; long lists wrap at 100 columns (continuation indented 6 spaces).
function list(v: number[], prefixLen = 0): string {
  const one = `{${v.join(', ')}}`;
  if (prefixLen + one.length + 1 <= 100) return one;
  const lines: string[] = [];
  let line = '{';
  for (let i = 0; i < v.length; i++) {
    const item = `${v[i]}${i + 1 < v.length ? ',' : '}'}`;
    const budget = lines.length === 0 ? 100 - prefixLen : 100 - 6;
    if (line.length + item.length + 1 > budget) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += line === '' || line === '{' ? item : ` ${item}`;
  }
  lines.push(line);
  return lines.join('\n      ');
}

function cString(s: string): string {
  return JSON.stringify(s);
}

function hasModeSelection(g: GameEntry): boolean {
  return !g.modes.selection.startsWith('none');
}

function commentLines(label: string, text: string | null | string[]): string[] {
  if (text === null) return [];
  const body = Array.isArray(text) ? text.join(' | ') : text;
  const words = `${label}: ${body}`.split(/\s+/);
  const out: string[] = [];
  let line = '//';
  for (const w of words) {
    if (line.length + w.length + 1 > 100) { out.push(line); line = '//  '; }
    line += ` ${w}`;
  }
  out.push(line);
  return out;
}

function logicTemplate(g: GameEntry): string {
  const c: string[] = [];
  c.push(...commentLines('state_after_rom_reset', JSON.stringify(g.state_after_rom_reset)));
  c.push(...commentLines('score', g.score));
  c.push(...commentLines('reward', g.reward));
  c.push(...commentLines('terminal', g.terminal));
  c.push(...commentLines('lives_var', g.lives_var));
  c.push(...commentLines('lives', g.lives));
  c.push(...commentLines('update_order', g.update_order));
  if (hasModeSelection(g)) c.push(...commentLines('modes', g.modes.selection));
  const sel = hasModeSelection(g)
    ? '\nvoid selectMode(GameState& s, GameHost& h, int mode) {\n  // TODO\n}\n'
    : '';
  return [
    BEGIN_LOGIC,
    ...c,
    'void reset(GameState& s) {',
    '  // TODO',
    '}',
    '',
    'void update(GameState& s, GameHost& h) {',
    '  // TODO',
    '}',
    '',
    'int lives(const GameState& s, GameHost& h) {',
    '  return 0;  // TODO',
    '}',
    sel,
    END_LOGIC,
  ].join('\n');
}

// The LOGIC region declares the ranges of the game's variables (GameState::extra slots).
const VARS_DECLARATION = 'constexpr VarRange kVars[] = {';

function generated(g: GameEntry, cart: CartEntry, hasVars: boolean): string {
  const p = cart.properties;
  const [dl, dr] = g.console_difficulty_property.split('/');
  if (p['Console.LeftDifficulty'] !== dl || p['Console.RightDifficulty'] !== dr) {
    throw new Error(`${g.rom}: difficulty property mismatch between games.json and cart-types.json`);
  }
  // Raw Stella property height: PAL-detected ROMs report the post-detection 250, whose raw
  // (NTSC) property value is the default 210.
  let height = Number(p['Display.Height']);
  if (g.video.format === 'PAL' && height === 250) height = 210;
  const ystart = Number(p['Display.YStart']);
  if (ystart !== g.video.ystart) throw new Error(`${g.rom}: ystart mismatch`);
  const hmove = p['Emulation.HmoveBlanks'] === 'YES';
  if (hmove !== g.video.hmove_blanks) throw new Error(`${g.rom}: hmove_blanks mismatch`);
  const modes = [g.modes.default, ...g.modes.available.filter((m) => m !== g.modes.default)];
  const paddleMax = g.settings_override?.paddle_max ?? -1;
  return [
    BEGIN_GEN,
    `GameSpec make_${g.rom}() {`,
    '  GameSpec g;',
    `  g.rom = ${cString(g.rom)};`,
    `  g.md5 = ${cString(g.md5)};`,
    `  g.legalActions = ${list(g.legal_action_set, 19)};`,
    `  g.minimalActions = ${list(g.minimal_action_set, 21)};`,
    `  g.startingActions = ${list(g.starting_actions, 22)};`,
    `  g.modes = ${list(modes, 12)};`,
    `  g.difficulties = ${list(g.difficulties.available, 19)};`,
    `  g.left = ${controller(g.controllers.left)};`,
    `  g.right = ${controller(g.controllers.right)};`,
    `  g.swapPorts = ${g.controllers.swap_ports};`,
    `  g.swapPaddles = ${g.controllers.swap_paddles};`,
    `  g.difficultyA[0] = ${dl === 'A'};`,
    `  g.difficultyA[1] = ${dr === 'A'};`,
    `  g.ystart = ${ystart};`,
    `  g.height = ${height};`,
    `  g.hmoveBlanks = ${hmove};`,
    `  g.paddleMaxOverride = ${paddleMax};`,
    ...(g.state_not_in_clone.length > 0 ? ['  g.notInClone = kNotInClone;'] : []),
    ...(hasVars ? ['  g.vars = {std::begin(kVars), std::end(kVars)};'] : []),
    '  g.reset = reset;',
    '  g.update = update;',
    '  g.lives = lives;',
    `  g.selectMode = ${hasModeSelection(g) ? 'selectMode' : 'nullptr'};`,
    '  return g;',
    '}',
    END_GEN,
  ].join('\n');
}

function gameFile(g: GameEntry, cart: CartEntry, existing: string | null): string {
  let logic = logicTemplate(g);
  if (existing !== null) {
    const a = existing.indexOf(BEGIN_LOGIC);
    const b = existing.indexOf(END_LOGIC);
    if (a < 0 || b < a) throw new Error(`${g.rom}.cpp: logic markers missing`);
    logic = existing.slice(a, b + END_LOGIC.length);
  }
  return [
    `// ${g.rom}: per-game ALE logic (reward, terminal, lives, mode selection) and static facts.`,
    '// Facts: ../shared/docs/games.json. Notation (ram, bcd, dec2, dec3, s8): games/common.h.',
    '#include "ale/games/common.h"',
    '',
    'namespace eo::ale::games {',
    'namespace {',
    '',
    logic,
    '',
    '}  // namespace',
    '',
    generated(g, cart, logic.includes(VARS_DECLARATION)),
    '',
    '}  // namespace eo::ale::games',
    '',
  ].join('\n');
}

function registry(games: GameEntry[]): string {
  const decls = games.map((g) => `GameSpec make_${g.rom}();`).join('\n');
  const calls = games.map((g) => `      make_${g.rom}(),`).join('\n');
  return `// Registry of the ${games.length} supported games (generated by scripts/gen-games.ts; do not edit).
#include <algorithm>
#include <cctype>

#include "ale/game.h"

namespace eo::ale {
namespace games {
${decls}
}  // namespace games

const std::vector<GameSpec>& allGames() {
  using namespace games;
  static const std::vector<GameSpec> all = {
${calls}
  };
  return all;
}

const GameSpec* findGame(const std::string& md5, const std::string& stem) {
  std::string lower = stem;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const GameSpec& g : allGames()) {
    if (md5 == g.md5 || lower == g.rom) return &g;
  }
  return nullptr;
}

}  // namespace eo::ale
`;
}

/**
 * The content every generated file should have (file name in `gamesDir` -> text): the game files
 * keep the LOGIC regions they have in `gamesDir`, the rest comes from ../shared/docs/games.json and
 * ../shared/roms/cart-types.json in `sharedDir`.
 */
export function generateGameFiles(sharedDir: string, gamesDir: string): Map<string, string> {
  const doc = JSON.parse(fs.readFileSync(path.join(sharedDir, 'docs', 'games.json'), 'utf8')) as {
    games: GameEntry[];
  };
  const carts = JSON.parse(fs.readFileSync(path.join(sharedDir, 'roms', 'cart-types.json'), 'utf8')) as {
    roms: Record<string, CartEntry>;
  };
  const byMd5 = new Map<string, CartEntry>();
  for (const c of Object.values(carts.roms)) byMd5.set(c.md5, c);
  const games = [...doc.games].sort((a, b) => (a.rom < b.rom ? -1 : a.rom > b.rom ? 1 : 0));
  const out = new Map<string, string>();
  for (const g of games) {
    const cart = byMd5.get(g.md5);
    if (!cart) throw new Error(`${g.rom}: md5 ${g.md5} not in cart-types.json`);
    const file = path.join(gamesDir, `${g.rom}.cpp`);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    out.set(`${g.rom}.cpp`, gameFile(g, cart, existing));
  }
  out.set('registry.cpp', registry(games));
  return out;
}

/** Names of the files in `gamesDir` that are missing or differ from what the generator writes. */
export function staleGameFiles(sharedDir: string, gamesDir: string): string[] {
  const stale: string[] = [];
  for (const [name, text] of generateGameFiles(sharedDir, gamesDir)) {
    const file = path.join(gamesDir, name);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) stale.push(name);
  }
  return stale;
}

function main(argv: string[]): number {
  const program = new Command('gen-games')
    .description('Generate the static-data blocks of native/ale/games/*.cpp and registry.cpp')
    .option('--check', 'only compare with the files on disk; exit 1 and list the stale ones', false)
    .option('--shared <dir>', 'folder holding docs/games.json and roms/cart-types.json', defaultSharedDir())
    .option('--out <dir>', 'folder of the game files', defaultGamesDir())
    .argument('[sharedDir]', 'same as --shared')
    .parse(argv);
  const opts = program.opts<{ check: boolean; shared: string; out: string }>();
  if (program.args.length > 0) opts.shared = program.args[0];
  if (opts.check) {
    const stale = staleGameFiles(opts.shared, opts.out);
    if (stale.length > 0) {
      process.stderr.write(
        `gen-games: ${stale.length} generated file(s) are stale in ${opts.out}: ${stale.join(', ')}\n` +
          'run npm run gen:games to rewrite them\n',
      );
      return 1;
    }
    process.stdout.write(`gen-games: all generated blocks in ${opts.out} are up to date\n`);
    return 0;
  }
  const files = generateGameFiles(opts.shared, opts.out);
  fs.mkdirSync(opts.out, { recursive: true });
  for (const [name, text] of files) fs.writeFileSync(path.join(opts.out, name), text);
  process.stdout.write(`wrote ${files.size - 1} game files and registry.cpp to ${opts.out}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv);
