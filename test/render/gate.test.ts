import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/analyse/expr.js';
import { evaluateGate, parseMaxDrops } from '../../src/analyse/gate.js';
import { describeCheck, renderGateJson, renderGateMarkdown, renderGateText, renderGithubAnnotations, renderJunit } from '../../src/render/gate.js';
import { execution as run } from '../helpers/executions.js';

describe('gate rendering', () => {
  const good = run('logs/good.log', [{ accuracy: 0.8 }, { accuracy: 0.95 }]);
  const bad = run('logs/bad.log', [{ accuracy: 0.7 }]);
  const report = evaluateGate([good, bad], { conditions: [compileExpression('accuracy >= 0.9'), compileExpression('loss < 1')], missing: 'fail', maxDrops: [] });

  it('words each check from what the decision found', () => {
    const [accuracy, loss] = report.executions[1]?.checks ?? [];
    expect(describeCheck(accuracy!)).toBe('accuracy = 0.7 (latest) — needs >= 0.9');
    expect(describeCheck(loss!)).toBe('loss is missing');
    const drops = evaluateGate([bad], { conditions: [], missing: 'fail', maxDrops: parseMaxDrops(['accuracy=0.5']), baseline: good });
    expect(describeCheck(drops.executions[0]!.checks[0]!)).toBe('accuracy = 0.7 (latest), baseline 0.95 (higher is better), fell 0.25 (worse)');
    const better = evaluateGate([good], { conditions: [], missing: 'fail', maxDrops: parseMaxDrops(['accuracy=0.5']), baseline: bad });
    expect(describeCheck(better.executions[0]!.checks[0]!)).toBe('accuracy = 0.95 (latest), baseline 0.7 (higher is better), rose 0.25 (better)');
  });

  it('prints short names in text, a table in markdown, and messages in JSON', () => {
    const text = renderGateText(report, false);
    expect(text.split('\n').slice(0, 3)).toEqual(['files in logs/', 'good.log', '  PASS  accuracy >= 0.9: accuracy = 0.95 (latest)']);
    expect(text).toContain('gate failed: 3 of 4 checks in 2 of 2 executions');
    expect(renderGateMarkdown(report)).toContain('| logs/bad.log | `accuracy >= 0.9` | ❌ **fail** | accuracy = 0.7 (latest) — needs &gt;= 0.9 |');
    const json = JSON.parse(renderGateJson(report));
    expect(json.executions[1].checks[0]).toEqual({ condition: 'accuracy >= 0.9', status: 'fail', message: 'accuracy = 0.7 (latest) — needs >= 0.9', values: [{ key: 'accuracy', aggregate: 'latest', value: 0.7 }] });
  });

  it('annotates failures at the value\'s line for GitHub, and writes JUnit XML', () => {
    expect(renderGithubAnnotations(report).split('\n')[0]).toBe('::error file=logs/good.log,title=vizmeta gate%3A loss < 1::loss < 1: loss is missing');
    expect(renderGithubAnnotations(report)).toContain('::error file=logs/bad.log,line=1,title=vizmeta gate%3A accuracy >= 0.9::');
    expect(renderJunit(report)).toContain('<testsuites name="vizmeta gate" tests="4" failures="3" errors="0">');
  });
});
