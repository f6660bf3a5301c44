/**
 * Timestamp prefixes (`kubectl logs --timestamps`, `docker logs --timestamps`, `run --save`) read
 * from the bytes: `YYYY-MM-DD[Tt ]hh:mm:ss[.fraction](Z|z|±hh:mm)` and one space or tab at the
 * start of a line, its time by arithmetic and its date by Date.parse once a day. The grammar's text
 * path (line.ts) reads a prefix through the same code. test/parsers/time.property.test.ts compares
 * it with Date.parse on fuzzed prefixes.
 *
 * Decisions (issue 15, item 17: no line is dropped for its prefix):
 * - A leap second (`23:59:60`, valid RFC 3339) is read as the last millisecond of its minute,
 *   `23:59:59.999`: the record keeps its day and its order before the next minute. Date.parse
 *   refuses second 60, so without this the whole line was dropped.
 * - A tab after the time separates it as a space does.
 * - A head shaped like a prefix whose time does not exist (month 13, day 32, `24:00:01`, no zone)
 *   is not a prefix, but `malformed` then holds its length, so the grammar can read the record
 *   after it (timed when read) and say why its time was not used.
 */

/** The longest prefix a digit-first line is checked for before the fraction: `2026-11-22T10:00:00`. */
const DATE_TIME_LENGTH = 19;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Letters, digits, `+`, `-`, `:`: what a zone (`Z`, `+02:00`, `+0200`, `UTC`) is written with. */
function isZoneChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2d || c === 0x3a;
}

/** The two-digit number at `i` (both bytes already checked to be digits). */
function twoDigits(bytes: Uint8Array, i: number): number {
  return ((bytes[i] as number) - 0x30) * 10 + (bytes[i + 1] as number) - 0x30;
}

/** ASCII bytes as a string (only the rare paths below make one). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/**
 * Reads timestamp prefixes, one reader per input: it remembers the date of the last prefix read
 * (its 10 bytes) and its epoch ms at midnight UTC, since kubectl prints thousands of lines a day.
 * After a read that returned true, `time` and `length` hold what it read, until the next read.
 */
export class TimestampReader {
  /** The prefix's time, epoch ms (the fraction cut to milliseconds). */
  time = 0;
  /** The prefix's length in bytes (or characters), with its space. */
  length = 0;
  /**
   * After a read that returned false: the length of a head shaped like a prefix (a date-time, an
   * optional fraction, up to six zone characters, a space or tab) whose time is not valid; else 0.
   */
  malformed = 0;
  /** The last date read; all zeros at first, which matches no line that gets that far. */
  private readonly date = new Uint8Array(10);
  private day = NaN;
  /** A text prefix's characters as bytes, for `read`. */
  private scratch = new Uint8Array(64);

