import { describe, expect, it } from 'vitest';
import { applyKey, initialControls, keyFilter, nextSmoothing, statusLine, type ControlContext, type ViewControls } from '../../src/live/controls.js';
import type { KeyEvent } from '../../src/live/keys.js';

const char = (c: string): KeyEvent => ({ name: 'char', char: c });
const key = (name: Exclude<KeyEvent['name'], 'char' | 'ctrl'>): KeyEvent => ({ name } as KeyEvent);
const one: ControlContext = { runs: 1, pages: 3 };
const three: ControlContext = { runs: 3, pages: 3 };

/** The state after typing `keys` from `from`, with the actions they asked for. */
function press(keys: KeyEvent[], from: Partial<ViewControls> = {}, context: ControlContext = one): { state: ViewControls; actions: string[] } {
  let state = initialControls(from);
  const actions: string[] = [];
  for (const k of keys) {
    const result = applyKey(state, k, context);
    state = result.state;
    if (result.action) actions.push(result.action);
  }
  return { state, actions };
}

const typed = (text: string): KeyEvent[] => Array.from(text, char);

describe('initialControls', () => {
  it('starts with everything at its default, overview on', () => {
    expect(initialControls()).toEqual({
      paused: false, page: 0, filter: '', editingFilter: false, logScale: 'auto', smoothing: 0,
      xAxis: 0, overview: true, help: false, run: 0, solo: false,
    });
    expect(initialControls({ smoothing: 0.6, overview: false })).toMatchObject({ smoothing: 0.6, overview: false, page: 0 });
  });
});

