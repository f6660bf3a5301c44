/**
 * Keys from a terminal in raw mode: the bytes a keyboard sends, decoded into key events.
 *
 * A terminal sends printable keys as their UTF-8 bytes, a few keys as control bytes (Enter, Tab,
 * Backspace, Ctrl-letters) and the rest as escape sequences (CSI `ESC [ … final`, SS3 `ESC O x`).
 * The bytes of one key can arrive split over several reads (a slow link, a full buffer), so
 * {@link KeyDecoder} is a byte-at-a-time state machine that carries an unfinished sequence or
 * character over to the next chunk. What it holds between chunks is bounded: at most
 * {@link MAX_PARAMS} parameter bytes of a sequence and 3 bytes of a UTF-8 character.
 *
 * Pure: no streams, no clock. The one thing only time can decide — whether a lone ESC is the
 * Escape key or the start of a sequence whose rest is still on its way — is left to the caller,
 * which calls {@link KeyDecoder.flush} after a short quiet time (see there).
 */

/** Keys with a name of their own. */
export type NamedKey =
  | 'enter'
  | 'tab'
  | 'backtab'
  | 'backspace'
  | 'escape'
  | 'pageup'
  | 'pagedown'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'ctrl-c'
  | 'ctrl-d'
  | 'ctrl-z';

/**
 * One key press. `char` is one printable Unicode code point (a grapheme made of several code
 * points, such as an emoji with a modifier, arrives as several events). `ctrl` is a Ctrl
 * combination without a name of its own: `char` is the lower-case letter or sign pressed with
 * Ctrl (`'a'` for Ctrl-A, `'@'` for Ctrl-Space).
 */
export type KeyEvent = { name: 'char'; char: string } | { name: 'ctrl'; char: string } | { name: NamedKey };

/**
 * How long a caller should wait after a chunk that left {@link KeyDecoder.needsFlush} set before
 * calling {@link KeyDecoder.flush}, ms. The bytes of one escape sequence are written together by
 * the terminal and nearly always arrive in one read; 50 ms is far longer than a split takes on a
 * local or network terminal and far shorter than a person notices (vim's `ttimeoutlen` is 100,
 * tmux's `escape-time` 10–500).
 */
export const ESCAPE_TIMEOUT_MS = 50;

/** Parameter bytes of a sequence kept for decoding; the rest of a longer one is read and dropped. */
export const MAX_PARAMS = 16;

const ESC = 0x1b;

type State =
  /** Between keys. */
  | 'ground'
  /** After ESC: a sequence or the Escape key. */
  | 'escape'
  /** After ESC [: parameters until a final byte. */
  | 'csi'
  /** After ESC [ [: the Linux console's F1–F5 — one more byte. */
  | 'csi-linux'
  /** After ESC O: optional modifier digits, then a final byte. */
  | 'ss3'
  /** Inside a multi-byte UTF-8 character. */
  | 'utf8';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Decodes raw-mode terminal input into {@link KeyEvent}s. Feed every chunk read, in order, to
 * {@link push}; each call returns the keys completed by that chunk.
 *
 * - Unknown sequences (function keys, Insert/Delete, focus and mouse reports, terminal replies)
 *   are read to their end and dropped: their bytes never come out as text.
 * - Bracketed-paste markers (`ESC [200~`, `ESC [201~`) are dropped; the pasted text comes out as
 *   the keys it is made of.
 * - `\r\n` is one `enter` (a pasted Windows line), as are `\r` and `\n` alone.
 * - A byte that cannot continue the sequence or character under way ends it (dropped) and is
 *   then read on its own, so a garbled sequence costs only itself.
 * - ESC followed by any byte that starts no sequence (Alt-key) is `escape` then that key.
 */
