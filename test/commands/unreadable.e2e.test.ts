/**
 * Every input unreadable: the command says why on stderr and exits 2, and prints nothing that
 * reads like a result (no empty table, no empty dashboard); gate prints its verdict, which is not
 * a pass.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const MISSING = 'fixtures/runs/no-such-run.log';

describe('only unreadable inputs', () => {
  it.each([
    ['sort', '--by', 'accuracy'],
    ['chart'],
    ['stats'],
    ['extract'],
    ['table'],
  ])('%s prints nothing on stdout, one line on stderr, exit 2', async (...args) => {
    const result = await runCli([...args, MISSING]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`vizmeta: ${MISSING}: no such file\n`);
    expect(result.status).toBe(2);
  });

  it('gate lists the input and says the gate is incomplete, never passed', async () => {
    const result = await runCli(['gate', '--when', 'accuracy > 0', MISSING]);
    expect(result.stdout).toBe(`${MISSING}\n  ERROR could not be read: no such file\ngate incomplete: 1 input could not be read (${MISSING})\n`);
    expect(result.status).toBe(2);
  });
});
