/**
 * string-width and chalk load on first use through require(esm) where Node allows it, and with
 * their module elsewhere (require-esm.ts). Both ways must print the same bytes and no warning:
 * the built CLI is run with require(esm) on and off, on wide text, with colour and without.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const canTurnOff = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module');

describe('width and colour loaded on first use (built binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vizmeta-width-'));
  const log = '{"step": 1, "精度": 0.5, "loss": 0.9}\n{"step": 2, "精度": 0.75, "loss": 0.4}\n';
  const files = ['plain.log', '实验👍.log', 'cafe\u0301.log'].map((name) => {
    writeFileSync(join(dir, name), log);
    return join(dir, name);
  });

  const runs: Array<[string, string[]]> = [
    ['sort', ['sort', '--by', '精度', ...files]],
    ['sort, ASCII only', ['sort', '--by', 'loss', files[0] as string]],
    ['stats', ['stats', files[1] as string]],
  ];

  for (const [name, args] of runs) {
    for (const color of ['', '1']) {
      it.runIf(canTurnOff)(`${name}${color ? ', coloured' : ''}: the same bytes with require(esm) on and off`, async () => {
        const on = await runCli(args, { cwd: dir, env: { FORCE_COLOR: color, NO_COLOR: color ? '' : '1' } });
        const off = await runCli(args, { cwd: dir, env: { FORCE_COLOR: color, NO_COLOR: color ? '' : '1', NODE_OPTIONS: '--no-experimental-require-module' } });
        expect(on.status).toBe(0);
        expect(on.stderr).toBe('');
        expect(off.stderr).toBe('');
        expect(off.stdout).toBe(on.stdout);
      });
    }
  }

  it('lines wide names up', async () => {
    const result = await runCli(['sort', '--by', '精度', ...files], { cwd: dir });
    const rows = result.stdout.split('\n').filter((line) => line.includes('.log'));
    expect(rows).toHaveLength(3);
    // 实验👍 is 6 columns for 4 code points, café 4 for 5: the 精度 values still end in one column.
    const endColumn = (line: string): number => stringWidth(line.slice(0, line.indexOf('0.') + 4));
    expect(new Set(rows.map(endColumn)).size).toBe(1);
  });
});
