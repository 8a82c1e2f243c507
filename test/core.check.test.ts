// Native checks of the emulator core (CPU instruction semantics and cycle counts worked out by hand,
// RIOT timer formula, every cartridge scheme, detector vs ../shared/roms/cart-types.json, state
// round trips, RomError cases). They live in native/tools/eo_core_check.cpp; this test builds the
// native tools with plain CMake (the addon build skips them) and runs the checker.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { requireShared, sharedDir } from './helpers/shared';

const repoRoot = path.resolve(__dirname, '..');
const buildDir = path.join(repoRoot, 'build-tools');

function run(cmd: string, args: string[], cwd = repoRoot): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe('emulator core: native checks (eo_core_check)', function () {
  this.timeout(15 * 60 * 1000);

  it('builds the native tools and passes every check', function () {
    requireShared(this, path.join(sharedDir(), 'roms'));
    const conf = run('cmake', ['-S', '.', '-B', buildDir, '-DCMAKE_BUILD_TYPE=Release']);
    expect(conf.status, conf.out).to.equal(0);
    const build = run('cmake', ['--build', buildDir, '-j2', '--target', 'eo_core_check']);
    expect(build.status, build.out).to.equal(0);
    const exe = path.join(buildDir, 'eo_core_check');
    expect(fs.existsSync(exe), `missing ${exe}`).to.equal(true);
    const res = run(exe, [sharedDir()]);
    expect(res.status, res.out).to.equal(0);
    const m = /(\d+) checks, (\d+) failures/.exec(res.out);
    expect(m, res.out).to.not.equal(null);
    expect(Number(m![1])).to.be.greaterThan(1000);
    expect(Number(m![2])).to.equal(0);
  });
});
