import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderHtml, writeHtmlReport } from '../src/report/html';
import type { Report } from '../src/report/html';
import { barChart, lineChart } from '../src/viz/charts';

/** Contents of <script type="application/json" id="ID"> elements, by id. */
function scriptJsonById(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)"[^>]*>([\s\S]*?)<\/script>/g)) out.set(m[1], m[2]);
  return out;
}

describe('HTML report', function () {
  this.timeout(60000);

  it('writes report.html with sections, tables, inline SVG charts and their Vega-Lite specs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eigenopt-report-'));
    // a title that would end a <script> element if the JSON were not escaped
    const line = lineChart([{ name: 'with options', x: [0, 1, 2], y: [1, 4, 9] }], { title: 'Coverage </script><b>', xTitle: 'frames', yTitle: 'distinct states' });
    const bars = barChart([{ label: 'random', value: 3, error: 1 }], { title: 'Rooms', xTitle: 'agent', yTitle: 'rooms' });
    const report: Report = {
      title: 'Eigenoptions <test>',
      subtitle: 'made by a test',
      sections: [
        {
          title: 'Exploration',
          blocks: [
            { kind: 'text', text: 'a < b & c' },
            { kind: 'table', caption: 'Summary', columns: ['agent', 'states', 'score'], rows: [['primitives', 31, 0.5], ['options', 57, null]] },
            { kind: 'chart', id: 'coverage', spec: line, caption: 'distinct states against frames' },
          ],
        },
        { title: 'Rooms', blocks: [{ kind: 'chart', id: 'rooms', spec: bars }, { kind: 'image', src: 'e1.png', alt: 'first eigenfunction' }] },
      ],
    };
    const file = await writeHtmlReport(dir, report);
    expect(file).to.equal(path.join(dir, 'report.html'));
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).to.equal(true);
    expect(html).to.include('<title>Eigenoptions &lt;test&gt;</title>');
    expect(html).to.include('<p>a &lt; b &amp; c</p>');
    expect(html).to.not.include('<b>');
    // two sections in order, with a table of contents
    expect(html.indexOf('<h2>Exploration</h2>')).to.be.lessThan(html.indexOf('<h2>Rooms</h2>'));
    expect(html).to.include('<a href="#section-2">Rooms</a>');
    // the table: header row and two body rows, numbers right-aligned, null empty
    const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    expect((tbody.match(/<tr>/g) ?? []).length).to.equal(2);
    expect(tbody).to.include('<td class="num">57</td><td></td>');
    expect(html).to.include('<th>agent</th><th>states</th><th>score</th>');
    // charts: inline SVG (no XML declaration) whose texts include the chart titles
    expect((html.match(/<svg/g) ?? []).length).to.equal(2);
    expect(html).to.not.include('<?xml');
    expect(html).to.include('>Rooms</text>');
    expect(html).to.include('>distinct states</text>');
    // the specs parse back to exactly what was given, even with </script> in a title
    const specs = scriptJsonById(html);
    expect([...specs.keys()]).to.deep.equal(['spec-coverage', 'spec-rooms']);
    expect(JSON.parse(specs.get('spec-coverage') ?? '')).to.deep.equal(line);
    expect(JSON.parse(specs.get('spec-rooms') ?? '')).to.deep.equal(bars);
    expect(html).to.include('<img src="e1.png" alt="first eigenfunction">');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects malformed reports with clear errors', () => {
    const spec = lineChart([{ name: 'a', x: [0], y: [1] }], { title: 't', xTitle: 'x', yTitle: 'y' });
    const r = (blocks: Report['sections'][number]['blocks']): Report => ({ title: 'r', sections: [{ title: 's', blocks }] });
    expect(() => renderHtml(r([{ kind: 'table', columns: ['a', 'b'], rows: [[1]] }]))).to.throw(/row 0 has 1 cells for 2 columns/);
    expect(() => renderHtml(r([{ kind: 'chart', id: 'c', spec }]))).to.throw(/has no SVG/);
    expect(() => renderHtml(r([{ kind: 'chart', id: 'bad id', spec, svg: '<svg></svg>' }]))).to.throw(/chart id/);
    expect(() =>
      renderHtml(
        r([
          { kind: 'chart', id: 'c', spec, svg: '<svg></svg>' },
          { kind: 'chart', id: 'c', spec, svg: '<svg></svg>' },
        ]),
      ),
    ).to.throw(/used twice/);
  });
});
