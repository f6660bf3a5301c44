/**
 * The byte-level test that lets the reader skip every `{`-less line that cannot be Keras progress
 * output without decoding it: mayBeKerasLine (parsers/dialects/keras.ts) on bytes. It must say
 * true wherever mayBeKerasLine would (test/parsers/fast/keras-bytes.property.test.ts), and it is
 * narrower in one place: a line starting `Epoch ` must go on `digits/` (Keras's `Epoch 3/50`), so a
 * tqdm bar (`Epoch 3:  40%|...`) is not decoded for nothing. Reads nothing at or past `stop`.
 */
import { BACKSPACE, CARRIAGE_RETURN as CR, ESC, isDigit, MINUS as DASH, OPEN_BRACKET as LEFT_BRACKET, SLASH, SPACE } from './json-bytes.js';

/** `Epoch ` */
const EPOCH = [0x45, 0x70, 0x6f, 0x63, 0x68, 0x20];

/** Whether digits start at `i` and are followed by `/`. */
function countThenSlash(bytes: Uint8Array, i: number, stop: number): boolean {
  if (i >= stop || !isDigit(bytes[i] as number)) return false;
  while (i < stop && isDigit(bytes[i] as number)) i++;
  return i < stop && bytes[i] === SLASH;
}

export function mayBeKerasAt(bytes: Uint8Array, start: number, stop: number): boolean {
  let i = start;
  // The usual line (a log message, a tqdm bar) is settled by its first byte.
  const first = bytes[i] as number;
  if (!(isDigit(first) || first === 0x45 || first === CR || first === BACKSPACE || first === SPACE || first === ESC || first === DASH)) return false;
  while (i < stop) {
    const c = bytes[i] as number;
    if (c === CR || c === BACKSPACE || c === SPACE) {
      i++;
    } else if (c === ESC && i + 1 < stop && bytes[i + 1] === LEFT_BRACKET) {
      // A CSI sequence: parameters, intermediates, then one final byte.
      i += 2;
      while (i < stop && (bytes[i] as number) >= 0x30 && (bytes[i] as number) <= 0x3f) i++;
      while (i < stop && (bytes[i] as number) >= 0x20 && (bytes[i] as number) <= 0x2f) i++;
      if (i < stop) i++;
    } else {
      break;
    }
  }
  if (i >= stop) return false;
  const c = bytes[i] as number;
  if (isDigit(c)) return countThenSlash(bytes, i, stop);
  if (c === 0x45) {
    if (stop - i < EPOCH.length) return false;
    for (let k = 0; k < EPOCH.length; k++) if (bytes[i + k] !== EPOCH[k]) return false;
    return countThenSlash(bytes, i + EPOCH.length, stop);
  }
  if (c === DASH) return i + 2 < stop && bytes[i + 1] === SPACE && isDigit(bytes[i + 2] as number);
  return false;
}
