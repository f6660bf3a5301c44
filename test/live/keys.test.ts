import { describe, expect, it } from 'vitest';
import { KeyDecoder, MAX_PARAMS, type KeyEvent } from '../../src/live/keys.js';

const char = (c: string): KeyEvent => ({ name: 'char', char: c });
const named = (name: Exclude<KeyEvent['name'], 'char' | 'ctrl'>): KeyEvent => ({ name } as KeyEvent);
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** All keys from the chunks in order, with a flush at the end (as the caller's timeout would). */
function decode(...chunks: Array<Uint8Array | string>): KeyEvent[] {
  const decoder = new KeyDecoder();
  const out = chunks.flatMap((chunk) => decoder.push(chunk));
  return [...out, ...decoder.flush()];
}

describe('KeyDecoder', () => {
  const table: Array<[string, Array<Uint8Array | string>, KeyEvent[]]> = [
    ['printable ASCII', ['qn/'], [char('q'), char('n'), char('/')]],
    ['space', [' '], [char(' ')]],
    ['two-byte UTF-8', [bytes(0xc3, 0xa9)], [char('é')]],
    ['three-byte UTF-8', ['→'], [char('→')]],
    ['four-byte UTF-8', ['😀'], [char('😀')]],
    ['enter as \\r', ['\r'], [named('enter')]],
    ['enter as \\n', ['\n'], [named('enter')]],
    ['\\r\\n is one enter', ['\r\n'], [named('enter')]],
    ['\\r\\r is two', ['\r\r'], [named('enter'), named('enter')]],
    ['\\n\\n is two', ['\n\n'], [named('enter'), named('enter')]],
    ['tab', ['\t'], [named('tab')]],
    ['backtab', ['\x1b[Z'], [named('backtab')]],
    ['backspace 0x7f', [bytes(0x7f)], [named('backspace')]],
    ['backspace 0x08', [bytes(0x08)], [named('backspace')]],
    ['lone escape, resolved by flush', ['\x1b'], [named('escape')]],
    ['escape escape', ['\x1b\x1b'], [named('escape'), named('escape')]],
    ['Alt-q is escape then q', ['\x1bq'], [named('escape'), char('q')]],
    ['pageup', ['\x1b[5~'], [named('pageup')]],
    ['pagedown', ['\x1b[6~'], [named('pagedown')]],
    ['CSI arrows', ['\x1b[A\x1b[B\x1b[C\x1b[D'], [named('up'), named('down'), named('right'), named('left')]],
    ['SS3 arrows', ['\x1bOA\x1bOB\x1bOC\x1bOD'], [named('up'), named('down'), named('right'), named('left')]],
    ['arrows with modifiers', ['\x1b[1;5C\x1bO5D'], [named('right'), named('left')]],
    ['home and end (CSI H/F, SS3 H/F, 1~ 4~ 7~ 8~)', ['\x1b[H\x1b[F\x1bOH\x1bOF\x1b[1~\x1b[4~\x1b[7~\x1b[8~'], [named('home'), named('end'), named('home'), named('end'), named('home'), named('end'), named('home'), named('end')]],
    ['ctrl-c, ctrl-d, ctrl-z', [bytes(0x03, 0x04, 0x1a)], [named('ctrl-c'), named('ctrl-d'), named('ctrl-z')]],
    ['other ctrl keys', [bytes(0x01, 0x12, 0x00, 0x1f)], [{ name: 'ctrl', char: 'a' }, { name: 'ctrl', char: 'r' }, { name: 'ctrl', char: '@' }, { name: 'ctrl', char: '_' }]],
    ['keypad enter (SS3 M)', ['\x1bOM'], [named('enter')]],
    ['unknown CSI dropped whole', ['a\x1b[15~b\x1b[3~c\x1b[2;5R'], [char('a'), char('b'), char('c')]],
    ['unknown SS3 dropped (F1)', ['\x1bOPx'], [char('x')]],
    ['Linux console F1 dropped', ['\x1b[[Ax'], [char('x')]],
    ['private CSI replies dropped', ['\x1b[?1;2c\x1b[<0;10;5Mz'], [char('z')]],
    ['focus reports dropped', ['\x1b[I\x1b[O'], []],
    ['bracketed paste markers dropped, text kept', ['\x1b[200~loss\x1b[201~'], [char('l'), char('o'), char('s'), char('s')]],
    ['a control byte ends a broken sequence and counts', ['\x1b[12\t'], [named('tab')]],
    ['ESC inside a sequence starts a new one', ['\x1b[1\x1b[A'], [named('up')]],
    ['stray continuation and invalid bytes dropped', [bytes(0x80, 0x61, 0xc0, 0xff, 0x62)], [char('a'), char('b')]],
    ['a truncated UTF-8 character gives way to the next key', [bytes(0xe2, 0x86, 0x61)], [char('a')]],
    ['overlong encoding dropped', [bytes(0xe0, 0x80, 0xaf, 0x61)], [char('a')]],
    ['C1 control in UTF-8 dropped', [bytes(0xc2, 0x9b, 0x61)], [char('a')]],
    // Split across chunks: each fails if the decoder does not carry state over.
    ['CSI split after ESC', ['\x1b', '[5~'], [named('pageup')]],
    ['CSI split after [', ['\x1b[', '6~'], [named('pagedown')]],
    ['CSI split in the parameters', ['\x1b[20', '0~x'], [char('x')]],
    ['SS3 split', ['\x1bO', 'A'], [named('up')]],
    ['backtab split into single bytes', ['\x1b', '[', 'Z'], [named('backtab')]],
    ['UTF-8 split', [bytes(0xf0, 0x9f), bytes(0x98), bytes(0x80)], [char('😀')]],
    ['\\r and \\n split', ['\r', '\n'], [named('enter')]],
    ['string chunks and byte chunks mix', ['a', bytes(0x1b), '[B'], [char('a'), named('down')]],
  ];

  it.each(table)('%s', (_name, chunks, expected) => {
    expect(decode(...chunks)).toEqual(expected);
  });

  it('gives each key with the chunk that completes it', () => {
    const decoder = new KeyDecoder();
    expect(decoder.push('a\x1b[')).toEqual([char('a')]);
    expect(decoder.pending).toBe(true);
    expect(decoder.push('A')).toEqual([named('up')]);
    expect(decoder.pending).toBe(false);
  });

  it('asks for a flush only after a lone ESC, and flush resolves only that', () => {
    const decoder = new KeyDecoder();
    expect(decoder.push('\x1b')).toEqual([]);
    expect(decoder.needsFlush).toBe(true);
    expect(decoder.flush()).toEqual([named('escape')]);
    expect(decoder.needsFlush).toBe(false);
    expect(decoder.flush()).toEqual([]);
    // After ESC [ the key is a sequence: a late rest still decodes.
    decoder.push('\x1b[');
    expect(decoder.needsFlush).toBe(false);
    expect(decoder.flush()).toEqual([]);
    expect(decoder.push('D')).toEqual([named('left')]);
  });

  it('keeps a bound on a sequence that never ends, and leaks none of it', () => {
    const decoder = new KeyDecoder();
    const long = `\x1b[${'1;'.repeat(100_000)}`;
    expect(decoder.push(long)).toEqual([]);
    // What is held stays small however long the sequence (the params field is the only growth).
    expect((decoder as unknown as { params: string }).params.length).toBeLessThanOrEqual(MAX_PARAMS);
    expect(decoder.push('~q')).toEqual([char('q')]);
  });

  it('decodes every key of a long typed run the same in one chunk or byte by byte', () => {
    const input = 'loss\x1b[5~é\r\n\x1bOA\x1b[Z😀\x7f\x03';
    const whole = decode(input);
    const encoded = new TextEncoder().encode(input);
    const byByte = decode(...Array.from(encoded, (b) => bytes(b)));
    expect(byByte).toEqual(whole);
    expect(whole).toHaveLength(12);
  });
});
