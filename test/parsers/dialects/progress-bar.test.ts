/**
 * JSON after a progress bar, against real tqdm, Lightning, rich and Keras captures (read the way the
 * grammar reads a line: ANSI removed, split at `\r`), look-alikes that must stay unread, and a
 * property over tqdm's own meter format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/core/types.js';
import { objectAfterProgressBar } from '../../../src/parsers/dialects/progress-bar.js';
import { ROOT } from '../../helpers/run-cli.js';

const DIR = join(ROOT, 'fixtures/dialects');

/** Every `\r`-segment of a fixture, as the grammar sees it: lines at `\n`, trailing `\r` dropped, ANSI removed. */
function segmentsOf(name: string): string[] {
  return readFileSync(join(DIR, name), 'utf8')
    .split('\n')
    .flatMap((line) => stripAnsi(line.endsWith('\r') ? line.slice(0, -1) : line).split('\r'));
}

/** The objects found after a bar in a fixture; every index handed back must start a JSON object. */
function objectsIn(name: string): JsonObject[] {
  const found: JsonObject[] = [];
  for (const segment of segmentsOf(name)) {
    const at = objectAfterProgressBar(segment);
    if (at === undefined) continue;
    expect(segment[at], `${name}: ${segment}`).toBe('{');
    found.push(JSON.parse(segment.slice(at)) as JsonObject);
  }
  return found;
}

describe('real captures', () => {
  const cases: Array<[string, string, JsonObject[]]> = [
    ['tqdm-pipe.log', 'tqdm into a pipe: print after an unclosed bar, and after a bar with no total', [{ step: 10, loss: 0.25 }, { images: 7 }]],
    ['tqdm-tty.log', 'the same under a pty (120 columns)', [{ step: 10, loss: 0.25 }, { images: 7 }]],
    ['tqdm-stderr-merged.log', 'tqdm on stderr, JSON on stdout, merged by 2>&1', [{ epoch: 0, loss: 0.1 }, { epoch: 1, loss: 0.091 }]],
    ['lightning-tqdm-pipe.log', "Lightning's TQDMProgressBar: a print in on_validation_epoch_end after the validation bar and ESC[A", [{ epoch: 0, val_loss: 0.6845 }, { epoch: 1, val_loss: 0.0893 }]],
    ['lightning-tqdm-tty.log', 'the same under a pty', [{ epoch: 0, val_loss: 0.6845 }, { epoch: 1, val_loss: 0.0893 }]],
    ['keras3-callback-json.log', 'a Keras 3 callback printing before the final redraw', [1, 2, 3].map((epoch) => expect.objectContaining({ epoch }) as JsonObject)],
    // rich's Live display clears its line before a print (`\r ESC[2K`), so each object is a whole segment there.
    ['lightning-rich-tty.log', "Lightning's RichProgressBar: prints are not glued", []],
    ['rich-track-tty.log', 'rich.progress.track under a pty', []],
    ['rich-track-pipe.log', 'rich.progress.track into a pipe', []],
  ];
  for (const [name, what, want] of cases) {
    it(`${name}: ${what}`, () => {
      expect(objectsIn(name)).toEqual(want);
    });
  }

  it('gives the very `{` Lightning printed after the validation bar', () => {
    const segment = segmentsOf('lightning-tqdm-pipe.log').find((s) => s.includes('{')) ?? '';
    expect(segment).toMatch(/^Validation DataLoader 0: 100%\|█+\| 5\/5 \[00:00<00:00, [\d.]+it\/s\]\{"epoch": 0, "val_loss": 0\.6845\}$/);
    expect(objectAfterProgressBar(segment)).toBe(segment.indexOf('{'));
  });

  it('reads a real rich bar line with an object glued to it (rich bars glue when their console does not own the output)', () => {
    // The bar text of lightning-rich-tty.log, where `Trainer.fit stopped` (stderr) was glued the same way.
    const bar = segmentsOf('lightning-rich-tty.log').find((s) => s.startsWith('Epoch 1/1') && s.includes(' 5/5 ') && s.includes('val_loss')) ?? '';
    expect(bar).toMatch(/^Epoch 1\/1 +━+ 5\/5 0:00:00 • 0:00:00 [\d.]+it\/s train_loss: [\d.]+ val_loss: [\d.]+/);
    const bare = bar.slice(0, bar.indexOf('`Trainer.fit`') === -1 ? bar.length : bar.indexOf('`Trainer.fit`'));
    expect(objectAfterProgressBar(`${bare}{"epoch": 1}`)).toBe(bare.length);
    const track = segmentsOf('rich-track-pipe.log')[0] ?? '';
    expect(track).toBe('Training... ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 100% 0:00:00');
    expect(objectAfterProgressBar(`${track}{"epoch": 1}`)).toBe(track.length);
  });
});

