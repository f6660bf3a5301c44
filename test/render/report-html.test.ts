/**
 * The report's data and page as pure functions: charts from a dashboard view (pairs together, the
 * held-out key dashed, runs overlaid, non-finite values marked), the legend's grouping, and the
 * page's escaping promises (text from logs never markup, the JSON never ends its element, the CSP
 * hash is the inlined script's).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../src/analyse/dashboard-model.js';
import { compactNumber, isHeldOut, legendEntries, reportCharts, settingsTable } from '../../src/analyse/report-model.js';
import { escapeHtml, jsonForScript, renderReportHtml, sparklineSvg, staticChartSvg, text, type ReportPage } from '../../src/render/report-html.js';
import { markdownToSafeHtml } from '../../src/render/markdown-html.js';
import type { JsonObject } from '../../src/core/types.js';

function model(runs: Record<string, JsonObject[]>): DashboardModel {
  const m = new DashboardModel({ capacity: 64 });
  for (const [source, records] of Object.entries(runs)) {
    records.forEach((values, i) => m.observe({ values, time: '2026-12-01T00:00:00Z', source, line: i + 1 }));
  }
  return m;
}

const steps = (n: number, f: (step: number) => JsonObject): JsonObject[] => Array.from({ length: n }, (_, i) => ({ step: i + 1, ...f(i + 1) }));

function page(overrides: Partial<ReportPage> = {}): ReportPage {
  const view = model({ 'a.log': steps(5, (s) => ({ loss: 1 / s })) }).view();
  return {
    title: 'a.log', generated: '2026-12-03T10:00:00.000Z', version: '9.9.9', inputs: ['a.log'], runs: ['a.log'],
    charts: reportCharts(view), smoothing: 0, table: undefined, gate: undefined, matrices: [], rocs: [], kubeflow: [], notes: [],
    ...overrides,
  };
}

const ASSETS = { script: 'console.log("client")', css: '.uplot{}' };

describe('report charts from the dashboard view', () => {
  it('one run: a train/validation pair shares a chart, the held-out key dashed, labels are the keys', () => {
    const view = model({ 'a.log': steps(20, (s) => ({ loss: 2 / s, val_loss: 2.5 / s, accuracy: s / 20 })) }).view();
    const { charts } = reportCharts(view);
    const pair = charts.find((chart) => chart.keys.includes('val_loss'));
    expect(pair?.keys).toEqual(['loss', 'val_loss']);
    expect(pair?.series.map((line) => [line.label, line.dashed])).toEqual([['loss', false], ['val_loss', true]]);
    expect(charts.find((chart) => chart.keys[0] === 'accuracy')?.tendency).toBe('max');
  });

  it('several runs: pairs stay together (the terminal splits them), each line named run · key; the legend lists runs and the key styles', () => {
    const view = model({
      'logs/a.log': steps(10, (s) => ({ loss: 1 / s, val_loss: 1.2 / s })),
      'logs/b.log': steps(10, (s) => ({ loss: 2 / s, val_loss: 2.2 / s })),
    }).view();
    const { charts } = reportCharts(view, ['a.log', 'b.log']);
    expect(charts).toHaveLength(1);
    const chart = charts[0];
    expect(chart?.series.map((line) => line.label)).toEqual(['a.log · loss', 'b.log · loss', 'a.log · val_loss', 'b.log · val_loss']);
    expect(chart?.series.map((line) => line.run)).toEqual([0, 1, 0, 1]);
    const legend = legendEntries(chart as NonNullable<typeof chart>);
    expect(legend.entries.map((entry) => [entry.label, entry.lines])).toEqual([['a.log', [0, 2]], ['b.log', [1, 3]]]);
    expect(legend.styles).toEqual([{ key: 'loss', dashed: false }, { key: 'val_loss', dashed: true }]);
  });

  it('NaN and ±Infinity are gaps in the line and marks at their steps', () => {
    const view = model({ 'a.log': steps(6, (s) => ({ loss: s === 2 ? NaN : s === 4 ? Infinity : s === 5 ? -Infinity : 1 / s })) }).view();
    const line = reportCharts(view).charts[0]?.series[0];
    expect(line?.y).toEqual([1, null, compactNumber(1 / 3), null, null, compactNumber(1 / 6)]);
    expect(line?.marks).toEqual([{ x: 2, kind: 'NaN' }, { x: 4, kind: '+Infinity' }, { x: 5, kind: '-Infinity' }]);
    // JSON has no NaN: the page's data survives JSON.stringify.
    expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  it('a long run is bounded by the model\'s buckets', () => {
    const view = model({ 'a.log': steps(10_000, (s) => ({ loss: Math.sin(s) })) }).view();
    expect(reportCharts(view).charts[0]?.series[0]?.x.length).toBeLessThanOrEqual(64);
  });

  it('values keep seven significant digits; integers and non-finite as they are', () => {
    expect(compactNumber(0.123456789)).toBe(0.1234568);
    expect(compactNumber(123456789)).toBe(123456789);
    expect(compactNumber(1e-9 / 3)).toBe(3.333333e-10);
  });

  it('held-out keys by their split word', () => {
    expect(['val_loss', 'eval/accuracy', 'loss/test', 'valid-f1', 'dev.bleu'].every(isHeldOut)).toBe(true);
    expect(['loss', 'interval', 'evaluation_time', 'latest'].some(isHeldOut)).toBe(false);
  });

  it('settings side by side; an array printed once is data, not a setting', () => {
    const table = settingsTable([
      { key: 'optimizer', values: [{ source: 'a', value: 'adam' }, { source: 'b', value: 'sgd' }], differs: true },
      { key: 'fpr', values: [{ source: 'a', value: `[${Array.from({ length: 60 }, (_, i) => i / 59).join(',').slice(0, 199)}…` }], differs: false },
      { key: 'layers', values: [{ source: 'a', value: '[64,128,256]' }], differs: false },
      { key: 'config', values: [{ source: 'b', value: 'x'.repeat(500) }], differs: false },
    ], ['a', 'b']);
    expect(table.rows.map((row) => row.key)).toEqual(['optimizer', 'layers', 'config']);
    expect(table.rows[0]?.values).toEqual(['adam', 'sgd']);
    expect(table.rows[2]?.values[0]).toBeNull();
    expect(table.rows[2]?.values[1]).toHaveLength(120);
  });
});

describe('the page', () => {
  it('text from logs is escaped as HTML after control and bidi characters are made visible', () => {
    expect(text('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(text('a\u001b[31mb\u202ec')).not.toMatch(/[\u001b\u202e]/);
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('embedded JSON cannot end its script element or open a comment', () => {
    const json = jsonForScript({ key: '</script><script>alert(1)</script><!--', sep: '\u2028' });
    expect(json).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(json)).toEqual({ key: '</script><script>alert(1)</script><!--', sep: '\u2028' });
  });

  it('a hostile key reaches the page only as text, in the data and in the static chart', () => {
    const key = '</script><img src=x onerror=alert(1)>';
    const view = model({ 'a.log': steps(5, (s) => ({ [key]: s })) }).view();
    const html = renderReportHtml(page({ charts: reportCharts(view) }), ASSETS, ['a.log']);
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('the CSP forbids every request and allows only the inlined script, by its hash', () => {
    const html = renderReportHtml(page(), ASSETS, ['a.log']);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const hash = createHash('sha256').update(ASSETS.script).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).not.toMatch(/connect-src|https?:/);
    expect(html).toContain(`<script>${ASSETS.script}</script>`);
  });

  it('a client script holding </script is refused rather than inlined', () => {
    expect(() => renderReportHtml(page(), { script: 'a="</script>"', css: '' }, ['a.log'])).toThrow(/<\/script/);
  });

  it('a gate that failed says so at the top of its section, with each check', () => {
    const html = renderReportHtml(page({
      gate: {
        passed: false, errored: false, unreadable: [],
        executions: [{ execution: 'a.log', checks: [{ condition: 'accuracy >= 0.9', status: 'fail', used: [{ key: 'accuracy', aggregate: 'latest', value: 0.8 }], finding: { kind: 'condition' } }] }],
      },
    }), ASSETS, ['a.log']);
    expect(html).toMatch(/<div class="banner fail">✗ Gate failed: 1 of 1 check did not pass<\/div>/);
    expect(html).toContain('<code>accuracy &gt;= 0.9</code>');
  });

  it('sparklines and static charts draw finite values and mark the rest', () => {
    const svg = sparklineSvg([1, 2, NaN, 3], '#000');
    expect(svg).toMatch(/<path d="M[\d.,]+L[\d.,]+ M[\d.,]+"/);
    expect(svg.match(/<circle/g)).toHaveLength(1);
    expect(sparklineSvg([], '#000')).toBe('');
    const view = model({ 'a.log': steps(3, () => ({ loss: NaN })) }).view();
    expect(staticChartSvg(reportCharts(view).charts[0] as never)).toContain('No finite values');
  });
});

describe('Kubeflow markdown as HTML', () => {
  it('raw HTML shows as text, images as their alt text, only http(s) and mailto links are links', () => {
    const html = markdownToSafeHtml('# T\n<script>alert(1)</script>\n![chart](http://evil.example/t.png)\n[x](javascript:alert(2)) [y](https://example.com) [z](data:text/html,hi)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('[image: chart]');
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">y</a>');
  });

  it('control and bidi characters are shown escaped', () => {
    expect(markdownToSafeHtml('a\u001b]52;c;aGk=\u0007b \u202e')).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
