/**
 * JSON after a progress bar: a JSON object (or Python dict) that directly follows a tqdm, Keras or
 * rich progress bar on the same `\r`-segment is a record. It happens whenever a bar is drawn without
 * a newline and something prints before the bar's next `\r`:
 * - tqdm on stderr (its default) and `print(json.dumps(...), flush=True)` on stdout, merged with
 *   `2>&1` or by a terminal: `Epoch 1:  90%|█████████ | 9/10 [00:00<00:00, 444.22it/s, loss=0.091]{"epoch": 1, ...}`
 * - Lightning's TQDMProgressBar: the validation bar moves the cursor up with `ESC[A` and a print
 *   in `on_validation_epoch_end` lands after it:
 *   `Validation DataLoader 0: 100%|██████████| 5/5 [00:00<00:00, 425.44it/s]{"epoch": 0, ...}`
 * - a Keras callback printing in `on_epoch_end`, which runs before the bar's last redraw:
 *   `7/8 ━━━━━━━━━━━━━━━━━━━━ 0s 40ms/step - accuracy: 0.5982 - loss: 0.6705{"epoch": 1, ...}`
 * - a rich bar whose console does not own the output (another process, another stream):
 *   `Epoch 1/1  ━━━━━━━━━━ 5/5 0:00:00 • 0:00:00 923.11it/s train_loss: 0.085{...}`
 *
 * Text before an object that is not recognisably one of these bars (`INFO foo {"a":1}`) is not this
 * rule's: that is the loose grammar's, or a known prefix's (prefixes.ts).
 *
 * What counts as a bar, read backwards from the `{` (spaces between the bar and the `{` allowed):
 * - tqdm: ends with `[elapsed<remaining, rate(, postfix)]` after `n/total ` (total may be `?`), or
 *   `[elapsed, rate(, postfix)]` after `n<unit> ` (no total); the rate may be missing (a custom
 *   `bar_format`, as in `[00:01<00:00, train_loss=0.52]`). Elapsed is `MM:SS` or `H:MM:SS`,
 *   remaining the same or `?`, rate `12.3it/s`, `?it/s`, `1.23s/it`, `4.5MB/s`. Any description,
 *   percentage and bar may come before. The bracket is the signature; a description is free text.
 * - Keras: the whole text is a Keras progress line as keras.ts reads it (counter, optional bar,
 *   times, `key: number` metrics), so a glued object right after the last value counts.
 * - rich: a run of at least three bar glyphs (`━`, `╸`, `╺`), then only rich's column texts:
 *   `100%`, `5/5`, times (`0:00:00`, `-:--:--`), `•`, speeds (`889.60it/s`), sizes (`1.2/3.4 MB`),
 *   and Lightning's `name: value` metrics.
 *
 * Input is one segment as the grammar has it: ANSI escapes removed, split at bare `\r`.
 */
import { readKerasLine } from './keras.js';

/** How many `[` from the right are tried as the start of tqdm's bracket (a postfix may hold `[`). */
const MAX_BRACKETS = 8;

/**
 * The index of the `{` that starts an object right after a tqdm, Keras or rich progress bar in
 * `text`, or undefined when there is no `{` or the text before the first one is not such a bar.
 * Pure; linear in the length of the text before the `{`.
 */
export function objectAfterProgressBar(text: string): number | undefined {
  const brace = text.indexOf('{');
  if (brace <= 0) return undefined;
  let end = brace;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  if (end === 0) return undefined;
  const before = text.slice(0, end);
  const last = before.charCodeAt(before.length - 1);
  if (last === 0x5d) return isTqdm(before) ? brace : undefined; // ']'
  if (isKeras(before) || isRich(before)) return brace;
  return undefined;
}

