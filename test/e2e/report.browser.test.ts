/**
 * `vizmeta report` in a real browser (Debian's Chromium via playwright-core): reports built from
 * the fixtures by the built CLI are opened from file://, and what a person would see and do is
 * checked: every chart drawn with its lines, the hover naming a known step's values, log scale and
 * smoothing changing what is drawn, hostile text shown as text with nothing run, no request leaving
 * the page, no console error, the tables readable without JavaScript. A screenshot of each report
 * is kept under test-output/report/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { chromiumMissing, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.js';

const SHOTS = join(ROOT, 'test-output', 'report');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'vizmeta-report-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `vizmeta report ARGS -o OUT`, and returns the page's path and the CLI's result. */
async function report(name: string, args: string[], expectStatus = 0): Promise<string> {
  const out = join(dir, `${name}.html`);
  const result = await runCli(['report', ...args, '-o', out], { timeoutMs: 120_000 });
  expect(result.status, result.stderr).toBe(expectStatus);
  return out;
}

interface PageData {
  charts: Array<{ id: string; title: string; series: Array<{ label: string }> }>;
}

function embedded(file: string): PageData {
  const html = readFileSync(file, 'utf8');
  const match = /<script type="application\/json" id="vizmeta-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return JSON.parse(match[1] as string) as PageData;
}

async function opened(file: string, shot: string): Promise<WatchedPage> {
  const watched = await openPage(browser, file);
  await watched.page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  await watched.page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  return watched;
}

/** Every chart of the embedded data is a figure with a canvas, as many lines as the data has. */
async function expectChartsDrawn(watched: WatchedPage, data: PageData): Promise<void> {
  const drawn = await watched.page.evaluate(() => [...document.querySelectorAll('figure.chart')].map((figure) => ({
    id: figure.id,
    canvases: figure.querySelectorAll('canvas').length,
    series: Number((figure as HTMLElement).dataset.series),
    plotted: ((window as unknown as { vizmeta: { charts: Array<{ chart: { id: string }; plot: { series: unknown[] } }> } }).vizmeta.charts.find((c) => c.chart.id === figure.id)?.plot.series.length ?? 0) - 1,
  })));
  expect(drawn.map((d) => d.id)).toEqual(data.charts.map((c) => c.id));
  for (const [i, chart] of data.charts.entries()) {
    expect(drawn[i]?.canvases, chart.title).toBeGreaterThan(0);
    expect(drawn[i]?.series, chart.title).toBe(chart.series.length);
    // Without smoothing, one drawn line per series.
    expect(drawn[i]?.plotted, chart.title).toBe(chart.series.length);
  }
}

function expectQuiet(watched: WatchedPage): void {
  expect(watched.errors).toEqual([]);
  expect(watched.requests).toEqual([]);
  expect(watched.dialogs).toEqual([]);
}

