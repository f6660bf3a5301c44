/**
 * Known line prefixes, against real torchrun and logging output, compose/kubectl/CRI samples written
 * to their documented formats, look-alikes that must stay whole, and properties: any prefix put in
 * front of a JSON line splits back off, and any cut of a line into CRI pieces joins back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendOrigin, CriJoiner, type KnownPrefix, splitKnownPrefix } from '../../../src/parsers/dialects/prefixes.js';
import { ROOT } from '../../helpers/run-cli.js';

const DIR = join(ROOT, 'fixtures/dialects');

function linesOf(name: string): string[] {
  const lines = readFileSync(join(DIR, name), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Peels every prefix, outer first: the labels joined as ORIGIN_FIELD would hold them, and what is left. */
function peel(line: string): { origin?: string; kinds: string[]; rest: string; time?: number } {
  const out: { origin?: string; kinds: string[]; rest: string; time?: number } = { kinds: [], rest: line };
  for (let prefix = splitKnownPrefix(line); prefix; prefix = splitKnownPrefix(out.rest)) {
    out.kinds.push(prefix.kind);
    if (prefix.label !== undefined) out.origin = appendOrigin(out.origin, prefix.label);
    if (prefix.time !== undefined) out.time = prefix.time;
    out.rest = prefix.rest;
  }
  return out;
}

describe('real torchrun and logging output', () => {
  it('torchrun --tee: [defaultN]: with logging nested inside and the excepthook [rankN]: inside that', () => {
    const got = linesOf('torchrun-tee.log').map(peel);
    const json = got.filter((line) => line.rest.startsWith('{'));
    expect(json.map((line) => [line.origin, line.kinds.join('>'), line.rest])).toEqual([
      ['default1', 'torchrun>logging', '{"epoch": 0, "lr": 0.01}'],
      ['default1', 'torchrun>logging', '{"epoch": 1, "lr": 0.01}'],
      ['default0', 'torchrun>logging', '{"epoch": 0, "lr": 0.01}'],
      ['default0', 'torchrun>logging', '{"epoch": 1, "lr": 0.01}'],
      ['default0', 'torchrun', '{"epoch": 0, "rank": 0, "loss": 1.0, "sum": 1.0}'],
      ['default0', 'torchrun', '{"epoch": 1, "rank": 0, "loss": 0.5, "sum": 3.0}'],
      ['default1', 'torchrun', '{"epoch": 0, "rank": 1, "loss": 0.5, "sum": 1.0}'],
      ['default1', 'torchrun', '{"epoch": 1, "rank": 1, "loss": 0.3333, "sum": 3.0}'],
    ]);
    const traceback = got.filter((line) => line.origin === 'default1/rank1');
    expect(traceback.map((line) => line.rest)).toEqual(['Traceback (most recent call last):', '  File "/tmp/vzcap/ddp.py", line 16, in <module>', '    raise RuntimeError("boom on rank 1")', 'RuntimeError: boom on rank 1']);
    // torchrun's own lines (glog-style W1203 ..., its Python traceback) have no prefix.
    expect(splitKnownPrefix('W1203 11:14:20.742000 524 torch/distributed/run.py:874] *****')).toBeUndefined();
    expect(splitKnownPrefix('Traceback (most recent call last):')).toBeUndefined();
  });

  it('torchrun without --tee: the excepthook prefix only', () => {
    const ranked = linesOf('torchrun-plain.log').map(peel).filter((line) => line.origin !== undefined);
    expect(ranked.map((line) => `${line.origin ?? ''}|${line.rest}`)).toEqual([
      'rank1|Traceback (most recent call last):',
      'rank1|  File "/tmp/vzcap/ddp.py", line 16, in <module>',
      'rank1|    raise RuntimeError("boom on rank 1")',
      'rank1|RuntimeError: boom on rank 1',
      '0|', // the failure summary's `[0]:` reads as a `${rank}` template prefix with nothing after it
    ]);
  });

  it("Python logging's BASIC_FORMAT and the two asctime formats; no label, asctime as UTC", () => {
    const got = linesOf('python-logging.log').map((line) => splitKnownPrefix(line));
    expect(got.map((prefix) => prefix?.rest)).toEqual([
      '{"epoch": 1, "loss": 0.5}',
      '{"epoch": 1, "note": "w"}',
      '{"step": 10, "lr": 1e-05}',
      '{"epoch": 2, "loss": 0.4}',
      'plain text, not metadata',
      '{"epoch": 3, "loss": 0.3}',
      '{"epoch": 3, "diverged": true}',
    ]);
    for (const prefix of got) {
      expect(prefix?.kind).toBe('logging');
      expect(prefix?.label).toBeUndefined();
    }
    expect(got.slice(0, 3).every((prefix) => prefix?.time === undefined)).toBe(true);
    expect(got[3]?.time).toBe(Date.parse('2026-12-03T11:14:51.922Z'));
  });
});

