/**
 * The dashboard in a real terminal, driven as a person drives it: tmux runs the built CLI in an
 * 80x24 pane, the screen is read back as text, Ctrl-C is a key press. After the program exits
 * the terminal must be given back: cursor visible, no scroll region, the shell's line below.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';
import { Tmux } from '../helpers/tmux.js';

const NODE = process.execPath;
const COLS = 80;
const ROWS = 24;
const hasScript = /util-linux/.test(spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout ?? '');

describe.skipIf(!Tmux.available())('the dashboard in tmux (80x24)', () => {
  let term: Tmux | undefined;

  afterEach(async () => {
    await term?.kill();
    term = undefined;
  });

  async function expectGivenBack(t: Tmux): Promise<void> {
    const state = await t.state();
    expect(state.cursorVisible).toBe(true);
    expect(state.scrollRegion).toEqual({ top: 0, bottom: ROWS - 1 });
    expect(state.alternateScreen).toBe(false);
    expect(state.dead).toBe(false);
  }

  it('watch --follow: the dashboard appears, Ctrl-C ends it with 130 and gives the terminal back', async () => {
    term = await Tmux.start({ command: [NODE, BIN, 'watch', '--follow', join(ROOT, 'fixtures/dashboard/hf-trainer.log')], cols: COLS, rows: ROWS, cwd: ROOT });
    const screen = await term.waitFor(/vizmeta watch · .*hf-trainer\.log · .*80 records/, 30_000);
    expect(screen).toMatch(/\bloss\b/);
    // While it runs, the cursor is hidden and the log scrolls in a region above the dashboard.
    const running = await term.state();
    expect(running.width).toBe(COLS);
    expect(running.height).toBe(ROWS);
    expect(running.cursorVisible).toBe(false);
    expect(running.scrollRegion.bottom).toBeLessThan(ROWS - 1);
    await term.sendKeys('C-c');
    expect(await term.waitForExit(30_000)).toBe(130);
    await term.waitFor('[exited 130]', 10_000);
    await expectGivenBack(term);
  });

  it('run: a job\'s records reach the dashboard; Ctrl-C stops the job and vizmeta, status 130', async () => {
    term = await Tmux.start({ command: [NODE, BIN, 'run', '--', NODE, join(ROOT, 'test/children/emit.mjs'), 'steps', '100000', '50'], cols: COLS, rows: ROWS, cwd: ROOT });
    await term.waitFor(/vizmeta run · .* · running · .* [1-9][\d,]* records/, 30_000);
    await term.sendKeys('C-c');
    expect(await term.waitForExit(30_000)).toBe(130);
    await term.waitFor('[exited 130]', 10_000);
    await expectGivenBack(term);
  });

  it.skipIf(!hasScript)('run --pty: the job gets a terminal the size of the log region; Ctrl-C reaches it and its status is vizmeta\'s', async () => {
    const job = "let step = 0; setInterval(() => console.log(JSON.stringify({ step: ++step, loss: 1 / step, cols: process.stdout.columns, rows: process.stdout.rows })), 100); process.on('SIGINT', () => { console.log('job got SIGINT'); process.exit(3); });";
    term = await Tmux.start({ command: [NODE, BIN, 'run', '--pty', '--', NODE, '-e', job], cols: COLS, rows: ROWS, cwd: ROOT });
    const screen = await term.waitFor(/"step":5,/, 30_000);
    const rows = Number(/"cols":80,"rows":(\d+)/.exec(screen)?.[1]);
    expect(rows).toBeGreaterThanOrEqual(4);
    expect(rows).toBeLessThan(ROWS);
    await term.sendKeys('C-c');
    expect(await term.waitForExit(30_000)).toBe(3);
    await term.waitFor('job got SIGINT', 10_000);
    await expectGivenBack(term);
  });

  it('the harness: argv reaches the program unquoted, keys and literal text are typed, the status is the program\'s', async () => {
    const script = "process.stdin.setRawMode(true); let seen = ''; process.stdin.on('data', (d) => { seen += d; if (seen.endsWith('.')) { console.log('\\nseen ' + JSON.stringify(seen)); process.exit(7); } }); console.log('args ' + JSON.stringify(process.argv.slice(1)) + ' ' + process.env.TERM + ' ' + (process.env.NO_COLOR ?? 'no NO_COLOR'));";
    term = await Tmux.start({ command: [NODE, '-e', script, "it's", '$HOME `id`', 'two words'], cols: COLS, rows: ROWS, env: { NO_COLOR: '1' } });
    await term.waitFor(`args ["it's","$HOME \`id\`","two words"] xterm-256color 1`);
    await term.type('q /');
    await term.sendKeys('Space', 'Enter', 'Escape', '.');
    const screen = await term.waitFor('seen ');
    expect(screen).toContain('seen "q / \\r\\u001b."');
    expect(await term.waitForExit()).toBe(7);
  });
});
