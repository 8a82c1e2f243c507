// The published entry point: package.json's "main" and "types" name the compiled package entry
// (index.ts), and it exports the public API of every stage of the data flow.
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; types: string; bin: Record<string, string> };

describe('package entry', () => {
  it('"main" and "types" are the compiled index.ts, and "bin" runs the compiled cli/', () => {
    expect(pkg.main).to.equal('dist/index.js');
    expect(pkg.types).to.equal('dist/index.d.ts');
    const bin = fs.readFileSync(path.join(ROOT, pkg.bin.eigenopt), 'utf8');
    expect(bin).to.match(/require\('\.\.\/dist\/cli\/index\.js'\)/);
  });

  it('exports one name from each stage: ALE, environments, sources, learners, models, options, agents, charts', async () => {
    const api = (await import('../index')) as Record<string, unknown>;
    for (const name of ['ALEInterface', 'AtariEnv', 'AtariVectorEnv', 'GridWorld', 'ReplayBuffer', 'createLearner', 'buildOptions', 'explore', 'runQLearning', 'lineChart', 'writeHtmlReport', 'initBackend']) {
      expect(api[name], name).to.be.a('function');
    }
  });

  it('the compiled entry, when built, exports the same names as index.ts', async function () {
    const built = path.join(ROOT, pkg.main);
    if (!fs.existsSync(built)) {
      if (process.env.CI === 'true') throw new Error(`${built} is missing: npm ci runs "prepare" (tsc), which writes it`);
      this.skip();
    }
    const src = Object.keys(await import('../index')).sort();
    // in a child process: loading the compiled modules here would register second copies of the
    // custom layers and kernels over the ones the other tests use
    const out = execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(built)}))))`], { encoding: 'utf8' });
    const dist = (JSON.parse(out) as string[]).sort();
    expect(dist).to.deep.equal(src);
  });
});