describe('compose, kubectl and CRI samples', () => {
  it('docker compose: the padded name is the label; status lines are not prefixed', () => {
    const got = linesOf('compose.log').map((line) => splitKnownPrefix(line));
    expect(got[0]).toBeUndefined(); // Attaching to ...
    expect(got.at(-1)).toBeUndefined(); // trainer-1 exited with code 0
    expect(got.slice(1, 3)).toEqual([
      { kind: 'compose', label: 'trainer-1', rest: '{"epoch": 1, "loss": 0.5}' },
      { kind: 'compose', label: 'evaluator-1', rest: '{"epoch": 1, "val_loss": 0.4}' },
    ]);
    expect(got[7]).toEqual({ kind: 'compose', label: 'trainer-1', rest: '' });
  });

  it('docker compose logs -t: the timestamp after the prefix is left for the grammar', () => {
    expect(splitKnownPrefix(linesOf('compose-timestamps.log')[1] ?? '')).toEqual({ kind: 'compose', label: 'evaluator-1', rest: '2026-11-22T10:00:01.123456781Z {"step": 100, "who": "evaluator-1"}' });
  });

  it('kubectl logs --prefix', () => {
    expect(linesOf('kubectl-prefix.log').map((line) => splitKnownPrefix(line))).toEqual([
      { kind: 'kubectl', label: 'pod/train-7f9c4-x2x5z/main', rest: '{"epoch": 1, "loss": 0.52}' },
      { kind: 'kubectl', label: 'pod/train-7f9c4-x2x5z/sidecar', rest: 'uploading /ckpt/epoch-1.pt' },
      { kind: 'kubectl', label: 'pod/train-7f9c4-kq8rw/main', rest: '{"epoch": 1, "loss": 0.55}' },
      { kind: 'kubectl', label: 'pod/train-7f9c4-x2x5z/main', rest: '2026-11-22T10:00:01.123456789Z {"epoch": 2, "loss": 0.41}' },
    ]);
  });

  it('CRI: time, stream, P pieces joined per stream with their F, prefixes inside read after joining', () => {
    const joiner = new CriJoiner();
    const lines: Array<{ stream: string; time: number; text: string; inner?: KnownPrefix }> = [];
    for (const raw of linesOf('cri.log')) {
      const prefix = splitKnownPrefix(raw);
      if (prefix?.kind !== 'cri' || prefix.stream === undefined || prefix.time === undefined) throw new Error(`not CRI: ${raw}`);
      const text = joiner.push(prefix.stream, prefix.partial === true, prefix.rest);
      if (text === undefined) continue;
      const inner = splitKnownPrefix(text);
      lines.push({ stream: prefix.stream, time: prefix.time, text, ...(inner ? { inner } : {}) });
    }
    expect(joiner.end()).toEqual([]);
    expect(lines.map((line) => [line.stream, new Date(line.time).toISOString(), line.text.slice(0, 40)])).toEqual([
      ['stdout', '2026-11-22T10:00:00.000Z', '{"config": {"lr": 0.001, "batch": 64}}'],
      ['stdout', '2026-11-22T10:00:01.123Z', '{"epoch": 1, "loss": 0.52}'],
      ['stderr', '2026-11-22T10:00:01.200Z', 'WARNING:root:lr schedule is constant'],
      ['stdout', '2026-11-22T10:00:02.500Z', '{"epoch": 2, "loss": 0.41}'],
      ['stderr', '2026-11-22T10:00:03.000Z', 'Epoch 3: 100%|##########| 5/5 [00:01<00:'],
      ['stdout', '2026-11-22T10:00:03.000Z', '{"epoch": 3, "loss": 0.31, "per_class": '],
      ['stdout', '2026-11-22T10:00:04.000Z', ''],
      ['stdout', '2026-11-22T10:00:05.000Z', '{"epoch": 4, "loss": 0.27}'],
    ]);
    expect(JSON.parse(lines[5]?.text ?? '')).toMatchObject({ epoch: 3, loss: 0.31 });
    expect(lines[2]?.inner).toEqual({ kind: 'logging', rest: 'lr schedule is constant' });
  });
});

