/**
 * Known line prefixes: what launchers, log collectors and Python's logging put in front of a
 * training job's own line. Each is removed before the line is read; a prefix that names where the
 * line came from (a rank, a compose container, a pod's container) gives a label, which the record
 * keeps in the field ORIGIN_FIELD (`_origin`), so `--where`, `table` and `compare` can tell ranks and
 * containers apart.
 *
 * | kind       | looks like                                             | label                 | also        |
 * |------------|--------------------------------------------------------|-----------------------|-------------|
 * | `torchrun` | `[rank0]: ` (excepthook, torch logging), `[default0]:` (`--tee`), `[0]:` (a `${rank}` template) | `rank0`, `default0`, `0` |  |
 * | `compose`  | `trainer-1  | ` (docker compose v1/v2: name padded, ` | `) | `trainer-1`          |             |
 * | `kubectl`  | `[pod/train-abc/main] ` (`kubectl logs --prefix`)      | `pod/train-abc/main`  |             |
 * | `logging`  | `INFO:root:` (logging's BASIC_FORMAT), `2026-11-22 10:00:01,123 - INFO - `, `2026-11-22 10:00:01,123 - train - INFO - ` | none | `time` from asctime |
 * | `cri`      | `2026-11-22T10:00:01.123456789Z stdout F ` (container runtime log files on a node) | none | `time`, `stream`, `partial` |
 *
 * Decisions:
 * - Logging's level and logger name are not labels: they say how a line was logged, not which
 *   process or container printed it, and a record's origin should not change when a script moves
 *   from `print` to `logging.info`. asctime has no zone; it is read as UTC, as a record's own
 *   zone-less `_time` is.
 * - Levels are the five Python names (DEBUG, INFO, WARNING, ERROR, CRITICAL). A logger name must
 *   start right after the colon and hold no space or colon, so `WARNING: All log messages...`
 *   (absl, TensorFlow) is not taken for a prefix.
 * - A torchrun label is a word (possibly empty) and digits in brackets, then `:`; one space after the
 *   colon belongs to the prefix (the excepthook writes `[rank0]: `, `--tee` writes `[default0]:`).
 * - A compose name is a run of letters, digits, `_`, `.`, `-`, then at least one space, then `| `
 *   (compose pads names to the longest and always writes ` | `). So `word | text` is read as
 *   compose; the cost of that mistake is a label on a line that would otherwise not be read at all.
 * - Prefixes nest (`trainer-1  | [default0]:INFO:train:{...}`). splitKnownPrefix peels one; call it
 *   again on `rest` for the next. Suggested `_origin` for nested labels: outer to inner joined by
 *   `/` (appendOrigin), e.g. `trainer-1/default0`.
 * - CRI `P` lines are pieces of one long line; CriJoiner joins them with the following `F` line of
 *   the same stream. Prefixes inside a CRI line are read after joining.
 *
 * Everything here is a pure function of the text but CriJoiner, which keeps per-stream pieces.
 * Detection is cheap: the first character picks at most two candidates, and each is a bounded
 * forward scan.
 */

/** The record field that holds a prefix's label. */
export const ORIGIN_FIELD = '_origin';

/** Which prefix a line had. */
export type PrefixKind = 'torchrun' | 'compose' | 'kubectl' | 'logging' | 'cri';

/** A line split at its known prefix. */
export interface KnownPrefix {
  kind: PrefixKind;
  /** Where the line came from, for ORIGIN_FIELD: `rank0`, `trainer-1`, `pod/train-abc/main`. */
  label?: string;
  /** The line after the prefix. */
  rest: string;
  /** Epoch milliseconds: CRI's timestamp, or logging's asctime read as UTC. */
  time?: number;
  /** CRI only: which stream the container wrote. */
  stream?: 'stdout' | 'stderr';
  /** CRI only: true for a `P` piece, which CriJoiner joins with what follows. */
  partial?: boolean;
}

/** The longest name a compose, torchrun or logging prefix may hold: longer runs are some other text. */
const MAX_NAME = 128;
/** The longest `[...]` read: a kubectl label holds a pod name (up to 253) and a container name (up to 63). */
const MAX_BRACKET = 330;

const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Letters, digits, `_`, `.`, `-`: what compose container names and torchrun role names are made of. */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === 0x2e || c === 0x2d;
}

/**
 * Splits `text` (one line, without its `\n`, ANSI escapes already removed) at a known prefix, or
 * returns undefined when it starts with none. Call it before the grammar's timestamp step: a CRI
 * line starts with a timestamp that is part of its prefix, and compose and kubectl put theirs after
 * their own prefix.
 */
export function splitKnownPrefix(text: string): KnownPrefix | undefined {
  const c = text.charCodeAt(0);
  if (c === 0x5b) return bracketed(text); // '['
  if (isDigit(c)) return cri(text) ?? asctime(text) ?? compose(text);
  if (c === 0x44 || c === 0x49 || c === 0x57 || c === 0x45 || c === 0x43) return basicLogging(text) ?? compose(text); // D I W E C
  if (isNameChar(c)) return compose(text);
  return undefined;
}

