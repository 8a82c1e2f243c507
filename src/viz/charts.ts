// Figures through a plotting grammar: small typed builders return Vega-Lite specs; `renderSvg`
// compiles a spec with vega-lite, runs it through a headless vega View (renderer 'none') and
// returns the SVG; `svgToPng` rasterises an SVG with resvg; `writeChart` writes all three
// (NAME.png, NAME.svg, NAME.vl.json) so reports can embed the SVG and the spec beside the PNG.
//
// Builders: lineChart (series with a legend, optional reference lines), barChart (means with
// error bars), heatmap (values over (x, y) bins), gridValueChart (values over a gridworld with an
// option's policy) and imageGrid (titled images in a grid). Every
// builder requires a title and axis titles; every chart with more than one series has a legend.
//
// vega and vega-lite (6.x) are ESM-only packages while this project compiles to CommonJS, so they
// are loaded with a real dynamic `import()` that TypeScript does not rewrite to `require`.
//
// Text: resvg draws text only with fonts it is given. Charts name the font family 'Noto Sans' and
// the rasteriser loads Noto Sans Regular and Bold from the @embedpdf/fonts-latin package (TTF files,
// OFL-1.1) and no system fonts, so PNGs look the same on every machine, fonts installed or not.
import * as fs from 'fs';
import * as path from 'path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import type { GridGeometry } from './heatmap';

/** JSON values (what a Vega-Lite spec is made of). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A Vega-Lite top-level spec as plain JSON. */
export type VegaLiteSpec = { [key: string]: Json };

/** Font family every chart uses (shipped by @embedpdf/fonts-latin). */
export const CHART_FONT = 'Noto Sans';

/** Vega-Lite schema URL written into every spec (informational; nothing is fetched). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Default plot-area size in CSS pixels. */
export const DEFAULT_WIDTH = 480;
export const DEFAULT_HEIGHT = 300;

/** Common chart texts. */
export interface ChartTitles {
  /** Title above the chart (required: every figure has one). */
  title: string;
  /** Optional subtitle under the title. */
  subtitle?: string;
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis. */
  yTitle: string;
  /** Plot-area width (default 480). */
  width?: number;
  /** Plot-area height (default 300). */
  height?: number;
}

function checkTitles(where: string, t: ChartTitles): void {
  for (const key of ['title', 'xTitle', 'yTitle'] as const) {
    if (typeof t[key] !== 'string' || t[key].trim() === '') throw new Error(`${where}: ${key} must be a non-empty string`);
  }
  for (const key of ['width', 'height'] as const) {
    const v = t[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new Error(`${where}: ${key} must be a positive number, got ${v}`);
  }
}

function titleOf(t: { title: string; subtitle?: string }): Json {
  return t.subtitle ? { text: t.title, subtitle: t.subtitle } : t.title;
}

function baseConfig(): Json {
  return {
    font: CHART_FONT,
    background: 'white',
    view: { stroke: null },
    title: { fontSize: 15, subtitleFontSize: 11 },
    axis: { titleFontSize: 12, labelFontSize: 10 },
    legend: { titleFontSize: 11, labelFontSize: 10, labelLimit: 480 },
  };
}

// ---------------------------------------------------------------------------------------------
// Line chart

export interface LineSeries {
  /** Legend label. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface ReferenceLine {
  /** y value of a horizontal dashed rule. */
  y: number;
  /** Legend label of the rule. */
  label: string;
}

export interface LineChartOptions extends ChartTitles {
  /** Title of the legend (default 'series'). */
  legendTitle?: string;
  /** Logarithmic y (x) scale. */
  logY?: boolean;
  logX?: boolean;
  /** Draw a point at every datum (for short series). */
  points?: boolean;
  /** Horizontal dashed reference lines, listed in the legend too. */
  rules?: readonly ReferenceLine[];
}

/**
 * One line per series, coloured by series name, with a legend (series keep the given order).
 * Non-finite y values are left out (gaps), as are non-positive ones on a log scale.
 */
export function lineChart(series: readonly LineSeries[], o: LineChartOptions): VegaLiteSpec {
  checkTitles('lineChart', o);
  if (series.length === 0) throw new Error('lineChart: no series');
  const names = series.map((s) => s.name);
  const rules = o.rules ?? [];
  if (new Set([...names, ...rules.map((r) => r.label)]).size !== names.length + rules.length) {
    throw new Error(`lineChart: series and rule labels must be distinct, got ${[...names, ...rules.map((r) => r.label)].join(', ')}`);
  }
  const values: Json[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new Error(`lineChart: series ${s.name} has ${s.x.length} x values but ${s.y.length} y values`);
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if ((o.logY && y <= 0) || (o.logX && x <= 0)) continue;
      values.push({ series: s.name, x, y });
    }
  }
  const legendTitle = o.legendTitle ?? 'series';
  const domain = [...names, ...rules.map((r) => r.label)];
  const color: Json = { field: 'series', type: 'nominal', title: legendTitle, scale: { domain }, sort: domain };
  const layers: Json[] = [
    {
      data: { values },
      mark: { type: 'line', point: o.points ?? false, strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: o.logX ? { type: 'log' } : { zero: false } },
        y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: o.logY ? { type: 'log' } : { zero: false } },
        color,
      },
    },
  ];
  if (rules.length > 0) {
    layers.push({
      data: { values: rules.map((r) => ({ series: r.label, y: r.y })) },
      mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'y', type: 'quantitative' }, color },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? DEFAULT_WIDTH,
    height: o.height ?? DEFAULT_HEIGHT,
    layer: layers,
    config: baseConfig(),
  };
}

