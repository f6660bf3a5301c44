import { describe, expect, it } from 'vitest';
import { keyHelpLines } from '../../src/render/key-help.js';
import { displayWidth } from '../../src/render/width.js';

describe('keyHelpLines', () => {
  it('lists every key of a single watch, and no run keys', () => {
    const text = keyHelpLines(120, { run: false, runs: 1 }).join('\n');
    for (const line of ['q  Ctrl-C       quit', 'space ', 'n  p ', 'PgDn PgUp', '/ ', 'Esc clears', 'l ', 'auto → log → linear', 's ', 'off → 0.6 → 0.9', 'x ', 'steps / elapsed time', 'o ', 'overview', '?  Esc']) {
      expect(text).toContain(line);
    }
    expect(text).not.toContain('Tab');
    expect(text).not.toContain('stop the job');
    expect(text).not.toContain('--no-keyboard');
  });

  it('for run, q stops the job as Ctrl-C would, and says how to type into the job', () => {
    const text = keyHelpLines(120, { run: true, runs: 1 }).join('\n');
    expect(text).toContain('stop the job (as Ctrl-C would)');
    expect(text).toContain('--no-keyboard');
  });

  it('with several runs, lists tab and enter', () => {
    const text = keyHelpLines(120, { run: false, runs: 3 }).join('\n');
    expect(text).toContain('Tab  Shift-Tab  next / previous run (of 3)');
    expect(text).toContain('Enter           show the selected run alone');
  });

  it('aligns the explanations in one column', () => {
    const lines = keyHelpLines(120, { run: true, runs: 2 }).filter((line) => line.startsWith('  '));
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) {
      expect(line[17]).toBe(' ');
      expect(line[18]).not.toBe(' ');
      expect(line.slice(2, 17).trim().length).toBeGreaterThan(0);
    }
  });

  it.each([10, 24, 40, 60])('cuts every line to %i columns', (width) => {
    const lines = keyHelpLines(width, { run: true, runs: 4 });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    expect(lines.some((line) => line.endsWith('…'))).toBe(true);
  });

  it('fits an 80-column terminal uncut', () => {
    for (const line of keyHelpLines(80, { run: true, runs: 3 })) expect(line).not.toMatch(/…$/);
  });

  it('is plain text', () => {
    for (const line of keyHelpLines(100, { run: true, runs: 2 })) expect(line).not.toMatch(/\x1b/);
  });
});
