// Seeded, deterministic benchmark corpora for `npm run bench`.
//
//   mixed          ~100 MB of realistic training stdout: a quarter of the lines metadata, the rest
//                  tqdm bars redrawn with \r, ANSI-coloured logger lines, Keras epoch lines, JSON
//                  arrays, JSON-looking text (Python dicts, `INFO:root:{...}`), some Python NaN,
//                  some `--timestamps` prefixes, valohai-utils blank lines.
//   metadata-only  1,000,000 JSON lines of 5–8 numeric keys, as Python's json.dumps prints them.
//   many           1,000 logs of ~100 KB in the mixed style, each its own execution.
//   small          the logs a CI step gates: 1,000 and 100,000 lines in the mixed and the
//                  metadata-only style (generateSmall), where start-up and warm-up decide.
//
// The same seed always gives the same bytes, so figures from different runs compare. Corpora are
// written under os.tmpdir() and reused by later runs (a marker file records what was written).
//
//   node bench/generate.mjs [--quick] [--seed N] [--fresh]   prints the folder and the stats
import { existsSync, mkdirSync, openSync, writeSync, closeSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the generator's output changes, so stale cached corpora are not reused. */
const GENERATOR_VERSION = 5;

/** mulberry32: tiny, fast, good enough for test data, and identical everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** A double with full 53-bit precision, printed by String() like Python's repr. */
    double: () => (Math.floor(next() * 2 ** 26) * 2 ** 27 + Math.floor(next() * 2 ** 27)) / 2 ** 53,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Buffers text and writes it in ~1 MB pieces. */
class Out {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
    this.bytes = 0;
    this.lines = 0;
  }
  line(text) {
    this.parts.push(text);
    this.size += text.length;
    this.lines++;
    // The frameworks corpus writes a few lines at once (a Keras epoch header and its progress).
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join('\n') + '\n');
    writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.parts = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
    return { bytes: this.bytes, lines: this.lines };
  }
}

const pad2 = (n) => (n < 10 ? `0${n}` : String(n));

