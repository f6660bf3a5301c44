import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { Keyboard, openKeyInput, type KeyInput } from '../../src/live/keyboard.js';
import type { KeyEvent } from '../../src/live/keys.js';
import type { Timers } from '../../src/live/scheduler.js';

/** A terminal input: an EventEmitter with raw mode, flowing state and a spy on each. */
class FakeTerminal extends EventEmitter implements KeyInput {
  isRaw = false;
  flowing = false;
  constructor(readonly isTTY = true) {
    super();
  }
  readonly setRawMode = vi.fn((on: boolean) => {
    this.isRaw = on;
    return this;
  });
  readonly resume = vi.fn(() => {
    this.flowing = true;
    return this;
  });
  readonly pause = vi.fn(() => {
    this.flowing = false;
    return this;
  });
  readonly destroy = vi.fn();
}

/** Timers run by hand. */
class ManualTimers implements Timers {
  private pending = new Map<number, () => void>();
  private next = 0;
  readonly delays: number[] = [];
  now(): number {
    return 0;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.pending.set(++this.next, fn);
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get count(): number {
    return this.pending.size;
  }
  runAll(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const fn of fns) fn();
  }
}

function setup(terminal = new FakeTerminal()) {
  const keys: KeyEvent[] = [];
  const timers = new ManualTimers();
  const exitHooks = new EventEmitter();
  const keyboard = new Keyboard(terminal, (key) => keys.push(key), { timers, exitHooks });
  return { terminal, keys, timers, exitHooks, keyboard };
}

