/**
 * What the keys change on the live dashboard: a plain state object and one pure reducer, so every
 * key's effect is a table test and the session only has to apply the state to its frame.
 *
 * Keys (the `?` overlay, src/render/key-help.ts, says the same to the user):
 *
 * | key | effect |
 * |---|---|
 * | `q` | action `quit` |
 * | Ctrl-C | action `interrupt` (raw mode turns off the terminal's SIGINT; the caller decides) |
 * | Ctrl-Z | action `suspend` (likewise for SIGTSTP) |
 * | space | pause / resume redrawing |
 * | `n`, PgDn, → | next page of charts; `p`, PgUp, ← previous; Home first, End last |
 * | `/` | start typing a new filter (see {@link applyKey} for the keys while typing) |
 * | Esc | close the help, else clear the filter |
 * | `l` | y scale auto → log → linear → auto |
 * | `s` | smoothing 0 → 0.6 → 0.9 → 0 |
 * | `x` | x axis step ↔ elapsed time |
 * | `o` | overview on / off |
 * | `?` | help on / off |
 * | Tab, Shift-Tab | next / previous run (several runs) |
 * | Enter | the selected run alone / all runs (several runs) |
 */
import type { KeyEvent } from './keys.js';

export interface ViewControls {
  /** Redrawing stopped (the input is still read and passed through). Default false. */
  paused: boolean;
  /** 0-based page of charts. Default 0. */
  page: number;
  /** Which keys are charted, for {@link keyFilter}; '' = all. Default ''. */
  filter: string;
  /** Keys typed go to the filter (after `/`). Default false. */
  editingFilter: boolean;
  /** The y scale: `auto` lets the chart decide (core/vocabulary's log-scale rule). Default 'auto'. */
  logScale: 'auto' | 'log' | 'linear';
  /** Exponential smoothing factor, 0 = off. Default 0. */
  smoothing: number;
  /**
   * Which x axis: an index into the frame's {@link ControlContext.axes} (the step keys the log
   * has, then elapsed time). Default 0, the first step key.
   */
  xAxis: number;
  /** The overview (config and summary) shown. Default true. */
  overview: boolean;
  /** The key help shown. Default false. */
  help: boolean;
  /** Selected run, an index into the frame's runs. Default 0. */
  run: number;
  /** Only the selected run shown (several runs). Default false. */
  solo: boolean;
}

/** What the frame being shown has, which bounds paging and run selection. */
export interface ControlContext {
  /** Runs in the workspace (1 for a single input). */
  runs: number;
  /** Pages of charts the current filter leaves. */
  pages: number;
  /** The x axes `x` cycles through, by name (`step`, `epoch`, `elapsed`). Default: `step`, `elapsed`. */
  axes?: readonly string[];
}

const DEFAULT_AXES: readonly string[] = ['step', 'elapsed'];

/**
 * What the caller must do beyond redrawing: `quit` (q), `interrupt` (Ctrl-C: in raw mode the
 * terminal sends no SIGINT, so for `run` this is where the job is asked to stop), `suspend`
 * (Ctrl-Z: likewise no SIGTSTP; a caller that does not support suspending ignores it).
 */
export type ControlAction = 'quit' | 'interrupt' | 'suspend' | undefined;

export interface ControlResult {
  /** The next state: the very object passed in when the key changed nothing, so a caller can skip a redraw by identity. */
  state: ViewControls;
  action?: Exclude<ControlAction, undefined>;
}

/** The smoothing steps `s` goes through, after 0. */
export const SMOOTHING_STEPS: readonly number[] = [0.6, 0.9];

export function initialControls(init: Partial<ViewControls> = {}): ViewControls {
  return {
    paused: false,
    page: 0,
    filter: '',
    editingFilter: false,
    logScale: 'auto',
    smoothing: 0,
    xAxis: 0,
    overview: true,
    help: false,
    run: 0,
    solo: false,
    ...init,
  };
}

/** The next smoothing after `current`: the next larger step, else off. */
export function nextSmoothing(current: number): number {
  return SMOOTHING_STEPS.find((step) => step > current) ?? 0;
}

const NEXT_SCALE = { auto: 'log', log: 'linear', linear: 'auto' } as const;

/**
 * The state after one key. Never mutates `state`.
 *
 * While typing a filter (after `/`): printable keys append, Backspace deletes the last character
 * and, on an empty filter, stops typing (as a shell's search prompt does), Enter keeps the filter,
 * Esc clears it; both stop typing. Other keys do nothing then, so a `q` in a key name cannot quit
 * — except Ctrl-C, which always interrupts. Any change to the filter goes back to page 0, since
 * the pages are different ones.
 */