describe('applyKey', () => {
  const table: Array<[string, KeyEvent[], Partial<ViewControls>, ControlContext, Partial<ViewControls>, string[]]> = [
    ['q quits', [char('q')], {}, one, {}, ['quit']],
    ['ctrl-c interrupts', [key('ctrl-c')], {}, one, {}, ['interrupt']],
    ['ctrl-c interrupts while typing a filter', [key('ctrl-c')], { editingFilter: true, filter: 'lo' }, one, { editingFilter: true, filter: 'lo' }, ['interrupt']],
    ['ctrl-z asks to suspend', [key('ctrl-z')], {}, one, {}, ['suspend']],
    ['space pauses', [char(' ')], {}, one, { paused: true }, []],
    ['space twice resumes', [char(' '), char(' ')], {}, one, { paused: false }, []],
    ['n next page', [char('n')], {}, one, { page: 1 }, []],
    ['pagedown next page', [key('pagedown')], {}, one, { page: 1 }, []],
    ['right next page', [key('right')], {}, one, { page: 1 }, []],
    ['n stops at the last page', [char('n'), char('n'), char('n'), char('n')], {}, one, { page: 2 }, []],
    ['p previous page', [char('p')], { page: 2 }, one, { page: 1 }, []],
    ['pageup previous page', [key('pageup')], { page: 2 }, one, { page: 1 }, []],
    ['p stops at page 0', [char('p'), key('pageup'), key('left')], { page: 1 }, one, { page: 0 }, []],
    ['home and end', [key('end')], {}, one, { page: 2 }, []],
    ['home', [key('home')], { page: 2 }, one, { page: 0 }, []],
    ['one page: n stays', [char('n')], {}, { runs: 1, pages: 1 }, { page: 0 }, []],
    ['no pages: n stays', [char('n')], {}, { runs: 1, pages: 0 }, { page: 0 }, []],
    ['p from beyond the pages there are (filter narrowed) goes to the page before the last', [char('p')], { page: 7 }, one, { page: 1 }, []],
    ['l cycles auto → log', [char('l')], {}, one, { logScale: 'log' }, []],
    ['l cycles log → linear', [char('l'), char('l')], {}, one, { logScale: 'linear' }, []],
    ['l cycles linear → auto', [char('l'), char('l'), char('l')], {}, one, { logScale: 'auto' }, []],
    ['s 0 → 0.6', [char('s')], {}, one, { smoothing: 0.6 }, []],
    ['s 0.6 → 0.9', [char('s'), char('s')], {}, one, { smoothing: 0.9 }, []],
    ['s 0.9 → 0', [char('s'), char('s'), char('s')], {}, one, { smoothing: 0 }, []],
    ['s from 0.3 → 0.6', [char('s')], { smoothing: 0.3 }, one, { smoothing: 0.6 }, []],
    ['s from 0.75 → 0.9', [char('s')], { smoothing: 0.75 }, one, { smoothing: 0.9 }, []],
    ['s from 0.95 → 0', [char('s')], { smoothing: 0.95 }, one, { smoothing: 0 }, []],
    ['x moves to the next x axis', [char('x')], {}, one, { xAxis: 1 }, []],
    ['x twice back to steps (step, elapsed)', [char('x'), char('x')], {}, one, { xAxis: 0 }, []],
    ['x cycles every axis the log has', [char('x'), char('x')], {}, { ...one, axes: ['step', 'epoch', 'elapsed'] }, { xAxis: 2 }, []],
    ['x thrice is back to the first of three', [char('x'), char('x'), char('x')], {}, { ...one, axes: ['step', 'epoch', 'elapsed'] }, { xAxis: 0 }, []],
    ['o toggles the overview', [char('o')], {}, one, { overview: false }, []],
    ['? shows help', [char('?')], {}, one, { help: true }, []],
    ['? again hides it', [char('?'), char('?')], {}, one, { help: false }, []],
    ['escape closes help, keeping the filter', [key('escape')], { help: true, filter: 'loss' }, one, { help: false, filter: 'loss' }, []],
    ['escape then clears the filter', [key('escape'), key('escape')], { help: true, filter: 'loss', page: 1 }, one, { help: false, filter: '', page: 0 }, []],
    ['tab next run', [key('tab')], {}, three, { run: 1 }, []],
    ['tab wraps', [key('tab'), key('tab'), key('tab')], {}, three, { run: 0 }, []],
    ['backtab wraps backwards', [key('backtab')], {}, three, { run: 2 }, []],
    ['tab with one run does nothing', [key('tab'), key('backtab')], {}, one, { run: 0 }, []],
    ['enter shows the run alone', [key('enter')], {}, three, { solo: true }, []],
    ['enter again shows all', [key('enter'), key('enter')], {}, three, { solo: false }, []],
    ['enter with one run does nothing', [key('enter')], {}, one, { solo: false }, []],
    ['unbound keys do nothing', [char('z'), char('Q'), key('up'), key('ctrl-d'), { name: 'ctrl', char: 'a' }], {}, one, initialControls(), []],
    // The filter.
    ['/ starts a new filter on page 0', [char('/')], { filter: 'old', page: 2 }, one, { editingFilter: true, filter: '', page: 0 }, []],
    ['typing appends', [char('/'), ...typed('val_')], {}, one, { editingFilter: true, filter: 'val_' }, []],
    ['command letters are text while typing', [char('/'), ...typed('q ns?'), key('tab')], {}, three, { editingFilter: true, filter: 'q ns?', paused: false, run: 0, help: false }, []],
    ['enter keeps the filter', [char('/'), ...typed('loss'), key('enter')], {}, three, { editingFilter: false, filter: 'loss', solo: false }, []],
    ['escape clears it and stops typing', [char('/'), ...typed('loss'), key('escape')], {}, one, { editingFilter: false, filter: '' }, []],
    ['backspace deletes the last character', [char('/'), ...typed('lossy'), key('backspace')], {}, one, { editingFilter: true, filter: 'loss' }, []],
    ['backspace deletes a whole astral character', [char('/'), ...typed('a😀'), key('backspace')], {}, one, { filter: 'a' }, []],
    ['backspace on an empty filter stops typing', [char('/'), char('a'), key('backspace'), key('backspace')], {}, one, { editingFilter: false, filter: '' }, []],
    ['typing goes back to page 0', [char('n'), char('/'), char('l'), key('enter'), char('n'), char('/')], {}, one, { page: 0, editingFilter: true }, []],
    ['after enter the keys command again', [char('/'), char('a'), key('enter'), char('n'), char('q')], {}, one, { page: 1, filter: 'a' }, ['quit']],
  ];

  it.each(table)('%s', (_name, keys, from, context, expected, actions) => {
    const result = press(keys, from, context);
    expect(result.state).toMatchObject(expected);
    expect(result.actions).toEqual(actions);
  });

  it('never mutates the state it is given, and returns it unchanged when nothing changed', () => {
    const keys: KeyEvent[] = [char('n'), char('l'), char('s'), char('x'), char('o'), char('?'), char(' '), key('tab'), key('enter'), char('/'), char('a'), key('backspace'), key('escape'), char('q'), key('ctrl-c')];
    for (const k of keys) {
      const state = initialControls({ page: 1, filter: 'f' });
      const frozen = Object.freeze({ ...state });
      const result = applyKey(frozen, k, three);
      expect(frozen).toEqual(state);
      if (JSON.stringify(result.state) === JSON.stringify(frozen)) expect(result.state).toBe(frozen);
      else expect(result.state).not.toBe(frozen);
    }
    const unchanged = initialControls();
    expect(applyKey(unchanged, char('z'), one).state).toBe(unchanged);
    expect(applyKey(unchanged, char('p'), one).state).toBe(unchanged);
  });
});