/** A simulated training run: its state advances as lines are written, so values look like real curves. */
class Run {
  constructor(r, id) {
    this.r = r;
    this.id = id;
    this.step = 0;
    this.epoch = 1;
    this.clock = Date.UTC(2026, 10, 22, 10, 0, 0) + id * 3_600_000;
    // Where this run's accuracy levels off: runs differ, so sorting them means something.
    this.ceiling = 0.55 + 0.44 * r.next();
  }
  advance() {
    this.step += 10;
    if (this.step % 1000 === 0) this.epoch++;
    this.clock += 137 + this.r.int(200);
  }
  accuracy() {
    const progress = 1 - Math.exp(-this.step / 4000);
    return Math.min(0.999999, this.ceiling * progress + 0.02 * this.r.double());
  }
  loss() {
    return 2.3 * Math.exp(-this.step / 3000) + 0.05 * this.r.double();
  }
  timestamp() {
    const d = new Date(this.clock);
    const nanos = String(this.r.int(1e9)).padStart(9, '0');
    return `${d.toISOString().slice(0, 19)}.${nanos}Z`;
  }
  clockText() {
    const d = new Date(this.clock);
    return `${d.toISOString().slice(0, 10)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())},${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  }
}

function metadataLine(run, r) {
  run.advance();
  const roll = r.next();
  const acc = roll < 0.02 ? 'NaN' : String(run.accuracy());
  const loss = roll < 0.03 && roll >= 0.02 ? 'Infinity' : String(run.loss());
  let body;
  const shape = r.next();
  if (shape < 0.6) body = `{"epoch": ${run.epoch}, "step": ${run.step}, "accuracy": ${acc}, "loss": ${loss}, "lr": ${String(0.001 * Math.exp(-run.step / 20000))}}`;
  else if (shape < 0.85) body = `{"step": ${run.step}, "accuracy": ${acc}, "loss": ${loss}}`;
  else if (shape < 0.93) body = `{"epoch": ${run.epoch}, "val_loss": ${String(run.loss() * 1.1)}, "val_accuracy": ${String(run.accuracy() * 0.98)}, "accuracy": ${acc}}`;
  else if (shape < 0.97) body = `{"step": ${run.step}, "accuracy": ${acc}, "eval": {"precision": ${String(r.double())}, "recall": ${String(r.double())}}, "tags": ["train", "gpu0"]}`;
  else if (shape < 0.99) body = `{"vh_metadata": {"step": ${run.step}, "accuracy": ${acc}}}`;
  else body = `{"step": ${run.step}, "accuracy": ${acc}, "_time": "${new Date(run.clock).toISOString().slice(0, 23)}000"}`;
  const where = r.next();
  if (where < 0.1) return `${run.timestamp()} ${body}`;
  if (where < 0.12) return `\x1b[0m${body}\x1b[0m`;
  if (where < 0.14) return `${tqdmSegments(run, r, 3)}\r${body}`;
  if (where < 0.16) return `${body}\r`; // CRLF
  return body;
}

const BAR = '██████████████████████████████';
function tqdmSegments(run, r, count) {
  const total = 1000;
  const parts = [];
  let done = r.int(total - count * 40);
  for (let i = 0; i < count; i++) {
    done += 1 + r.int(40);
    const pct = Math.floor((done * 100) / total);
    const filled = Math.floor(pct / 10);
    const rate = (20 + 20 * r.next()).toFixed(2);
    parts.push(`Epoch ${run.epoch}: ${String(pct).padStart(3)}%|${BAR.slice(0, filled)}${' '.repeat(10 - filled)}| ${done}/${total} [00:${pad2(r.int(60))}<00:${pad2(r.int(60))}, ${rate}it/s, loss=${run.loss().toFixed(4)}]`);
  }
  return parts.join('\r');
}

const LOGGERS = ['trainer', 'data', 'torch.distributed', 'lightning', 'root'];
const MESSAGES = [
  (run) => `step ${run.step} loss=${run.loss().toFixed(4)} lr=${(0.001 * Math.exp(-run.step / 20000)).toExponential(3)}`,
  () => 'Saving checkpoint to /mnt/checkpoints/model.pt',
  () => 'Loaded 60000 training examples, 10000 validation examples',
  (run) => `GPU memory: ${(3 + (run.step % 7000) / 1000).toFixed(2)} GiB allocated`,
  () => 'Gradient norm clipped to 1.0',
];
function loggerLine(run, r) {
  const level = r.next() < 0.9 ? '\x1b[32mINFO\x1b[0m' : '\x1b[33mWARNING\x1b[0m';
  return `\x1b[2m${run.clockText()}\x1b[0m ${level} \x1b[34m${r.pick(LOGGERS)}\x1b[0m ${r.pick(MESSAGES)(run)}`;
}

function kerasLine(run, r) {
  const loss = run.loss().toFixed(4);
  const acc = run.accuracy().toFixed(4);
  if (r.next() < 0.3) return `Epoch ${run.epoch}/50`;
  return `1875/1875 [==============================] - ${2 + r.int(4)}s ${1 + r.int(3)}ms/step - loss: ${loss} - accuracy: ${acc} - val_loss: ${(Number(loss) * 1.1).toFixed(4)} - val_accuracy: ${(Number(acc) * 0.98).toFixed(4)}`;
}

function plainLine(run, r) {
  return r.pick([
    `Epoch ${run.epoch}/50`,
    'Downloading data from https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz',
    '11490434/11490434 [==============================] - 0s 0us/step',
    `Validation accuracy improved to ${run.accuracy().toFixed(4)}, saving model`,
    `  batch ${run.step}  samples/s ${(1000 + r.int(500)).toString()}`,
    'Traceback (most recent call last): (recovered, retrying)',
  ]);
}

function jsonishLine(run, r) {
  const roll = r.next();
  if (roll < 0.2) return `[${r.int(9)}, ${r.int(9)}, ${r.int(9)}]`;
  if (roll < 0.3) return `[{"step": ${run.step}}, {"step": ${run.step + 10}}]`;
  if (roll < 0.45) return `{'lr': 0.001, 'batch_size': 32, 'optimizer': 'adam', 'epochs': 50}`;
  if (roll < 0.6) return `INFO:root:{"step": ${run.step}, "accuracy": ${String(run.accuracy())}}`;
  if (roll < 0.7) return `config = {"model": "resnet50", "layers": [3, 4, 6, 3], "dropout": 0.1}`;
  if (roll < 0.96) return `Namespace(batch_size=32, lr=0.001, params={a: 1, b: 2})`;
  if (roll < 0.97) return `{"step": ${run.step}, "accuracy": 0.5} trailing text`;
  return `Using template {name}-{epoch:02d}-{val_loss:.2f}.ckpt`;
}

/** One line of mixed training output; about a quarter are metadata. */
function mixedLine(run, r) {
  const roll = r.next();
  if (roll < 0.25) return metadataLine(run, r);
  if (roll < 0.40) return tqdmSegments(run, r, 2 + r.int(5));
  if (roll < 0.62) return loggerLine(run, r);
  if (roll < 0.72) return kerasLine(run, r);
  if (roll < 0.8) return plainLine(run, r);
  if (roll < 0.87) return jsonishLine(run, r);
  if (roll < 0.93) return `${run.timestamp()} ${r.next() < 0.5 ? loggerLine(run, r) : plainLine(run, r)}`;
  return ''; // valohai-utils prints a blank line before each batch; plenty of jobs print blank lines
}

function writeMixed(path, r, targetBytes, runId, maxLines = Infinity) {
  const out = new Out(path);
  const run = new Run(r, runId);
  let metadata = 0;
  while (out.bytes + out.size < targetBytes && out.lines < maxLines) {
    const line = mixedLine(run, r);
    out.line(line);
    if (line.indexOf('{"') !== -1 && !line.startsWith('INFO') && !line.startsWith('[') && !line.startsWith('config') && !line.endsWith('text')) metadata++;
  }
  return { ...out.close(), metadataApprox: metadata };
}

const NUMERIC_KEYS = ['epoch', 'step', 'accuracy', 'loss', 'lr', 'val_loss', 'val_accuracy', 'grad_norm'];
function writeMetadataOnly(path, r, lines) {
  const out = new Out(path);
  const run = new Run(r, 0);
  for (let i = 0; i < lines; i++) {
    run.advance();
    const count = 5 + r.int(4);
    // step and accuracy always; the rest a varying subset, as real jobs log different things per phase.
    let text = `{"epoch": ${run.epoch}, "step": ${run.step}, "accuracy": ${r.next() < 0.001 ? 'NaN' : String(run.accuracy())}, "loss": ${String(run.loss())}`;
    for (let k = 4; k < count; k++) {
      const key = NUMERIC_KEYS[k];
      const value = key === 'lr' ? 0.001 * Math.exp(-run.step / 20000) : key === 'grad_norm' ? 5 * r.double() : key === 'val_loss' ? run.loss() * 1.1 : run.accuracy() * 0.98;
      text += `, "${key}": ${String(value)}`;
    }
    out.line(text + '}');
  }
  return out.close();
}

// ---------------------------------------------------------------------------------------------
// The frameworks corpus: what Keras, Hugging Face and Lightning jobs and multi-process launchers
// print, in the byte forms captured in fixtures/frameworks/logs/ (none of it is JSON at a line's start).

const KERAS_BAR = '━'.repeat(20);
function kerasProgress(done, total, metrics) {
  const filled = Math.round((done / total) * 20);
  return `\x1b[1m${done}/${total}\x1b[0m \x1b[32m${KERAS_BAR.slice(0, filled)}\x1b[0m\x1b[37m${KERAS_BAR.slice(filled)}\x1b[0m \x1b[1m0s\x1b[0m 36ms/step - ${metrics}`;
}
function kerasEpoch(run, r, verbose) {
  const total = 8;
  const lines = [`Epoch ${run.epoch}/50`];
  const final = `accuracy: ${run.accuracy().toFixed(4)} - loss: ${run.loss().toFixed(4)} - val_accuracy: ${(run.accuracy() * 0.98).toFixed(4)} - val_loss: ${(run.loss() * 1.1).toFixed(4)}`;
  if (verbose === 2) {
    lines.push(`${total}/${total} - 0s - 42ms/step - ${final}`);
  } else {
    // verbose=1: one line per epoch, each redraw after 71 backspaces and a carriage return.
    let text = '';
    for (let done = 1; done < total; done += 2) text += `\r${kerasProgress(done, total, `accuracy: ${run.accuracy().toFixed(4)} - loss: ${run.loss().toFixed(4)}`)}${'\b'.repeat(71)}`;
    lines.push(`${text}\r${kerasProgress(total, total, final)}`);
  }
  run.epoch++;
  return lines.join('\n');
}
function hfLine(run, r) {
  run.advance();
  const strings = r.next() < 0.5; // Transformers 5 prints formatted strings; 4.x prints floats
  const v = (x) => (strings ? `'${Number(x.toPrecision(4))}'` : String(x));
  if (r.next() < 0.2) return `{'eval_loss': ${v(run.loss() * 1.1)}, 'eval_accuracy': ${v(run.accuracy())}, 'eval_runtime': ${v(0.05 + r.next() / 10)}, 'eval_samples_per_second': ${v(5000 + r.int(3000))}, 'epoch': ${v(run.step / 1000)}}`;
  return `{'loss': ${v(run.loss())}, 'grad_norm': ${v(r.double())}, 'learning_rate': ${strings ? "'5e-05'" : '5e-05'}, 'epoch': ${v(run.step / 1000)}}`;
}
function prefixedLine(run, r) {
  run.advance();
  const body = `{"step": ${run.step}, "accuracy": ${String(run.accuracy())}, "loss": ${String(run.loss())}}`;
  const roll = r.next();
  if (roll < 0.25) return `[rank${r.int(4)}]: ${body}`;
  if (roll < 0.45) return `trainer-${1 + r.int(2)}  | ${body}`;
  if (roll < 0.6) return `[pod/train-7f9c/main] ${body}`;
  if (roll < 0.75) return `INFO:root:${body}`;
  if (roll < 0.85) return `${run.clockText()} - INFO - ${body}`;
  if (roll < 0.95) return `${run.timestamp()} stdout F ${body}`;
  const cut = 10 + r.int(body.length - 20);
  return `${run.timestamp()} stdout P ${body.slice(0, cut)}\n${run.timestamp()} stdout F ${body.slice(cut)}`;
}
function tqdmThenJson(run, r) {
  run.advance();
  return `${tqdmSegments(run, r, 2)} \x1b[A{"epoch": ${run.epoch}, "step": ${run.step}, "val_loss": ${String(run.loss() * 1.1)}, "val_acc": ${String(run.accuracy())}}`;
}
function frameworksLine(run, r) {
  const roll = r.next();
  if (roll < 0.1) return kerasEpoch(run, r, r.next() < 0.7 ? 1 : 2);
  if (roll < 0.35) return hfLine(run, r);
  if (roll < 0.6) return prefixedLine(run, r);
  if (roll < 0.7) return tqdmThenJson(run, r);
  if (roll < 0.85) return loggerLine(run, r);
  return plainLine(run, r);
}
function writeFrameworks(path, r, targetBytes) {
  const out = new Out(path);
  const run = new Run(r, 0);
  while (out.bytes + out.size < targetBytes) out.line(frameworksLine(run, r));
  return out.close();
}

/**
 * Writes (or reuses) the corpora. Returns { dir, mixed: {path, bytes, lines}, metadata: {...}, many: {paths, bytes, lines}, frameworks: {...} }.
 */
export function generate({ quick = false, seed = 20261122, fresh = false, log = () => {} } = {}) {
  const scale = quick ? { mixedBytes: 20e6, metadataLines: 200_000, manyFiles: 200, frameworksBytes: 10e6 } : { mixedBytes: 100e6, metadataLines: 1_000_000, manyFiles: 1000, frameworksBytes: 50e6 };
  const dir = join(tmpdir(), `vizmeta-bench-v${GENERATOR_VERSION}-${seed}-${quick ? 'quick' : 'full'}`);
  const marker = join(dir, 'corpora.json');
  if (!fresh && existsSync(marker)) {
    log(`reusing corpora in ${dir}`);
    return JSON.parse(readFileSync(marker, 'utf8'));
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'many'), { recursive: true });
  const started = Date.now();
  const r = rng(seed);
  const mixedPath = join(dir, 'mixed.log');
  const mixed = { path: mixedPath, ...writeMixed(mixedPath, r, scale.mixedBytes, 0) };
  log(`  mixed: ${(mixed.bytes / 1e6).toFixed(1)} MB, ${mixed.lines} lines`);
  const metadataPath = join(dir, 'metadata.jsonl');
  const metadata = { path: metadataPath, ...writeMetadataOnly(metadataPath, r, scale.metadataLines) };
  log(`  metadata-only: ${(metadata.bytes / 1e6).toFixed(1)} MB, ${metadata.lines} lines`);
  const paths = [];
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < scale.manyFiles; i++) {
    const path = join(dir, 'many', `run-${String(i).padStart(4, '0')}.log`);
    const written = writeMixed(path, r, 100_000, i + 1);
    paths.push(path);
    bytes += written.bytes;
    lines += written.lines;
  }
  const many = { paths, bytes, lines };
  log(`  many: ${paths.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${lines} lines`);
  const frameworksPath = join(dir, 'frameworks.log');
  const frameworks = { path: frameworksPath, ...writeFrameworks(frameworksPath, r, scale.frameworksBytes) };
  log(`  frameworks: ${(frameworks.bytes / 1e6).toFixed(1)} MB, ${frameworks.lines} lines`);
  const corpora = { dir, seed, quick, generatorVersion: GENERATOR_VERSION, mixed, metadata, many, frameworks };
  writeFileSync(marker, JSON.stringify(corpora));
  log(`  written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return corpora;
}

/**
 * Writes (or reuses) the small logs: { dir, logs: [{ style, lines, path, bytes }] }, 1,000 and
 * 100,000 lines each of the mixed and the metadata-only style. Kept apart from the big corpora so
 * that adding them reuses those.
 */
export function generateSmall({ seed = 20261122, fresh = false, log = () => {} } = {}) {
  const dir = join(tmpdir(), `vizmeta-bench-v${GENERATOR_VERSION}-${seed}-small`);
  const marker = join(dir, 'corpora.json');
  if (!fresh && existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(seed + 1);
  const logs = [];
  for (const lines of [1_000, 100_000]) {
    const mixedPath = join(dir, `mixed-${lines}.log`);
    logs.push({ style: 'mixed', lines, path: mixedPath, ...writeMixed(mixedPath, r, Infinity, 1, lines) });
    const metadataPath = join(dir, `metadata-${lines}.log`);
    logs.push({ style: 'metadata-only', lines, path: metadataPath, ...writeMetadataOnly(metadataPath, r, lines) });
  }
  for (const l of logs) log(`  small ${l.style}: ${l.lines.toLocaleString('en-US')} lines, ${(l.bytes / 1e3).toFixed(0)} kB`);
  const corpora = { dir, seed, generatorVersion: GENERATOR_VERSION, logs };
  writeFileSync(marker, JSON.stringify(corpora));
  return corpora;
}

/** Lines of an endless metadata stream, for `watch`: yields ~64 KB strings of JSON lines. */
export function* metadataStream(seed = 7, linesTotal = 10_000_000, linesPerChunk = 640) {
  const r = rng(seed);
  const run = new Run(r, 0);
  for (let sent = 0; sent < linesTotal; sent += linesPerChunk) {
    let text = '';
    const n = Math.min(linesPerChunk, linesTotal - sent);
    for (let i = 0; i < n; i++) {
      run.advance();
      text += `{"epoch": ${run.epoch}, "step": ${run.step}, "accuracy": ${String(run.accuracy())}, "loss": ${String(run.loss())}, "lr": ${String(0.001 * Math.exp(-run.step / 20000))}}\n`;
    }
    yield text;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const corpora = generate({
    quick: args.includes('--quick'),
    fresh: args.includes('--fresh'),
    seed: seedAt === -1 ? undefined : Number(args[seedAt + 1]),
    log: (text) => process.stderr.write(`${text}\n`),
  });
  process.stdout.write(`${corpora.dir}\n`);
}