export class KeyDecoder {
  private state: State = 'ground';
  /** Parameter and intermediate bytes of the CSI sequence under way (at most {@link MAX_PARAMS}). */
  private params = '';
  /** The sequence under way had more parameter bytes than kept. */
  private overflow = false;
  /** Bytes of the UTF-8 character under way, and how many it needs in all. */
  private readonly utf8Bytes: number[] = [];
  private utf8Need = 0;
  /** The last byte was `\r`: a `\n` right after it is the same Enter. */
  private afterCR = false;

  /** Decodes one chunk; keys split over chunks come out with the chunk that completes them. */
  push(chunk: Uint8Array | string): KeyEvent[] {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    const out: KeyEvent[] = [];
    for (const byte of bytes) this.byte(byte, out);
    return out;
  }

  /**
   * True when the input so far ends in a lone ESC: it is the Escape key unless the rest of a
   * sequence follows. The caller should then call {@link flush} if no more input arrives within
   * {@link ESCAPE_TIMEOUT_MS}, and not call it if more input does arrive (push that instead).
   */
  get needsFlush(): boolean {
    return this.state === 'escape';
  }

  /**
   * Resolves what only time can: a lone ESC pending at the end of the input becomes `escape`.
   * Anything else pending — the rest of a sequence after `ESC [` or `ESC O`, or of a UTF-8
   * character — stays pending, since those beginnings are not something a person types, so a
   * sequence that arrives late in pieces still decodes. Returns no keys when nothing was pending.
   */
  flush(): KeyEvent[] {
    if (this.state !== 'escape') return [];
    this.state = 'ground';
    return [{ name: 'escape' }];
  }

  /** Whether bytes of an unfinished key are held (a caller at end of input may report or ignore them). */
  get pending(): boolean {
    return this.state !== 'ground';
  }

  private byte(b: number, out: KeyEvent[]): void {
    const afterCR = this.afterCR;
    this.afterCR = false;
    switch (this.state) {
      case 'ground':
        return this.ground(b, afterCR, out);
      case 'escape':
        if (b === 0x5b) {
          this.begin('csi');
        } else if (b === 0x4f) {
          this.begin('ss3');
        } else {
          // Not a sequence: the ESC was the Escape key (Alt-x sends ESC x), and this byte is a key too.
          out.push({ name: 'escape' });
          this.state = 'ground';
          if (b === ESC) this.state = 'escape';
          else this.ground(b, false, out);
        }
        return;
      case 'csi':
        if (this.params === '' && b === 0x5b) {
          this.state = 'csi-linux';
        } else if (b >= 0x20 && b <= 0x3f) {
          if (this.params.length < MAX_PARAMS) this.params += String.fromCharCode(b);
          else this.overflow = true;
        } else if (b >= 0x40 && b <= 0x7e) {
          this.state = 'ground';
          // A sequence longer than any key's was cut while read: it is no key we know.
          const key = this.overflow ? undefined : csiKey(this.params, b);
          if (key) out.push(key);
        } else {
          this.abort(b, out);
        }
        return;
      case 'csi-linux':
        // ESC [ [ A..E: F1–F5 on the Linux console, dropped like other function keys.
        if (b >= 0x40 && b <= 0x7e) this.state = 'ground';
        else this.abort(b, out);
        return;
      case 'ss3':
        if (b >= 0x30 && b <= 0x3f) {
          // Some terminals put a modifier before the final byte (ESC O 5 A); it changes no key here.
        } else if (b >= 0x40 && b <= 0x7e) {
          this.state = 'ground';
          const key = ss3Key(b);
          if (key) out.push(key);
        } else {
          this.abort(b, out);
        }
        return;
      case 'utf8':
        if ((b & 0xc0) !== 0x80) return this.abort(b, out);
        this.utf8Bytes.push(b);
        if (this.utf8Bytes.length < this.utf8Need) return;
        this.state = 'ground';
        try {
          const char = utf8.decode(Uint8Array.from(this.utf8Bytes));
          if (isPrintable(char)) out.push({ name: 'char', char });
        } catch {
          // Overlong or surrogate encodings are not characters: dropped.
        }
        return;
    }
  }

