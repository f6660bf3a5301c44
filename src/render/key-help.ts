/**
 * The `?` overlay of the live dashboard: every key and what it does, as the user reads it.
 * src/live/controls.ts is where the keys take effect; the two are kept in step by their tests.
 */
import { displayWidth, truncate } from './width.js';

export interface KeyHelpOptions {
  /** The dashboard supervises a job (`vizmeta run`), so `q` stops the job rather than just quitting. */
  run: boolean;
  /** Runs shown (several with `watch --follow` over several files): the run keys are listed only then. */
  runs: number;
}

/** Columns the key names take before their explanation. */
const KEY_COLUMN = 15;

/**
 * The help text, one line per key, each cut to `width` columns. Plain text, no colour: the caller
 * draws it over the charts.
 */
export function keyHelpLines(width: number, options: KeyHelpOptions): string[] {
  const rows: Array<[keys: string, what: string]> = [
    options.run ? ['q  Ctrl-C', 'stop the job (as Ctrl-C would), then quit'] : ['q  Ctrl-C', 'quit'],
    ['space', 'pause / resume drawing (the log keeps flowing)'],
    ['n  p', 'next / previous page of charts (also PgDn PgUp → ←)'],
    ['/', 'filter keys by substring or regex; Enter keeps, Esc clears'],
    ['l', 'y scale: auto → log → linear'],
    ['s', 'smoothing: off → 0.6 → 0.9'],
    ['x', 'x axis: steps / elapsed time'],
    ['o', 'overview on / off'],
  ];
  if (options.runs > 1) {
    rows.push(['Tab  Shift-Tab', `next / previous run (of ${options.runs})`]);
    rows.push(['Enter', 'show the selected run alone / all runs']);
  }
  rows.push(['?  Esc', 'close this help']);

  const lines = ['Keys', ...rows.map(([keys, what]) => `  ${pad(keys, KEY_COLUMN)} ${what}`)];
  if (options.run) lines.push('', 'To type into the job instead, start it with --no-keyboard.');
  return lines.map((line) => truncate(line, width));
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