describe('nextSmoothing', () => {
  it.each([[0, 0.6], [0.6, 0.9], [0.9, 0], [0.1, 0.6], [0.89, 0.9], [1, 0]])('%s → %s', (from, to) => {
    expect(nextSmoothing(from)).toBe(to);
  });
});

describe('keyFilter', () => {
  const keys = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr', 'Train/Loss', 'eval[0]'];
  const table: Array<[string, string[]]> = [
    ['', keys],
    ['loss', ['loss', 'val_loss', 'Train/Loss']],
    ['LOSS', ['loss', 'val_loss', 'Train/Loss']],
    ['^val_', ['val_loss', 'val_accuracy']],
    ['loss$|^lr$', ['loss', 'val_loss', 'lr', 'Train/Loss']],
    ['val.acc', ['val_accuracy']],
    // Not a valid regex: a substring.
    ['eval[', ['eval[0]']],
    ['(', []],
    ['/', ['Train/Loss']],
  ];
  it.each(table)('%j', (filter, expected) => {
    expect(keys.filter(keyFilter(filter))).toEqual(expected);
  });
});

describe('statusLine', () => {
  it.each<[string, Partial<ViewControls>, ControlContext & { page?: number }, string]>([
    ['untouched, one page', {}, { runs: 1, pages: 1 }, '? help'],
    ['the example', { filter: 'loss', logScale: 'log', smoothing: 0.6, paused: true }, { runs: 1, pages: 3 }, 'page 1/3 · filter /loss/ · log · smooth 0.6 · paused · ? help'],
    ['linear, time, overview off', { logScale: 'linear', xAxis: 1, overview: false }, { runs: 1, pages: 1 }, 'linear · x elapsed · overview off · ? help'],
    ['the x axis by its name', { xAxis: 1 }, { runs: 1, pages: 1, axes: ['step', 'epoch', 'elapsed'] }, 'x epoch · ? help'],
    ['typing a filter', { editingFilter: true, filter: 'va' }, { runs: 1, pages: 1 }, 'filter /va▏ enter keep · esc clear · ? help'],
    ['runs and solo', { run: 1, solo: true, page: 1 }, { runs: 3, pages: 2 }, 'run 2/3 alone · page 2/2 · ? help'],
    ['the page the renderer shows', { page: 5 }, { runs: 1, pages: 3, page: 2 }, 'page 3/3 · ? help'],
    ['a page past the end is clamped', { page: 5 }, { runs: 1, pages: 3 }, 'page 3/3 · ? help'],
    ['help open', { help: true }, { runs: 1, pages: 1 }, '? close help'],
  ])('%s', (_name, from, context, expected) => {
    expect(statusLine(initialControls(from), context)).toBe(expected);
  });
});