// ---------------------------------------------------------------------------------------------
// Bar chart with error bars

export interface Bar {
  /** Category on the x axis. */
  label: string;
  /** Bar height. */
  value: number;
  /** Half-width of the error bar (e.g. a standard error); omitted: no error bar. */
  error?: number;
  /** Colour group, listed in the legend (default: the label). */
  group?: string;
}

export interface BarChartOptions extends ChartTitles {
  /** Title of the legend (default 'group'). */
  legendTitle?: string;
}

/** Bars in the given order, coloured by group, with value ± error whiskers where given. */
export function barChart(bars: readonly Bar[], o: BarChartOptions): VegaLiteSpec {
  checkTitles('barChart', o);
  if (bars.length === 0) throw new Error('barChart: no bars');
  const labels = bars.map((b) => b.label);
  if (new Set(labels).size !== labels.length) throw new Error(`barChart: bar labels must be distinct, got ${labels.join(', ')}`);
  const values: Json[] = bars.map((b) => {
    if (!Number.isFinite(b.value)) throw new Error(`barChart: bar ${b.label} has a non-finite value ${b.value}`);
    if (b.error !== undefined && !(b.error >= 0)) throw new Error(`barChart: bar ${b.label} has error ${b.error} (must be >= 0)`);
    const e = b.error ?? 0;
    return { label: b.label, value: b.value, low: b.value - e, high: b.value + e, group: b.group ?? b.label, hasError: b.error !== undefined };
  });
  const groups = [...new Set(bars.map((b) => b.group ?? b.label))];
  const x: Json = { field: 'label', type: 'nominal', title: o.xTitle, sort: labels, axis: { labelAngle: labels.some((l) => l.length > 6) ? -30 : 0, labelLimit: 400 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? DEFAULT_WIDTH,
    height: o.height ?? DEFAULT_HEIGHT,
    data: { values },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: o.yTitle },
          color: { field: 'group', type: 'nominal', title: o.legendTitle ?? 'group', scale: { domain: groups }, sort: groups },
        },
      },
      {
        transform: [{ filter: 'datum.hasError' }],
        mark: { type: 'errorbar', ticks: { size: 14, color: 'black' }, rule: { color: 'black' }, thickness: 1.5 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: o.yTitle }, y2: { field: 'high' } },
      },
    ],
    config: baseConfig(),
  };
}

// ---------------------------------------------------------------------------------------------
// Heatmap

export interface HeatmapChartOptions extends ChartTitles {
  /** Title of the colour legend. */
  valueTitle: string;
  /** Colour scheme: 'diverging' (symmetric about 0, blue-red) or 'sequential' (default 'sequential'). */
  scale?: 'diverging' | 'sequential';
  /** Labels of the x bins (default 0..cols-1) and y bins (default 0..rows-1, top row first). */
  xLabels?: readonly string[];
  yLabels?: readonly string[];
}

