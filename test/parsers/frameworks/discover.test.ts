/**
 * Discovery over temporary trees built from the real fixtures: nested runs, an mlruns tree, a
 * TensorBoard logdir with two runs, Trainer checkpoints, a symlink loop; and readFrameworkInput on
 * what it finds.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import {
  discoverFrameworkInputs,
  listEventFiles,
  readFrameworkInput,
  type DiscoveredInput,
} from '../../../src/parsers/frameworks/discover.js';

const FILES = fileURLToPath(new URL('../../../fixtures/frameworks/files/', import.meta.url));
let root: string;

async function put(path: string, text: string | Buffer = ''): Promise<void> {
  await fs.mkdir(join(root, path, '..'), { recursive: true });
  await fs.writeFile(join(root, path), text);
}

async function copy(from: string, to: string): Promise<void> {
  await fs.cp(join(FILES, from), join(root, to), { recursive: true });
}

const kindsAndNames = (inputs: DiscoveredInput[]) => inputs.map((i) => `${i.kind} ${i.name}`);

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'vizmeta-discover-'));
  // A TensorBoard logdir: run-a restarted (two event files), run-b split like Keras' callback.
  await put('project/tb/run-a/events.out.tfevents.1700000100.host.2.0', 'b');
  await put('project/tb/run-a/events.out.tfevents.1700000000.host.1.0', 'a');
  await put('project/tb/run-b/train/events.out.tfevents.1700000000.host.3.0');
  await put('project/tb/run-b/validation/events.out.tfevents.1700000000.host.3.1');
  await copy('mlruns', 'project/mlruns');
  // Trainer output dirs: one with its own state file, one with only checkpoints (5, 10, 15).
  await copy('hf-trainer', 'project/hf/full');
  await copy('hf-trainer', 'project/hf/checkpoints-only');
  await fs.rm(join(root, 'project/hf/checkpoints-only/trainer_state.json'));
  await put('project/hf/checkpoints-only/checkpoint-9/model.safetensors', 'weights, no state');
  await copy('lightning', 'project/lightning');
  await copy('keras', 'project/keras');
  await copy('dvclive-run', 'project/exp1');
  await put('project/logs/train.log', 'starting\n{"loss": 0.5, "step": 1}\n');
  await put('project/logs/plain.log', 'no metadata here\n');
  await put('project/logs/metrics.jsonl', '{"loss": 0.5}\n');
  await put('project/logs/vocab.txt', '[PAD]\n{\n}\nthe\n');
  await put('project/logs/roc.csv', '0.0,0.0,inf\n0.1,0.5,0.9\n');
  await put('project/.git/hooks.log', '{"not": "searched"}\n');
  await put('project/node_modules/x/a.log', '{"not": "searched"}\n');
  await fs.symlink('..', join(root, 'project/logs/loop'));
  await fs.symlink('self', join(root, 'project/logs/self'));
  await fs.symlink('missing-target', join(root, 'project/logs/broken'));
  // A FIFO would block a read of its head forever: discovery must not open it.
  execFileSync('mkfifo', [join(root, 'project/logs/fifo.log')]);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('discoverFrameworkInputs on a searched folder', () => {
  it('finds one input per execution, in a fixed order, with names relative to the folder', async () => {
    const warnings: string[] = [];
    const inputs = await discoverFrameworkInputs(join(root, 'project'), { onWarning: (path, message) => warnings.push(`${path.slice(root.length + 1)}: ${message}`) });
    expect(kindsAndNames(inputs)).toEqual([
      'dvclive exp1',
      'trainer-state hf/checkpoints-only',
      'trainer-state hf/full',
      'metrics-csv keras/training.csv',
      'metrics-csv lightning/lightning_logs/version_0',
      'log logs/metrics.jsonl',
      'log logs/train.log',
      'mlflow mlruns/0/0a1b2c3d4e5f40718293a4b5c6d7e8f9',
      'mlflow mlruns/412874123456789012/1f2e3d4c5b6a47988796a5b4c3d2e1f0',
      'mlflow mlruns/412874123456789012/9e8d7c6b5a4f43210fedcba987654321',
      'tensorboard tb/run-a',
      'tensorboard tb/run-b/train',
      'tensorboard tb/run-b/validation',
    ]);
    // The symlink loop back to project/ is followed once and ends there; the self-link and the broken link are reported.
    expect(warnings).toEqual([
      'project/logs/broken: no such file or folder (a broken link); skipped',
      'project/logs/self: too many levels of symbolic links (a broken link); skipped',
    ]);
  });

  it('takes the output folder\'s own trainer_state.json, else the highest checkpoint\'s (numerically)', async () => {
    const inputs = await discoverFrameworkInputs(join(root, 'project/hf'));
    expect(inputs.map((i) => i.path.slice(root.length))).toEqual([
      '/project/hf/checkpoints-only/checkpoint-15/trainer_state.json',
      '/project/hf/full/trainer_state.json',
    ]);
  });

  it('gives each run of an mlruns tree, and names an execution in the folder itself by the path given', async () => {
    const mlruns = await discoverFrameworkInputs(join(root, 'project/mlruns'));
    expect(mlruns.map((i) => i.name)).toEqual([
      '0/0a1b2c3d4e5f40718293a4b5c6d7e8f9',
      '412874123456789012/1f2e3d4c5b6a47988796a5b4c3d2e1f0',
      '412874123456789012/9e8d7c6b5a4f43210fedcba987654321',
    ]);
    expect(kindsAndNames(await discoverFrameworkInputs(join(root, 'project/tb/run-b')))).toEqual(['tensorboard train', 'tensorboard validation']);
    expect(kindsAndNames(await discoverFrameworkInputs(`${join(root, 'project/tb/run-a')}/`))).toEqual([`tensorboard ${join(root, 'project/tb/run-a')}`]);
  });

  it('is the same on every run', async () => {
    const a = await discoverFrameworkInputs(join(root, 'project'), { onWarning: () => {} });
    const b = await discoverFrameworkInputs(join(root, 'project'), { onWarning: () => {} });
    expect(b).toEqual(a);
  });

  it('stops at the depth bound and says so', async () => {
    await put('deep/a/b/c/d/run.log', '{"x": 1}\n');
    const warnings: string[] = [];
    const inputs = await discoverFrameworkInputs(join(root, 'deep'), { maxDepth: 2, onWarning: (path, message) => warnings.push(`${path.slice(root.length + 1)}: ${message}`) });
    expect(inputs).toEqual([]);
    expect(warnings).toEqual(['deep/a/b/c: deeper than 2 folder levels; not searched']);
    expect((await discoverFrameworkInputs(join(root, 'deep'))).map((i) => i.name)).toEqual(['a/b/c/d/run.log']);
  });

  it('finds nothing in an empty folder', async () => {
    await fs.mkdir(join(root, 'empty'));
    expect(await discoverFrameworkInputs(join(root, 'empty'))).toEqual([]);
  });
});

describe('discoverFrameworkInputs on a path named explicitly', () => {
  it.each([
    ['project/hf/full/trainer_state.json', 'trainer-state'],
    ['project/hf/full/checkpoint-5/trainer_state.json', 'trainer-state'],
    ['project/lightning/lightning_logs/version_0/metrics.csv', 'metrics-csv'],
    ['project/keras/training.csv', 'metrics-csv'],
    ['project/tb/run-a/events.out.tfevents.1700000000.host.1.0', 'tensorboard'],
    ['project/tb/run-a', 'tensorboard'],
    ['project/mlruns/0/0a1b2c3d4e5f40718293a4b5c6d7e8f9', 'mlflow'],
    ['project/exp1/dvclive', 'dvclive'],
    ['project/exp1/dvclive/plots/metrics/train/loss.tsv', 'dvclive'],
    ['project/logs/plain.log', 'log'],
    ['project/logs/roc.csv', 'log'],
    ['project/logs/vocab.txt', 'log'],
  ])('%s is %s, named as given', async (path, kind) => {
    expect(await discoverFrameworkInputs(join(root, path))).toEqual([{ kind, path: join(root, path), name: join(root, path) }]);
  });

  it('takes a named pipe as a log without reading from it', async () => {
    const fifo = join(root, 'project/logs/fifo.log');
    expect(await discoverFrameworkInputs(fifo)).toEqual([{ kind: 'log', path: fifo, name: fifo }]);
  });

  it('takes a DVCLive folder\'s metrics.json as the whole folder', async () => {
    const path = join(root, 'project/exp1/dvclive/metrics.json');
    expect(await discoverFrameworkInputs(path)).toEqual([{ kind: 'dvclive', path: join(root, 'project/exp1/dvclive'), name: path }]);
  });

  it('throws InputError naming a path that does not exist', async () => {
    const missing = join(root, 'nope');
    await expect(discoverFrameworkInputs(missing)).rejects.toThrow(InputError);
    await expect(discoverFrameworkInputs(missing)).rejects.toThrow(`${missing}: no such file or folder`);
    await expect(discoverFrameworkInputs(join(root, 'project/logs/self'))).rejects.toThrow(/too many levels of symbolic links/);
  });
});

describe('listEventFiles', () => {
  it('orders a folder\'s event files by name, which is by start time', async () => {
    const files = await listEventFiles(join(root, 'project/tb/run-a'));
    expect(files.map((f) => f.slice(root.length))).toEqual([
      '/project/tb/run-a/events.out.tfevents.1700000000.host.1.0',
      '/project/tb/run-a/events.out.tfevents.1700000100.host.2.0',
    ]);
    expect(await listEventFiles(files[1]!)).toEqual([files[1]]);
    await expect(listEventFiles(join(root, 'nope'))).rejects.toThrow(InputError);
  });
});

describe('readFrameworkInput', () => {
  const input = (kind: DiscoveredInput['kind'], path: string): DiscoveredInput => ({ kind, path: join(root, path), name: path });

  it('reads an MLflow run with its name from the runName tag', async () => {
    const run = await readFrameworkInput(input('mlflow', 'project/mlruns/0/0a1b2c3d4e5f40718293a4b5c6d7e8f9'));
    expect(run.name).toBe('brave-owl-17');
    expect(run.warnings).toEqual([]);
    expect(run.records[0]!.values).toEqual({ batch_size: 32, lr: 0.01, note: 'first try', optimizer: 'adam' });
    expect(run.records.slice(1).map((r) => r.values.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Object.keys(run.records[2]!.values)).toEqual(['step', 'loss', 'val/accuracy', 'val/loss']);
  });

  it('reads a Lightning metrics.csv with its hparams.yaml as the first record', async () => {
    const run = await readFrameworkInput(input('metrics-csv', 'project/lightning/lightning_logs/version_0/metrics.csv'));
    expect(run.warnings).toEqual([]);
    expect(run.records[0]).toEqual({ values: { hidden: 8, lr: 0.05, optimizer: 'sgd' } });
    expect(run.records[1]).toEqual({ values: { epoch: 0, step: 0, train_loss_step: 0.6050052642822266 }, line: 2 });
  });

  it('reads a Keras CSV without looking for hparams', async () => {
    const run = await readFrameworkInput(input('metrics-csv', 'project/keras/training.csv'));
    expect(run.records).toHaveLength(5);
  });

  it('reads a DVCLive folder, and one TSV named alone', async () => {
    const whole = await readFrameworkInput(input('dvclive', 'project/exp1/dvclive'));
    expect(whole.warnings).toEqual([]);
    expect(whole.records[0]!.values).toEqual({ lr: 0.01, optimizer: 'adam', epochs: 4, augment: true });
    expect(whole.records.slice(1).map((r) => r.values.step)).toEqual([0, 1, 2, 3]);
    const one = await readFrameworkInput(input('dvclive', 'project/exp1/dvclive/plots/metrics/train/loss.tsv'));
    expect(one.records.map((r) => Object.keys(r.values))).toEqual(Array(4).fill(['step', 'train/loss']));
  });

  it('reads the trainer_state.json discovery picked', async () => {
    const [found] = await discoverFrameworkInputs(join(root, 'project/hf/checkpoints-only'));
    const run = await readFrameworkInput(found!);
    expect(run.records.at(-1)!.values).toMatchObject({ step: 15, epoch: 3 });
  });

  it('throws InputError naming a file that cannot be read, and refuses kinds read elsewhere', async () => {
    await expect(readFrameworkInput(input('trainer-state', 'nope/trainer_state.json'))).rejects.toThrow(InputError);
    await expect(readFrameworkInput(input('mlflow', 'nope'))).rejects.toThrow(`${join(root, 'nope')}: no such file or folder`);
    await expect(readFrameworkInput(input('tensorboard', 'project/tb/run-a'))).rejects.toThrow(/own reader/);
    await expect(readFrameworkInput(input('log', 'project/logs/train.log'))).rejects.toThrow(/own reader/);
  });

  it('warns about an unreadable file inside a run folder and reads the rest', async () => {
    await copy('mlruns/412874123456789012/1f2e3d4c5b6a47988796a5b4c3d2e1f0', 'broken-run');
    await fs.symlink('self-loop', join(root, 'broken-run/metrics/self-loop'));
    // Invalid UTF-8 in a param decodes to U+FFFD rather than failing the run.
    await fs.writeFile(join(root, 'broken-run/params/odd'), Buffer.from([0xff, 0xfe, 0x41]));
    const run = await readFrameworkInput(input('mlflow', 'broken-run'));
    expect(run.name).toBe('calm-fox-3');
    expect(run.records).toHaveLength(4);
    expect(run.records[0]!.values.odd).toBe('\ufffd\ufffdA');
    expect(run.warnings).toEqual([{ message: 'metrics/self-loop: too many levels of symbolic links (a broken link); skipped' }]);
  });
});