describe('lines of the issue', () => {
  const cases: Array<[string, Partial<KnownPrefix>]> = [
    ['[rank0]: {"loss": 0.5}', { kind: 'torchrun', label: 'rank0', rest: '{"loss": 0.5}' }],
    ['[rank1]:[W1122 10:00:01.123456789 ProcessGroupNCCL.cpp:1250] Warning: ...', { kind: 'torchrun', label: 'rank1', rest: '[W1122 10:00:01.123456789 ProcessGroupNCCL.cpp:1250] Warning: ...' }],
    ['trainer-1  | {"loss": 0.5}', { kind: 'compose', label: 'trainer-1', rest: '{"loss": 0.5}' }],
    ['proj_trainer_1  | {"loss": 0.5}', { kind: 'compose', label: 'proj_trainer_1', rest: '{"loss": 0.5}' }],
    ['[pod/train-abc/main] {"loss": 0.5}', { kind: 'kubectl', label: 'pod/train-abc/main', rest: '{"loss": 0.5}' }],
    ['INFO:root:{"loss": 0.5}', { kind: 'logging', rest: '{"loss": 0.5}' }],
    ['2026-11-22 10:00:01,123 - INFO - {"loss": 0.5}', { kind: 'logging', rest: '{"loss": 0.5}', time: Date.parse('2026-11-22T10:00:01.123Z') }],
    ['2026-11-22 10:00:01,123 - train - INFO - {"loss": 0.5}', { kind: 'logging', rest: '{"loss": 0.5}', time: Date.parse('2026-11-22T10:00:01.123Z') }],
    ['2026-11-22 10:00:01,123 - INFO - INFO - x', { kind: 'logging', rest: 'x' }],
    ['2026-11-22T10:00:01.123456789Z stdout F {"loss": 0.5}', { kind: 'cri', rest: '{"loss": 0.5}', stream: 'stdout', partial: false, time: Date.parse('2026-11-22T10:00:01.123Z') }],
    ['2026-11-22T10:00:01.123456789Z stderr P {"a": ', { kind: 'cri', rest: '{"a": ', stream: 'stderr', partial: true }],
    ['2026-11-22T10:00:01Z stdout F', { kind: 'cri', rest: '', partial: false }],
  ];
  for (const [line, want] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => {
      expect(splitKnownPrefix(line)).toMatchObject(want);
    });
  }

  const whole = [
    '{"a": 1}',
    'loss: 0.5',
    'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR',
    'INFO: root: spaced',
    'INFO::empty logger',
    'Epoch 1/3',
    '[1, 2, 3]',
    '[W1122 10:00:01 reducer.cpp:1] warn',
    '[rank0] missing colon',
    '[rank]: no digits',
    '[pod/train-abc/main]{"a": 1}',
    '[pod/train-abc] {"a": 1}',
    '[pod/a/b/c] {"a": 1}',
    'trainer-1 | x'.replace(' |', '|'),
    'trainer-1  |x',
    'a b | c',
    '2026-11-22T10:00:01.123456789Z {"a": 1}', // kubectl --timestamps: the grammar's own step
    '2026-11-22T10:00:01.123456789Z stdin F x',
    '2026-11-22T10:00:01.123456789Z stdout X x',
    '2026-11-22 10:00:01,123 - NOTICE - x',
    '2026-11-22 10:00:01 - INFO - x',
    '1875/1875 - 4s - loss: 1.7754',
    '  indented | text',
    '',
  ];
  for (const line of whole) {
    it(`leaves ${JSON.stringify(line)} whole`, () => {
      expect(splitKnownPrefix(line)).toBeUndefined();
    });
  }

  it('keeps a kubectl label of the longest names Kubernetes allows, and stops looking past it', () => {
    const pod = `train-${'a'.repeat(247)}`;
    expect(splitKnownPrefix(`[pod/${pod}/${'c'.repeat(63)}] x`)?.label).toBe(`pod/${pod}/${'c'.repeat(63)}`);
    expect(splitKnownPrefix(`[${'a'.repeat(10_000)}]: x`)).toBeUndefined();
  });
});

