/**
 * Drawing a live dashboard on a terminal while a job's log scrolls above it.
 *
 * The screen is split with a scroll region (DECSTBM): rows 1..R-H hold the log, which the
 * terminal scrolls by itself as the passed-through bytes arrive; the bottom H rows hold the
 * dashboard, redrawn in place. Each frame is one write: save cursor, draw every row, restore
 * cursor — so the log's cursor (and colour state) is left where the job left it, and no frame is
 * ever half drawn. A frame is only written between complete escape sequences and UTF-8
 * characters of the log ({@link ByteBoundary}), so it never splits one of the job's own.
 *
 * The pure parts (sequences, layout, frame text) are functions; {@link LiveScreen} is the edge.
 */
import type { Writable } from 'node:stream';

const ESC = '\x1b';
export const HIDE_CURSOR = `${ESC}[?25l`;
export const SHOW_CURSOR = `${ESC}[?25h`;
export const RESET_REGION = `${ESC}[r`;
const SAVE = `${ESC}7`;
const RESTORE = `${ESC}8`;
const CLEAR_LINE = `${ESC}[2K`;
const RESET_STYLE = `${ESC}[0m`;
/** Autowrap off while drawing, so a line that is one column too wide cannot scroll the screen. */
const NO_WRAP = `${ESC}[?7l`;
const WRAP = `${ESC}[?7h`;

const moveTo = (row: number, column = 1): string => `${ESC}[${row};${column}H`;
const region = (top: number, bottom: number): string => `${ESC}[${top};${bottom}r`;

/** Fewest rows left to the log: below this the dashboard shrinks rather than the log. */
export const MIN_LOG_ROWS = 4;

/** Rows left above the dashboard when the log is not shown (`--quiet`): for a warning or the job's stderr. */
export const QUIET_LOG_ROWS = 2;

/**
 * Rows the dashboard takes on a terminal `rows` high: about 60%, leaving the log at least
 * {@link MIN_LOG_ROWS}; with `quiet` (no log passed through) all but {@link QUIET_LOG_ROWS}.
 */
export function dashboardRows(rows: number, quiet = false): number {
  if (quiet) return Math.max(Math.min(3, rows), rows - QUIET_LOG_ROWS);
  if (rows < MIN_LOG_ROWS + 3) return Math.max(0, rows - 2);
  return Math.max(3, Math.min(rows - MIN_LOG_ROWS, Math.round(rows * 0.6)));
}

/**
 * The bytes that take over the screen: room for the dashboard is made by scrolling, the log
 * region is set, and the log's cursor goes to the region's last row.
 */
export function enterSequence(rows: number, height: number): string {
  return `${HIDE_CURSOR}${'\n'.repeat(height)}${region(1, rows - height)}${moveTo(rows - height)}`;
}

/**
 * One frame: the dashboard's lines drawn over the bottom `lines.length` rows, each row cleared
 * first, the log's cursor saved and restored around it.
 */
export function frameSequence(rows: number, lines: readonly string[]): string {
  const top = rows - lines.length + 1;
  let out = SAVE + NO_WRAP;
  lines.forEach((line, i) => {
    out += moveTo(top + i) + CLEAR_LINE + line + RESET_STYLE;
  });
  return out + WRAP + RESTORE;
}

/**
 * After a resize: the region is set again for the new size, the old dashboard area cleared, and
 * the log's cursor put on the region's last row (a new line there, so the last log line is not
 * overwritten).
 */
export function resizeSequence(rows: number, height: number): string {
  return `${RESET_REGION}${moveTo(rows - height + 1)}${ESC}[J${region(1, rows - height)}${moveTo(rows - height)}\r\n`;
}

/**
 * Gives the screen back: the region is reset and the cursor shown, and put under the last frame,
 * which stays on screen as the final dashboard.
 */
export function leaveSequence(rows: number): string {
  return `${RESET_REGION}${moveTo(rows)}\r\n${SHOW_CURSOR}`;
}

/**
 * Tracks whether a byte stream written to a terminal is between two complete escape sequences and
 * UTF-8 characters, so that other output (a frame) can be written without corrupting either.
 * Only the tail of each chunk is inspected, so the cost does not grow with the size of the log.
 */
export class ByteBoundary {
  /** An escape sequence begun and not finished: its bytes so far (bounded). */
  private pendingEscape: number[] | undefined;
  /** Bytes still owed by the last UTF-8 character. */
  private utf8Owed = 0;

  get safe(): boolean {
    return this.pendingEscape === undefined && this.utf8Owed === 0;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let from = 0;
    if (this.pendingEscape !== undefined) {
      // Continue the open sequence; if it ends within this chunk, scan the rest normally.
      const end = this.continueEscape(chunk, 0);
      if (end === -1) return;
      from = end;
    }
    const lastEsc = chunk.lastIndexOf(0x1b);
    if (lastEsc >= from) {
      // Everything before the last ESC is irrelevant: a sequence that ESC begins, or ends (ST), decides.
      this.pendingEscape = [0x1b];
      const end = this.continueEscape(chunk, lastEsc + 1);
      if (end !== -1) this.utf8Owed = owedAfter(chunk, end);
      else this.utf8Owed = 0;
      return;
    }
    this.utf8Owed = owedAfter(chunk, from, this.utf8Owed);
  }