  /**
   * A leading RFC 3339 date-time with a zone and one space at `bytes[start]`, read without making
   * a string. Returns true and sets `time` and `length`, or false; a date Date.parse rejects is no
   * prefix. Never reads at or past `stop`.
   */
  readAt(bytes: Uint8Array, start: number, stop: number): boolean {
    this.malformed = 0;
    if (stop - start <= DATE_TIME_LENGTH + 1) return false;
    for (let k = 0; k < DATE_TIME_LENGTH; k++) {
      const c = bytes[start + k] as number;
      switch (k) {
        case 4: case 7: if (c !== 0x2d) return false; break;
        case 10: if (c !== 0x54 && c !== 0x74 && c !== 0x20) return false; break;
        case 13: case 16: if (c !== 0x3a) return false; break;
        default: if (!isDigit(c)) return false;
      }
    }
    // Past the date-time, a read at `stop` or beyond gives -1: no digit, no zone, no space.
    const at = (i: number): number => (i < stop ? (bytes[i] as number) : -1);
    let i = start + DATE_TIME_LENGTH;
    let millis = 0;
    if (at(i) === 0x2e) {
      i++;
      // Milliseconds are the first three digits, padded with zeros; the rest are cut.
      let digits = 0;
      for (; isDigit(at(i)); i++, digits++) if (digits < 3) millis = millis * 10 + ((bytes[i] as number) - 0x30);
      if (digits === 0) return this.malformedAt(bytes, start, stop);
      if (digits === 1) millis *= 100;
      else if (digits === 2) millis *= 10;
    }
    const zoneStart = i;
    const z = at(i);
    let offsetMinutes = 0;
    // Offsets Date.parse may refuse (minutes past 59, hours past 23) are left to it below.
    let plainOffset = true;
    if (z === 0x5a || z === 0x7a) {
      i++;
    } else if (z === 0x2b || z === 0x2d) {
      if (!isDigit(at(i + 1)) || !isDigit(at(i + 2)) || at(i + 3) !== 0x3a || !isDigit(at(i + 4)) || !isDigit(at(i + 5))) return this.malformedAt(bytes, start, stop);
      const offsetHours = twoDigits(bytes, i + 1);
      const offsetMinutesPart = twoDigits(bytes, i + 4);
      plainOffset = offsetHours <= 23 && offsetMinutesPart <= 59;
      offsetMinutes = (offsetHours * 60 + offsetMinutesPart) * (z === 0x2d ? -1 : 1);
      i += 6;
    } else {
      return this.malformedAt(bytes, start, stop);
    }
    const separator = at(i);
    if (separator !== 0x20 && separator !== 0x09) return this.malformedAt(bytes, start, stop);
    const hour = twoDigits(bytes, start + 11);
    const minute = twoDigits(bytes, start + 14);
    let second = twoDigits(bytes, start + 17);
    // A leap second is the last millisecond of its minute (see the decisions above).
    if (second === 60) {
      second = 59;
      millis = 999;
    }
    let time: number;
    if (hour <= 23 && minute <= 59 && second <= 59 && plainOffset) {
      if (!this.sameDate(bytes, start)) {
        this.date.set(bytes.subarray(start, start + 10));
        this.day = Date.parse(`${latin1(bytes, start, start + 10)}T00:00:00.000Z`);
      }
      time = this.day + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
    } else {
      // Edge values (24:00, a leap second at 24:00, odd offsets) are left to Date.parse, which decides them,
      // with their milliseconds: it takes 24:00:00.000 but not 24:00:00.500.
      const zone = latin1(bytes, zoneStart, i);
      time = Date.parse(`${latin1(bytes, start, start + 10)}T${latin1(bytes, start + 11, start + 17)}${String(second).padStart(2, '0')}.${String(millis).padStart(3, '0')}${zone === 'z' ? 'Z' : zone}`);
    }
    if (Number.isNaN(time)) return this.malformedAt(bytes, start, stop);
    this.time = time;
    this.length = i + 1 - start;
    return true;
  }

  /**
   * A date-time head at `start` that is not a valid prefix: sets `malformed` to its length when the
   * head, an optional `.` and digits, and up to six zone characters end in a space or tab. Returns false.
   */
  private malformedAt(bytes: Uint8Array, start: number, stop: number): false {
    let i = start + DATE_TIME_LENGTH;
    if (i < stop && bytes[i] === 0x2e) for (i++; i < stop && isDigit(bytes[i] as number); i++);
    const zoneEnd = Math.min(stop, i + 6);
    for (; i < zoneEnd && isZoneChar(bytes[i] as number); i++);
    if (i < stop && (bytes[i] === 0x20 || bytes[i] === 0x09)) this.malformed = i + 1 - start;
    return false;
  }

  /** readAt for text: a prefix is ASCII, so its length in characters is its length in bytes. */
  read(line: string): boolean {
    // The prefix's bytes: the date-time and the `.`, its fraction digits (any number), then at most
    // a six-character zone and the space.
    let length = Math.min(line.length, DATE_TIME_LENGTH + 1);
    while (length < line.length && isDigit(line.charCodeAt(length))) length++;
    length = Math.min(line.length, length + 7);
    if (length > this.scratch.length) this.scratch = new Uint8Array(length * 2);
    const scratch = this.scratch;
    // Any other character becomes 0x80, which no part of a prefix matches.
    for (let k = 0; k < length; k++) {
      const c = line.charCodeAt(k);
      scratch[k] = c < 0x80 ? c : 0x80;
    }
    return this.readAt(scratch, 0, length);
  }

  private sameDate(bytes: Uint8Array, start: number): boolean {
    const date = this.date;
    for (let k = 0; k < 10; k++) if (bytes[start + k] !== date[k]) return false;
    return true;
  }
}
