import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfig, loadConfig, validateConfig } from '../../src/formats/config.js';
import { runCli } from '../helpers/run-cli.js';

function project(config: unknown): { root: string; nested: string } {
  const root = mkdtempSync(join(tmpdir(), 'vizmeta-config-'));
  const nested = join(root, 'a', 'b');
  mkdirSync(nested, { recursive: true });
  writeFileSync(join(root, 'vizmeta.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return { root, nested };
}

describe('vizmeta.config.json', () => {
  it('is found upward from the working directory, and paths in it are relative to it', () => {
    const { root, nested } = project({ keys: ['loss'], gate: { when: 'accuracy > 0.9', baseline: 'main.log' } });
    expect(findConfig(nested)).toBe(join(root, 'vizmeta.config.json'));
    const loaded = loadConfig(nested);
    expect(loaded.config.gate?.when).toEqual(['accuracy > 0.9']);
    expect(loaded.resolvePath('main.log')).toBe(join(root, 'main.log'));
  });

  it('names the bad field', () => {
    expect(() => validateConfig({ gate: { whn: ['x'] } }, 'c.json')).toThrow('c.json: unknown field "gate.whn"');
    expect(() => validateConfig({ gate: { missing: 'maybe' } }, 'c.json')).toThrow('c.json: gate.missing: must be one of "fail", "pass", "error"');
    expect(() => validateConfig({ stop: { patience: -1 } }, 'c.json')).toThrow(/c\.json: stop\.patience: must be >= 0/);
    expect(() => validateConfig({ keys: 'loss' }, 'c.json')).toThrow(/c\.json: keys: must be array/);
    expect(() => validateConfig({ gate: { maxDrop: { accuracy: 'lots' } } }, 'c.json')).toThrow(/gate\.maxDrop\.accuracy: must be a number or a percentage/);
    expect(() => validateConfig({ colour: true }, 'c.json')).toThrow('unknown field "colour"');
  });

  it('gives the gate its rules; flags win; a broken config is exit 2', async () => {
    const { root } = project({ gate: { when: ['accuracy >= 0.9'], missing: 'pass' }, higherIsBetter: ['loss'] });
    writeFileSync(join(root, 'run.log'), '{"accuracy": 0.8}\n');
    const fromConfig = await runCli(['gate', 'run.log'], { cwd: root });
    expect(fromConfig.status).toBe(1);
    expect(fromConfig.stdout).toContain('accuracy >= 0.9');
    const flag = await runCli(['gate', '--when', 'accuracy >= 0.5', 'run.log'], { cwd: root });
    expect(flag.status).toBe(0);
    const missing = await runCli(['gate', '--when', 'nope > 1', 'run.log'], { cwd: root });
    expect(missing.status).toBe(0);

    const broken = project('{"gate": {"when": [1]}}');
    writeFileSync(join(broken.root, 'run.log'), '{"accuracy": 0.8}\n');
    const bad = await runCli(['gate', '--when', 'accuracy > 0', 'run.log'], { cwd: broken.root });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/vizmeta\.config\.json: gate\.when/);
    const explicit = await runCli(['gate', '--config', 'nope.json', '--when', 'accuracy > 0', 'run.log'], { cwd: root });
    expect(explicit.status).toBe(2);
    expect(explicit.stderr).toContain('nope.json: no such file');
  });
});
