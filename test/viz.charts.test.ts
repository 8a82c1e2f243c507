import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { GridWorld } from '../envs/gridworld';
import { randomWalkEigenfunctions } from '../src/learners';
import { optionByValueIteration } from '../src/options';
import { barChart, gridValueChart, heatmap, imageGrid, lineChart, renderSvg, svgToPng, writeChart } from '../src/viz/charts';

/** Texts of the <text> elements of an SVG document, XML entities decoded. */
function svgTexts(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) {
    out.push(m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  }
  return out;
}

function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  if (!m) throw new Error('no svg size');
  return [Number(m[1]), Number(m[2])];
}

/** Pixels darker than mid-grey in rows [y0, y1) of a decoded PNG. */
function darkPixels(png: PNG, y0: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < Math.min(y1, png.height); y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 3 * 100) n++;
    }
  }
  return n;
}

const twoSeries = [
  { name: 'primitives only', x: [1, 2, 3, 4], y: [0.1, 0.2, 0.15, 0.3] },
  { name: '8 eigenoptions', x: [1, 2, 3, 4], y: [0.2, 0.4, 0.5, 0.7] },
];

describe('charts (Vega-Lite -> SVG -> PNG)', function () {
  this.timeout(60000);

  it('a line chart SVG carries the title, axis titles, legend title and every legend label', async () => {
    const spec = lineChart(twoSeries, {
      title: 'Returns on fourrooms',
      xTitle: 'episode',
      yTitle: 'discounted return',
      legendTitle: 'actions',
      rules: [{ y: 0.25, label: 'reference' }],
    });
    const texts = svgTexts(await renderSvg(spec));
    for (const t of ['Returns on fourrooms', 'episode', 'discounted return', 'actions', 'primitives only', '8 eigenoptions', 'reference']) {
      expect(texts, t).to.include(t);
    }
    // the spec itself is plain JSON (what reports embed)
    expect(JSON.parse(JSON.stringify(spec))).to.deep.equal(spec);
  });

  it('the PNG decodes at scale x the SVG size, is not uniform, and draws text with the bundled font', async () => {
    const svg = await renderSvg(lineChart(twoSeries, { title: 'Short', xTitle: 'x', yTitle: 'y', width: 200, height: 120 }));
    const [w, h] = svgSize(svg);
    expect(w).to.be.greaterThan(200);
    expect(h).to.be.greaterThan(120);
    const png = PNG.sync.read(svgToPng(svg, { scale: 2 }));
    expect([png.width, png.height]).to.deep.equal([Math.ceil(w * 2), Math.ceil(h * 2)]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
    expect(colours.size).to.be.greaterThan(10);
    // a longer title puts more ink in the title band: text is rasterised (no font: no ink at all)
    const longer = PNG.sync.read(svgToPng(await renderSvg(lineChart(twoSeries, { title: 'Short Short Short', xTitle: 'x', yTitle: 'y', width: 200, height: 120 })), { scale: 2 }));
    const band = 40; // the title sits in the top 20 SVG pixels
    expect(darkPixels(png, 0, band)).to.be.greaterThan(50);
    expect(darkPixels(longer, 0, band)).to.be.greaterThan(2 * darkPixels(png, 0, band));
  });

  it('bar, heatmap and image-grid charts render with their titles and labels', async () => {
    const bar = barChart(
      [
        { label: 'random', value: 30, error: 2 },
        { label: 'eigenoptions', value: 45, error: 3, group: 'with options' },
      ],
      { title: 'Distinct states', xTitle: 'agent', yTitle: 'states', legendTitle: 'kind' },
    );
    const barTexts = svgTexts(await renderSvg(bar));
    for (const t of ['Distinct states', 'agent', 'states', 'kind', 'random', 'eigenoptions', 'with options']) expect(barTexts, t).to.include(t);
    // error bars span value +- error
    const values = (bar.data as { values: { low: number; high: number }[] }).values;
    expect(values.map((v) => [v.low, v.high])).to.deep.equal([
      [28, 32],
      [42, 48],
    ]);

    const v = [1, NaN, -2, 0.5, 3, -1];
    const hm = heatmap(v, 2, 3, { title: 'e2 over cells', xTitle: 'column', yTitle: 'row', valueTitle: 'e2', scale: 'diverging' });
    const cells = (hm.data as { values: { x: string; y: string; value: number }[] }).values;
    expect(cells.length).to.equal(5); // the NaN bin is left blank
    expect(cells.find((c) => c.x === '2' && c.y === '1')?.value).to.equal(-1);
    expect(svgTexts(await renderSvg(hm))).to.include.members(['e2 over cells', 'column', 'row', 'e2']);
    expect(() => heatmap([1, 2], 2, 3, { title: 't', xTitle: 'x', yTitle: 'y', valueTitle: 'v' })).to.throw(/expected 6 values/);

    const img = (caption: string, k: number): { caption: string; width: number; height: number; pixels: number[] } => ({
      caption,
      width: 8,
      height: 6,
      pixels: Array.from({ length: 48 }, (_, i) => (i * k) % 256),
    });
    const grid = imageGrid([img('frame 1', 5), img('frame 2', 9)], { title: 'Frames', columns: 2, scale: 4 });
    const gridSvg = await renderSvg(grid);
    expect(svgTexts(gridSvg)).to.include.members(['Frames', 'frame 1', 'frame 2']);
    expect((gridSvg.match(/<image /g) ?? []).length).to.equal(2);
  });

  it('a gridworld chart shows every free cell, every wall and the option policy with legends', async () => {
    const world = GridWorld.fromName('fourrooms');
    const e = randomWalkEigenfunctions(world, 2).vectors[1];
    const opt = optionByValueIteration(world, e, 1, {}, 1);
    const spec = gridValueChart(world, e, { title: 'e2 on fourrooms', valueTitle: 'e2', policy: opt.policy });
    const layers = spec.layer as { data: { values: { col: number; row: number; value?: number; action?: string }[] } }[];
    const [cells, wallCells, arrows] = layers.map((l) => l.data.values);
    expect(cells.length).to.equal(104);
    expect(wallCells.length).to.equal(13 * 13 - 104);
    for (const c of cells) expect(c.value).to.equal(e[world.stateAt(c.row, c.col)]);
    const names = ['up', 'down', 'left', 'right'];
    for (const a of arrows) {
      const p = opt.policy[world.stateAt(a.row, a.col)];
      expect(a.action).to.equal(p < 0 ? 'terminate' : names[p]);
    }
    const texts = svgTexts(await renderSvg(spec));
    expect(texts).to.include.members(['e2 on fourrooms', 'e2', 'column', 'row', 'option action', 'up', 'down', 'left', 'right', 'terminate']);
    expect(() => gridValueChart(world, [1, 2], { title: 't', valueTitle: 'v' })).to.throw(/2 values for 104 states/);
  });

  it('writeChart writes the PNG with its SVG and Vega-Lite spec; bad input throws clearly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eigenopt-charts-'));
    const spec = lineChart(twoSeries, { title: 'T', xTitle: 'x', yTitle: 'y' });
    const w = await writeChart(spec, path.join(dir, 'returns.png'));
    expect(w.svg).to.equal(path.join(dir, 'returns.svg'));
    expect(JSON.parse(fs.readFileSync(w.spec, 'utf8'))).to.deep.equal(spec);
    expect(PNG.sync.read(fs.readFileSync(w.png)).width).to.be.greaterThan(480);
    expect(() => lineChart(twoSeries, { title: '', xTitle: 'x', yTitle: 'y' })).to.throw(/title must be a non-empty string/);
    expect(() => lineChart([{ name: 'a', x: [1, 2], y: [1] }], { title: 't', xTitle: 'x', yTitle: 'y' })).to.throw(/2 x values but 1 y values/);
    expect(() => lineChart([twoSeries[0], twoSeries[0]], { title: 't', xTitle: 'x', yTitle: 'y' })).to.throw(/distinct/);
    await writeChart(spec, path.join(dir, 'x.jpg')).then(
      () => expect.fail('no error'),
      (e: Error) => expect(e.message).to.match(/must end in \.png/),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
