// The generated blocks of native/ale/games/*.cpp and registry.cpp match what scripts/gen-games.ts
// writes from ../shared/docs/games.json and ../shared/roms/cart-types.json (npm run gen:games --
// --check); a stale or hand-edited block fails here.
import { expect } from 'chai';
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { defaultGamesDir, staleGameFiles } from '../scripts/gen-games';
import { requireShared, sharedDir } from './helpers/shared';

describe('gen-games: generated game blocks are up to date', function () {
  this.timeout(60000);

  it('every game file and registry.cpp equals the generator output', function () {
    if (!requireShared(this, path.join(sharedDir(), 'docs'))) return;
    expect(staleGameFiles(sharedDir(), defaultGamesDir())).to.deep.equal([]);
  });

  it('check mode reports an edited generated line, a missing file and an edited registry (exit 1)', function () {
    if (!requireShared(this, path.join(sharedDir(), 'docs'))) return;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'eo-gen-games-'));
    try {
      for (const f of fs.readdirSync(defaultGamesDir())) fs.copyFileSync(path.join(defaultGamesDir(), f), path.join(tmp, f));
      const pong = path.join(tmp, 'pong.cpp');
      const text = fs.readFileSync(pong, 'utf8');
      expect(text).to.include('  g.ystart = ');
      fs.writeFileSync(pong, text.replace(/ {2}g\.ystart = \d+;/, '  g.ystart = 99;'));
      fs.rmSync(path.join(tmp, 'tetris.cpp'));
      fs.appendFileSync(path.join(tmp, 'registry.cpp'), '// hand edit\n');
      // listed in the generator's order: games by rom id, registry.cpp last
      expect(staleGameFiles(sharedDir(), tmp)).to.deep.equal(['pong.cpp', 'tetris.cpp', 'registry.cpp']);

      // the command line: --check exits 1 naming the stale files, and rewriting fixes them
      const script = path.resolve(__dirname, '..', 'scripts', 'gen-games.ts');
      const run = (...args: string[]): SpawnSyncReturns<string> => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args, '--shared', sharedDir(), '--out', tmp], { encoding: 'utf8' });
      const check = run('--check');
      expect(check.status, check.stderr).to.equal(1);
      expect(check.stderr).to.match(/3 generated file\(s\) are stale .*: pong\.cpp, tetris\.cpp, registry\.cpp/);
      expect(run().status).to.equal(0);
      expect(staleGameFiles(sharedDir(), tmp)).to.deep.equal([]);
      expect(fs.readFileSync(pong, 'utf8')).to.equal(text);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