/**
 * values[row * cols + col] over a rows x cols grid of (x, y) bins; row 0 is drawn at the top.
 * NaN cells (no data, walls) are left blank.
 */
export function heatmap(values: ArrayLike<number>, rows: number, cols: number, o: HeatmapChartOptions): VegaLiteSpec {
  checkTitles('heatmap', o);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new Error(`heatmap: rows and cols must be positive integers, got ${rows}x${cols}`);
  if (values.length !== rows * cols) throw new Error(`heatmap: expected ${rows * cols} values for ${rows}x${cols} bins, got ${values.length}`);
  if (typeof o.valueTitle !== 'string' || o.valueTitle === '') throw new Error('heatmap: valueTitle must be a non-empty string');
  const xl = o.xLabels ?? Array.from({ length: cols }, (_, i) => String(i));
  const yl = o.yLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  if (xl.length !== cols || yl.length !== rows) throw new Error(`heatmap: ${xl.length} x labels and ${yl.length} y labels for ${cols} columns and ${rows} rows`);
  const data: Json[] = [];
  let maxAbs = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (!Number.isFinite(v)) continue;
      maxAbs = Math.max(maxAbs, Math.abs(v));
      data.push({ x: xl[c], y: yl[r], value: v });
    }
  }
  const diverging = o.scale === 'diverging';
  const colorScale: Json = diverging ? { scheme: 'redblue', reverse: true, domain: [-maxAbs || -1, maxAbs || 1] } : { scheme: 'viridis' };
  const cellW = (o.width ?? DEFAULT_WIDTH) / cols;
  const cellH = (o.height ?? DEFAULT_HEIGHT) / rows;
  const cell = Math.max(1, Math.min(cellW, cellH));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? Math.round(cell * cols),
    height: o.height ?? Math.round(cell * rows),
    data: { values: data },
    mark: 'rect',
    encoding: {
      x: { field: 'x', type: 'ordinal', title: o.xTitle, sort: [...xl], axis: { labelAngle: 0, labelOverlap: true } },
      y: { field: 'y', type: 'ordinal', title: o.yTitle, sort: [...yl], axis: { labelOverlap: true } },
      color: { field: 'value', type: 'quantitative', title: o.valueTitle, scale: colorScale },
    },
    // blank (NaN) cells show the grey background
    config: { ...(baseConfig() as { [key: string]: Json }), view: { stroke: null, fill: '#d0d0d0' } },
  };
}

// ---------------------------------------------------------------------------------------------
// Values over a gridworld, with an option's policy

/** Names of gridworld actions 0..3 and of "terminate" (-1) in policy legends. */
export const GRID_POLICY_LABELS = ['up', 'down', 'left', 'right'] as const;
const POLICY_SHAPES = ['triangle-up', 'triangle-down', 'triangle-left', 'triangle-right'];

export interface GridValueChartOptions {
  title: string;
  subtitle?: string;
  /** Title of the colour legend (e.g. 'e3'). */
  valueTitle: string;
  /** 'diverging' (symmetric about 0; default) or 'sequential'. */
  scale?: 'diverging' | 'sequential';
  /** Per state: action 0..3 (up, down, left, right) drawn as a triangle, or -1 (terminate, a dot). */
  policy?: ArrayLike<number>;
  /** Pixels per cell side (default 24). */
  cell?: number;
}

/**
 * One value per state over a gridworld's cells, walls dark grey, row 0 at the top, with an
 * option's policy as triangles pointing the way (dots where it terminates) and a legend for both.
 */