const TIME = String.raw`(?:\d+:)?\d{2}:\d{2}`;
const RATE = String.raw`(?:\d+(?:\.\d+)?[kMGTPEZY]?|\?)(?:[A-Za-z]*\/s|s\/[A-Za-z]+)`;
/** `[elapsed<remaining, rate(, postfix)]` (a known total) or `[elapsed, rate(, postfix)]`, to the end. */
// The rate is optional: a custom bar_format may drop it (`[00:01<00:00, train_loss=0.52]`).
const TQDM_BRACKET = new RegExp(String.raw`^\[${TIME}(<(?:${TIME}|\?))?(?:, ${RATE})?(?:, .*)?\]$`);
const COUNT = /(?:^|[\s|])\d+(?:\.\d+)?[kMGTPEZY]?\/(?:\d+(?:\.\d+)?[kMGTPEZY]?|\?)$/;
const UNIT_COUNT = /(?:^|[\s:|])\d+(?:\.\d+)?[kMGTPEZY]?[A-Za-z]*$/;

/** A tqdm meter ending `text` (which ends with `]`). */
function isTqdm(text: string): boolean {
  let open = text.length;
  for (let tries = 0; tries < MAX_BRACKETS; tries++) {
    open = text.lastIndexOf('[', open - 1);
    if (open <= 0) return false;
    const match = TQDM_BRACKET.exec(text.slice(open));
    if (!match) continue;
    if (text.charCodeAt(open - 1) !== 0x20) return false;
    const counter = text.slice(0, open - 1);
    // With `<remaining` tqdm knows (or shows `?` for) a total and prints `n/total`; without, `n<unit>`.
    return match[1] !== undefined ? COUNT.test(counter) : UNIT_COUNT.test(counter);
  }
  return false;
}

/** A Keras progress line (leading spaces and `\b`s allowed, as its right-aligned counter has). */
function isKeras(text: string): boolean {
  let start = 0;
  while (text.charCodeAt(start) === 0x08) start++;
  const c = text.charCodeAt(start);
  // Cheap first test: a counter (`  12/469`) or Keras <= 2.2's verbose=2 ` - 4s`.
  if (c !== 0x20 && c !== 0x2d && !(c >= 0x30 && c <= 0x39)) return false;
  return readKerasLine(start === 0 ? text : text.slice(start)) !== undefined;
}

// Glyphs written as escapes so the built bundles stay ASCII (they are read as latin1, see core/code-cache.ts).
const RICH_GLYPHS = /[\u2501\u2578\u257a]{3,} /g; // ━╸╺
/** A column text rich prints: percentage, count, time, `•`, speed, size (`1.2/3.4 MB`, `2.1 MB/s`), or a metric's `name:`. */
const RICH_TOKEN = /^(?:\d{1,3}%|\d+(?:\.\d+)?\/(?:\d+(?:\.\d+)?|\?)|(?:\d+:)?\d{1,2}:\d{2}|-:--:--|\u2022|\?|\d+(?:\.\d+)?|(?:\d+(?:\.\d+)?|\?)[A-Za-z]*\/s|(?:\d+(?:\.\d+)?)?(?:[kMGTPEZY]i?)?B(?:\/s)?|[^\s:]+:)$/;
const RICH_LEAD = /^(?:\d{1,3}%|\d+(?:\.\d+)?\/(?:\d+(?:\.\d+)?|\?)|(?:\d+:)?\d{1,2}:\d{2}|-:--:--)$/;

/** A rich bar and only rich's column texts after it. */
function isRich(text: string): boolean {
  // The last run of bar glyphs: rich draws one bar per task line.
  let after = -1;
  RICH_GLYPHS.lastIndex = 0;
  for (let m = RICH_GLYPHS.exec(text); m; m = RICH_GLYPHS.exec(text)) after = m.index + m[0].length;
  if (after < 0) return false;
  const tokens = text.slice(after).trim().split(/ +/);
  if (!RICH_LEAD.test(tokens[0] ?? '')) return false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!RICH_TOKEN.test(token)) return false;
    // A `name:` token is a Lightning metric: its value is the next token, whatever it is.
    if (token.endsWith(':')) {
      if (i + 1 >= tokens.length) return false;
      i++;
    }
  }
  return true;
}
