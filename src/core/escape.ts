/**
 * Text from a log must never drive the terminal. Every string that came from input
 * (keys, string values, labels, file names in errors) goes through `escapeForTerminal`
 * before it is written to a terminal: C0/C1 controls, DEL and the Unicode bidi
 * overrides and isolates become visible `\x1b`, `\u202e` style escapes.
 */

// C0 controls (incl. ESC, CR, LF, TAB), DEL, C1 controls, bidi embedding/override/isolate marks,
// and the line/paragraph separators that some terminals treat as newlines.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x09) return '\\t';
  if (code <= 0xff) return '\\x' + code.toString(16).padStart(2, '0');
  return '\\u' + code.toString(16).padStart(4, '0');
}

/** Makes a string from untrusted input safe to print: control and bidi characters become visible escapes. */
export function escapeForTerminal(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeChar);
}

// What JSON.stringify leaves raw but a terminal may act on: DEL, C1 controls (U+009B is an
// 8-bit CSI on some terminals), line/paragraph separators and bidi controls.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes JSON text safe for a terminal without changing what it means: the characters above can
 * only stand inside JSON strings, where `\uXXXX` is the same character to any JSON reader.
 */
export function escapeJsonForTerminal(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  if (!JSON_UNSAFE.test(json)) return json;
  JSON_UNSAFE.lastIndex = 0;
  return json.replace(JSON_UNSAFE, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