export function gridValueChart(grid: GridGeometry, values: ArrayLike<number>, o: GridValueChartOptions): VegaLiteSpec {
  if (typeof o.title !== 'string' || o.title.trim() === '') throw new Error('gridValueChart: title must be a non-empty string');
  if (typeof o.valueTitle !== 'string' || o.valueTitle === '') throw new Error('gridValueChart: valueTitle must be a non-empty string');
  if (values.length !== grid.numStates) throw new Error(`gridValueChart: ${values.length} values for ${grid.numStates} states`);
  if (o.policy && o.policy.length !== grid.numStates) throw new Error(`gridValueChart: policy has ${o.policy.length} entries for ${grid.numStates} states`);
  const cell = o.cell ?? 24;
  if (!(cell >= 4)) throw new Error(`gridValueChart: cell must be >= 4, got ${cell}`);
  const { rows, cols, walls } = grid.layout;
  const cellsData: Json[] = [];
  const wallData: Json[] = [];
  const policyData: Json[] = [];
  let maxAbs = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (walls[r * cols + c]) {
        wallData.push({ col: c, row: r });
        continue;
      }
      const st = grid.stateAt(r, c);
      const v = values[st];
      if (!Number.isFinite(v)) throw new Error(`gridValueChart: value of state ${st} is not finite`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
      cellsData.push({ col: c, row: r, state: st, value: v });
      if (o.policy) {
        const a = o.policy[st];
        if (a !== -1 && !(a >= 0 && a < 4 && Number.isInteger(a))) throw new Error(`gridValueChart: invalid action ${a} at state ${st}`);
        policyData.push({ col: c, row: r, action: a < 0 ? 'terminate' : GRID_POLICY_LABELS[a] });
      }
    }
  }
  const colsDomain = Array.from({ length: cols }, (_, i) => i);
  const rowsDomain = Array.from({ length: rows }, (_, i) => i);
  const x: Json = { field: 'col', type: 'ordinal', title: 'column', scale: { domain: colsDomain }, axis: { labelAngle: 0 } };
  const y: Json = { field: 'row', type: 'ordinal', title: 'row', scale: { domain: rowsDomain } };
  const colorScale: Json = o.scale === 'sequential' ? { scheme: 'viridis' } : { scheme: 'redblue', reverse: true, domain: [-(maxAbs || 1), maxAbs || 1] };
  const layers: Json[] = [
    { data: { values: cellsData }, mark: 'rect', encoding: { x, y, color: { field: 'value', type: 'quantitative', title: o.valueTitle, scale: colorScale } } },
  ];
  if (wallData.length > 0) layers.push({ data: { values: wallData }, mark: { type: 'rect', color: '#3c3c3c' }, encoding: { x, y } });
  if (o.policy) {
    const labels = [...GRID_POLICY_LABELS, 'terminate'];
    layers.push({
      data: { values: policyData },
      mark: { type: 'point', filled: true, color: 'black', opacity: 0.85, size: Math.round(cell * cell * 0.3) },
      encoding: { x, y, shape: { field: 'action', type: 'nominal', title: 'option action', scale: { domain: labels, range: [...POLICY_SHAPES, 'circle'] } } },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: cols * cell,
    height: rows * cell,
    layer: layers,
    resolve: { scale: { color: 'independent' } },
    config: baseConfig(),
  };
}

// ---------------------------------------------------------------------------------------------
// Image grid

export interface ChartImage {
  /** Caption under the image. */
  caption: string;
  width: number;
  height: number;
  /** Grayscale (width*height, 0..255 or 0..1 floats when `unit`) or RGB (width*height*3) pixels. */
  pixels: ArrayLike<number>;
  /** Pixels are floats in [0, 1] (default false: bytes). */
  unit?: boolean;
}

export interface ImageGridOptions {
  title: string;
  subtitle?: string;
  /** Images per row (default 4). */
  columns?: number;
  /** Drawn pixels per image pixel (default 2). */
  scale?: number;
}

/** An image as a data: URL holding a PNG (grayscale or RGB input). */
export function imageDataUrl(img: ChartImage): string {
  const { width, height, pixels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`image ${img.caption}: bad size ${width}x${height}`);
  const n = width * height;
  const channels = pixels.length === n ? 1 : pixels.length === 3 * n ? 3 : 0;
  if (channels === 0) throw new Error(`image ${img.caption}: ${pixels.length} values for ${width}x${height} (expected ${n} gray or ${3 * n} RGB)`);
  const png = new PNG({ width, height });
  const k = img.unit ? 255 : 1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = pixels[channels === 1 ? i : 3 * i + c] * k;
      png.data[4 * i + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
    png.data[4 * i + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** Images in a grid with captions (faceted image marks); all images are drawn at one size. */
export function imageGrid(images: readonly ChartImage[], o: ImageGridOptions): VegaLiteSpec {
  if (typeof o.title !== 'string' || o.title.trim() === '') throw new Error('imageGrid: title must be a non-empty string');
  if (images.length === 0) throw new Error('imageGrid: no images');
  const scale = o.scale ?? 2;
  const columns = o.columns ?? 4;
  if (!(scale > 0) || !Number.isInteger(columns) || columns < 1) throw new Error(`imageGrid: scale must be > 0 and columns a positive integer, got ${scale}, ${columns}`);
  const w = Math.max(...images.map((i) => i.width)) * scale;
  const h = Math.max(...images.map((i) => i.height)) * scale;
  const captions = images.map((i) => i.caption);
  if (new Set(captions).size !== captions.length) throw new Error('imageGrid: captions must be distinct');
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    data: { values: images.map((img) => ({ caption: img.caption, url: imageDataUrl(img) })) },
    facet: { field: 'caption', type: 'nominal', title: null, sort: captions, header: { labelOrient: 'bottom', labelFontSize: 11 } },
    columns,
    spec: {
      width: w,
      height: h,
      mark: { type: 'image', width: w, height: h, aspect: false, align: 'left', baseline: 'top' },
      encoding: { url: { field: 'url', type: 'nominal' }, x: { value: 0 }, y: { value: 0 } },
    },
    config: { ...(baseConfig() as { [key: string]: Json }), axis: { domain: false, ticks: false, labels: false, grid: false } },
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** The parts of vega's and vega-lite's module objects this file uses. */
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(scale?: number): Promise<string>; finalize(): void };
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

// A dynamic import that TypeScript's CommonJS output keeps as import() (vega 6 is ESM-only).
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

function loadVega(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([importEsm('vega'), importEsm('vega-lite')]).then(([vega, vl]) => ({ vega: vega as VegaModule, vl: vl as VegaLiteModule }));
  return modules;
}

/** The Vega spec vega-lite compiles the given spec to. */
export async function compileSpec(spec: VegaLiteSpec): Promise<unknown> {
  const { vl } = await loadVega();
  return vl.compile(JSON.parse(JSON.stringify(spec))).spec;
}

/** Renders a Vega-Lite spec to an SVG document (headless vega View). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await loadVega();
  let compiled: unknown;
  try {
    // vega tags the data objects it ingests; a copy keeps the caller's spec plain JSON
    compiled = vl.compile(JSON.parse(JSON.stringify(spec))).spec;
  } catch (e) {
    throw new Error(`invalid Vega-Lite spec: ${(e as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Folder of the TTF files of @embedpdf/fonts-latin. */
export function chartFontDir(): string {
  const entry = require.resolve('@embedpdf/fonts-latin');
  const dir = path.join(path.dirname(entry), '..', 'fonts');
  if (!fs.existsSync(path.join(dir, 'NotoSans-Regular.ttf'))) throw new Error(`chart font NotoSans-Regular.ttf not found in ${dir} (is @embedpdf/fonts-latin installed?)`);
  return dir;
}

export interface PngOptions {
  /** Output pixels per SVG pixel (default 2). */
  scale?: number;
}

/** Rasterises an SVG document to PNG bytes with resvg, using the bundled Noto Sans only. */
export function svgToPng(svg: string, o: PngOptions = {}): Buffer {
  const scale = o.scale ?? 2;
  if (!(scale > 0 && scale <= 16)) throw new Error(`svgToPng: scale must be in (0, 16], got ${scale}`);
  const dir = chartFontDir();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'NotoSans-Italic.ttf'].map((f) => path.join(dir, f)),
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
  });
  return resvg.render().asPng();
}

export interface WrittenChart {
  png: string;
  svg: string;
  spec: string;
}

/**
 * Writes a chart as PNG plus its SVG and Vega-Lite spec beside it: `file` names the PNG
 * (e.g. out/returns.png -> out/returns.png, out/returns.svg, out/returns.vl.json).
 */
export async function writeChart(spec: VegaLiteSpec, file: string, o: PngOptions = {}): Promise<WrittenChart> {
  if (!file.toLowerCase().endsWith('.png')) throw new Error(`writeChart: ${file} must end in .png`);
  const base = file.slice(0, -4);
  const svg = await renderSvg(spec);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = { png: file, svg: `${base}.svg`, spec: `${base}.vl.json` };
  fs.writeFileSync(out.png, svgToPng(svg, o));
  fs.writeFileSync(out.svg, svg);
  fs.writeFileSync(out.spec, JSON.stringify(spec, null, 2) + '\n');
  return out;
}