describe('Keyboard', () => {
  it('accepts process.stdin as its input (a type check)', () => {
    const keyboard = new Keyboard(process.stdin, () => {});
    expect(keyboard.active).toBe(false);
  });

  it('start() turns raw mode on, resumes the stream and decodes its chunks into keys', () => {
    const { terminal, keys, keyboard } = setup();
    expect(keyboard.start()).toBe(true);
    expect(terminal.setRawMode).toHaveBeenCalledWith(true);
    expect(terminal.flowing).toBe(true);
    terminal.emit('data', Buffer.from('q\x1b[6~'));
    terminal.emit('data', 'n');
    expect(keys).toEqual([{ name: 'char', char: 'q' }, { name: 'pagedown' }, { name: 'char', char: 'n' }]);
  });

  it('decodes a sequence split across chunks', () => {
    const { terminal, keys, keyboard, timers } = setup();
    keyboard.start();
    terminal.emit('data', Buffer.from([0x1b]));
    terminal.emit('data', Buffer.from('[5~'));
    timers.runAll();
    expect(keys).toEqual([{ name: 'pageup' }]);
  });

  it('a lone ESC becomes escape after the timeout, not before', () => {
    const { terminal, keys, keyboard, timers } = setup();
    keyboard.start();
    terminal.emit('data', Buffer.from([0x1b]));
    expect(keys).toEqual([]);
    expect(timers.delays).toEqual([50]);
    timers.runAll();
    expect(keys).toEqual([{ name: 'escape' }]);
  });

  it('a chunk arriving within the timeout cancels it', () => {
    const { terminal, keyboard, timers } = setup();
    keyboard.start();
    terminal.emit('data', '\x1b');
    expect(timers.count).toBe(1);
    terminal.emit('data', 'O');
    expect(timers.count).toBe(0);
  });

  it('stop() restores raw mode, removes its listeners and pauses the stream; twice is once', () => {
    const { terminal, keys, keyboard, exitHooks } = setup();
    keyboard.start();
    expect(exitHooks.listenerCount('exit')).toBe(1);
    keyboard.stop();
    keyboard.stop();
    expect(terminal.setRawMode.mock.calls).toEqual([[true], [false]]);
    expect(terminal.pause).toHaveBeenCalledTimes(1);
    expect(terminal.flowing).toBe(false);
    for (const event of ['data', 'end', 'close', 'error']) expect(terminal.listenerCount(event)).toBe(0);
    expect(exitHooks.listenerCount('exit')).toBe(0);
    terminal.emit('data', 'q');
    expect(keys).toEqual([]);
  });

  it('restores the raw mode it found', () => {
    const terminal = new FakeTerminal();
    terminal.isRaw = true;
    const { keyboard } = setup(terminal);
    keyboard.start();
    keyboard.stop();
    expect(terminal.setRawMode.mock.calls).toEqual([[true], [true]]);
  });

  it('restores raw mode at exit when stop() was never called', () => {
    const { terminal, keyboard, exitHooks } = setup();
    keyboard.start();
    exitHooks.emit('exit');
    expect(terminal.setRawMode).toHaveBeenLastCalledWith(false);
    expect(terminal.isRaw).toBe(false);
  });

  it('does nothing and returns false when the input is not a terminal', () => {
    const { terminal, keyboard, exitHooks } = setup(new FakeTerminal(false));
    expect(keyboard.available).toBe(false);
    expect(keyboard.start()).toBe(false);
    expect(terminal.setRawMode).not.toHaveBeenCalled();
    expect(terminal.resume).not.toHaveBeenCalled();
    expect(terminal.listenerCount('data')).toBe(0);
    expect(exitHooks.listenerCount('exit')).toBe(0);
    keyboard.stop();
    expect(terminal.pause).not.toHaveBeenCalled();
  });

  it('does nothing when the terminal has no raw mode', () => {
    const input = Object.assign(new EventEmitter(), { isTTY: true, resume: vi.fn(), pause: vi.fn() });
    const keyboard = new Keyboard(input, () => {}, { exitHooks: new EventEmitter() });
    expect(keyboard.start()).toBe(false);
    expect(input.resume).not.toHaveBeenCalled();
  });

  it('stops reading when the callback stops it mid-chunk (q), and when the terminal goes away', () => {
    const terminal = new FakeTerminal();
    const keys: KeyEvent[] = [];
    const keyboard: Keyboard = new Keyboard(terminal, (key) => {
      keys.push(key);
      if (key.name === 'char' && key.char === 'q') keyboard.stop();
    }, { timers: new ManualTimers(), exitHooks: new EventEmitter() });
    keyboard.start();
    terminal.emit('data', 'aqb');
    expect(keys).toEqual([{ name: 'char', char: 'a' }, { name: 'char', char: 'q' }]);
    expect(terminal.isRaw).toBe(false);

    const second = setup();
    second.keyboard.start();
    second.terminal.emit('error', Object.assign(new Error('read EIO'), { code: 'EIO' }));
    expect(second.keyboard.active).toBe(false);
    expect(second.terminal.isRaw).toBe(false);
  });

  it('starts again after stop (after a suspend), with a fresh decoder', () => {
    const { terminal, keys, keyboard, timers } = setup();
    keyboard.start();
    terminal.emit('data', '\x1b[');
    keyboard.stop();
    expect(keyboard.start()).toBe(true);
    terminal.emit('data', 'A');
    timers.runAll();
    expect(keys).toEqual([{ name: 'char', char: 'A' }]);
    expect(terminal.setRawMode.mock.calls).toEqual([[true], [false], [true]]);
  });
});

describe('openKeyInput', () => {
  it('uses stdin when it is a terminal', () => {
    const stdin = new FakeTerminal(true);
    const open = vi.fn(() => new FakeTerminal());
    expect(openKeyInput(stdin, open)?.input).toBe(stdin);
    expect(open).not.toHaveBeenCalled();
  });

  it.skipIf(process.platform === 'win32')('opens the controlling terminal when stdin is a pipe, and closes it', () => {
    const tty = new FakeTerminal(true);
    const opened = openKeyInput(new FakeTerminal(false), () => tty);
    expect(opened?.input).toBe(tty);
    opened?.close();
    expect(tty.destroy).toHaveBeenCalled();
  });

  it('gives undefined when there is no controlling terminal', () => {
    const noTerminal = () => {
      throw Object.assign(new Error('ENXIO'), { code: 'ENXIO' });
    };
    expect(openKeyInput(new FakeTerminal(false), noTerminal)).toBeUndefined();
  });
});
