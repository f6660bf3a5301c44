/**
 * The keyboard's edge: a terminal put in raw mode, its bytes decoded ({@link KeyDecoder}) into
 * keys handed to a callback, and the terminal given back in every way the process can end.
 *
 * Raw mode is needed to get a key as it is pressed (not a line at Enter) and without echo, which
 * would write into the log region. It also stops the terminal turning Ctrl-C and Ctrl-Z into
 * signals; they arrive as keys instead (controls.ts turns them into actions). A terminal left in
 * raw mode after vizmeta exits is unusable until `reset`, so raw mode is undone by stop(), and by
 * an exit hook if stop() is never reached.
 */
import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { ESCAPE_TIMEOUT_MS, KeyDecoder, type KeyEvent } from './keys.js';
import { realTimers, type Timers } from './scheduler.js';

/** What Keyboard needs of a terminal input; `process.stdin` and a `tty.ReadStream` are ones. */
export interface KeyInput {
  readonly isTTY?: boolean;
  /** Whether raw mode is on (tty.ReadStream keeps it), restored as found. */
  readonly isRaw?: boolean;
  setRawMode?(on: boolean): unknown;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  off(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the exit hook is registered: `process`, or a stand-in in tests. */
export interface ExitHooks {
  on(event: 'exit', listener: () => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
}

export interface KeyboardOptions {
  /** Quiet time after a lone ESC before it counts as the Escape key, ms. Default {@link ESCAPE_TIMEOUT_MS} (50). */
  escapeTimeout?: number;
  /** Default: real timers, unref'd so a pending Escape does not keep the process alive. */
  timers?: Timers;
  /** Default: `process`. */
  exitHooks?: ExitHooks;
}

/**
 * Reads keys from a terminal while started. Owns nothing it did not set up: it turns raw mode on
 * and back to what it was, and adds and removes its own listeners; the stream itself stays open
 * (see {@link openKeyInput} for one it should close).
 *
 * ```ts
 * const keyboard = new Keyboard(process.stdin, (key) => { ... applyKey(state, key, context) ... });
 * if (!keyboard.start()) { ... no keys: not a terminal ... }
 * ...
 * keyboard.stop();
 * ```
 *
 * Keys are delivered in order, synchronously from the stream's 'data' events (and, for a lone
 * Escape, from a timer). An exception thrown by the callback is not caught here.
 */
export class Keyboard {
  private decoder = new KeyDecoder();
  private started = false;
  private wasRaw = false;
  private escapeTimer: unknown;
  private readonly escapeTimeout: number;
  private readonly timers: Timers;
  private readonly exitHooks: ExitHooks;

  private readonly onData = (chunk: Uint8Array | string): void => {
    this.clearEscapeTimer();
    for (const key of this.decoder.push(chunk)) {
      this.onKey(key);
      // The callback may have stopped the keyboard (q): the rest of the chunk is not for us.
      if (!this.started) return;
    }
    if (this.decoder.needsFlush) {
      this.escapeTimer = this.timers.setTimeout(() => {
        this.escapeTimer = undefined;
        if (!this.started) return;
        for (const key of this.decoder.flush()) this.onKey(key);
      }, this.escapeTimeout);
    }
  };
  /** A terminal that goes away (hang-up, EIO) ends reading keys, not the job. */
  private readonly onGone = (): void => this.stop();
  private readonly onError = (): void => this.stop();
  private readonly onExit = (): void => this.restoreMode();

  constructor(
    private readonly input: KeyInput,
    private readonly onKey: (key: KeyEvent) => void,
    options: KeyboardOptions = {},
  ) {
    this.escapeTimeout = options.escapeTimeout ?? ESCAPE_TIMEOUT_MS;
    this.timers = options.timers ?? realTimers;
    this.exitHooks = options.exitHooks ?? process;
  }

  /** Whether the input is a terminal whose keys can be read one by one. */
  get available(): boolean {
    return this.input.isTTY === true && typeof this.input.setRawMode === 'function';
  }

  get active(): boolean {
    return this.started;
  }

  /**
   * Starts reading keys: raw mode on, the stream resumed. Returns false, doing nothing, when the
   * input is not a terminal (a pipe, a file, a terminal without raw mode); true when reading
   * (also when already started). May be called again after {@link stop} (after a suspend).
   */
  start(): boolean {
    if (this.started) return true;
    if (!this.available) return false;
    this.wasRaw = this.input.isRaw === true;
    this.decoder = new KeyDecoder();
    this.input.setRawMode?.(true);
    this.started = true;
    this.exitHooks.on('exit', this.onExit);
    this.input.on('data', this.onData);
    this.input.on('end', this.onGone);
    this.input.on('close', this.onGone);
    this.input.on('error', this.onError);
    this.input.resume();
    return true;
  }

  /**
   * Stops reading keys: raw mode back as it was, listeners removed, and the stream paused, since
   * a flowing terminal stream keeps the process alive. Idempotent. A lone ESC still pending is
   * dropped: the session is over.
   */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.clearEscapeTimer();
    this.input.off('data', this.onData);
    this.input.off('end', this.onGone);
    this.input.off('close', this.onGone);
    this.input.off('error', this.onError);
    this.exitHooks.off('exit', this.onExit);
    this.restoreMode();
    this.input.pause();
  }

  private restoreMode(): void {
    try {
      this.input.setRawMode?.(this.wasRaw);
    } catch {
      // The terminal is gone (EIO, EBADF): there is no mode left to restore.
    }
  }

  private clearEscapeTimer(): void {
    if (this.escapeTimer === undefined) return;
    this.timers.clearTimeout(this.escapeTimer);
    this.escapeTimer = undefined;
  }
}

/** A terminal to read keys from, and how to let go of it. */
export interface OpenedKeyInput {
  input: KeyInput;
  /** Closes the input if it was opened here (the controlling terminal); leaves stdin alone. Call after Keyboard.stop(). */
  close(): void;
}

/**
 * Where keys come from: stdin when it is a terminal; otherwise, as in `train.py | vizmeta watch`
 * where stdin is the job's log, the controlling terminal (`/dev/tty`), opened here. Undefined
 * when there is none (no terminal, Windows, a CI job): the dashboard then runs without keys.
 *
 * @param openTerminal opens the controlling terminal; replaceable in tests.
 */
export function openKeyInput(stdin: KeyInput, openTerminal: () => KeyInput & { destroy(): unknown } = openControllingTerminal): OpenedKeyInput | undefined {
  if (stdin.isTTY === true && typeof stdin.setRawMode === 'function') return { input: stdin, close: () => {} };
  if (process.platform === 'win32') return undefined;
  let terminal: KeyInput & { destroy(): unknown };
  try {
    terminal = openTerminal();
  } catch {
    // ENXIO: no controlling terminal (a daemon, a container without -t, CI).
    return undefined;
  }
  if (terminal.isTTY !== true) {
    terminal.destroy();
    return undefined;
  }
  // A read error on a terminal opened here (it went away) must not become an uncaught 'error'.
  terminal.on('error', () => {});
  return { input: terminal, close: () => void terminal.destroy() };
}

function openControllingTerminal(): ReadStream {
  return new ReadStream(openSync('/dev/tty', 'r'));
}
