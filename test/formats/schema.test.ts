import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSchema, loadSchemaFile } from '../../src/formats/schema.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-schema-'));
const schema = {
  type: 'object',
  properties: { step: { type: 'integer', minimum: 0 }, accuracy: { type: 'number', minimum: 0, maximum: 1 } },
  required: ['step'],
};
writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
writeFileSync(join(dir, 'good.log'), '{"step": 1, "accuracy": 0.5}\n{"step": 2, "accuracy": 0.9}\n');
writeFileSync(join(dir, 'bad.log'), 'text\n{"step": 1, "accuracy": 0.5}\n{"step": 2, "accuracy": 1.5}\n{"accuracy": NaN}\n');
writeFileSync(join(dir, 'broken.json'), '{"type": 12}');

describe('metadata contracts (--schema)', () => {
  it('reports ajv instance paths per record', () => {
    const validate = compileSchema(loadSchemaFile('schema.json', dir));
    expect(validate({ step: 1 }, 1)).toEqual([]);
    expect(validate({ step: 1, accuracy: 2 }, 7)).toEqual([{ line: 7, instancePath: '/accuracy', message: 'must be <= 1' }]);
    expect(validate({ accuracy: Number.NaN }, 3).map((v) => v.message)).toEqual(['lacks required key "step"', 'must be number']);
  });

  it('refuses an unusable schema with the file named', () => {
    expect(() => loadSchemaFile('broken.json', dir)).toThrow(/broken\.json: not a usable JSON Schema/);
    expect(() => loadSchemaFile('nope.json', dir)).toThrow('nope.json: no such file');
  });

  it('makes the gate fail, with file:line and the instance path on stderr', async () => {
    const ok = await runCli(['gate', '--schema', 'schema.json', 'good.log'], { cwd: dir });
    expect(ok.status).toBe(0);
    const bad = await runCli(['gate', '--schema', 'schema.json', '--when', 'step > 0', 'bad.log'], { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('bad.log:3: schema: /accuracy must be <= 1');
    expect(bad.stderr).toContain('bad.log:4: schema: (record) lacks required key "step"');
    expect(bad.stdout).toContain('FAIL  records match schema.json: 3 violations (first: line 3: /accuracy must be <= 1)');
    const broken = await runCli(['gate', '--schema', 'broken.json', 'good.log'], { cwd: dir });
    expect(broken.status).toBe(2);
  });

  it('reports violations from sort too, without changing its exit status', async () => {
    const result = await runCli(['sort', '--by', 'accuracy', '--schema', 'schema.json', 'good.log', 'bad.log'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('bad.log:3: schema: /accuracy must be <= 1');
  });
});
