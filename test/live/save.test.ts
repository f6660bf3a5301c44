/**
 * run --save as the job's keeper: what the job wrote is in the file within a bounded time even
 * without a newline, and a failing file never holds up the job's output.
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeWriteError } from '../../src/core/io.js';
import { TimestampedLog, unstampLog } from '../../src/live/save.js';
import type { Timers } from '../../src/live/scheduler.js';

const T0 = Date.parse('2026-12-03T10:00:00Z');

/** Timers run by hand: `fire()` runs what is due. */
function manualTimers(): Timers & { fire(): void; pending: number } {
  const due = new Map<number, () => void>();
  let id = 0;
  return {
    now: () => 0,
    setTimeout: (fn) => {
      due.set(++id, fn);
      return id;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    fire() {
      const fns = [...due.values()];
      due.clear();
      for (const fn of fns) fn();
    },
    get pending() {
      return due.size;
    },
  };
}

function collect(): { out: PassThrough; text: () => string; bytes: () => Buffer } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString(), bytes: () => Buffer.concat(chunks) };
}

describe('--save writes promptly', () => {
  it('writes a line held past the bound as a +00:00 piece cut after its last \\r, and gives the bytes back whole', async () => {
    const { out, text, bytes } = collect();
    const timers = manualTimers();
    let now = T0;
    const log = new TimestampedLog(out, () => now, { timers });
    const job = '10%\r{"step": 1}\r20%\r{"step": 2}\r30';
    await log.push('stdout', Buffer.from(job));
    expect(text()).toBe('');
    expect(timers.pending).toBe(1);
    now += 1000;
    timers.fire();
    // Everything up to the last \r is in the file; the unfinished `30` waits for the next bound.
    expect(text()).toBe('2026-12-03T10:00:00.000+00:00 10%\r{"step": 1}\r20%\r{"step": 2}\r\n');
    await log.push('stdout', Buffer.from('%\n'));
    await log.end();
    expect(text()).toBe('2026-12-03T10:00:00.000+00:00 10%\r{"step": 1}\r20%\r{"step": 2}\r\n2026-12-03T10:00:01.000Z 30%\n');
    expect(unstampLog(bytes()).toString()).toBe(`${job}%\n`);
  });

  it('writes a held line without \\r whole, and keeps no timer once nothing is held', async () => {
    const { out, text } = collect();
    const timers = manualTimers();
    const log = new TimestampedLog(out, () => T0, { timers });
    await log.push('stdout', Buffer.from('epoch 1 … '));
    timers.fire();
    expect(text()).toBe('2026-12-03T10:00:00.000+00:00 epoch 1 … \n');
    expect(timers.pending).toBe(0);
    await log.end();
  });
});

describe('a failing --save', () => {
  it('says so once, lets the log go, and never makes the job wait', async () => {
    const errors: Error[] = [];
    const full = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });
    const log = new TimestampedLog(full, () => T0, { onError: (error) => errors.push(error) });
    for (let i = 0; i < 1000; i++) await log.push('stdout', Buffer.from(`{"step": ${i}}\n`));
    await log.end();
    expect(errors).toHaveLength(1);
    expect(log.failed?.message).toMatch(/ENOSPC/);
    expect(describeWriteError('run.log', errors[0])).toBe('run.log: no space left on the device');
  });
});