describe('properties', () => {
  const jsonLine = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }).map((object) => JSON.stringify(object, null, 0));
  const spacedJson = fc.tuple(jsonLine, fc.boolean()).map(([text, spaced]) => (spaced ? text.replace(/,"/g, ', "').replace(/":/g, '": ') : text));
  const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
  const level = fc.constantFrom('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL');
  const logger = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.<>]{0,20}$/);
  const asctime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('T', ' ').replace('.', ',').slice(0, 23));
  const rfc3339 = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).chain((d) => fc.stringMatching(/^\d{0,6}$/).map((extra) => d.toISOString().replace('Z', `${extra}Z`)));
  const prefix: fc.Arbitrary<{ text: string; kind: KnownPrefix['kind']; label?: string }> = fc.oneof(
    fc.tuple(fc.stringMatching(/^[A-Za-z_]{0,10}$/), fc.nat(4096), fc.boolean()).map(([word, n, space]) => ({ text: `[${word}${n}]:${space ? ' ' : ''}`, kind: 'torchrun' as const, label: `${word}${n}` })),
    fc.tuple(name, fc.integer({ min: 1, max: 12 })).map(([n, pad]) => ({ text: `${n}${' '.repeat(pad)}| `, kind: 'compose' as const, label: n })),
    fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,40}$/), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/)).map(([pod, container]) => ({ text: `[pod/${pod}/${container}] `, kind: 'kubectl' as const, label: `pod/${pod}/${container}` })),
    fc.tuple(level, logger).map(([l, n]) => ({ text: `${l}:${n}:`, kind: 'logging' as const })),
    fc.tuple(asctime, fc.option(logger, { nil: undefined }), level).map(([t, n, l]) => ({ text: `${t} - ${n === undefined ? '' : `${n} - `}${l} - `, kind: 'logging' as const })),
    fc.tuple(rfc3339, fc.constantFrom('stdout', 'stderr')).map(([t, s]) => ({ text: `${t} ${s} F `, kind: 'cri' as const })),
  );

  it('any JSON line behind any known prefix splits back to itself, with its label', () => {
    fc.assert(
      fc.property(prefix, spacedJson, (p, json) => {
        const got = splitKnownPrefix(p.text + json);
        expect(got?.kind).toBe(p.kind);
        expect(got?.label).toBe(p.label);
        expect(got?.rest).toBe(json);
      }),
      { numRuns: 2000 },
    );
  });

  it('no JSON object line is taken for a prefixed one', () => {
    fc.assert(
      fc.property(spacedJson, (json) => {
        expect(splitKnownPrefix(json)).toBeUndefined();
      }),
    );
  });

  it('any cut of a line into CRI pieces, interleaved with another stream, joins back', () => {
    const piecesOf = (text: string, cuts: number[]) => {
      const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const pieces: string[] = [];
      let from = 0;
      for (const cut of at) {
        pieces.push(text.slice(from, cut));
        from = cut;
      }
      pieces.push(text.slice(from));
      return pieces;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(), { maxLength: 8 }), fc.string(), fc.array(fc.nat(), { maxLength: 4 }), fc.nat(), (out, outCuts, err, errCuts, seed) => {
        const lines: string[] = [];
        const stdout = piecesOf(out.replace(/\n/g, ' '), outCuts);
        const stderr = piecesOf(err.replace(/\n/g, ' '), errCuts);
        // Interleave the two streams' pieces in an order drawn from the seed, each stream in order.
        let i = 0;
        let j = 0;
        let s = seed;
        while (i < stdout.length || j < stderr.length) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const takeOut = j >= stderr.length || (i < stdout.length && s % 2 === 0);
          if (takeOut) {
            lines.push(`2026-11-22T10:00:01.${i}Z stdout ${i === stdout.length - 1 ? 'F' : 'P'} ${stdout[i] ?? ''}`);
            i++;
          } else {
            lines.push(`2026-11-22T10:00:02.${j}Z stderr ${j === stderr.length - 1 ? 'F' : 'P'} ${stderr[j] ?? ''}`);
            j++;
          }
        }
        const joiner = new CriJoiner();
        const got: Record<string, string[]> = { stdout: [], stderr: [] };
        for (const line of lines) {
          const prefix = splitKnownPrefix(line);
          expect(prefix?.kind).toBe('cri');
          const text = joiner.push(prefix?.stream ?? 'stdout', prefix?.partial === true, prefix?.rest ?? '');
          if (text !== undefined) got[prefix?.stream ?? 'stdout']?.push(text);
        }
        expect(got).toEqual({ stdout: [out.replace(/\n/g, ' ')], stderr: [err.replace(/\n/g, ' ')] });
        expect(joiner.end()).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('bounds what a CriJoiner holds, and hands back pieces never closed', () => {
    const joiner = new CriJoiner(10);
    expect(joiner.push('stdout', true, 'abcdef')).toBeUndefined();
    expect(joiner.push('stdout', true, 'ghijkl')).toBe('abcdefghijkl');
    expect(joiner.push('stderr', true, 'x')).toBeUndefined();
    expect(joiner.end()).toEqual([{ stream: 'stderr', text: 'x' }]);
  });
});
