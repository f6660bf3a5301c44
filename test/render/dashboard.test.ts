import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DashboardModel } from '../../src/analyse/dashboard-model.js';
import { FrameScheduler, type Timers } from '../../src/live/scheduler.js';
import { TimestampedLog } from '../../src/live/save.js';
import { ByteBoundary, LiveScreen, dashboardRows, frameSequence } from '../../src/live/terminal.js';
import { dashboardLines, renderDashboard } from '../../src/render/dashboard.js';
import { smooth } from '../../src/analyse/series.js';
import { classifyLine } from '../../src/parsers/line.js';
import { wantsLogScale } from '../../src/core/vocabulary.js';
import type { JsonObject, MetadataRecord } from '../../src/core/types.js';

const T0 = Date.parse('2026-11-22T10:00:00Z');

function record(values: JsonObject, i: number, source = '-'): MetadataRecord {
  return { values, time: new Date(T0 + i * 1500).toISOString(), source, line: i + 1 };
}

/** A deterministic training curve: loss falling with a wobble, accuracy rising, a NaN at step 37. */
function trainingModel(options: ConstructorParameters<typeof DashboardModel>[0] = {}): DashboardModel {
  const model = new DashboardModel(options);
  for (let i = 0; i < 80; i++) {
    const step = i + 1;
    const values: JsonObject = {
      step,
      loss: step === 37 ? NaN : Number((2 * Math.exp(-step / 20) + 0.1 + 0.05 * Math.sin(step)).toFixed(4)),
      accuracy: Number((0.1 + 0.85 * (1 - Math.exp(-step / 25))).toFixed(4)),
    };
    if (step % 10 === 0) values['val'] = { loss: Number((1.8 * Math.exp(-step / 30) + 0.25).toFixed(4)) };
    model.observe(record(values, i));
  }
  return model;
}

describe('dashboard frames (golden)', () => {
  it('a live frame has exactly the requested height and width', async () => {
    const model = trainingModel();
    const state = { model: model.view(), title: 'vizmeta watch · stdin', status: 'running', elapsedSeconds: 83.4, lines: 160 };
    const lines = dashboardLines(state, { width: 100, height: 30, color: false });
    expect(lines).toHaveLength(30);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('golden/live/frame-100x30.txt');
  });

  it('a long command line in the header is cut in the middle, keeping the program and its last arguments', () => {
    const title = `vizmeta run · node /${'deep/'.repeat(30)}emit.mjs --seed 7`;
    const [header] = dashboardLines({ model: trainingModel().view(), title, status: 'exited 0', elapsedSeconds: 1, lines: 3 }, { width: 80, height: 8, color: false });
    expect(header).toMatch(/^vizmeta run · node \/.*….*emit\.mjs --seed 7 · exited 0 · 1s · 3 lines · /);
    expect([...(header as string)].length).toBeLessThanOrEqual(80);
  });

  it('a small frame keeps the header and the table, and cuts charts rather than overflowing', async () => {
    const state = { model: trainingModel().view(), title: 'vizmeta run · python train.py', status: 'running', elapsedSeconds: 5, lines: 160 };
    const lines = dashboardLines(state, { width: 60, height: 8, color: false });
    expect(lines).toHaveLength(8);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('golden/live/frame-60x8.txt');
  });

  it('the final dashboard (natural height) with smoothing and an early-stop notice', async () => {
    const model = trainingModel({ smooth: 0.6, keys: ['loss', 'val.loss'] });
    const state = { model: model.view(), title: 'vizmeta watch · train.log', status: 'stopped', notice: "early stop: --stop-when 'loss < 0.2': true at step 80", elapsedSeconds: 12, lines: 160 };
    await expect(renderDashboard(state, { width: 80, color: false, chartHeight: 6 }) + '\n').toMatchFileSnapshot('golden/live/final-80.txt');
  });

  it('overlays executions per key and names them in the legend', async () => {
    const model = new DashboardModel();
    for (let i = 0; i < 30; i++) {
      model.observe(record({ step: i, loss: 1 / (i + 1) }, i, 'runs/a.log'));
      model.observe(record({ step: i, loss: 1.5 / (i + 1) }, i, 'runs/b.log'));
    }
    const text = renderDashboard({ model: model.view(), title: 'runs/a.log, runs/b.log' }, { width: 72, color: false, chartHeight: 5 });
    // Their common folder is left out: what tells the runs apart stays when a label is cut.
    expect(text).toContain('loss · a.log');
    expect(text).toMatch(/── a\.log 0\.03333 +━━ b\.log 0\.05/);
    await expect(text + '\n').toMatchFileSnapshot('golden/live/overlay-72.txt');
  });

  it('puts the selected run\'s rows first in the table, marked', () => {
    const model = new DashboardModel();
    for (let i = 0; i < 5; i++) {
      model.observe(record({ step: i, loss: 1 / (i + 1) }, i, 'a.log'));
      model.observe(record({ step: i, loss: 2 / (i + 1) }, i, 'b.log'));
    }
    const lines = dashboardLines({ model: model.view(), title: 't' }, { width: 80, height: 20, color: false, selected: 'b.log' });
    expect(lines[2]).toMatch(/^▸ loss · b\.log /);
    expect(lines[3]).toMatch(/^ {2}loss · a\.log /);
  });

  it('says what it waits for before any metadata arrives', () => {
    const lines = dashboardLines({ model: new DashboardModel().view(), title: 't', status: 'running', elapsedSeconds: 0, lines: 3 }, { width: 80, height: 4, color: false });
    expect(lines[1]).toMatch(/^waiting for metadata/);
    expect(lines).toHaveLength(4);
  });

  it('escapes terminal controls in keys and titles', () => {
    const model = new DashboardModel();
    model.observe(record({ 'evil\x1b[2J': 1 }, 0));
    const text = renderDashboard({ model: model.view(), title: 'x\x1b]0;pwned\x07' }, { width: 80, color: false, chartHeight: 3 });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('evil\\x1b[2J');
  });

  it('frame cost does not grow with the points read (bounded series)', () => {
    const model = new DashboardModel({ capacity: 512 });
    for (let i = 0; i < 200_000; i++) model.observe(record({ step: i, loss: Math.sin(i / 1000) }, i));
    const view = model.view();
    expect(view.keys[0]?.tracks[0]?.points.length).toBeLessThanOrEqual(512);
    expect(view.keys[0]?.tracks[0]?.count).toBe(200_000);
  });
});

