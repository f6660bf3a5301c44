/**
 * Drives a program in a real terminal, as a person would: tmux runs it in a pane of a fixed
 * size, keys are sent by name, and the screen is read back as text (or with its escapes).
 *
 * Each {@link Tmux} has a tmux server of its own on a socket in a fresh temporary folder, with
 * an empty configuration, so tests never see or touch a user's tmux (nor the user's config).
 *
 * The program runs under a small /bin/sh wrapper that plays the user's shell: when it ends,
 * the wrapper records its status (128+N for signal N, as shells do), prints `[exited N]` and
 * keeps the pane open, so the screen the program left behind can still be read, cursor
 * visibility and scroll region included (tmux resets those itself once a pane is dead).
 *
 *   const term = await Tmux.start({ command: [process.execPath, BIN, 'watch', file], cols: 80, rows: 24 });
 *   await term.waitFor('vizmeta watch');
 *   await term.sendKeys('C-c');
 *   expect(await term.waitForExit()).toBe(130);
 *   await term.kill(); // in afterEach
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { shellQuote } from '../../src/live/pty.js';

const run = promisify(execFile);

export interface TmuxOptions {
  /** The program and its arguments, as argv: no word of it is read by a shell. */
  command: readonly string[];
  cols: number;
  rows: number;
  /** Changes to the environment (undefined removes a variable). Base: this process's, without NO_COLOR, FORCE_COLOR and TMUX. */
  env?: Record<string, string | undefined>;
  /** Working folder. Default: this process's. */
  cwd?: string;
}

/** What a pane's screen is, besides its text. Rows and columns count from 0. */
export interface ScreenState {
  cursorVisible: boolean;
  cursor: { x: number; y: number };
  scrollRegion: { top: number; bottom: number };
  alternateScreen: boolean;
  width: number;
  height: number;
  /** The wrapper shell itself ended (it should not: see {@link Tmux}). */
  dead: boolean;
}

/** How often the screen and the status file are read while waiting, ms. */
const POLL_MS = 100;

/**
 * The wrapper: `$1` is the status file; the rest is the program's argv. A trap on INT and QUIT
 * keeps the shell alive through Ctrl-C (the program gets it, as from a terminal, and the trap
 * is reset for it on exec); the status is written whole (rename), then the pane idles.
 */
const WRAPPER = [
  'trap : INT QUIT',
  'f=$1; shift',
  '"$@"',
  's=$?',
  'printf "%s\\n" "$s" > "$f.tmp" && mv "$f.tmp" "$f"',
  'printf "\\n[exited %s]\\n" "$s"',
  'while :; do sleep 3600; done',
].join('\n');

let version: [number, number] | null | undefined;

export class Tmux {
  private killed = false;
  private lastScreen = '';

  private constructor(
    private readonly dir: string,
    private readonly socket: string,
    private readonly config: string,
    private readonly statusFile: string,
    readonly options: TmuxOptions,
  ) {}

  /** Whether a tmux that this helper can drive (3.0 or newer) is installed. */
  static available(): boolean {
    if (version === undefined) {
      try {
        const text = execFileSync('tmux', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const match = /(\d+)\.(\d+)/.exec(text);
        version = match ? [Number(match[1]), Number(match[2])] : null;
      } catch {
        version = null;
      }
    }
    return version !== null && version[0] >= 3;
  }

  /** Starts `command` in a detached pane `cols` x `rows` (no status line) on a private tmux server. */
  static async start(options: TmuxOptions): Promise<Tmux> {
    if (options.command.length === 0) throw new Error('Tmux.start: empty command');
    const dir = mkdtempSync(join(tmpdir(), 'vizmeta-tmux-'));
    const config = join(dir, 'tmux.conf');
    writeFileSync(
      config,
      [
        'set -g status off',
        'set -g default-terminal xterm-256color',
        'set -g default-shell /bin/sh',
        'set -g remain-on-exit on',
        'set -g history-limit 10000',
        'set -s escape-time 0',
        '',
      ].join('\n'),
    );
    const term = new Tmux(dir, join(dir, 'socket'), config, join(dir, 'status'), options);
    const line = ['exec', '/bin/sh', '-c', WRAPPER, 'sh', term.statusFile, ...options.command].map(shellQuote).join(' ');
    try {
      await term.tmux(['new-session', '-d', '-s', 'main', '-x', String(options.cols), '-y', String(options.rows), '-c', options.cwd ?? process.cwd(), line], environment(options.env));
    } catch (error) {
      await term.kill();
      throw error;
    }
    return term;
  }

  /** Sends keys by tmux name: 'q', 'Space', 'PageDown', 'Escape', 'Enter', 'C-c', '/'. Each argument is one key. */
  async sendKeys(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux(['send-keys', '-t', 'main', key]);
  }

  /** Types `text` literally (tmux send-keys -l): no word of it is read as a key name. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'main', '-l', text]);
  }

  /** The visible screen as text, one line per row (trailing blanks trimmed by tmux); with `escapes`, its colours and attributes too. */
  async capture(options: { escapes?: boolean } = {}): Promise<string> {
    const { stdout } = await this.tmux(['capture-pane', '-p', '-t', 'main', ...(options.escapes ? ['-e'] : [])]);
    this.lastScreen = stdout;
    return stdout;
  }

  /** Polls the screen until it contains `pattern` (a string) or matches it (a RegExp); returns that screen. */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const matches = (screen: string): boolean => (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.capture();
      if (matches(screen)) return screen;
      if (Date.now() >= deadline) throw new Error(`tmux: no ${String(pattern)} on the screen after ${timeoutMs} ms. Last screen:\n${frame(screen)}`);
      await sleep(POLL_MS);
    }
  }