/** `[pod/<pod>/<container>] ` or `[<word><digits>]:`. */
function bracketed(text: string): KnownPrefix | undefined {
  let close = 1;
  while (close <= MAX_BRACKET && close < text.length && text.charCodeAt(close) !== 0x5d) close++;
  if (close < 2 || close > MAX_BRACKET || close >= text.length) return undefined;
  const inner = text.slice(1, close);
  if (inner.startsWith('pod/')) {
    // kubectl writes `[pod/%s/%s] `: two names, no spaces, then one space.
    const slash = inner.indexOf('/', 4);
    if (slash <= 4 || slash === inner.length - 1 || inner.indexOf('/', slash + 1) !== -1 || /\s/.test(inner)) return undefined;
    if (text.charCodeAt(close + 1) !== 0x20) return undefined;
    return { kind: 'kubectl', label: inner, rest: text.slice(close + 2) };
  }
  if (text.charCodeAt(close + 1) !== 0x3a) return undefined; // ':'
  let i = 0;
  while (i < inner.length && isNameChar(inner.charCodeAt(i))) i++;
  if (i !== inner.length || !isDigit(inner.charCodeAt(inner.length - 1))) return undefined;
  const after = text.charCodeAt(close + 2) === 0x20 ? close + 3 : close + 2;
  return { kind: 'torchrun', label: inner, rest: text.slice(after) };
}

/** `name<spaces>| `, the name made of name characters. */
function compose(text: string): KnownPrefix | undefined {
  let i = 0;
  while (i < text.length && i <= MAX_NAME && isNameChar(text.charCodeAt(i))) i++;
  if (i === 0 || i > MAX_NAME || text.charCodeAt(i) !== 0x20) return undefined;
  const name = i;
  while (text.charCodeAt(i) === 0x20) i++;
  if (text.charCodeAt(i) !== 0x7c) return undefined; // '|'
  // compose writes `%s %s\n` after the padded `name |`: one space, even before an empty line.
  if (i + 1 < text.length && text.charCodeAt(i + 1) !== 0x20) return undefined;
  return { kind: 'compose', label: text.slice(0, name), rest: text.slice(i + 2) };
}

/** logging.BASIC_FORMAT: `LEVEL:logger:`. */
function basicLogging(text: string): KnownPrefix | undefined {
  for (const level of LEVELS) {
    if (!text.startsWith(level) || text.charCodeAt(level.length) !== 0x3a) continue;
    const nameStart = level.length + 1;
    let i = nameStart;
    for (; i < text.length && i - nameStart <= MAX_NAME; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3a) break;
      if (c === 0x20 || c === 0x09) return undefined;
    }
    if (i === nameStart || text.charCodeAt(i) !== 0x3a) return undefined;
    return { kind: 'logging', rest: text.slice(i + 1) };
  }
  return undefined;
}

/** `YYYY-MM-DD hh:mm:ss,mmm - [name - ]LEVEL - ` (logging's default asctime and the two common formats). */
const ASCTIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) - (?:\S{1,128} - )?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) - /;

function asctime(text: string): KnownPrefix | undefined {
  if (text.charCodeAt(10) !== 0x20) return undefined;
  const match = ASCTIME.exec(text);
  if (!match) return undefined;
  const prefix: KnownPrefix = { kind: 'logging', rest: text.slice(match[0].length) };
  const time = Date.parse(`${match[1] ?? ''}T${match[2] ?? ''}.${match[3] ?? ''}Z`);
  if (!Number.isNaN(time)) prefix.time = time;
  return prefix;
}

/** `<RFC 3339 time> <stdout|stderr> <P|F> <content>`, as containerd and CRI-O write container logs. */
const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) (stdout|stderr) ([PF])(?: |$)/;

function cri(text: string): KnownPrefix | undefined {
  if (text.charCodeAt(10) !== 0x54) return undefined; // 'T'
  const match = CRI.exec(text);
  if (!match) return undefined;
  // Date.parse is only specified for three fraction digits; CRI writes up to nine.
  const millis = (match[2] ?? '').slice(0, 3).padEnd(3, '0');
  const time = Date.parse(`${match[1] ?? ''}.${millis}${match[3] ?? ''}`);
  if (Number.isNaN(time)) return undefined;
  return { kind: 'cri', rest: text.slice(match[0].length), time, stream: match[4] === 'stderr' ? 'stderr' : 'stdout', partial: match[5] === 'P' };
}

/** A nested prefix's label added to the origin so far: outer to inner, joined by `/`. */
export function appendOrigin(origin: string | undefined, label: string): string {
  return origin === undefined ? label : `${origin}/${label}`;
}

/**
 * Joins CRI `P` (partial) pieces with the `F` (final) piece that ends them, per stream, for one
 * input. The runtime splits a long line into pieces (16 KiB each in containerd) and writes stdout's
 * and stderr's interleaved, so each stream has its own buffer.
 */
export class CriJoiner {
  private readonly pieces = { stdout: [] as string[], stderr: [] as string[] };
  private readonly lengths = { stdout: 0, stderr: 0 };

  /** @param maxLength Longest line it buffers; past it, what it holds is handed back as a line so memory stays bounded. */
  constructor(readonly maxLength = 64 * 1024 * 1024) {}

  /**
   * Feeds one CRI line's content. Returns the whole line at an `F` piece (or when the buffer passes
   * maxLength), and undefined while `P` pieces are still coming.
   */
  push(stream: 'stdout' | 'stderr', partial: boolean, content: string): string | undefined {
    const pieces = this.pieces[stream];
    if (!partial && pieces.length === 0) return content;
    pieces.push(content);
    this.lengths[stream] += content.length;
    if (partial && this.lengths[stream] <= this.maxLength) return undefined;
    return this.take(stream);
  }

  /** Whether pieces of either stream are waiting for their `F` line. */
  get pending(): boolean {
    return this.pieces.stdout.length > 0 || this.pieces.stderr.length > 0;
  }

  /** At the end of the input: pieces never closed by an `F`, per stream, as lines. */
  end(): Array<{ stream: 'stdout' | 'stderr'; text: string }> {
    const out: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pieces[stream].length > 0) out.push({ stream, text: this.take(stream) });
    }
    return out;
  }

  private take(stream: 'stdout' | 'stderr'): string {
    const text = this.pieces[stream].join('');
    this.pieces[stream] = [];
    this.lengths[stream] = 0;
    return text;
  }
}
