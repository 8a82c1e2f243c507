// Locating ../shared (ROMs, conformance traces, docs, layouts).
// Override with EIGENOPT_SHARED_DIR (whole folder) or EIGENOPT_ROM_DIR (ROMs only).
// Under CI (CI=true) a missing folder is a hard failure, never a skip.
import * as fs from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..');

export function sharedDir(): string {
  return process.env.EIGENOPT_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
}

export function romDir(): string {
  return process.env.EIGENOPT_ROM_DIR ?? path.join(sharedDir(), 'roms');
}

export function conformanceDir(): string {
  return path.join(sharedDir(), 'conformance');
}

/**
 * Returns true when `dir` exists. When it does not: under CI throws (the test fails loudly);
 * elsewhere calls `ctx.skip()` so a developer without ../shared sees a pending test.
 */
export function requireShared(ctx: Mocha.Context, dir: string): boolean {
  if (fs.existsSync(dir)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`required shared data is missing under CI: ${dir} (set EIGENOPT_SHARED_DIR)`);
  }
  ctx.skip();
  return false;
}
