/**
 * The examples the README and `--help` show, found in their text, and a way to run one as a user
 * would type it: `bash -c '<example>'` in a scratch folder that holds the files it names (mapped
 * onto fixtures), with `vizmeta` and the programs it pipes from (`python`, `kubectl`, `./train`)
 * as small stand-ins on PATH.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, ROOT } from './run-cli.js';

export interface Example {
  /** The command line as shown, without its comment or description. */
  text: string;
  /** Where it is shown: `README: ### vizmeta sort …`, `sort --help`. */
  sources: string[];
  /** Output the README shows under a `$ vizmeta …` line (`…` lines are elisions). */
  shown?: string[];
}

/** A line in a `sh` block that runs vizmeta (`vizmeta …`, `node bin/vizmeta.js …`). */
const RUNS_VIZMETA = /(?:^|[\s|&;(])(?:vizmeta|(?:\S*\/)?bin\/vizmeta\.js)(?:\s|$)/;

/** Drops a shell comment (` # …`) after a command; the examples hold no `#` inside quotes. */
function withoutComment(line: string): string {
  return line.replace(/\s+#\s.*$/, '').trim();
}

/**
 * Every example in the README: each line of a fenced `sh` block that runs vizmeta, and each
 * `$ vizmeta …` line of another fenced block (the lines after it, up to the next `$`, are the
 * output it shows).
 */
export function readmeExamples(readme: string): Example[] {
  const examples: Example[] = [];
  let heading = '(top)';
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^#{1,6} /.test(line)) heading = line;
    const fence = /^```(\S*)\s*$/.exec(line);
    if (!fence) continue;
    const language = fence[1] ?? '';
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
    const source = `README: ${heading}`;
    if (language === 'sh' || language === 'bash' || language === 'shell') {
      for (const text of body) if (RUNS_VIZMETA.test(text)) examples.push({ text: withoutComment(text), sources: [source] });
    } else if (language === '') {
      for (let j = 0; j < body.length; j++) {
        const m = /^\$ (vizmeta .*)$/.exec(body[j] as string);
        if (!m) continue;
        const shown: string[] = [];
        for (let k = j + 1; k < body.length && !(body[k] as string).startsWith('$ '); k++) shown.push(body[k] as string);
        examples.push({ text: withoutComment(m[1] as string), sources: [source], shown });
      }
    }
  }
  return examples;
}

/**
 * The examples of one `--help` text: the indented lines after `Examples:` up to a blank line.
 * A description follows the command after two or more spaces (or a ` # ` comment).
 */
export function helpExamples(help: string, command: string): Example[] {
  const start = help.indexOf('\nExamples:\n');
  if (start === -1) return [];
  const examples: Example[] = [];
  for (const line of help.slice(start + '\nExamples:\n'.length).split('\n')) {
    if (!/^ {2}\S/.test(line)) break;
    const text = withoutComment((line.trim().split(/\s{2,}/)[0] as string));
    examples.push({ text, sources: [command === '' ? 'vizmeta --help' : `${command} --help`] });
  }
  return examples;
}

/** One entry per distinct command line, with every place that shows it. */
export function mergeExamples(lists: Example[][]): Example[] {
  const byText = new Map<string, Example>();
  for (const example of lists.flat()) {
    const seen = byText.get(example.text);
    if (!seen) byText.set(example.text, { ...example, sources: [...example.sources] });
    else {
      for (const source of example.sources) if (!seen.sources.includes(source)) seen.sources.push(source);
      seen.shown ??= example.shown;
    }
  }
  return [...byText.values()];
}

/** A file or folder the example names: a path under the repository (symlinked), or contents. */
export type Placed = string | { copy: string } | { text: string };

export interface ExampleRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The scratch folder the example ran in (removed after the check). */
  dir: string;
  timedOut: boolean;
}

export interface Interaction {
  dir: string;
  /** Resolves once stdout or stderr (as selected) matches, or rejects after `ms`. */
  waitFor: (pattern: RegExp, ms?: number, stream?: 'stdout' | 'stderr') => Promise<void>;
  /** Sends a signal to the example's process group, as Ctrl-C on a terminal would. */
  signal: (name: NodeJS.Signals) => void;
}

export interface Expectation {
  /** Why it is not run here (network, a real framework); the test is listed as skipped. */
  skip?: string;
  /** What is wrong with the example; the test is `it.fails`, so a fix turns it red until this goes. */
  todo?: string;
  /** Files the example names, mapped onto fixtures (paths relative to the scratch folder). */
  files?: Record<string, Placed>;
  /** Stand-ins on PATH (or in the folder, for `./name`) for the programs the example runs: sh script bodies. */
  programs?: Record<string, string>;
  /** The command line run, when it cannot be the example's text (say why in `why`). */
  command?: string;
  why?: string;
  env?: Record<string, string>;
  /** Expected exit status. */
  status: number;
  /** Each must match stdout / stderr. */
  stdout?: RegExp[];
  stderr?: RegExp[];
  /** Each file (relative to the scratch folder) must exist and match every pattern. */
  outputs?: Record<string, RegExp[]>;
  /** Anything else to check. */
  check?: (run: ExampleRun) => void;
  /** Runs while the example runs (follow a file, then Ctrl-C). */
  interact?: (io: Interaction) => Promise<void>;
  timeoutMs?: number;
}

/** Programs the examples pipe from, as stand-ins. `$REPO` is the repository. */
export const JOBS = {
  /** The demo's simulated job (examples/train.mjs), all at once: a NaN loss at step 123, val_loss turning up after 120. */
  demo: 'exec node "$REPO/examples/train.mjs"',
  /** Prints a fixture, as a job that has finished would. */
  cat: (fixture: string) => `exec cat "$REPO/${fixture}"`,
};

function place(dir: string, path: string, what: Placed): void {
  const target = join(dir, path.replace(/\/$/, ''));
  mkdirSync(dirname(target), { recursive: true });
  if (typeof what === 'string') symlinkSync(join(ROOT, what), target);
  else if ('copy' in what) copyFileSync(join(ROOT, what.copy), target);
  else writeFileSync(target, what.text);
}

/** Runs one example in a fresh scratch folder; never rejects for the example's own failure. */
export async function runExample(example: Example, expectation: Expectation): Promise<ExampleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-example-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  const shims: Record<string, string> = { vizmeta: `exec "${process.execPath}" "${BIN}" "$@"`, ...expectation.programs };
  for (const [name, body] of Object.entries(shims)) {
    const file = name.startsWith('./') ? join(dir, name) : join(bin, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  for (const [path, what] of Object.entries(expectation.files ?? {})) place(dir, path, what);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    REPO: ROOT,
    NO_COLOR: '1',
    COLUMNS: '100',
    VIZMETA_DEMO_DELAY_MS: '0',
    GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
    ...expectation.env,
  };
  delete env.FORCE_COLOR;
  const child = spawn('bash', ['-c', expectation.command ?? example.text], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const listeners = new Set<() => void>();
  const poke = (): void => listeners.forEach((listener) => listener());
  child.stdout.on('data', (chunk: Buffer) => { out.push(chunk); poke(); });
  child.stderr.on('data', (chunk: Buffer) => { err.push(chunk); poke(); });
  const text = (stream: 'stdout' | 'stderr'): string => Buffer.concat(stream === 'stdout' ? out : err).toString('utf8');
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; signal('SIGKILL'); }, expectation.timeoutMs ?? 20_000);
  const closed = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (status, sig) => resolve({ status, signal: sig }));
  });
  if (expectation.interact) {
    const waitFor = (pattern: RegExp, ms = 10_000, stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text(stream))) return;
          listeners.delete(check);
          clearTimeout(giveUp);
          resolve();
        };
        const giveUp = setTimeout(() => { listeners.delete(check); reject(new Error(`no ${String(pattern)} on ${stream} within ${ms} ms`)); }, ms);
        listeners.add(check);
        check();
      });
    try {
      await expectation.interact({ dir, waitFor, signal });
    } catch (error) {
      signal('SIGKILL');
      await closed;
      clearTimeout(timer);
      removeScratch(dir);
      throw error;
    }
  }
  const { status, signal: sig } = await closed;
  clearTimeout(timer);
  return { status, signal: sig, stdout: text('stdout'), stderr: text('stderr'), dir, timedOut };
}

/** The `// my-viz.mjs` renderer the README shows, so the `--renderer ./my-viz.mjs` examples run the README's own code. */
export function readmeRenderer(readme: string): string {
  const block = /```js\n(\/\/ my-viz\.mjs\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README: no ```js block starting with // my-viz.mjs');
  return block[1] as string;
}

/** Every line the README shows (but `…` elisions) appears in `actual`, in that order. */
export function missingShownLines(shown: string[], actual: string): string[] {
  const lines = actual.split('\n').map((line) => line.trimEnd());
  const missing: string[] = [];
  let at = 0;
  for (const want of shown.map((line) => line.trimEnd())) {
    if (want === '' || want === '…') continue;
    const found = lines.indexOf(want, at);
    if (found === -1) missing.push(want);
    else at = found + 1;
  }
  return missing;
}

export function readOutput(dir: string, path: string): string | undefined {
  const file = join(dir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
