/**
 * trainer_state.json, against files a real Hugging Face Trainer wrote (fixtures/frameworks/files/
 * hf-trainer, see its README) and the log_history the Python side dumped while training.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../../src/parsers/json.js';
import { looksLikeTrainerState, parseTrainerState } from '../../../src/parsers/frameworks/trainer-state.js';

const FILES = fileURLToPath(new URL('../../../fixtures/frameworks/files/', import.meta.url));
const read = (name: string) => readFileSync(FILES + name, 'utf8');
const expected = parseJsonValue(read('hf-trainer.expected.json')) as { log_history: Array<Record<string, number>>; global_step: number };

describe('parseTrainerState on a real Trainer run', () => {
  it('gives one record per log_history entry, equal to what the Trainer logged', () => {
    const run = parseTrainerState(read('hf-trainer/trainer_state.json'));
    expect(run.warnings).toEqual([]);
    expect(run.records.map((r) => r.values)).toEqual(expected.log_history);
    // Training loss every 2 steps, eval each of 3 epochs, the final summary: 15 steps in all.
    expect(run.records.filter((r) => 'eval_loss' in r.values)).toHaveLength(3);
    expect(run.records.at(-1)!.values).toMatchObject({ step: expected.global_step, epoch: 3 });
  });

  it('keeps each entry\'s keys in file order (the Trainer sorts them) with step and epoch', () => {
    const run = parseTrainerState(read('hf-trainer/trainer_state.json'));
    for (const record of run.records) {
      const keys = Object.keys(record.values);
      expect(keys).toEqual([...keys].sort());
      expect(keys).toContain('step');
      expect(keys).toContain('epoch');
    }
  });

  it('reads a checkpoint\'s copy as the history up to that checkpoint', () => {
    const early = parseTrainerState(read('hf-trainer/checkpoint-5/trainer_state.json'));
    const full = parseTrainerState(read('hf-trainer/trainer_state.json'));
    expect(early.records.length).toBeGreaterThan(0);
    expect(early.records.length).toBeLessThan(full.records.length);
    expect(full.records.slice(0, early.records.length)).toEqual(early.records);
  });
});

describe('parseTrainerState on broken input', () => {
  it('turns malformed JSON into a warning with a line, not a throw', () => {
    const text = read('hf-trainer/trainer_state.json');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const run = parseTrainerState(cut);
    expect(run.records).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]!.message).toMatch(/^not a trainer_state\.json/);
    expect(run.warnings[0]!.line).toBe(cut.split('\n').length);
  });

  it.each([
    ['', /not a trainer_state/],
    ['[1, 2]', /not a trainer_state/],
    ['{"global_step": 3}', /no log_history/],
    ['{"log_history": {"step": 1}}', /not a list/],
  ])('warns on %j', (text, message) => {
    const run = parseTrainerState(text);
    expect(run.records).toEqual([]);
    expect(run.warnings.map((w) => w.message)).toEqual([expect.stringMatching(message)]);
  });

  it('skips entries that are not objects, naming their index', () => {
    const run = parseTrainerState('{"log_history": [{"loss": 1, "step": 1}, 5, null, [1], {"loss": 0.5, "step": 2}]}');
    expect(run.records.map((r) => r.values)).toEqual([{ loss: 1, step: 1 }, { loss: 0.5, step: 2 }]);
    expect(run.warnings.map((w) => w.message)).toEqual([
      'log_history[1] is not an object; skipped',
      'log_history[2] is not an object; skipped',
      'log_history[3] is not an object; skipped',
    ]);
  });

  it('reads Python\'s NaN and Infinity tokens, a BOM, and keeps __proto__ as data', () => {
    const run = parseTrainerState('\ufeff{"log_history": [{"grad_norm": NaN, "loss": Infinity, "__proto__": {"polluted": 1}, "step": 4}]}');
    expect(run.warnings).toEqual([]);
    const values = run.records[0]!.values;
    expect(values.grad_norm).toBeNaN();
    expect(values.loss).toBe(Infinity);
    expect(Object.keys(values)).toEqual(['grad_norm', 'loss', '__proto__', 'step']);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting deep enough to exhaust the stack, as a warning', () => {
    const deep = `{"log_history": [${'['.repeat(5000)}${']'.repeat(5000)}]}`;
    const run = parseTrainerState(deep);
    expect(run.records).toEqual([]);
    expect(run.warnings[0]!.message).toMatch(/nested deeper/);
  });
});

describe('looksLikeTrainerState', () => {
  it('knows a real file from its first bytes', () => {
    expect(looksLikeTrainerState(read('hf-trainer/trainer_state.json').slice(0, 4096))).toBe(true);
  });

  it.each([
    '{"global_step": 1}',
    '{"loss": 0.5, "step": 1}\n{"loss": 0.4, "step": 2}\n',
    'epoch,loss\n0,1\n',
    'log_history global_step',
  ])('rejects %j', (text) => {
    expect(looksLikeTrainerState(text)).toBe(false);
  });
});