  /** Waits until the program ends and returns its status as a shell gives it: the exit code, or 128+N for signal N. */
  async waitForExit(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.readStatus();
      if (status !== undefined) return status;
      const dead = await this.format('#{pane_dead} #{pane_dead_status} #{pane_dead_signal}');
      const [isDead, code, signal] = dead.split(' ');
      if (isDead === '1') return signal ? 128 + Number(signal) : Number(code);
      if (Date.now() >= deadline) throw new Error(`tmux: the program was still running after ${timeoutMs} ms. Last screen:\n${frame(await this.capture())}`);
      await sleep(POLL_MS);
    }
  }

  /** The pane's cursor, scroll region and screen mode, as tmux's emulator holds them now. */
  async state(): Promise<ScreenState> {
    const text = await this.format('#{cursor_flag} #{cursor_x} #{cursor_y} #{scroll_region_upper} #{scroll_region_lower} #{alternate_on} #{pane_width} #{pane_height} #{pane_dead}');
    const [visible, x, y, top, bottom, alternate, width, height, dead] = text.split(' ').map(Number) as number[];
    return {
      cursorVisible: visible === 1,
      cursor: { x: x ?? 0, y: y ?? 0 },
      scrollRegion: { top: top ?? 0, bottom: bottom ?? 0 },
      alternateScreen: alternate === 1,
      width: width ?? 0,
      height: height ?? 0,
      dead: dead === 1,
    };
  }

  /** Stops the tmux server (and with it the program, by SIGHUP) and removes the temporary folder. Safe to call twice. */
  async kill(): Promise<void> {
    if (this.killed) return;
    this.killed = true;
    try {
      await this.tmux(['kill-server']);
    } catch {
      // No server (it never started, or it is gone already).
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last screen read, for a failure message. */
  get screen(): string {
    return this.lastScreen;
  }

  private readStatus(): number | undefined {
    try {
      const text = readFileSync(this.statusFile, 'utf8').trim();
      return text === '' ? undefined : Number(text);
    } catch {
      return undefined;
    }
  }

  private async format(format: string): Promise<string> {
    const { stdout } = await this.tmux(['display-message', '-p', '-t', 'main', format]);
    return stdout.trim();
  }

  private async tmux(args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
    if (this.killed && args[0] !== 'kill-server') throw new Error('tmux: the terminal was killed');
    // -u: the screen is read as UTF-8 whatever the locale says; -f: our config, never the user's.
    return run('tmux', ['-u', '-S', this.socket, '-f', this.config, ...args], { encoding: 'utf8', env: env ?? process.env, timeout: 30_000 });
  }
}

/** The pane's environment: this process's without what would change colour or nest tmux, TERM as a common terminal's, then `changes`. */
function environment(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'TMUX', 'TMUX_PANE', 'COLUMNS', 'LINES']) delete env[name];
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** A screen in a box, so its blank lines and trailing spaces show in a failure message. */
function frame(screen: string): string {
  return screen
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `|${line}|`)
    .join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