export function applyKey(state: ViewControls, key: KeyEvent, context: ControlContext): ControlResult {
  if (key.name === 'ctrl-c') return { state, action: 'interrupt' };
  if (state.editingFilter) return { state: editFilter(state, key) };
  const set = (change: Partial<ViewControls>): ControlResult => ({ state: { ...state, ...change } });
  const lastPage = Math.max(0, context.pages - 1);
  // The page shown may be fewer than state.page after the filter left fewer pages.
  const page = Math.min(state.page, lastPage);
  const toPage = (next: number): ControlResult => {
    const clamped = Math.max(0, Math.min(lastPage, next));
    return clamped === state.page ? { state } : set({ page: clamped });
  };
  const runs = Math.max(1, context.runs);
  const toRun = (next: number): ControlResult => (runs <= 1 ? { state } : set({ run: ((next % runs) + runs) % runs }));

  switch (key.name) {
    case 'ctrl-z':
      return { state, action: 'suspend' };
    case 'pagedown':
    case 'right':
      return toPage(page + 1);
    case 'pageup':
    case 'left':
      return toPage(page - 1);
    case 'home':
      return toPage(0);
    case 'end':
      return toPage(lastPage);
    case 'tab':
      return toRun(state.run + 1);
    case 'backtab':
      return toRun(state.run - 1);
    case 'enter':
      return runs > 1 ? set({ solo: !state.solo }) : { state };
    case 'escape':
      if (state.help) return set({ help: false });
      if (state.filter !== '') return set({ filter: '', page: 0 });
      return { state };
    case 'char':
      break;
    default:
      return { state };
  }
  switch (key.char) {
    case 'q':
      return { state, action: 'quit' };
    case ' ':
      return set({ paused: !state.paused });
    case 'n':
      return toPage(page + 1);
    case 'p':
      return toPage(page - 1);
    case '/':
      // A new filter each time, as less and vim start a new search.
      return set({ editingFilter: true, filter: '', page: 0 });
    case 'l':
      return set({ logScale: NEXT_SCALE[state.logScale] });
    case 's':
      return set({ smoothing: nextSmoothing(state.smoothing) });
    case 'x':
      return set({ xAxis: (state.xAxis + 1) % Math.max(1, (context.axes ?? DEFAULT_AXES).length) });
    case 'o':
      return set({ overview: !state.overview });
    case '?':
      return set({ help: !state.help });
    default:
      return { state };
  }
}

function editFilter(state: ViewControls, key: KeyEvent): ViewControls {
  switch (key.name) {
    case 'char':
      return { ...state, filter: state.filter + key.char, page: 0 };
    case 'backspace': {
      if (state.filter === '') return { ...state, editingFilter: false };
      // By code point, so a character outside the BMP is not cut in half.
      return { ...state, filter: Array.from(state.filter).slice(0, -1).join(''), page: 0 };
    }
    case 'enter':
      return { ...state, editingFilter: false };
    case 'escape':
      return { ...state, filter: '', editingFilter: false, page: 0 };
    default:
      return state;
  }
}

/**
 * A test for key names from a filter as typed: case-insensitive; a filter that is a valid
 * regular expression is used as one (`^val_`, `loss|acc`), otherwise as a substring (so `val[`,
 * half typed, still narrows); '' matches every key.
 */
export function keyFilter(filter: string): (key: string) => boolean {
  if (filter === '') return () => true;
  try {
    const pattern = new RegExp(filter, 'i');
    return (key) => pattern.test(key);
  } catch {
    const needle = filter.toLowerCase();
    return (key) => key.toLowerCase().includes(needle);
  }
}

/**
 * The footer that says what the keys have changed, e.g. `page 1/3 · filter /loss/ · log ·
 * smooth 0.6 · paused · ? help`. Only what differs from the defaults is listed, so an untouched
 * dashboard shows just `? help`. Plain text; the renderer colours and cuts it.
 *
 * @param context.page the page actually shown, when the renderer clamped it (default: state.page
 *   clamped to the pages there are)
 */
export function statusLine(state: ViewControls, context: ControlContext & { page?: number }): string {
  const parts: string[] = [];
  const pages = Math.max(1, context.pages);
  const page = context.page ?? Math.min(state.page, pages - 1);
  if (context.runs > 1) parts.push(`run ${Math.min(state.run, context.runs - 1) + 1}/${context.runs}${state.solo ? ' alone' : ''}`);
  if (pages > 1) parts.push(`page ${page + 1}/${pages}`);
  if (state.editingFilter) parts.push(`filter /${state.filter}▏ enter keep · esc clear`);
  else if (state.filter !== '') parts.push(`filter /${state.filter}/`);
  if (state.logScale !== 'auto') parts.push(state.logScale);
  if (state.smoothing > 0) parts.push(`smooth ${state.smoothing}`);
  if (state.xAxis !== 0) parts.push(`x ${(context.axes ?? DEFAULT_AXES)[state.xAxis] ?? state.xAxis}`);
  if (!state.overview) parts.push('overview off');
  if (state.paused) parts.push('paused');
  parts.push(state.help ? '? close help' : '? help');
  return parts.join(' · ');
}
