import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/analyse/expr.js';
import { evaluateGate, parseMaxDrops } from '../../src/analyse/gate.js';
import { describeCheck, renderGateCsv, renderGateJson, renderGateMarkdown, renderGateText, renderGithubAnnotations, renderJunit } from '../../src/render/gate.js';
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

  it('never says passed when an input could not be read: every format names it', () => {
    const missing = { ...run('logs/nope.log', []), error: 'logs/nope.log: no such file' };
    const incomplete = evaluateGate([good, missing], { conditions: [compileExpression('accuracy >= 0.9')], missing: 'fail', maxDrops: [] });
    expect(incomplete.passed).toBe(false);
    expect(incomplete.unreadable).toEqual([{ execution: 'logs/nope.log', message: 'logs/nope.log: no such file' }]);
    expect(incomplete.executions.map((execution) => execution.execution)).toEqual(['logs/good.log']);

    const text = renderGateText(incomplete, false);
    // Named as the executions are, short under the folder they share.
    expect(text.split('\n').slice(0, 5)).toEqual(['files in logs/', 'good.log', '  PASS  accuracy >= 0.9: accuracy = 0.95 (latest)', 'nope.log', '  ERROR could not be read: no such file']);
    expect(text.trimEnd().split('\n').at(-1)).toBe('gate incomplete: 1 input could not be read (logs/nope.log); 1 execution passed 1 check');
    // With a failure as well, the failure leads.
    const failed = evaluateGate([bad, missing], { conditions: [compileExpression('accuracy >= 0.9')], missing: 'fail', maxDrops: [] });
    expect(renderGateText(failed, false).trimEnd().split('\n').at(-1)).toBe('gate failed: 1 of 1 checks in 1 of 1 executions; 1 input could not be read (logs/nope.log)');
    // Nothing readable at all.
    const none = evaluateGate([missing], { conditions: [compileExpression('accuracy >= 0.9')], missing: 'fail', maxDrops: [] });
    expect(renderGateText(none, false).trimEnd().split('\n').at(-1)).toBe('gate incomplete: 1 input could not be read (logs/nope.log)');
    expect(renderGateMarkdown(none)).toMatch(/^### ⚠️ vizmeta gate incomplete\n\n1 input could not be read\.\n/);

    expect(renderGateMarkdown(incomplete)).toMatch(/^### ⚠️ vizmeta gate incomplete\n\n1 check on 1 execution passed\. 1 input could not be read\.\n/);
    expect(renderGateMarkdown(incomplete)).toContain('| logs/nope.log | (reading it) | ⚠️ **error** | could not be read: no such file |');
    const json = JSON.parse(renderGateJson(incomplete));
    expect(json.passed).toBe(false);
    expect(json.unreadable).toEqual([{ execution: 'logs/nope.log', message: 'logs/nope.log: no such file' }]);
    expect(renderGateCsv(incomplete).trimEnd().split(/\r?\n/).at(-1)).toBe('logs/nope.log,,error,,,,could not be read: no such file');
    expect(renderGithubAnnotations(incomplete)).toBe('::error title=vizmeta gate%3A an input could not be read::logs/nope.log: no such file\n');
    const junit = renderJunit(incomplete);
    expect(junit).toContain('<testsuites name="vizmeta gate" tests="2" failures="0" errors="1">');
    expect(junit).toContain('<error message="could not be read: no such file" type="InputError">logs/nope.log: no such file</error>');
  });

  it('keeps an unreadable input\'s name data in every format', () => {
    const hostile = '<b>x|y</b>\u001b[31m::warning::%0A.log';
    const missing = { ...run(hostile, []), error: `${hostile}: no such file` };
    const report = evaluateGate([missing], { conditions: [compileExpression('accuracy >= 0.9')], missing: 'fail', maxDrops: [] });
    expect(renderGateText(report, false)).not.toContain('\u001b');
    expect(renderGithubAnnotations(report)).toBe('::error title=vizmeta gate%3A an input could not be read::<b>x|y</b>\\x1b[31m::warning::%250A.log: no such file\n');
    expect(renderJunit(report)).toContain('name="&lt;b&gt;x|y&lt;/b&gt;\\x1b[31m::warning::%0A.log"');
    expect(renderGateMarkdown(report)).not.toContain('<b>');
  });
});
