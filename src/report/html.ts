// A self-contained HTML report from plain data: a title, sections, and in each section paragraphs,
// tables and charts. Charts are embedded twice: the SVG inline (what a reader sees, no scripts
// needed) and the Vega-Lite spec as JSON in <script type="application/json"> (what a reader or a
// tool can re-render or restyle). Nothing is fetched when the page is opened.
//
//   await writeHtmlReport('out', {
//     title: 'Eigenoptions on Montezuma',
//     sections: [{ title: 'Exploration', blocks: [
//       { kind: 'text', text: 'Random agent, 1M frames.' },
//       { kind: 'table', columns: ['agent', 'states'], rows: [['primitives', 31], ['options', 57]] },
//       { kind: 'chart', id: 'coverage', spec: lineChart(...) },
//     ] }],
//   });                                                         // -> out/report.html
import * as fs from 'fs';
import * as path from 'path';
import { renderSvg } from '../viz/charts';
import type { VegaLiteSpec } from '../viz/charts';

export type TableCell = string | number | boolean | null;

export type ReportBlock =
  | { kind: 'text'; text: string }
  | { kind: 'table'; caption?: string; columns: readonly string[]; rows: readonly (readonly TableCell[])[] }
  /** `id` names the chart's elements (letters, digits, '-', '_'); `svg` is rendered from `spec` when absent. */
  | { kind: 'chart'; id: string; spec: VegaLiteSpec; svg?: string; caption?: string }
  /** An image file beside report.html (relative path), e.g. a PNG written earlier. */
  | { kind: 'image'; src: string; alt: string };

export interface ReportSection {
  title: string;
  blocks: readonly ReportBlock[];
}

export interface Report {
  title: string;
  /** Line under the title (e.g. the command that produced the report). */
  subtitle?: string;
  sections: readonly ReportSection[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside a <script> element (no `</script>`, `<!--`, or line separators can end it early). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function cellText(c: TableCell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : Number.isFinite(c) ? Number(c.toPrecision(6)).toString() : String(c);
  return String(c);
}

/** Strips what an SVG document carries before its <svg> element (XML declaration, doctype). */
function inlineSvg(svg: string): string {
  const i = svg.indexOf('<svg');
  if (i < 0) throw new Error('chart SVG has no <svg> element');
  return svg.slice(i);
}

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The report as one HTML document; every chart block must carry its SVG (see renderCharts). */
export function renderHtml(report: Report): string {
  if (!report.title) throw new Error('report: title must be a non-empty string');
  const ids = new Set<string>();
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(report.title)}</h1>`);
  if (report.subtitle) body.push(`<p class="subtitle">${escapeHtml(report.subtitle)}</p>`);
  if (report.sections.length > 1) {
    body.push('<nav><ol>');
    report.sections.forEach((s, i) => body.push(`<li><a href="#section-${i + 1}">${escapeHtml(s.title)}</a></li>`));
    body.push('</ol></nav>');
  }
  report.sections.forEach((section, i) => {
    body.push(`<section id="section-${i + 1}">`, `<h2>${escapeHtml(section.title)}</h2>`);
    for (const b of section.blocks) {
      switch (b.kind) {
        case 'text':
          body.push(`<p>${escapeHtml(b.text)}</p>`);
          break;
        case 'table': {
          for (const [r, row] of b.rows.entries()) {
            if (row.length !== b.columns.length) throw new Error(`report table ${b.caption ?? ''} row ${r} has ${row.length} cells for ${b.columns.length} columns`);
          }
          body.push('<table>');
          if (b.caption) body.push(`<caption>${escapeHtml(b.caption)}</caption>`);
          body.push(`<thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`, '<tbody>');
          for (const row of b.rows) {
            body.push(`<tr>${row.map((c) => `<td${typeof c === 'number' ? ' class="num"' : ''}>${escapeHtml(cellText(c))}</td>`).join('')}</tr>`);
          }
          body.push('</tbody></table>');
          break;
        }
        case 'chart': {
          if (!ID.test(b.id)) throw new Error(`report chart id ${JSON.stringify(b.id)}: use letters, digits, '-' and '_' (starting with a letter)`);
          if (ids.has(b.id)) throw new Error(`report chart id ${b.id} is used twice`);
          ids.add(b.id);
          if (b.svg === undefined) throw new Error(`report chart ${b.id} has no SVG (render it with renderCharts or writeHtmlReport)`);
          body.push(`<figure id="chart-${b.id}">`, inlineSvg(b.svg));
          if (b.caption) body.push(`<figcaption>${escapeHtml(b.caption)}</figcaption>`);
          body.push(`<script type="application/json" id="spec-${b.id}" class="vega-lite-spec">${scriptJson(b.spec)}</script>`, '</figure>');
          break;
        }
        case 'image':
          body.push(`<figure><img src="${escapeHtml(b.src)}" alt="${escapeHtml(b.alt)}"><figcaption>${escapeHtml(b.alt)}</figcaption></figure>`);
          break;
        default:
          throw new Error(`report: unknown block kind ${JSON.stringify((b as { kind: unknown }).kind)}`);
      }
    }
    body.push('</section>');
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const STYLE = [
  'body{font-family:"Noto Sans",system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}',
  'h1{margin-bottom:0.2em}.subtitle{color:#666;margin-top:0}',
  'table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:0.3em 0.7em}',
  'th{background:#f3f3f3;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}',
  'caption{caption-side:top;text-align:left;font-weight:bold;padding-bottom:0.3em}',
  'figure{margin:1.5em 0}figure svg,figure img{max-width:100%;height:auto}figcaption{color:#555}',
].join('\n');

/** A copy of the report whose chart blocks all carry their SVG (rendered from the spec where absent). */
export async function renderCharts(report: Report): Promise<Report> {
  const sections: ReportSection[] = [];
  for (const s of report.sections) {
    const blocks: ReportBlock[] = [];
    for (const b of s.blocks) blocks.push(b.kind === 'chart' && b.svg === undefined ? { ...b, svg: await renderSvg(b.spec) } : b);
    sections.push({ title: s.title, blocks });
  }
  return { ...report, sections };
}

/** Renders missing chart SVGs and writes DIR/report.html; returns its path. */
export async function writeHtmlReport(dir: string, report: Report): Promise<string> {
  const html = renderHtml(await renderCharts(report));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  return file;
}