/** Two runs with values known at every step: loss = k/(step+1), val_loss every 10 steps. */
function knownRuns(): string[] {
  const files: string[] = [];
  for (const [name, k] of [['a', 1], ['b', 2]] as const) {
    const lines: string[] = [];
    for (let step = 0; step <= 100; step++) {
      lines.push(JSON.stringify({ step, loss: k / (step + 1), ...(step % 10 === 0 ? { val_loss: (k * 1.5) / (step + 1) } : {}) }));
    }
    const file = join(dir, `${name}.log`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files;
}

describe('vizmeta report in Chromium', () => {
  it('the eight runs fixture: every chart drawn, a NaN marked, no request, no console error', async () => {
    const file = await report('runs', ['fixtures/runs/run-1.log', 'fixtures/runs/run-2.log', 'fixtures/runs/run-3.log', 'fixtures/runs/run-4.log', 'fixtures/runs/run-5.log', 'fixtures/runs/run-6.log', 'fixtures/runs/run-7.log', 'fixtures/runs/run-8.log']);
    const data = embedded(file);
    expect(data.charts.length).toBeGreaterThanOrEqual(3);
    const watched = await opened(file, 'runs');
    await expectChartsDrawn(watched, data);
    // run-3 holds a NaN: the legend says so.
    expect(await watched.page.locator('#chart-1 .legend').innerText()).toMatch(/run-3\.log ▲ 1 NaN/);
    expect(await watched.page.locator('#runs tbody tr, #runs tr').count()).toBe(9);
    expectQuiet(watched);
    await watched.page.context().close();
  });

  it('hover names the step and each line\'s value there', async () => {
    const file = await report('known', knownRuns());
    const watched = await opened(file, 'known');
    const { page } = watched;
    const chart = embedded(file).charts.find((c) => c.title === 'loss · val_loss');
    expect(chart).toBeDefined();
    const box = await page.locator(`#${chart?.id} .u-over`).boundingBox();
    if (!box) throw new Error('no plot area');
    const left = await page.evaluate((id) => {
      const state = (window as unknown as { vizmeta: { charts: Array<{ chart: { id: string }; plot: { valToPos(v: number, s: string): number } }> } }).vizmeta.charts.find((c) => c.chart.id === id);
      return state?.plot.valToPos(50, 'x') ?? -1;
    }, chart?.id);
    await page.mouse.move(box.x + left, box.y + box.height / 2);
    const tip = page.locator(`#${chart?.id} .tooltip`);
    await tip.waitFor({ state: 'visible' });
    const shown = await tip.innerText();
    expect(shown).toContain('step 50');
    // loss = 1/51 and 2/51 at step 50, six significant digits; val_loss at its own step 50.
    expect(shown).toMatch(/a\.log · loss\s+0\.0196078/);
    expect(shown).toMatch(/b\.log · loss\s+0\.0392157/);
    expect(shown).toMatch(/a\.log · val_loss\s+0\.0294118/);
    expectQuiet(watched);
    await page.context().close();
  });

  it('drag zooms, Shift-drag pans, Reset zoom restores; log scale and smoothing change what is drawn', async () => {
    const file = await report('controls', knownRuns());
    const watched = await opened(file, 'controls-before');
    const { page } = watched;
    const id = embedded(file).charts[0]?.id as string;
    const pixels = (): Promise<string> => page.evaluate((chartId) => (document.querySelector(`#${chartId} canvas`) as HTMLCanvasElement).toDataURL(), id);
    const drawnState = (): Promise<{ distr: number; first: Array<number | null> }> => page.evaluate((chartId) => {
      const state = (window as unknown as { vizmeta: { charts: Array<{ chart: { id: string }; plot: { scales: { y: { distr: number } } }; drawn: Array<Array<number | null>> }> } }).vizmeta.charts.find((c) => c.chart.id === chartId);
      return { distr: state?.plot.scales.y.distr ?? 0, first: state?.drawn[0] ?? [] };
    }, id);
    const before = await pixels();
    const raw = await drawnState();
    expect(raw.distr).toBe(1);

    await page.locator(`#${id} .log-toggle`).check();
    expect((await drawnState()).distr).toBe(3);
    expect(await page.locator(`#${id}`).getAttribute('data-log')).toBe('true');
    const logged = await pixels();
    expect(logged).not.toBe(before);
    await page.locator(`#${id} .log-toggle`).uncheck();

    // Drag to zoom into the middle of the steps, Shift-drag to pan, Reset zoom to see all again.
    const xRange = (): Promise<[number, number]> => page.evaluate((chartId) => {
      const state = (window as unknown as { vizmeta: { charts: Array<{ chart: { id: string }; plot: { scales: { x: { min: number; max: number } } } }> } }).vizmeta.charts.find((c) => c.chart.id === chartId);
      return [state?.plot.scales.x.min ?? NaN, state?.plot.scales.x.max ?? NaN];
    }, id);
    const [fullMin, fullMax] = await xRange();
    const over = await page.locator(`#${id} .u-over`).boundingBox();
    if (!over) throw new Error('no plot area');
    await page.mouse.move(over.x + over.width * 0.25, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    const [zoomMin, zoomMax] = await xRange();
    expect(zoomMin).toBeGreaterThan(fullMin + 15);
    expect(zoomMax).toBeLessThan(fullMax - 40);
    await page.keyboard.down('Shift');
    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const [panMin, panMax] = await xRange();
    expect(panMin).toBeGreaterThan(zoomMin);
    expect(panMax - panMin).toBeCloseTo(zoomMax - zoomMin, 6);
    await page.locator(`#${id} button.reset`).click();
    expect(await xRange()).toEqual([fullMin, fullMax]);

    await page.locator('#smoothing').fill('0.9');
    await page.waitForFunction((chartId) => document.getElementById(chartId)?.dataset.smoothing === '0.9', id);
    const smoothed = await drawnState();
    // TensorBoard's debiased EMA: the first value stays, later ones lag behind the raw values.
    expect(smoothed.first[0]).toBe(raw.first[0]);
    expect(smoothed.first[10]).not.toBe(raw.first[10]);
    expect(smoothed.first[10] as number).toBeGreaterThan(raw.first[10] as number);
    expect(await pixels()).not.toBe(before);
    await page.screenshot({ path: join(SHOTS, 'controls-after.png'), fullPage: true });
    expectQuiet(watched);
    await page.context().close();
  });

  it('confusion matrices, ROC curves and Kubeflow outputs are shown', async () => {
    const file = await report('kubeflow', ['fixtures/kubeflow/mlpipeline-ui-metadata.json', 'fixtures/roc/roc.log', 'fixtures/matrix/evolving.log', 'fixtures/matrix/samples.csv']);
    const watched = await opened(file, 'kubeflow');
    const { page } = watched;
    expect(await page.locator('#matrices table.heatmap').count()).toBe(2);
    expect(await page.locator('#roc').innerText()).toContain('AUC 0.9220');
    const kubeflow = await page.locator('#kubeflow').innerText();
    expect(kubeflow).toContain('Training summary');
    expect(kubeflow).toContain('vit_tiny');
    expect(await page.locator('#kubeflow table.heatmap').count()).toBe(1);
    await expectChartsDrawn(watched, embedded(file));
    expectQuiet(watched);
    await page.context().close();
  });

  it('text from logs is shown as text and runs nothing', async () => {
    const key = '</script><img src=x onerror=alert(1)>';
    const log = join(dir, 'x<img src=y onerror=alert(2)>.log');
    const lines = [];
    for (let step = 1; step <= 20; step++) lines.push(JSON.stringify({ step, [key]: step / 20, accuracy: step / 25, note: '<b onmouseover=alert(3)>hi</b>', '\u001b]52;c;aGk=\u0007clip': step }));
    writeFileSync(log, `${lines.join('\n')}\n`);
    const ui = join(dir, 'mlpipeline-ui-metadata.json');
    writeFileSync(ui, JSON.stringify({ outputs: [{ type: 'markdown', storage: 'inline', source: '# Hi\n<script>alert(4)</script>\n![t](http://evil.example/t.png)\n[click](javascript:alert(5)) [site](https://example.com)' }] }));
    const file = await report('hostile', [log, ui]);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('\u001b');
    const watched = await opened(file, 'hostile');
    const { page } = watched;
    expect(await page.evaluate(() => document.images.length)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2);
    const body = await page.locator('body').innerText();
    expect(body).toContain(key);
    expect(body).toContain('<script>alert(4)</script>');
    expect(body).toContain('[image: t]');
    // Only the https link is a link; javascript: stays text.
    const links = await page.locator('#kubeflow a').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toEqual(['https://example.com/']);
    // The hover shows the hostile key as text too.
    const chart = embedded(file).charts.find((c) => c.title.includes('onerror'));
    expect(chart).toBeDefined();
    await page.locator(`#${chart?.id} .u-over`).hover();
    await page.locator(`#${chart?.id} .tooltip`).waitFor({ state: 'visible' });
    expect(await page.locator(`#${chart?.id} .tooltip`).innerText()).toContain(key);
    expect(await page.evaluate(() => document.images.length)).toBe(0);
    expectQuiet(watched);
    await page.context().close();
  });

  it('without JavaScript the tables and static charts are there', async () => {
    const file = await report('nojs', ['fixtures/runs/run-1.log', 'fixtures/runs/run-2.log', 'fixtures/runs/run-3.log']);
    const watched = await openPage(browser, file, { javaScript: false });
    const { page } = watched;
    expect(await page.locator('#runs tr').count()).toBe(4);
    expect(await page.locator('#settings tr').count()).toBeGreaterThan(1);
    expect(await page.locator('figure.chart svg path').count()).toBeGreaterThan(3);
    expect(await page.locator('.controls').isVisible()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'nojs.png'), fullPage: true });
    expect(watched.requests).toEqual([]);
    await page.context().close();
  });

  it('a failed gate still writes the page, which says so; the exit status is the gate\'s', async () => {
    const file = await report('gate', ['--when', 'accuracy >= 0.9', 'fixtures/runs/run-4.log', 'fixtures/runs/run-7.log'], 1);
    const watched = await opened(file, 'gate');
    const banner = await watched.page.locator('#gate .banner').innerText();
    expect(banner).toContain('Gate failed');
    expect(await watched.page.locator('#gate td.status.fail').count()).toBe(1);
    expectQuiet(watched);
    await watched.page.context().close();
  });

  it('ten runs of 100,000 steps: under 5 MB, every line drawn', async () => {
    const files: string[] = [];
    for (let run = 0; run < 10; run++) {
      const lines: string[] = [];
      for (let step = 0; step < 100_000; step++) lines.push(`{"step": ${step}, "loss": ${(2 / (1 + step / 1000) + Math.sin(step * (run + 1)) * 0.05).toFixed(5)}, "accuracy": ${(1 - 1 / (2 + step / 500)).toFixed(5)}}`);
      const path = join(dir, `big-${run}.log`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      files.push(path);
    }
    const file = await report('big', files);
    expect(statSync(file).size).toBeLessThan(5 * 1024 * 1024);
    const watched = await opened(file, 'big');
    await expectChartsDrawn(watched, embedded(file));
    expectQuiet(watched);
    await watched.page.context().close();
  }, 180_000);
});
