/**
 * Golden dashboards for three kinds of job, at the terminal sizes people use (80x24, 160x45,
 * 220x60), as `watch --quiet` draws them on a terminal: the frame the live screen gives the
 * dashboard there, with the keyboard footer. Each golden is what a person would keep open; the
 * assertions beside them say what must hold whatever the layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../src/analyse/dashboard-model.js';
import { LineReader } from '../../src/parsers/source.js';
import { dashboardFrame } from '../../src/render/dashboard.js';
import { dashboardRows } from '../../src/live/terminal.js';
import { displayWidth } from '../../src/render/width.js';
import { ROOT } from '../helpers/run-cli.js';

const SIZES = [[80, 24], [160, 45], [220, 60]] as const;

function load(name: string): { model: DashboardModel; lines: number } {
  const model = new DashboardModel();
  const path = join(ROOT, 'fixtures/dashboard', name);
  const reader = new LineReader(path, { record: (record) => model.observe(record, name), diagnostic: () => {} }, {});
  reader.push(readFileSync(path));
  reader.end();
  return { model, lines: reader.lines };
}

function frame(name: string, columns: number, rows: number, page = 0): { lines: string[]; pages: number } {
  const { model, lines } = load(name);
  const state = { model: model.view(), title: `vizmeta watch · ${name}`, status: 'done', elapsedSeconds: 754, lines };
  // What LiveScreen gives the dashboard with --quiet: all but two rows, one column spare.
  return dashboardFrame(state, { width: columns - 1, height: dashboardRows(rows, true), color: false, page, footer: '? help' });
}

describe.each(['hf-trainer.log', 'keras.log', 'lr-schedule.log'])('%s', (name) => {
  it.each(SIZES)('at %dx%d', async (columns, rows) => {
    const { lines } = frame(name, columns, rows);
    expect(lines).toHaveLength(rows - 2);
    for (const line of lines) expect(displayWidth(line)).toBeLessThan(columns);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot(`golden/live/${name.replace('.log', '')}-${columns}x${rows}.txt`);
  });
});

describe('what the goldens show', () => {
  it('HF: the config is one settings line, eval_loss shares the loss chart, step and epoch are not charted', () => {
    const text = frame('hf-trainer.log', 160, 45).lines.join('\n');
    expect(text).toMatch(/^settings num_train_epochs 3 · per_device_train_batch_size 16 · seed 42 · model bert-base-uncased/m);
    expect(text).toMatch(/── loss [\d.]+ +━━ eval_loss /);
    expect(text).not.toMatch(/^(step|epoch) /m);
    expect(text).not.toMatch(/── (step|epoch|seed) /);
    expect(text).toMatch(/^ +step 10 /m);
  });

  it('HF: losses and accuracies come before the learning rate, speeds last', () => {
    const { model } = load('hf-trainer.log');
    const titles = model.view().groups.map((g) => g.title);
    expect(titles.slice(0, 2)).toEqual(['loss · eval_loss · train_loss', 'eval_accuracy']);
    const speeds = titles.findIndex((title) => title.includes('eval_samples_per_second'));
    expect(titles[speeds]).toBe('eval_samples_per_second · train_samples_per_second');
    expect(titles.indexOf('learning_rate')).toBeGreaterThan(1);
    expect(titles.indexOf('learning_rate')).toBeLessThan(speeds);
  });

  it('Keras: charted by epoch, val_loss with loss, taller charts at 45 rows than at 24', () => {
    const small = frame('keras.log', 80, 24).lines;
    const large = frame('keras.log', 160, 45).lines;
    expect(small.join('\n')).toMatch(/^ *epoch 1 /m);
    expect(large.join('\n')).toMatch(/── loss [\d.]+ +━━ val_loss /);
    const plotRows = (lines: string[]): number => lines.filter((line) => /^ *[\d.]+ [┤┼]/.test(line)).length;
    expect(plotRows(large)).toBeGreaterThan(plotRows(small));
  });

  it('learning-rate schedule: the lr chart is on a log scale and says so', () => {
    const text = frame('lr-schedule.log', 160, 45).lines.join('\n');
    expect(text).toMatch(/── lr 1e-7 · log y/);
    expect(text).toMatch(/^1e-4 ┤/m);
  });
});
