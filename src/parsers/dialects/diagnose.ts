/**
 * Why an input gave no records: from a few lines the reader kept while it had found none, the
 * most likely reason and what would read them. Pure.
 *
 * The reasons, in the order they are tried on each kept line:
 * - a form a narrowed `--dialect` left out (a Python dict, a Keras bar, a prefix, a bar then JSON):
 *   which dialect to add;
 * - JSON after text that is no known prefix (`note: {...}`): `--loose` reads it;
 * - a Python dict holding something other than literals (`{'a': np.float64(0.5)}`): what it holds,
 *   and that printing plain numbers (`float(x)`, `json.dumps`) makes it a record.
 */
import { classifyLine } from '../line.js';
import { ALL_DIALECTS, DIALECTS, DIALECT_HELP, type Dialect, type DialectSet } from './dialects.js';
import { KerasProgress, mayBeKerasLine } from './keras.js';
import { describeNearPythonDict } from './python-dict.js';

/** How many lines a reader keeps, while it has found no record, to explain why. */
export const KEPT_LINES = 8;

/** The longest part of a kept line quoted in a hint. */
const QUOTE_LENGTH = 48;

/** The hint for an input that held no records, or undefined when its lines look like no metadata at all. */
export function diagnoseNoRecords(lines: readonly string[], options: { dialects?: DialectSet; loose?: boolean }): string | undefined {
  const current = options.dialects ?? ALL_DIALECTS;
  for (const line of lines) {
    const excluded = excludedDialectReading(line, current);
    if (excluded !== undefined) {
      const list = [...DIALECTS].filter((d) => current.has(d) || d === excluded).join(',');
      return `lines such as ${quote(line)} are ${DIALECT_HELP[excluded]}, which --dialect ${[...current].join(',')} leaves out: --dialect ${list} reads them`;
    }
  }
  if (!options.loose) {
    for (const line of lines) {
      if (classifyLine(line, { loose: true, dialects: current }).objects.length > 0) {
        return `lines such as ${quote(line)} hold JSON after other text: --loose reads the first object on each line`;
      }
    }
  }
  for (const line of lines) {
    const brace = line.indexOf('{');
    if (brace === -1) continue;
    const reason = describeNearPythonDict(line.slice(brace));
    if (reason !== undefined) return `lines such as ${quote(line)} are ${reason}; print plain numbers (float(x), or json.dumps) to make them records`;
  }
  return undefined;
}

/** The dialect outside `current` that would read `line`, if one would. */
function excludedDialectReading(line: string, current: DialectSet): Dialect | undefined {
  for (const dialect of DIALECTS) {
    if (current.has(dialect)) continue;
    if (dialect === 'keras') {
      if (mayBeKerasLine(line) && readsAsKeras(line)) return 'keras';
      continue;
    }
    const widened = new Set<Dialect>([...current, dialect]);
    if (classifyLine(line, { dialects: widened }).objects.length > 0) return dialect;
  }
  return undefined;
}

function readsAsKeras(line: string): boolean {
  // A verbose=2 line or a final bar stands alone; one header first lets a bar count as an epoch's.
  const keras = new KerasProgress();
  keras.line('Epoch 1/1');
  return keras.line(line).length + keras.end().length > 0;
}

function quote(line: string): string {
  const visible = line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\r\b]+/g, ' ').trim();
  return `"${visible.length > QUOTE_LENGTH ? `${visible.slice(0, QUOTE_LENGTH - 1)}…` : visible}"`;
}
