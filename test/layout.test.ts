// The folders show the data flow (README "How it fits together"): src/ is the library core and
// never imports envs/, agents/ or cli/; envs/ imports neither agents/ nor cli/; agents/ does not
// import cli/ (only cli/ and the package entry index.ts use everything); no module imports itself
// back through a cycle.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const FOLDERS = ['src', 'envs', 'agents', 'cli', 'bench', 'scripts'];
/** The package entry (package.json "main"), at the root beside the folders. */
const ENTRY = path.join(ROOT, 'index.ts');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative module specifiers of static imports, re-exports and dynamic import() calls. */
export function importSpecifiers(source: string): string[] {
  const noComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (let m = re.exec(noComments); m; m = re.exec(noComments)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('.'));
}

function resolveModule(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return null;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of [ENTRY, ...FOLDERS.flatMap((folder) => listTs(path.join(ROOT, folder)))]) {
    const deps: string[] = [];
    for (const spec of importSpecifiers(fs.readFileSync(f, 'utf8'))) {
      const r = resolveModule(f, spec);
      if (!r) throw new Error(`${path.relative(ROOT, f)}: cannot resolve import '${spec}'`);
      deps.push(r);
    }
    g.set(f, deps);
  }
  return g;
}

const rel = (f: string): string => path.relative(ROOT, f).split(path.sep).join('/');

/** Strongly connected components with more than one module (or a self-import): the cycles. */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.map(rel).sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('layout: imports follow the data flow', () => {
  const g = graph();

  const downstreamImports = (from: string, forbidden: RegExp): string[] => {
    const bad: string[] = [];
    for (const [f, deps] of g) if (rel(f).startsWith(from)) for (const d of deps) if (forbidden.test(rel(d))) bad.push(`${rel(f)} -> ${rel(d)}`);
    return bad;
  };

  it('src/ imports nothing from envs/, agents/ or cli/, nor the package entry', () => {
    expect(downstreamImports('src/', /^(envs\/|agents\/|cli\/|index\.ts$)/)).to.deep.equal([]);
  });

  it('envs/ imports nothing from agents/ or cli/', () => {
    expect(downstreamImports('envs/', /^(agents\/|cli\/|index\.ts$)/)).to.deep.equal([]);
  });

  it('agents/ imports nothing from cli/', () => {
    expect(downstreamImports('agents/', /^(cli\/|index\.ts$)/)).to.deep.equal([]);
  });

  it('the package entry index.ts is in the graph and reaches all four folders', () => {
    expect(g.has(ENTRY)).to.equal(true);
    const folders = new Set((g.get(ENTRY) ?? []).map((d) => rel(d).split('/')[0]));
    for (const f of ['src', 'envs', 'agents']) expect(folders.has(f), f).to.equal(true);
  });

  it('no import cycles (static, re-export or dynamic)', () => {
    expect(cycles(g)).to.deep.equal([]);
  });

  it('the checker itself sees imports, re-exports and dynamic imports, and finds a planted cycle', () => {
    expect(importSpecifiers("import { a } from './a';\nexport * from \"../b\";\nconst m = await import('./c');\n// import x from './no'\nimport 'fs';")).to.deep.equal(['./a', '../b', './c']);
    const planted = new Map<string, string[]>([
      ['/x/a.ts', ['/x/b.ts']],
      ['/x/b.ts', ['/x/c.ts']],
      ['/x/c.ts', ['/x/a.ts']],
      ['/x/d.ts', ['/x/a.ts']],
    ]);
    expect(cycles(planted).map((c) => c.length)).to.deep.equal([3]);
  });
});