describe('dashboard model', () => {
  it('uses the step (step, epoch, iteration, _step, global_step) as the x axis when present (and does not chart it), the record index otherwise', () => {
    const withStep = new DashboardModel();
    withStep.observe(record({ step: 10, loss: 1 }, 0));
    withStep.observe(record({ step: 20, loss: 0.5 }, 1));
    const view = withStep.view();
    expect(view.keys.map((k) => k.key)).toEqual(['loss']);
    expect(view.keys[0]?.tracks[0]?.points.map((p) => p.x)).toEqual([10, 20]);
    expect(view.xLabel).toBe('step');

    // Keras logs count epochs: the same step keys as summaries and early stopping.
    const epochs = new DashboardModel();
    epochs.observe(record({ epoch: 3, acc: 0.5 }, 0));
    epochs.observe(record({ epoch: 4, acc: 0.6 }, 1));
    expect(epochs.view().keys.map((k) => k.key)).toEqual(['acc']);
    expect(epochs.view().keys[0]?.tracks[0]?.points.map((p) => p.x)).toEqual([3, 4]);
    expect(epochs.view().xLabel).toBe('epoch');

    const without = new DashboardModel();
    without.observe(record({ acc: 0.5 }, 0));
    without.observe(record({ acc: 0.6 }, 1));
    expect(without.view().keys[0]?.tracks[0]?.points.map((p) => p.x)).toEqual([1, 2]);
    expect(without.view().xLabel).toBe('record');
  });

  it('--x _time is seconds since the execution\'s first record; --x KEY places records without it at the latest x', () => {
    const timed = new DashboardModel({ x: '_time' });
    for (let i = 0; i < 3; i++) timed.observe(record({ loss: i }, i));
    expect(timed.view().keys[0]?.tracks[0]?.points.map((p) => p.x)).toEqual([0, 1.5, 3]);
    expect(timed.view().xIsTime).toBe(true);

    const byEpoch = new DashboardModel({ x: 'epoch' });
    byEpoch.observe(record({ epoch: 1, loss: 1 }, 0));
    byEpoch.observe(record({ loss: 2 }, 1));
    // A record without the axis key belongs at the latest x seen, not at its record number.
    expect(byEpoch.view().keys[0]?.tracks[0]?.points).toEqual([{ x: 1, y: 1 }, { x: 1, y: 2 }]);
  });

  it('--keys charts only the named (dotted) keys, in order, even before they appear', () => {
    const model = new DashboardModel({ keys: ['val.loss', 'missing'] });
    model.observe(record({ step: 1, loss: 3, val: { loss: 2 } }, 0));
    const view = model.view();
    expect(view.keys.map((k) => k.key)).toEqual(['val.loss', 'missing']);
    expect(view.keys[1]?.tracks).toEqual([]);
  });

  it('smooths incrementally exactly as smooth() does over the whole series', () => {
    const ys = [1, 0.8, NaN, 0.6, 0.7, 0.3, Infinity, 0.25];
    const model = new DashboardModel({ smooth: 0.6 });
    ys.forEach((y, i) => model.observe(record({ step: i, loss: y }, i)));
    const smoothed = model.view().keys[0]?.tracks[0]?.smoothed?.map((p) => p.y);
    const expected = smooth(ys, 0.6);
    expect(smoothed).toHaveLength(expected.length);
    smoothed?.forEach((y, i) => (Number.isFinite(y) ? expect(y).toBeCloseTo(expected[i] as number, 12) : expect(y).toBe(expected[i])));
  });

  it('rejects a smoothing weight outside [0, 1)', () => {
    expect(() => new DashboardModel({ smooth: 1 })).toThrow(RangeError);
    expect(() => new DashboardModel({ smooth: -0.1 })).toThrow(RangeError);
  });

  it('maps the main axis to the other step keys and to time, so the x axis can change while a job runs', () => {
    const model = new DashboardModel({ timeAxis: true });
    model.observe(record({ loss: 0.9, epoch: 0.5, step: 10 }, 0));
    model.observe(record({ loss: 0.7, epoch: 1, step: 20 }, 1));
    model.observe(record({ eval_loss: 0.8, epoch: 1 }, 2));
    expect(model.axes()).toEqual(['step', 'epoch']);
    const byStep = model.view();
    expect(byStep.xLabel).toBe('step');
    // The eval record has no step: it goes at the latest step seen, 20, not at record 3.
    expect(byStep.keys.find((k) => k.key === 'eval_loss')?.tracks[0]?.points).toEqual([{ x: 20, y: 0.8 }]);
    const byEpoch = model.view({ xAxis: 'epoch' });
    expect(byEpoch.xLabel).toBe('epoch');
    expect(byEpoch.keys.find((k) => k.key === 'loss')?.tracks[0]?.points.map((p) => p.x)).toEqual([0.5, 1]);
    const byTime = model.view({ xAxis: '_time' });
    expect(byTime.xIsTime).toBe(true);
    expect(byTime.keys.find((k) => k.key === 'loss')?.tracks[0]?.points.map((p) => p.x)).toEqual([0, 1.5]);
    // An axis an execution does not have falls back to its own.
    expect(model.view({ xAxis: 'iteration' }).xLabel).toBe('step');
    // A dashboard drawn once keeps no map to time: asked for it, it draws by step.
    const once = new DashboardModel();
    once.observe(record({ loss: 0.9, step: 10 }, 0));
    expect(once.keepsTime).toBe(false);
    expect(once.view({ xAxis: '_time' }).xLabel).toBe('step');
    // Nor, with stepAxes off (vizmeta chart), to the other step keys; its own drawing is unchanged.
    const fixed = new DashboardModel({ stepAxes: false });
    const switchable = new DashboardModel();
    for (const [i, values] of [{ loss: 0.9, epoch: 0.5, step: 10 }, { loss: 0.7, epoch: 1, step: 20 }].entries()) {
      fixed.observe(record(values, i));
      switchable.observe(record(values, i));
    }
    expect(fixed.axes()).toEqual(['step']);
    expect(fixed.view({ xAxis: 'epoch' }).xLabel).toBe('step');
    expect(fixed.view()).toEqual(switchable.view());
  });

  it('chooses a log scale for a chart from its tracks\' extremes exactly as from every value they were given', () => {
    // Values across many decades, with zeros, negatives and non-finite ones; a small capacity so
    // the series compact, two runs so a chart overlays tracks.
    const value = fc.oneof(
      fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
      fc.constantFrom(0, -1, NaN, Infinity, -Infinity, 1e-12, 1e12),
    );
    const run = fc.array(fc.record({ loss: value, val_loss: value }, { requiredKeys: [] }), { maxLength: 60 });
    fc.assert(
      fc.property(run, run, (first, second) => {
        const model = new DashboardModel({ capacity: 16 });
        const given = new Map<string, number[]>();
        for (const [source, rows] of [['a.log', first], ['b.log', second]] as const) {
          rows.forEach((values, i) => {
            model.observe(record({ step: i, ...values }, i, source));
            for (const [key, y] of Object.entries(values)) given.set(key, [...(given.get(key) ?? []), y]);
          });
        }
        for (const group of model.view().groups) {
          const values = group.keys.flatMap((key) => given.get(key.key) ?? []);
          expect(group.logScale, group.title).toBe(wantsLogScale(values));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pairs train and validation keys for one run, not across several (the runs are the overlay then)', () => {
    const one = new DashboardModel();
    const two = new DashboardModel();
    for (let i = 0; i < 3; i++) {
      const values = { step: i, loss: 1 / (i + 1), val_loss: 1.2 / (i + 1) };
      one.observe(record(values, i, 'a.log'));
      two.observe(record(values, i, 'a.log'));
      two.observe(record(values, i, 'b.log'));
    }
    expect(one.view().groups.map((g) => g.title)).toEqual(['loss · val_loss']);
    expect(two.view().groups.map((g) => g.title)).toEqual(['loss', 'val_loss']);
    // Alone, a run of several is paired again; a group named with --keys holds either way.
    expect(two.view({ source: 'b.log' }).groups.map((g) => g.title)).toEqual(['loss · val_loss']);
    const named = new DashboardModel({ keys: [['loss', 'val_loss']] });
    named.observe(record({ step: 1, loss: 1, val_loss: 2 }, 0, 'a.log'));
    named.observe(record({ step: 1, loss: 1, val_loss: 2 }, 0, 'b.log'));
    expect(named.view().groups.map((g) => g.title)).toEqual(['loss · val_loss']);
  });

  it('keeps executions in the order they were named, not the order their records arrived in', () => {
    const model = new DashboardModel();
    for (const source of ['a.log', 'b.log', 'empty.log']) model.register(source);
    model.observe(record({ step: 1, loss: 2 }, 0, 'b.log'));
    model.observe(record({ step: 1, loss: 1 }, 0, 'a.log'));
    // A named execution without records is not a run yet.
    expect(model.sources).toEqual(['a.log', 'b.log']);
    expect(model.view().sources).toEqual(['a.log', 'b.log']);
  });

  it('names the axis record when no record has a step', () => {
    const model = new DashboardModel();
    model.observe(record({ loss: 0.9 }, 0));
    model.observe(record({ loss: 0.8 }, 1));
    const view = model.view();
    expect(view.xLabel).toBe('record');
    expect(view.keys[0]?.tracks[0]?.points.map((p) => p.x)).toEqual([1, 2]);
  });

  it('follows at most maxKeys keys and counts the rest', () => {
    const model = new DashboardModel({ maxKeys: 2 });
    model.observe(record({ a: 1, b: 2, c: 3, d: 4 }, 0));
    model.observe(record({ a: 2, b: 3, c: 4, d: 5 }, 1));
    expect(model.view().keys.map((k) => k.key)).toEqual(['a', 'b']);
    expect(model.view().droppedKeys).toBe(2);
  });
});

describe('terminal screen', () => {
  it('splits the screen: the log keeps at least 4 rows', () => {
    expect(dashboardRows(40)).toBe(24);
    expect(dashboardRows(10)).toBe(6);
    expect(dashboardRows(5)).toBe(3);
  });

  it('gives the dashboard all but two rows when the log is not shown (--quiet)', () => {
    expect(dashboardRows(45, true)).toBe(43);
    expect(dashboardRows(24, true)).toBe(22);
    expect(dashboardRows(3, true)).toBe(3);
  });

  it('draws a frame in one write: save cursor, each row cleared and drawn, restore', () => {
    const text = frameSequence(10, ['a', 'b']);
    expect(text).toBe('\x1b7\x1b[?7l\x1b[9;1H\x1b[2Ka\x1b[0m\x1b[10;1H\x1b[2Kb\x1b[0m\x1b[?7h\x1b8');
  });

  it('writes each frame as a single chunk and gives the terminal back once', () => {
    const out = new PassThrough();
    const writes: string[] = [];
    out.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
    const screen = new LiveScreen(out, { rows: 20, columns: 50 });
    screen.enter();
    screen.draw(['x', 'y']);
    screen.leave();
    screen.leave();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\x1b\[\?25l\n{12}\x1b\[1;8r\x1b\[8;1H$/);
    expect(writes[1]?.match(/\x1b\[2K/g)).toHaveLength(12);
    expect(writes[2]).toBe('\x1b[r\x1b[20;1H\r\n\x1b[?25h');
  });

  it('knows when the log is inside an escape sequence or a UTF-8 character', () => {
    const b = new ByteBoundary();
    const push = (bytes: number[] | string): boolean => {
      b.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));
      return b.safe;
    };
    expect(push('plain\n')).toBe(true);
    expect(push('\x1b[3')).toBe(false);
    expect(push('2m')).toBe(true);
    expect(push('\x1b]0;title')).toBe(false);
    expect(push('\x07')).toBe(true);
    expect(push('\x1b]8;;http://x\x1b')).toBe(false);
    expect(push('\\')).toBe(true);
    expect(push([0x63, 0xc3])).toBe(false);
    expect(push([0xa9])).toBe(true);
    expect(push([0xe2, 0x96])).toBe(false);
    expect(push([0x81, 0x0a])).toBe(true);
    expect(push('\x1b7')).toBe(true);
    expect(push('\x1b')).toBe(false);
    expect(push('[0m done\n')).toBe(true);
  });
});

describe('frame scheduler', () => {
  function fakeTimers(): Timers & { advance(ms: number): void } {
    let now = 0;
    let queue: Array<{ at: number; fn: () => void; id: number }> = [];
    let next = 1;
    return {
      now: () => now,
      setTimeout: (fn, ms) => {
        const id = next++;
        queue.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimeout: (id) => {
        queue = queue.filter((t) => t.id !== id);
      },
      advance(ms) {
        const end = now + ms;
        for (;;) {
          queue.sort((a, c) => a.at - c.at);
          const t = queue[0];
          if (!t || t.at > end) break;
          queue.shift();
          now = t.at;
          t.fn();
        }
        now = end;
      },
    };
  }

  it('draws at most 10 frames a second however often it is invalidated, with a heartbeat when idle', () => {
    const timers = fakeTimers();
    let frames = 0;
    const scheduler = new FrameScheduler(() => (frames++, true), { timers });
    scheduler.start();
    for (let t = 0; t < 1000; t++) {
      scheduler.invalidate();
      timers.advance(1);
    }
    expect(frames).toBeGreaterThanOrEqual(9);
    expect(frames).toBeLessThanOrEqual(11);
    const before = frames;
    timers.advance(3000);
    expect(frames - before).toBe(3);
    scheduler.stop();
    timers.advance(5000);
    expect(frames - before).toBe(3);
  });

  it('retries soon when the drawer cannot draw yet', () => {
    const timers = fakeTimers();
    let can = false;
    let frames = 0;
    const scheduler = new FrameScheduler(() => (can ? (frames++, true) : false), { timers });
    scheduler.invalidate();
    timers.advance(50);
    expect(frames).toBe(0);
    can = true;
    timers.advance(25);
    expect(frames).toBe(1);
  });
});

describe('--save timestamps', () => {
  it('prefixes every line with an RFC 3339 time the grammar reads back, lines of two streams kept whole', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    let now = T0;
    const log = new TimestampedLog(out, () => now);
    await log.push('stdout', Buffer.from('{"a": 1}\npart'));
    now += 1000;
    await log.push('stderr', Buffer.from('warn\n'));
    now += 1000;
    await log.push('stdout', Buffer.from('ial\nlast'));
    await log.end();
    const text = Buffer.concat(chunks).toString();
    expect(text).toBe(
      '2026-11-22T10:00:00.000Z {"a": 1}\n2026-11-22T10:00:01.000Z warn\n2026-11-22T10:00:00.000Z partial\n2026-11-22T10:00:02.000+00:00 last\n',
    );
    const first = classifyLine(text.split('\n')[0] as string);
    expect(first.objects).toEqual([{ a: 1 }]);
    expect(first.prefixTime).toBe(T0);
  });
});

describe('axis maps', () => {
  it('interpolates between the points records gave, holds the ends, and sorts them first', async () => {
    const { interpolator } = await import('../../src/analyse/dashboard-model.js');
    const { Series } = await import('../../src/analyse/series.js');
    const mapping = new Series(64);
    mapping.push(200, 2);
    mapping.push(100, 1);
    mapping.push(300, 2.5);
    const toEpoch = interpolator(mapping);
    expect(toEpoch(150)).toBeCloseTo(1.5, 12);
    expect(toEpoch(250)).toBeCloseTo(2.25, 12);
    expect(toEpoch(50)).toBe(1);
    expect(toEpoch(400)).toBe(2.5);
    expect(Number.isNaN(interpolator(new Series(64))(1))).toBe(true);
  });
});