  private begin(state: 'csi' | 'ss3'): void {
    this.state = state;
    this.params = '';
    this.overflow = false;
  }

  /** The sequence or character under way cannot take `b`: it is dropped and `b` read afresh. */
  private abort(b: number, out: KeyEvent[]): void {
    this.state = 'ground';
    this.ground(b, false, out);
  }

  private ground(b: number, afterCR: boolean, out: KeyEvent[]): void {
    if (b >= 0x20 && b <= 0x7e) {
      out.push({ name: 'char', char: String.fromCharCode(b) });
    } else if (b === 0x0d) {
      this.afterCR = true;
      out.push({ name: 'enter' });
    } else if (b === 0x0a) {
      if (!afterCR) out.push({ name: 'enter' });
    } else if (b === ESC) {
      this.state = 'escape';
    } else if (b === 0x7f || b === 0x08) {
      out.push({ name: 'backspace' });
    } else if (b === 0x09) {
      out.push({ name: 'tab' });
    } else if (b === 0x03) {
      out.push({ name: 'ctrl-c' });
    } else if (b === 0x04) {
      out.push({ name: 'ctrl-d' });
    } else if (b === 0x1a) {
      out.push({ name: 'ctrl-z' });
    } else if (b < 0x20) {
      // Ctrl-A is 0x01 … Ctrl-Z 0x1a; 0x00 and 0x1c–0x1f are Ctrl with @ \ ] ^ _.
      out.push({ name: 'ctrl', char: String.fromCharCode(b >= 0x01 && b <= 0x1a ? b + 0x60 : b + 0x40) });
    } else if (b >= 0xc2 && b <= 0xf4) {
      this.state = 'utf8';
      this.utf8Bytes.length = 0;
      this.utf8Bytes.push(b);
      this.utf8Need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    }
    // Anything else (a stray continuation byte, 0xc0/0xc1/0xf5–0xff, C1 controls) is no key: dropped.
  }
}

/** Final bytes that end a cursor key in both CSI (`ESC [ A`) and SS3 (`ESC O A`) form. */
const CURSOR_FINALS: ReadonlyMap<number, NamedKey> = new Map([
  [0x41, 'up'],
  [0x42, 'down'],
  [0x43, 'right'],
  [0x44, 'left'],
  [0x48, 'home'],
  [0x46, 'end'],
]);

/** The key a CSI sequence stands for, if it is one we use. Modifiers (`1;5A`) are ignored. */
function csiKey(params: string, final: number): KeyEvent | undefined {
  // Private parameters (`?`, `<`, `>`, `=`) mark terminal replies and mouse reports, never keys.
  if (/^[<=>?]/.test(params)) return undefined;
  const cursor = CURSOR_FINALS.get(final);
  if (cursor !== undefined) return { name: cursor };
  switch (final) {
    case 0x5a:
      return { name: 'backtab' };
    case 0x7e:
      switch (params.split(';')[0]) {
        case '1':
        case '7':
          return { name: 'home' };
        case '4':
        case '8':
          return { name: 'end' };
        case '5':
          return { name: 'pageup' };
        case '6':
          return { name: 'pagedown' };
        default:
          // 200~/201~ (bracketed paste), Insert, Delete, F5–F12: dropped.
          return undefined;
      }
    default:
      return undefined;
  }
}

/** The key an SS3 sequence stands for (application cursor and keypad modes). */
function ss3Key(final: number): KeyEvent | undefined {
  const cursor = CURSOR_FINALS.get(final);
  if (cursor !== undefined) return { name: cursor };
  switch (final) {
    case 0x4d:
      // The keypad's Enter in application keypad mode.
      return { name: 'enter' };
    default:
      // F1–F4 (P–S) and the keypad's other keys: dropped.
      return undefined;
  }
}

/** Not a C1 control (U+0080–U+009F), which arrive UTF-8 encoded only from a confused sender. */
function isPrintable(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return code >= 0xa0;
}