describe('bars of the issue and look-alikes', () => {
  const found: string[] = [
    'Epoch 0: 100%|█████| 50/50 [00:01<00:00, train_loss=0.52]{"epoch": 0, "val_loss": 0.61}',
    'Epoch 0: 100%|█████| 50/50 [00:01<00:00, 38.21it/s, train_loss=0.52]{"epoch": 0}',
    '100%|██████████| 10/10 [00:00<00:00, 448.21it/s]  {"a": 1}',
    'Training: |          | 0/? [00:00<?, ?it/s]{"a": 1}',
    '  5%|▌         | 1/20 [00:00<00:03, 5.01it/s]{"a": 1}',
    'download: 45%|████▌     | 4.50M/10.0M [1:02:03<1:15:00, 1.21kB/s]{"a": 1}',
    '7img [00:00, 84661.45img/s]{"a": 1}',
    'slow: 3it [00:09, 3.01s/it]{"a": 1}',
    "100%|██████████| 10/10 [00:00<00:00, 448.21it/s]{'loss': 0.5}",
    '1875/1875 [==============================] - 4s 2ms/step - loss: 1.7754{"a": 1}',
    '  12/1875 [..............................] - ETA: 8s - loss: 2.1000{"a": 1}',
    '8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 60ms/step - accuracy: 0.6172 - loss: 0.6464{"a": 1}',
    'Training... ━━━━━━━━━━━━━━━━━━━━ 100% 0:00:00 {"a": 1}',
    'Downloading ━━━━━━━━━━━━━━╸━━━━━  67% 1.2/3.4 MB 2.1 MB/s -:--:--{"a": 1}',
  ];
  for (const text of found) {
    it(`finds the object in ${JSON.stringify(text)}`, () => {
      expect(objectAfterProgressBar(text)).toBe(text.indexOf('{'));
    });
  }

  const unread = [
    'INFO foo {"a":1}',
    '{"a": 1}',
    '   {"a": 1}',
    'Epoch 1: {"a": 1}',
    'loss: 0.5{"a": 1}',
    '[1, 2] {"a": 1}',
    '[00:01<00:00, 3.9it/s]{"a": 1}',
    'at [12:30] {"a": 1}',
    'took [00:01<00:00, fast]{"a": 1}',
    'steps 5/5 done [00:01<00:00, 3it/s] now {"a": 1}',
    '100%|#####| 5/5 {"a": 1}',
    'abc ━━━━━━ hello {"a": 1}',
    'abc ━━━━━━ 100% INFO {"a": 1}',
    '1/2 - loss: 0.5{"a": 1}',
    '2026/11/22 {"a": 1}',
    'no brace at all',
    '',
  ];
  for (const text of unread) {
    it(`leaves ${JSON.stringify(text)} alone`, () => {
      expect(objectAfterProgressBar(text)).toBeUndefined();
    });
  }
});

describe("tqdm's meter, read back", () => {
  // tqdm.format_meter's default layout: `{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}{postfix}]`,
  // and without a total `{desc}: {n_fmt}{unit} [{elapsed}, {rate_fmt}{postfix}]`.
  const interval = fc.nat(40_000).map((s) => (s >= 3600 ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`));
  const desc = fc.option(fc.string({ unit: fc.constantFrom('E', 'p', 'o', 'c', 'h', ' ', '0', '1', '[', ']', ':', '|', '/', '%', 'é', '█') }), { nil: undefined });
  const postfix = fc.array(fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x.toPrecision(3)), fc.stringMatching(/^[a-z0-9 ]{0,6}$/))), { maxLength: 3 });
  const rate = fc.oneof(fc.constant('?it/s'), fc.double({ min: 0.01, max: 1e6, noNaN: true }).map((r) => `${r.toFixed(2)}it/s`), fc.double({ min: 1, max: 100, noNaN: true }).map((r) => `${r.toFixed(2)}s/it`));
  const object = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue(), { maxKeys: 3 }).map((o) => JSON.stringify(o));

  it('finds the object after any meter tqdm prints', () => {
    fc.assert(
      fc.property(desc, fc.nat(10_000), fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), interval, fc.option(interval, { nil: undefined }), rate, postfix, fc.nat(3), object, (d, n, total, elapsed, remaining, r, pairs, spaces, json) => {
        const post = pairs.length > 0 ? `, ${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
        const head = d === undefined ? '' : `${d}: `;
        let meter: string;
        if (total === undefined) {
          meter = `${head}${n}it [${elapsed}, ${r}${post}]`;
        } else {
          const frac = Math.min(1, n / total);
          const filled = Math.floor(frac * 10);
          meter = `${head}${String(Math.round(frac * 100)).padStart(3)}%|${'█'.repeat(filled)}${' '.repeat(10 - filled)}| ${n}/${total} [${elapsed}<${remaining ?? '?'}, ${r}${post}]`;
        }
        expect(objectAfterProgressBar(`${meter}${' '.repeat(spaces)}${json}`)).toBe(meter.length + spaces);
      }),
      { numRuns: 1000 },
    );
  });

  it('never points anywhere but at the first `{`, on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('1', '0', '/', ' ', '[', ']', '<', ',', ':', '?', 'i', 't', 's', '%', '|', '━', '-', '{', 'a', '.', 'e') }), (text) => {
        const at = objectAfterProgressBar(text);
        if (at !== undefined) expect(at).toBe(text.indexOf('{'));
      }),
      { numRuns: 3000 },
    );
  });
});
