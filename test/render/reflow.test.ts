import { describe, expect, it } from 'vitest';
import { reflowHelp } from '../../src/render/reflow.js';

const HELP = `Options:
  --when <expr>  condition every execution must meet (repeatable)

Names mean the key's latest value: accuracy or metadata.accuracy. Other aggregates are calls:
max(accuracy), min(loss), mean(loss), first(loss), count(loss).

Examples:
  vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log`;

describe('reflowHelp', () => {
  it('rewraps a too-wide paragraph at spaces, never mid-word', () => {
    const lines = reflowHelp(HELP, 60).split('\n');
    const prose = lines.slice(3, lines.indexOf('Examples:') - 1);
    expect(prose.every((line) => line.length <= 60)).toBe(true);
    expect(prose.join(' ')).toBe("Names mean the key's latest value: accuracy or metadata.accuracy. Other aggregates are calls: max(accuracy), min(loss), mean(loss), first(loss), count(loss).");
  });

  it('leaves indented lines (options, examples) whole', () => {
    const out = reflowHelp(HELP, 60);
    expect(out).toContain("  vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log");
    expect(out).toContain('  --when <expr>  condition every execution must meet (repeatable)');
  });

  it('changes nothing when every line fits', () => {
    expect(reflowHelp(HELP, 120)).toBe(HELP);
  });
});
