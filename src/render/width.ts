/**
 * Terminal width of text, as string-width measures it, without loading string-width for the
 * text renderers usually measure.
 *
 * Loading string-width costs about 20 ms of start-up (its module graph, get-east-asian-width's
 * tables and an `Intl.Segmenter`), a fifth of a `vizmeta sort` run. Most measured text is
 * numbers, key names, file names and our own table rules, sparklines and marks: characters that
 * are each one column wide and each a grapheme cluster of their own. For text made only of those,
 * the width is the length, which is exactly what string-width answers for it (test/render/width.test.ts
 * checks every such character against string-width). Any other text (wide CJK, emoji, combining
 * marks, control characters, ANSI escapes) goes to string-width, loaded then (see require-esm.ts).
 */
import { requireDependency } from '../core/require-esm.js';

type StringWidth = typeof import('string-width').default;

/**
 * Characters one column wide that never join a neighbour into one grapheme cluster: printable
 * ASCII; Latin-1 letters and signs (± × · ÷ ² é…) but the soft hyphen, which is invisible;
 * dashes, quotes, bullets and … (U+2010–U+2027, short of the line and paragraph separators);
 * ← ↑ → ↓; − ≤ ≥; box drawing and block elements (table rules, charts, sparklines ▁▂▃▄▅▆▇█).
 */
const SINGLE_COLUMN_TEXT = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2190-\u2193\u2212\u2264\u2265\u2500-\u259F]*$/;

let stringWidth: StringWidth | undefined;

function loadStringWidth(): StringWidth {
  stringWidth ??= (requireDependency('string-width') as typeof import('string-width')).default;
  return stringWidth;
}

/** Whether every character of `text` is one column wide and a grapheme cluster of its own. */
export function isSingleColumnText(text: string): boolean {
  return SINGLE_COLUMN_TEXT.test(text);
}

/** Columns `text` takes in a terminal: string-width's answer, with its default options. */
export function displayWidth(text: string): number {
  return isSingleColumnText(text) ? text.length : loadStringWidth()(text);
}

let segmenter: Intl.Segmenter | undefined;

/**
 * The grapheme clusters of `text` (what a terminal draws as one character), in order. Text of
 * single-column characters is split by code point, which is the same and needs no
 * `Intl.Segmenter` (the first one costs several milliseconds to make).
 */
export function graphemes(text: string): string[] {
  if (isSingleColumnText(text)) return [...text];
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(text), ({ segment }) => segment);
}

/** An SGR (colour) escape: kept when text is cut, and zero columns wide. */
const SGR = /\x1b\[[0-9;]*m/g;

interface Unit {
  text: string;
  width: number;
}

/** Text as what a terminal draws: grapheme clusters with their widths, and colour escapes (width 0). */
function units(text: string): Unit[] {
  const out: Unit[] = [];
  const plain = (part: string): void => {
    for (const segment of graphemes(part)) out.push({ text: segment, width: displayWidth(segment) });
  };
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    plain(text.slice(last, match.index));
    out.push({ text: match[0], width: 0 });
    last = match.index + match[0].length;
  }
  plain(text.slice(last));
  return out;
}

/** Units from the front while they fit in `room` columns. */
function take(from: readonly Unit[], room: number): Unit[] {
  const kept: Unit[] = [];
  let used = 0;
  for (const unit of from) {
    if (used + unit.width > room) break;
    kept.push(unit);
    used += unit.width;
  }
  return kept;
}

const join = (list: readonly Unit[]): string => list.map((unit) => unit.text).join('');

/**
 * Cuts text to at most `width` terminal columns, with `…` where it was cut: at the end (default),
 * the start (paths, whose end is telling) or the middle (a command line: its program and last
 * arguments say the most). Never splits a grapheme cluster (an emoji, a flag, a letter with its
 * accent) and measures as string-width does; colour escapes are kept, cost nothing, and a cut
 * coloured text ends with a reset. Every renderer cuts text with this.
 */
export function truncate(text: string, width: number, cut: 'start' | 'middle' | 'end' = 'end'): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const all = units(text);
  const reset = all.some((unit) => unit.width === 0 && unit.text.startsWith('\x1b')) ? '\x1b[0m' : '';
  if (cut === 'end') return `${join(take(all, width - 1))}…${reset}`;
  const reversed = [...all].reverse();
  if (cut === 'start') return `…${join(take(reversed, width - 1).reverse())}${reset}`;
  const head = take(all, Math.ceil((width - 1) / 2));
  const headWidth = head.reduce((sum, unit) => sum + unit.width, 0);
  const tail = take(reversed, width - 1 - headWidth).reverse();
  return `${join(head)}…${join(tail)}${reset}`;
}