  /** Feeds bytes to the open escape sequence; returns the index after its end, or -1 if still open. */
  private continueEscape(chunk: Uint8Array, start: number): number {
    const seq = this.pendingEscape as number[];
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (seq.length < 8) seq.push(b);
      else seq[7] = b;
      if (escapeComplete(seq, b)) {
        this.pendingEscape = undefined;
        return i + 1;
      }
    }
    return -1;
  }
}

/**
 * Whether the sequence (ESC, then bytes, `last` the newest) is complete. CSI ends at a final byte
 * 0x40–0x7e; OSC at BEL or ST; DCS, SOS, PM and APC at ST; other escapes at a byte 0x30–0x7e.
 * A control byte that cannot belong to a sequence (CAN, SUB) ends it too.
 */
function escapeComplete(seq: readonly number[], last: number): boolean {
  if (seq.length < 2) return false;
  if (last === 0x18 || last === 0x1a) return true;
  const kind = seq[1] as number;
  if (seq.length === 2) {
    if (kind === 0x5b || kind === 0x5d || kind === 0x50 || kind === 0x58 || kind === 0x5e || kind === 0x5f) return false;
    return kind >= 0x30 && kind <= 0x7e;
  }
  if (kind === 0x5b) return last >= 0x40 && last <= 0x7e;
  const st = last === 0x5c && seq[seq.length - 2] === 0x1b;
  if (kind === 0x5d) return last === 0x07 || st;
  if (kind === 0x50 || kind === 0x58 || kind === 0x5e || kind === 0x5f) return st;
  // ESC, intermediates 0x20–0x2f, then a final byte.
  return last >= 0x30 && last <= 0x7e;
}

/** Continuation bytes the chunk's last UTF-8 character still needs, after `owed` carried in. */
function owedAfter(chunk: Uint8Array, from: number, owed = 0): number {
  const n = chunk.length - from;
  if (n <= 0) return owed;
  // Look at up to the last 4 bytes for an unfinished lead byte.
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = chunk[chunk.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 && b <= 0xf7 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return Math.max(0, need - back);
  }
  // Only continuation bytes: they pay off what was owed.
  return Math.max(0, owed - n);
}

/** A terminal the dashboard can draw on. */
export interface TerminalSize {
  rows: number;
  columns: number;
}

/**
 * The screen while a dashboard is live: owns the scroll region, writes frames when the log is at
 * a safe boundary, and gives the terminal back exactly once.
 */
export class LiveScreen {
  private active = false;
  private height = 0;
  private lastFrame: readonly string[] | undefined;
  readonly boundary = new ByteBoundary();

  constructor(
    private readonly out: Writable,
    private size: TerminalSize,
    /** No log is passed through: the dashboard takes nearly the whole screen. */
    private readonly quiet = false,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  /** Rows and columns the dashboard may use. */
  get frameSize(): TerminalSize {
    return { rows: this.height, columns: Math.max(10, this.size.columns - 1) };
  }

  enter(): void {
    if (this.active) return;
    this.height = dashboardRows(this.size.rows, this.quiet);
    this.active = true;
    this.out.write(enterSequence(this.size.rows, this.height));
  }

  /** Log bytes, written as they are; returns false when the stream wants a drain. */
  passthrough(chunk: Uint8Array): boolean {
    this.boundary.push(chunk);
    return this.out.write(chunk);
  }

  /** Whether a frame can be drawn now without splitting the log's escape sequence or character. */
  get canDraw(): boolean {
    return this.active && this.boundary.safe;
  }

  /** Draws a frame of exactly `frameSize.rows` lines (cut or padded here). */
  draw(lines: readonly string[]): void {
    if (!this.active || this.height === 0) return;
    const fitted = lines.slice(0, this.height);
    while (fitted.length < this.height) fitted.push('');
    this.lastFrame = fitted;
    this.out.write(frameSequence(this.size.rows, fitted));
  }

  resize(size: TerminalSize): void {
    this.size = size;
    if (!this.active) return;
    this.height = dashboardRows(size.rows, this.quiet);
    this.out.write(resizeSequence(size.rows, this.height));
  }

  /** Gives the terminal back, leaving the last frame on screen. Idempotent. */
  leave(): void {
    if (!this.active) return;
    this.active = false;
    this.out.write(leaveSequence(this.size.rows));
  }

  /** The same as {@link leave}, as one string for a synchronous last-resort write at exit. */
  leaveText(): string {
    return this.active ? leaveSequence(this.size.rows) : '';
  }

  get lastLines(): readonly string[] | undefined {
    return this.lastFrame;
  }
}
