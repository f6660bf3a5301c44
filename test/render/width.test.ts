/**
 * displayWidth must answer exactly what string-width answers, for every text: its fast path
 * (single-column characters, measured by length) is checked character by character and on
 * fuzzed text; everything else goes to string-width itself. graphemes must split as
 * Intl.Segmenter does.
 */
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { displayWidth, graphemes, isSingleColumnText, truncate } from '../../src/render/width.js';
import { requireEsmIsQuiet } from '../../src/core/require-esm.js';

const segmenter = new Intl.Segmenter();
const segments = (text: string): string[] => Array.from(segmenter.segment(text), ({ segment }) => segment);

/** Every character the fast path accepts, found by testing every BMP code point. */
const SINGLE_COLUMN: string[] = [];
for (let code = 0; code <= 0xffff; code++) {
  if (code >= 0xd800 && code <= 0xdfff) continue;
  const char = String.fromCharCode(code);
  if (isSingleColumnText(char)) SINGLE_COLUMN.push(char);
}

describe('displayWidth', () => {
  it('accepts printable ASCII and the characters our renderers draw', () => {
    for (let code = 0x20; code <= 0x7e; code++) expect(isSingleColumnText(String.fromCharCode(code))).toBe(true);
    for (const char of '─│┼┤╭╮╯╰╴╶═▁▂▃▄▅▆▇█░▒▓–—…•·±×÷²≥≤−←↑→↓éü©') expect(isSingleColumnText(char)).toBe(true);
    expect(isSingleColumnText('')).toBe(true);
  });

  it('refuses what is not one column or may join its neighbour', () => {
    for (const text of ['\x1b[31mred\x1b[39m', '\x9b31m', '\t', '\n', '\r', '\x00', '\x7f', '\u00ad', '\u200b', '\u200d', '\u2028', '\u0301', '\ufe0f', '猫', '한', '\u1100', '👍', '🇫🇮', '▪', 'δ', '✓']) {
      expect(isSingleColumnText(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('equals string-width on every character the fast path accepts', () => {
    expect(SINGLE_COLUMN.length).toBe(381);
    for (const char of SINGLE_COLUMN) {
      expect(stringWidth(char), `U+${char.charCodeAt(0).toString(16)}`).toBe(1);
      expect(displayWidth(char)).toBe(1);
    }
  });

  it('equals string-width on text of accepted characters, each its own grapheme cluster', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...SINGLE_COLUMN), maxLength: 60 }), (text) => {
        expect(displayWidth(text)).toBe(stringWidth(text));
        expect(graphemes(text)).toEqual(segments(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals string-width on wide, joined, invisible and escaped text', () => {
    const cases = [
      '漢字', 'ｶﾞ', '한국어', '\u1100\u1161\u11a8', '👍', '👍🏽', '👨‍👩‍👧', '🇫🇮', '1\u20e3', '❤\ufe0f', '⚠', '✅ pass', 'e\u0301', 'a\u0308\u0304',
      '\x1b[31mred\x1b[39m', '\x1b[1m漢\x1b[22m', '\x9b1mX', 'tab\there', 'soft\u00adhyphen', 'zero\u200bwidth', '\u0000', 'δ loss', 'mixed ─ 猫 ▁▂',
    ];
    for (const text of cases) expect(displayWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
  });

  it('equals string-width on any text', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('a', ' ', '─', '▁', '…', '猫', '\u0301', '\u200d', '👍', '\ufe0f', '\x1b[31m', '\x1b', 'é', '\t'), maxLength: 30 }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        expect(displayWidth(text)).toBe(stringWidth(text));
        expect(graphemes(text)).toEqual(segments(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('requireEsmIsQuiet', () => {
  it('holds where require(esm) is on and prints no warning', () => {
    expect(requireEsmIsQuiet('20.19.0', true)).toBe(true);
    expect(requireEsmIsQuiet('22.13.0', true)).toBe(true);
    expect(requireEsmIsQuiet('23.5.0', true)).toBe(true);
    expect(requireEsmIsQuiet('24.0.0', true)).toBe(true);
    expect(requireEsmIsQuiet('26.1.0', true)).toBe(true);
  });

  it('fails where require(esm) is missing, off or still warns', () => {
    expect(requireEsmIsQuiet('20.18.0', undefined)).toBe(false);
    expect(requireEsmIsQuiet('22.11.0', false)).toBe(false);
    expect(requireEsmIsQuiet('22.12.0', true)).toBe(false);
    expect(requireEsmIsQuiet('23.4.0', true)).toBe(false);
    expect(requireEsmIsQuiet('24.0.0', false)).toBe(false);
  });
});

describe('truncate', () => {
  it('truncate cuts by display width and keeps colour codes whole', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('猫猫猫', 4)).toBe('猫…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('\x1b[1mabcdef\x1b[22m', 4)).toBe('\x1b[1mabc…\x1b[0m');
  });

  it('cuts at the start or the middle too, and never inside a grapheme cluster', () => {
    expect(truncate('logs/run-1.log', 8, 'start')).toBe('…n-1.log');
    expect(truncate('python train.py --epochs 20', 15, 'middle')).toBe('python …ochs 20');
    // A flag is two code points and one cluster; e + combining acute is two code points, one column.
    expect(truncate('ab🇫🇷cd', 4)).toBe('ab…');
    expect(truncate('🇫🇷🇫🇷🇫🇷', 5)).toBe('🇫🇷🇫🇷…');
    expect(truncate('cafe\u0301s', 4, 'start')).toBe('…fe\u0301s');
    expect(truncate('👩‍🔬 lab run', 4)).toBe('👩‍🔬 …');
    expect(truncate('x', 0)).toBe('');
    expect(truncate('xy', 1)).toBe('…');
  });

  it('never exceeds the width, and keeps text that fits', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 30 }), fc.constantFrom('start', 'middle', 'end') as fc.Arbitrary<'start' | 'middle' | 'end'>, (text, width, cut) => {
      const cutText = truncate(text, width, cut);
      expect(stringWidth(cutText)).toBeLessThanOrEqual(Math.max(width, 0));
      if (stringWidth(text) <= width) expect(cutText).toBe(text);
    }));
  });
});
