/**
 * Keyboard control of the live dashboard, driven as a person drives it: tmux runs the built CLI,
 * send-keys types, capture-pane reads the screen. Filter, page, pause, the help overlay, a run
 * alone among several, and quitting with the terminal given back (cursor, scroll region, and the
 * terminal out of raw mode: `stty` after vizmeta shows icanon and echo on again).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';

const NODE = process.execPath;
const HF = join(ROOT, 'fixtures/dashboard/hf-trainer.log');
const EMIT = join(ROOT, 'test/children/emit.mjs');

/** The dashboard's last line: what the keys have changed. */
function footer(screen: string): string {
  const lines = screen.trimEnd().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** The records count in the dashboard's header. */
function records(screen: string): number {
  const match = /· ([\d,]+) records?/.exec(screen);
  return match ? Number((match[1] as string).replace(/,/g, '')) : -1;
}

describe.skipIf(!Tmux.available())('keyboard control (tmux)', () => {
  let term: Tmux | undefined;

  afterEach(async () => {
    await term?.kill();
    term = undefined;
  });

  it('watch: n pages, / filters as you type, Esc clears, ? shows the keys, x l s change axis, scale and smoothing, q quits and gives the terminal back', async () => {
    // sh runs stty once vizmeta has exited: raw mode must be off again.
    const script = `"$0" "$1" watch --quiet --follow "$2"; status=$?; stty -a | tr ' ' '\\n' | grep -x -e '-\\{0,1\\}icanon' -e '-\\{0,1\\}echo'; exit $status`;
    term = await Tmux.start({ command: ['sh', '-c', script, NODE, BIN, HF], cols: 100, rows: 30, cwd: ROOT });
    let screen = await term.waitFor(/80 records/, 30_000);
    expect(footer(screen)).toMatch(/^charts page 1\/\d+ · \? help$/);

    await term.sendKeys('n');
    screen = await term.waitFor(/charts page 2\//, 10_000);

    await term.sendKeys('/');
    await term.type('eval_acc');
    screen = await term.waitFor(/filter \/eval_acc▏/, 10_000);
    // Only the matching key is left: its chart, none of the others.
    expect(screen).toMatch(/── eval_accuracy /);
    expect(screen).not.toMatch(/^loss /m);
    await term.sendKeys('Enter');
    screen = await term.waitFor(/filter \/eval_acc\/ · \? help/, 10_000);

    await term.sendKeys('Escape');
    screen = await term.waitFor(/^charts page 1\/\d+ · \? help$/m, 10_000);
    expect(screen).toMatch(/^loss /m);

    await term.sendKeys('?');
    screen = await term.waitFor(/close this help/, 10_000);
    expect(screen).toMatch(/filter keys by substring or regex/);
    await term.sendKeys('?');
    await term.waitFor(/^charts page 1\/\d+ · \? help$/m, 10_000);

    // x moves through the log's step keys (step, epoch), then elapsed time; l and s change scale and smoothing.
    await term.sendKeys('x');
    screen = await term.waitFor(/x epoch · \? help$/m, 10_000);
    expect(screen).toMatch(/^ *epoch 0\.04 /m);
    await term.sendKeys('x');
    screen = await term.waitFor(/x elapsed · \? help$/m, 10_000);
    expect(screen).toMatch(/^ *elapsed /m);
    await term.sendKeys('x', 'l', 's');
    screen = await term.waitFor(/^charts page 1\/\d+ · log · smooth 0\.6 · \? help$/m, 10_000);
    expect(screen).toMatch(/· log y/);

    await term.sendKeys('q');
    expect(await term.waitForExit(30_000)).toBe(0);
    screen = await term.waitFor('[exited 0]', 10_000);
    expect(screen).toMatch(/^icanon$/m);
    expect(screen).toMatch(/^echo$/m);
    const state = await term.state();
    expect(state.cursorVisible).toBe(true);
    expect(state.scrollRegion).toEqual({ top: 0, bottom: 29 });
  });

  it('run: space pauses drawing while the job goes on; q asks the job to stop as Ctrl-C would', async () => {
    term = await Tmux.start({ command: [NODE, BIN, 'run', '--', NODE, EMIT, 'steps', '100000', '20'], cols: 100, rows: 30, cwd: ROOT });
    await term.waitFor(/running · .* [1-9][\d,]* records/, 30_000);
    await term.sendKeys('Space');
    let screen = await term.waitFor(/(^| · )paused · \? help$/m, 10_000);
    const frozen = records(screen);
    // The log keeps scrolling above (the job prints every 20 ms) while the frame stays as it was.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    screen = await term.capture();
    expect(records(screen)).toBe(frozen);
    await term.sendKeys('Space');
    await term.waitFor((() => new RegExp(`· (?!${frozen} )[\\d,]+ records`))(), 10_000);

    await term.sendKeys('q');
    // emit.mjs has no SIGINT handler: SIGINT ends it, and run passes on 128 + 2.
    expect(await term.waitForExit(30_000)).toBe(130);
  });

  it('run: the job gets no stdin while vizmeta reads keys; with --no-keyboard it reads what is typed', async () => {
    // The job prints each line it reads from stdin as a record, and says when its stdin ends.
    const job = "process.stdin.on('data', (d) => console.log(JSON.stringify({ step: 1, typed: d.toString().trim().length }))); process.stdin.on('end', () => console.log('stdin ended')); setInterval(() => {}, 1000);";
    term = await Tmux.start({ command: [NODE, BIN, 'run', '--', NODE, '-e', job], cols: 100, rows: 30, cwd: ROOT });
    await term.waitFor('stdin ended', 30_000);
    await term.sendKeys('q');
    expect(await term.waitForExit(30_000)).toBe(130);
    await term.kill();

    term = await Tmux.start({ command: [NODE, BIN, 'run', '--no-keyboard', '--', NODE, '-e', job], cols: 100, rows: 30, cwd: ROOT });
    await term.waitFor(/vizmeta run · /, 30_000);
    await term.type('hello');
    await term.sendKeys('Enter');
    const screen = await term.waitFor(/\{"step": ?1, ?"typed": ?5\}/, 10_000);
    expect(screen).not.toContain('stdin ended');
    // Without keyboard control, Ctrl-C is the terminal's signal again.
    await term.sendKeys('C-c');
    expect(await term.waitForExit(30_000)).toBe(130);
  });

  it('watch --follow over several files: Tab selects a run, Enter shows it alone', async () => {
    const runs = ['run-1.log', 'run-2.log', 'run-3.log'].map((name) => join(ROOT, 'fixtures/runs', name));
    term = await Tmux.start({ command: [NODE, BIN, 'watch', '--quiet', '--follow', ...runs], cols: 120, rows: 40, cwd: ROOT });
    let screen = await term.waitFor(/run 1\/3 · /, 30_000);
    expect(screen).toMatch(/run-2\.log/);
    // Runs keep the order of the files given, whichever file's records came first.
    expect(screen).toMatch(/^▸ loss · run-1\.log /m);
    await term.sendKeys('Tab', 'Enter');
    screen = await term.waitFor(/run 2\/3 alone/, 10_000);
    // Alone: the table has one row per key, not one per run.
    expect(screen).not.toMatch(/^(▸ | {2})?loss · /m);
    await term.sendKeys('Enter');
    screen = await term.waitFor(/run 2\/3 · /, 10_000);
    // All runs again, the selected one's rows first and marked.
    expect(screen).toMatch(/^key .*\n▸ loss · run-2\.log /m);
    expect(screen).toMatch(/^ {2}loss · run-1\.log /m);
    await term.sendKeys('q');
    expect(await term.waitForExit(30_000)).toBe(0);
  });
});
