/**
 * Every example the README and `--help` show is run, and does what it says (issue 19).
 *
 * The examples are read from the text at test time (test/helpers/examples.ts): each line of a
 * README ```sh block that runs vizmeta, each `$ vizmeta …` line shown with its output, and each
 * line under `Examples:` in `vizmeta --help` and every command's `--help`. Each must have an entry
 * in EXPECT below, keyed by its exact text: the files it names mapped onto fixtures, stand-ins
 * for the programs it pipes from, its exit status and what shows that it did what it says. A
 * new example without an entry fails the first test; an entry whose example is gone fails the
 * second.
 *
 * Each example runs as typed, `bash -c '<example>'`, in a scratch folder of its own (so runs
 * are independent and may go in parallel), with `vizmeta` on PATH running the built
 * bin/vizmeta.js, NO_COLOR=1, COLUMNS=100, VIZMETA_DEMO_DELAY_MS=0 and GITHUB_STEP_SUMMARY
 * pointing into the folder. `python train.py` is a stand-in: the demo's job
 * (examples/train.mjs, a NaN loss at step 123 and val_loss turning up after step 120) or a
 * fixture printed by `cat`.
 *
 * `skip: why` marks an example that cannot run here; `todo: what is wrong` one that does not do
 * what it says (run as `it.fails`, so the suite stays green and the list stays visible; once
 * the example is fixed, the test says so and the entry should become a plain one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Example,
  type ExampleRun,
  type Expectation,
  helpExamples,
  JOBS,
  mergeExamples,
  missingShownLines,
  readmeExamples,
  readmeRenderer,
  readOutput,
  removeScratch,
  runExample,
} from '../helpers/examples.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { GIT_ENV } from '../helpers/git-repo.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Logs of eight executions: fixtures/runs/run-{1..8}.log (accuracy, val_accuracy, loss, val_loss, lr; run-3 has a NaN loss). */
const RUNS = { logs: 'fixtures/runs' };
/** Two executions with `epoch`, `loss` and `accuracy`: a Keras log and a valohai-utils log. */
const EPOCH_LOGS = { 'logs/keras.log': 'fixtures/keras.log', 'logs/valohai.log': 'fixtures/valohai-utils.log' };
/** main.log is the baseline (run-1: accuracy 0.9124), pr.log a worse run (run-2: accuracy 0.8736, loss up). */
const MAIN_PR = { 'main.log': 'fixtures/runs/run-1.log', 'pr.log': 'fixtures/runs/run-2.log' };
const A_B = { 'a.log': 'fixtures/runs/run-1.log', 'b.log': 'fixtures/runs/run-2.log' };
/**
 * A pull request's clone: main's log (run-1) committed as metrics/train.log and marked
 * origin/main, then the working tree's log replaced by the pull request's worse run (run-2).
 */
const PR_CLONE = {
  files: { 'metrics/train.log': { copy: 'fixtures/runs/run-1.log' }, 'pr.log': 'fixtures/runs/run-2.log' },
  env: GIT_ENV,
  why: 'the scratch folder is made a clone first: main\'s log committed as origin/main, a worse one in the working tree',
};
/**
 * Runs an example beside an S3 bucket on loopback (test/children/with-s3.mjs): s3rver holding
 * fixtures/runs as ml-logs/2026-11/team-a/run-{1..4}.log and 2026-11/team-b/nightly/run-{5..8}.log,
 * and run-1 as ml-logs/main/train.log, with AWS_ENDPOINT_URL pointing there.
 */
const withS3 = (example: string): string => `node "$REPO/test/children/with-s3.mjs" ${JSON.stringify(example).replace(/\$/g, '\\$')}`;
const WITH_S3 = 'run beside s3rver on loopback (test/children/with-s3.mjs), AWS_ENDPOINT_URL pointing there, fixtures/runs in the bucket';
const inPrClone = (example: string): string => `git init -q && git add metrics && git commit -qm main && git update-ref refs/remotes/origin/main HEAD && cp pr.log metrics/train.log && ${example}`;
const MY_VIZ = { 'my-viz.mjs': { text: readmeRenderer(README) } };
/** The demo's job as `python train.py`. */
const DEMO_JOB = { python: JOBS.demo };
/**
 * A job whose val_loss stops improving (by more than 0.001 after step 4, at all after step 6),
 * then goes on: under `run` it idles, so only the stop rule ends it in time; in a pipe it keeps
 * printing, so it ends on the closed pipe once `watch` has stopped reading.
 */
const PLATEAU_JOB = { python: `cat "$REPO/fixtures/examples/plateau.log"; exec sleep 30` };
const PLATEAU_PIPE = { python: `cat "$REPO/fixtures/examples/plateau.log"; while :; do echo "still training"; sleep 0.05; done` };

/** The final dashboard of `watch` / `run` / `demo` (its header line). */
const DASHBOARD = (what: string, state = 'done'): RegExp => new RegExp(`^vizmeta (?:${what}) · .* · (?:${state}) · .* records`, 'm');
const JSON_LINES = (run: ExampleRun): void => {
  const lines = run.stdout.trim().split('\n');
  for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
};
/** AUC as the probability that a positive scores above a negative (ties half): what the trapezoidal ROC AUC equals. */
const rankAuc = (csv: string, positive: string): number => {
  const samples = csv.trim().split('\n').slice(1).map((line) => line.split(','));
  const pos = samples.filter((row) => row[0] === positive).map((row) => Number(row[1]));
  const neg = samples.filter((row) => row[0] !== positive).map((row) => Number(row[1]));
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
};
const rows = (text: string, pattern: RegExp): number => text.split('\n').filter((line) => pattern.test(line)).length;

const EXPECT: Record<string, Expectation> = {
  // ── Quick start ─────────────────────────────────────────────────────────────────────────
  'npm ci && npm run build && node bin/vizmeta.js demo': {
    command: 'node bin/vizmeta.js demo',
    why: '`npm ci` would reinstall node_modules of the shared working tree, and the build is done already',
    files: { 'bin/vizmeta.js': 'bin/vizmeta.js' },
    status: 0,
    stdout: [/^Loading dataset/m, DASHBOARD('run', 'exited 0'), /── loss/],
    stderr: [/UserWarning: gradient norm/],
  },

  // ── extract ─────────────────────────────────────────────────────────────────────────────
  'vizmeta extract train.log': {
    files: { 'train.log': 'fixtures/keras.log' },
    status: 0,
    check: (run) => {
      JSON_LINES(run);
      expect(rows(run.stdout, /"_time":"\d{4}-\d\d-\d\dT[\d:.]+Z"\}$/)).toBe(21); // keras.log: 21 records
    },
  },
  'python train.py | vizmeta extract --with-source': {
    programs: DEMO_JOB,
    status: 0,
    stdout: [/^\{"optimizer":"adam",.*"_source":"-","_line":3/m],
    check: (run) => {
      JSON_LINES(run);
      expect(run.stdout).not.toMatch(/Loading dataset/);
    },
  },
  'vizmeta extract --format csv logs/*.log > metadata.csv': {
    files: RUNS,
    status: 0,
    outputs: { 'metadata.csv': [/^optimizer,batch_size,lr0,seed,momentum,step,loss,accuracy,lr,val_loss,val_accuracy/, /,NaN,/] },
    check: (run) => expect(readOutput(run.dir, 'metadata.csv')?.trim().split('\n')).toHaveLength(1 + 955),
  },
  'vizmeta extract --format csv logs/*.log > runs.csv': {
    files: RUNS,
    status: 0,
    outputs: { 'runs.csv': [/^optimizer,batch_size,lr0,seed,momentum,step,loss,accuracy,lr,val_loss,val_accuracy/, /,NaN,/] },
    check: (run) => expect(readOutput(run.dir, 'runs.csv')?.trim().split('\n')).toHaveLength(1 + 955),
  },
  'kubectl logs --timestamps job/train | vizmeta extract': {
    programs: { kubectl: JOBS.cat('fixtures/timestamps.log') },
    status: 0,
    check: (run) => {
      JSON_LINES(run);
      expect(rows(run.stdout, /./)).toBe(18);
      // the prefix's time, nanoseconds cut to milliseconds
      expect(run.stdout).toMatch(/"_time":"2026-11-2\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
      expect(run.stdout).toContain('"_time":"2026-11-22T09:00:00.500Z"');
    },
  },
  'vizmeta extract logs/run.log > run.jsonl': {
    files: { 'logs/run.log': 'fixtures/runs/run-1.log' },
    status: 0,
    check: (run) => {
      const lines = readOutput(run.dir, 'run.jsonl')?.trim().split('\n') ?? [];
      expect(lines).toHaveLength(101);
      expect(lines.at(-1)).toMatch(/^\{"step":5000,.*"_time":/);
    },
  },
  'vizmeta extract --dialect json train.log': {
    // tqdm.log: 10 JSON records, and look-alikes the other dialects read (INFO:root:{...}, a Python dict; 12 by default)
    files: { 'train.log': 'fixtures/tqdm.log' },
    status: 0,
    check: (run) => {
      JSON_LINES(run);
      expect(rows(run.stdout, /./)).toBe(10);
    },
  },
  'vizmeta extract out/trainer_state.json': {
    files: { out: 'fixtures/frameworks/files/hf-trainer' },
    status: 0,
    stdout: [/^\{"epoch":1,"eval_accuracy":0\.375,.*"step":5,/m],
    check: JSON_LINES,
  },

  // ── watch ───────────────────────────────────────────────────────────────────────────────
  'python train.py | vizmeta watch': {
    programs: DEMO_JOB,
    status: 0,
    stdout: [/^Loading dataset/m, /^\{"step":200,"val_loss"/m, DASHBOARD('watch'), /── loss/, /── accuracy/],
  },
  'python train.py | vizmeta watch --keys loss,val_loss --smooth 0.6': {
    programs: DEMO_JOB,
    status: 0,
    // --smooth: the legend gives the smoothed latest value and the raw one
    stdout: [DASHBOARD('watch'), /^── loss [\d.]+ \(raw [\d.]+\)/m, /^── val_loss [\d.]+ \(raw [\d.]+\)/m],
    check: (run) => expect(run.stdout).not.toMatch(/── accuracy|── lr/),
  },
  'vizmeta watch --follow logs/train.log': {
    // the log holds the first 20 lines when watch starts; the rest is appended while it follows
    files: { 'logs/train.log': { text: readFileSync(join(ROOT, 'fixtures/runs/run-1.log'), 'utf8').split('\n').slice(0, 20).join('\n') + '\n' } },
    interact: async ({ dir, waitFor, signal }) => {
      await waitFor(/"step": 850,.*\n/);
      const { appendFileSync } = await import('node:fs');
      appendFileSync(join(dir, 'logs/train.log'), readFileSync(join(ROOT, 'fixtures/runs/run-1.log'), 'utf8').split('\n').slice(20).join('\n'));
      await waitFor(/^Training finished\.$/m);
      signal('SIGINT');
    },
    status: 130,
    stdout: [DASHBOARD('watch', 'interrupted'), /· 108 lines · 101 records/, /^ *step 50 .* 5000$/m],
  },
  'vizmeta watch --follow runs/exp1/': {
    // a PyTorch SummaryWriter's event file, half written when watch starts, the rest appended
    files: { 'runs/exp1/events.out.tfevents.1796296268.vizmeta.22789.0': { text: '' } },
    interact: async ({ dir, signal }) => {
      const { appendFileSync } = await import('node:fs');
      const events = readFileSync(join(ROOT, 'fixtures/frameworks/tensorboard/torch/events.out.tfevents.1796296268.vizmeta.22789.0'));
      const file = join(dir, 'runs/exp1/events.out.tfevents.1796296268.vizmeta.22789.0');
      // nothing shows until the end when stdout is not a terminal: give each half time to be read
      appendFileSync(file, events.subarray(0, 2500));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      appendFileSync(file, events.subarray(2500));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      signal('SIGINT');
    },
    status: 130,
    stdout: [DASHBOARD('watch', 'interrupted'), /· 9 records/, /Loss\/train/],
  },
  'python train.py | vizmeta watch --x _time --quiet': {
    // run-4.log was saved with timestamps, so its records' times span minutes
    programs: { python: JOBS.cat('fixtures/runs/run-4.log') },
    status: 0,
    stdout: [DASHBOARD('watch'), /^ *elapsed [\d.]+s .*\d+m\d+s$/m],
    check: (run) => expect(run.stdout).not.toMatch(/^2026-|^\{"step"/m),
  },
  "python train.py | vizmeta watch --stop-when 'isnan(loss) or val_loss > 5'": {
    programs: DEMO_JOB,
    status: 0,
    stderr: [/^vizmeta: early stop: --stop-when 'isnan\(loss\) or val_loss > 5': true at step 123 \(loss = NaN/m],
    stdout: [DASHBOARD('watch', 'stopped')],
    check: (run) => expect(run.stdout).not.toMatch(/"step": 124,/),
  },
  'python train.py | vizmeta watch --monitor val_loss --patience 5 --min-delta 0.001': {
    programs: PLATEAU_PIPE,
    status: 0,
    stderr: [/^vizmeta: early stop: --monitor val_loss --patience 5 --min-delta 0\.001: val_loss = 0\.4993 at step 9, no improvement by more than 0\.001 on 0\.5 \(step 4\)/m],
  },

  // ── run ─────────────────────────────────────────────────────────────────────────────────
  'vizmeta run -- python train.py --epochs 20': {
    programs: DEMO_JOB,
    status: 0,
    stdout: [/^Loading dataset/m, DASHBOARD('run', 'exited 0'), /── loss/],
    stderr: [/UserWarning/],
  },
  'vizmeta run --save logs/run1.log -- python train.py': {
    // --save does not create folders: the user's logs/ is there, as for every logs/… example
    files: { 'logs/.keep': { text: '' } },
    programs: DEMO_JOB,
    status: 0,
    outputs: { 'logs/run1.log': [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z Loading dataset/m, /Z \{"optimizer":"adam"/, /Z UserWarning: gradient norm/] },
  },
  'vizmeta run --monitor val_loss --patience 5 --grace 30 -- python train.py': {
    programs: PLATEAU_JOB,
    status: 0,
    stderr: [/^vizmeta: early stop: --monitor val_loss --patience 5: val_loss = 0\.5003 at step 11, no improvement on 0\.4992 \(step 6\)/m],
    check: (run) => expect(run.timedOut).toBe(false),
  },
  "vizmeta run --stop-when 'val_loss > 5 or isnan(loss)' -- python train.py": {
    programs: DEMO_JOB,
    status: 0,
    stderr: [/^vizmeta: early stop: --stop-when 'val_loss > 5 or isnan\(loss\)': true at step 123/m],
  },
  'vizmeta run --pty -- ./train': {
    // a job that writes differently to a terminal, as C stdio and Ruby do
    programs: { './train': `if [ -t 1 ]; then echo "stdout is a terminal"; else echo "stdout is a pipe"; fi\nfor i in 1 2 3; do echo "{\\"step\\": $i, \\"loss\\": 0.$((9 - i))}"; done` },
    status: 0,
    stdout: [/^stdout is a terminal\r$/m, /· 3 records/],
  },
  'vizmeta run --keys loss,val_loss --smooth 0.6 -- ./train.sh': {
    programs: { './train.sh': JOBS.demo },
    status: 0,
    stdout: [DASHBOARD('run', 'exited 0'), /^── loss [\d.]+ \(raw [\d.]+\)/m, /^── val_loss [\d.]+ \(raw [\d.]+\)/m],
    check: (run) => expect(run.stdout).not.toMatch(/── accuracy|── lr/),
  },

  // ── chart ───────────────────────────────────────────────────────────────────────────────
  'vizmeta chart logs/run.log': {
    files: { 'logs/run.log': 'fixtures/runs/run-1.log' },
    status: 0,
    stdout: [/── loss/, /── accuracy/, /^ *step 50 .* 5000$/m],
  },
  'vizmeta chart logs/*.log --keys val_loss,val_accuracy': {
    files: RUNS,
    status: 0,
    // one chart per key, the eight files overlaid, named in its legend (run-2 has no val_accuracy);
    // without colour, more than four series each get a letter on their line and in their legend key
    stdout: [/^val_loss\n─a run-1\.log [\d.]+ .*\n─e run-5\.log .*┄h run-8\.log [\d.]+$/m, /^val_accuracy\n─a run-1\.log [\d.]+ .*run-3\.log/m],
    check: (run) => expect(run.stdout).not.toMatch(/^loss$|^accuracy$/m),
  },
  "vizmeta chart run.log --keys 'loss+val_loss,lr' --log-y": {
    files: { 'run.log': 'fixtures/runs/run-4.log' },
    status: 0,
    stdout: [/── loss .*val_loss.*log/, /── lr .*log/],
    check: (run) => expect(run.stdout).not.toMatch(/── accuracy/),
  },
  'vizmeta chart run.log --x _time --smooth 0.6 --height 15 --columns 2': {
    files: { 'run.log': 'fixtures/runs/run-4.log' },
    status: 0,
    // two charts side by side: two x axes on one line
    stdout: [/elapsed [\d.]+s .*\d+m\d+s +elapsed [\d.]+s .*\d+m\d+s$/m],
  },
  'vizmeta chart run.log --x _time --smooth 0.6 --height 15': {
    files: { 'run.log': 'fixtures/runs/run-4.log' },
    status: 0,
    stdout: [/^ *elapsed [\d.]+s .*\d+m\d+s$/m],
    check: (run) => expect(rows(run.stdout, /^ *[\d.]+ ┤/)).toBeGreaterThanOrEqual(14),
  },
  'vizmeta chart run.log --renderer ./my-viz.mjs': {
    files: { 'run.log': 'fixtures/runs/run-1.log', ...MY_VIZ },
    status: 0,
    stdout: [/^101 records, best accuracy 0\.9203999042510986\n$/],
  },

  // ── demo ────────────────────────────────────────────────────────────────────────────────
  'vizmeta demo': {
    status: 0,
    stdout: [/^Loading dataset/m, DASHBOARD('run', 'exited 0'), /── loss/],
  },
  'vizmeta demo --python': {
    status: 0,
    stdout: [/^Loading dataset/m, /^\{"step": 200, "val_loss"/m, DASHBOARD('run', 'exited 0'), /── loss/],
  },
  'vizmeta demo --smooth 0.6 --keys loss+val_loss': {
    status: 0,
    // loss+val_loss: one chart, both smoothed
    stdout: [/^── loss [\d.]+ \(raw [\d.]+\).*val_loss [\d.]+ \(raw [\d.]+\)/m],
    check: (run) => expect(run.stdout).not.toMatch(/── accuracy|── lr/),
  },
  'vizmeta demo --monitor val_loss --patience 2': {
    status: 0,
    stderr: [/^vizmeta: early stop: --monitor val_loss --patience 2: val_loss = [\d.]+ at step 160/m],
  },
  "vizmeta demo --stop-when 'accuracy > 0.8'": {
    status: 0,
    stderr: [/^vizmeta: early stop: --stop-when 'accuracy > 0\.8': true at step \d+ \(accuracy = 0\.8\d*\)/m],
  },
  'vizmeta demo --save demo.log && vizmeta extract demo.log': {
    status: 0,
    stdout: [/^\{"optimizer":"adam","batch_size":64,"seed":42,"_time":"\d{4}-/m, /^\{"data":\[\["cat","dog","bird"\]/m],
    outputs: { 'demo.log': [/^\d{4}-\d\d-\d\dT[\d:.]+Z \{"step":1,/m] },
  },

  // ── sort ────────────────────────────────────────────────────────────────────────────────
  'vizmeta sort --by accuracy logs/*.log': {
    files: RUNS,
    status: 0,
    stdout: [/^1 +run-4\.log +0\.9461/m, /^8 +run-7\.log/m, /sorted by accuracy, highest first: higher is better/],
  },
  "vizmeta sort --by accuracy 's3://ml-logs/2026-11/**/*.log'": {
    command: withS3("vizmeta sort --by accuracy 's3://ml-logs/2026-11/**/*.log'"),
    why: WITH_S3,
    status: 0,
    stdout: [/^1 +team-a\/run-4\.log +0\.9461/m, /^2 +team-b\/nightly\/run-6\.log +0\.9283/m, /^8 +team-b\/nightly\/run-7\.log/m, /files in s3:\/\/ml-logs\/2026-11\//],
    timeoutMs: 60_000,
  },
  'vizmeta sort --by val_loss --agg min --limit 5 logs/*.log': {
    files: RUNS,
    status: 0,
    stdout: [/^1 +run-4\.log +0\.107289/m, /sorted by min\(val_loss\), lowest first|lowest first/, /^3 more not shown \(--limit\)$/m],
    check: (run) => expect(rows(run.stdout, /^\d +run-\d\.log/)).toBe(5),
  },
  "vizmeta sort --by val_loss --agg 'min,max(accuracy)' logs/*.log": {
    files: RUNS,
    status: 0,
    // ranked by min(val_loss) (run-4 lowest), max(accuracy) the column after the history
    stdout: [/^# +execution +min\(val_loss\) +history +max\(accuracy\)/m, /^1 +run-4\.log +0\.107289 +\S+ +0\.953405/m, /sorted by min\(val_loss\), lowest first/],
  },
  'vizmeta sort --by metadata.accuracy --keys loss,epoch --format json logs/*.log': {
    files: EPOCH_LOGS,
    status: 0,
    check: (run) => {
      const table = JSON.parse(run.stdout) as Record<string, unknown>[];
      expect(table).toHaveLength(2);
      expect(Object.keys(table[0] ?? {})).toEqual(expect.arrayContaining(['execution', 'loss', 'epoch']));
    },
  },
  'vizmeta sort --by metadata.accuracy --keys loss,epoch --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"': {
    files: EPOCH_LOGS,
    status: 0,
    outputs: { 'step-summary.md': [/^\| # \| execution \| accuracy \|.*loss.*epoch/m, /^\|---/m, /logs\/(keras|valohai)\.log/] },
  },
  'vizmeta sort --by val_accuracy --keys accuracy,loss fixtures/runs/run-{1,2,4,6}.log': {
    files: { fixtures: 'fixtures' },
    status: 0,
  },
  'vizmeta sort --by lr --asc logs/*.log': {
    files: RUNS,
    status: 0,
    stdout: [/sorted by lr, lowest first/],
  },
  'vizmeta sort --by my_metric --higher-is-better my_metric logs/*.log': {
    files: { logs: 'fixtures/examples/my-metric' },
    status: 0,
    stdout: [/^1 +exp-b\.log +0\.74/m, /^3 +exp-c\.log +0\.18/m, /sorted by my_metric, highest first: higher is better/],
  },
  'vizmeta sort --by eval_accuracy runs/': {
    // an mlruns/ tree of two runs, each named by its mlflow.runName
    files: { runs: 'fixtures/examples/mlruns' },
    status: 0,
    stdout: [/^1 +…\w+ \(lr-low\) +0\.83 /m, /^2 +…\w+ \(lr-high\) +0\.78 /m, /sorted by eval_accuracy, highest first/],
  },

  // ── compare ─────────────────────────────────────────────────────────────────────────────
  'vizmeta compare --format markdown fixtures/runs/run-1.log fixtures/runs/run-2.log': {
    files: { fixtures: 'fixtures' },
    status: 0,
  },
  'vizmeta compare main.log pr.log': {
    files: MAIN_PR,
    status: 0,
    // deltas against main.log, and without colour the verdict in words
    stdout: [/^accuracy +↑ +0\.9124 +0\.8736 \(-0\.0388, worse\)$/m, /^loss +↓ +0\.166563 +0\.192395 \(\+0\.02583, worse\)$/m, /^optimizer +sgd +≠ adam$/m],
  },
  'vizmeta compare --keys accuracy,val_loss --format markdown main.log pr.log > comment.md': {
    files: MAIN_PR,
    status: 0,
    outputs: { 'comment.md': [/^\| accuracy \| higher is better \| 0\.9124 \| \*\*0\.8736 \(-0\.0388, worse\)\*\* \|$/m, /^\| val_loss \| lower is better \|.*worse/m] },
    check: (run) => expect(run.stdout).toBe(''),
  },
  'vizmeta compare --format markdown main.log pr.log > comment.md': {
    files: MAIN_PR,
    status: 0,
    outputs: { 'comment.md': [/^\| key \| direction \| main\.log \(base\) \| pr\.log \|$/m, /worse/, /^\| optimizer \| sgd \| ≠ adam \|$/m] },
  },
  'vizmeta compare git:origin/main:metrics/train.log metrics/train.log': {
    ...PR_CLONE,
    command: inPrClone('vizmeta compare git:origin/main:metrics/train.log metrics/train.log'),
    status: 0,
    stdout: [/^key +dir +git:origin\/main:metrics\/train\.log \(base\) +metrics\/train\.log$/m, /^accuracy +↑ +0\.9124 +0\.8736 \(-0\.0388, worse\)$/m],
  },
  'vizmeta compare --join step --keys loss a.log b.log': {
    files: A_B,
    status: 0,
    stdout: [/loss \[a\.log\]/, /loss \[b\.log\]/, /^ *5000 /m],
  },
  'vizmeta compare --keys accuracy,val_loss logs/baseline.log logs/try-*.log': {
    files: { 'logs/baseline.log': 'fixtures/runs/run-1.log', 'logs/try-adamw.log': 'fixtures/runs/run-4.log', 'logs/try-sgd.log': 'fixtures/runs/run-7.log' },
    status: 0,
    stdout: [/^key +dir +baseline\.log \(base\) +try-adamw\.log +try-sgd\.log$/m, /^accuracy +↑ +0\.9124 +0\.9461 \(\+0\.0337, better\) +0\.8019 \(-0\.1105, worse\)$/m, /^val_loss +↓ /m],
    check: (run) => expect(run.stdout).not.toMatch(/^loss /m),
  },

  // ── table ───────────────────────────────────────────────────────────────────────────────
  'vizmeta table train.log': {
    files: { 'train.log': 'fixtures/examples/epochs.log' },
    status: 0,
    stdout: [/^optimizer +batch_size +seed +epoch +step +loss +accuracy/m, /^ *– .* 3 +12 +0\.2433 +0\.9009$/m],
  },
  "vizmeta table --where 'loss < 0.5' --by accuracy --limit 10 logs/*.log": {
    files: RUNS,
    status: 0,
    check: (run) => {
      const [header = '', , ...lines] = run.stdout.split('\n');
      const column = header.trim().split(/\s+/).indexOf('accuracy');
      const table = lines.filter((line) => /^run-\d\.log /.test(line)).map((line) => line.trim().split(/\s+/));
      expect(table).toHaveLength(10);
      expect(table.every((row) => Number(row[header.trim().split(/\s+/).indexOf('loss')]) < 0.5)).toBe(true);
      const accuracy = table.map((row) => Number(row[column]));
      expect(accuracy).toEqual([...accuracy].sort((a, b) => b - a));
      expect(accuracy[0]).toBe(0.953405);
    },
  },
  "vizmeta table --group-by epoch --agg 'mean(loss),max(accuracy),count()' train.log": {
    files: { 'train.log': 'fixtures/examples/epochs.log' },
    status: 0,
    stdout: [/^epoch +mean\(loss\) +max\(accuracy\) +count\(\)$/m, /^ +1 +1\.03263 +0\.6601 +4$/m, /^ +3 +0\.27 +0\.9035 +4$/m],
  },
  'vizmeta table --join step --keys loss a.log b.log': {
    files: A_B,
    status: 0,
    stdout: [/loss \[a\.log\]/, /loss \[b\.log\]/],
  },
  'vizmeta table --renderer ./my-viz.mjs --renderer-option bins=20 train.log': {
    files: { 'train.log': 'fixtures/examples/epochs.log', ...MY_VIZ },
    status: 0,
    stdout: [/^13 records, best accuracy 0\.9035\n$/],
  },

  // ── stats ───────────────────────────────────────────────────────────────────────────────
  'vizmeta stats train.log': {
    files: { 'train.log': 'fixtures/runs/run-3.log' },
    status: 0,
    stdout: [/^loss /m, /^accuracy /m, /^val_loss /m],
  },
  'vizmeta stats --keys loss,accuracy --format markdown logs/*.log': {
    files: RUNS,
    status: 0,
    stdout: [/^\| key \|/m, /^\| loss \|/m, /^\| accuracy \|/m],
    check: (run) => expect(run.stdout).not.toMatch(/^\| val_loss/m),
  },
  'vizmeta stats --keys loss,accuracy --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"': {
    files: RUNS,
    status: 0,
    outputs: { 'step-summary.md': [/^\| key \|/m, /^\| loss \|/m, /^\| accuracy \|/m] },
  },

  // ── gate ────────────────────────────────────────────────────────────────────────────────
  "vizmeta gate --when 'metadata.accuracy >= 0.9' logs/run.log": {
    files: { 'logs/run.log': 'fixtures/runs/run-1.log' },
    status: 0,
    stdout: [/PASS +metadata\.accuracy >= 0\.9: accuracy = 0\.9124/],
  },
  "vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log >> \"$GITHUB_STEP_SUMMARY\"": {
    files: RUNS,
    status: 1,
    outputs: { 'step-summary.md': [/^\|.*\|$/m, /logs\/run-2\.log/, /FAIL|fail/, /max\(val_loss\) < 2/] },
  },
  'vizmeta gate --baseline main.log --max-drop accuracy=0.01 --max-drop loss=5% --github pr.log': {
    files: MAIN_PR,
    status: 1,
    stdout: [/^::error file=pr\.log,line=\d+,.*::accuracy drop vs baseline <= 0\.01: .*fell 0\.0388 \(worse\)/m, /^::error file=pr\.log,line=\d+,.*::loss drop vs baseline <= 5%25: .*rose 0\.02583 \(worse\)/m],
  },
  'vizmeta gate --baseline s3://ml-logs/main/train.log --max-drop accuracy=0.01 train.log': {
    files: { 'train.log': 'fixtures/runs/run-2.log' },
    command: withS3('vizmeta gate --baseline s3://ml-logs/main/train.log --max-drop accuracy=0.01 train.log'),
    why: WITH_S3,
    status: 1,
    stdout: [/FAIL +accuracy drop vs baseline <= 0\.01: accuracy = 0\.8736 \(latest\), baseline 0\.9124/],
    timeoutMs: 60_000,
  },
  'vizmeta gate --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log': {
    ...PR_CLONE,
    command: inPrClone('vizmeta gate --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log'),
    status: 1,
    stdout: [/^ +FAIL +accuracy drop vs baseline <= 0\.01: accuracy = 0\.8736 \(latest\), baseline 0\.9124 .*fell 0\.0388 \(worse\)/m],
  },
  'vizmeta gate --schema metadata.schema.json --junit gate.xml logs/*.log': {
    // the schema says loss is a number: run-3's NaN loss is not
    files: { ...RUNS, 'metadata.schema.json': 'fixtures/examples/metadata.schema.json' },
    status: 1,
    stderr: [/run-3\.log:\d+: schema: \/loss must be number/],
    outputs: { 'gate.xml': [/<testsuite [^>]*name="logs\/run-1\.log"/, /<testsuite [^>]*name="logs\/run-3\.log"[^>]*failures="1"/, /<failure/] },
  },
  "vizmeta gate --when 'metadata.accuracy >= 0.9' --when 'val_accuracy > 0.85' fixtures/runs/*.log": {
    files: { fixtures: 'fixtures' },
    status: 1,
  },
  "vizmeta gate --when 'metadata.accuracy >= 0.9' run.log": {
    files: { 'run.log': 'fixtures/runs/run-2.log' },
    status: 1,
    stdout: [/FAIL +metadata\.accuracy >= 0\.9/],
  },

  // ── matrix ──────────────────────────────────────────────────────────────────────────────
  'vizmeta matrix train.log': {
    files: { 'train.log': 'fixtures/matrix/evolving.log' },
    status: 0,
    stdout: [/^Confusion matrix: confusion_matrix · train\.log:45 \(latest of 4\)/m, /^accuracy +0\.840 +150$/m],
  },
  'vizmeta matrix --all --key val_cm train.log': {
    files: { 'train.log': 'fixtures/examples/val-cm.log' },
    status: 0,
    check: (run) => {
      expect(rows(run.stdout, /^Confusion matrix: val_cm · train\.log:\d/)).toBe(3);
      expect(run.stdout).not.toMatch(/train_cm/);
    },
  },
  'vizmeta matrix --normalize true train.log': {
    files: { 'train.log': 'fixtures/matrix/evolving.log' },
    status: 0,
    stdout: [/% of each actual class \(rows sum to 100\)/, /^cat +█ 84\.0 ░ 12\.0 ░ +4\.0$/m],
  },
  'vizmeta matrix --labels cat,dog,bird confusion_matrix.csv': {
    files: { 'confusion_matrix.csv': 'fixtures/matrix/kubeflow.csv' },
    status: 0,
    stdout: [/^actual +cat +dog +bird$/m, /150 samples/],
  },
  'vizmeta matrix predictions.csv': {
    files: { 'predictions.csv': 'fixtures/matrix/samples.csv' },
    status: 0,
    stdout: [/150 samples/, /^accuracy +0\.840 +150$/m],
  },
  'vizmeta matrix --format markdown run.log >> "$GITHUB_STEP_SUMMARY"': {
    files: { 'run.log': 'fixtures/matrix/evolving.log' },
    status: 0,
    outputs: { 'step-summary.md': [/^\| actual/m, /^\|---/m, /\| cat \|/] },
  },

  // ── roc ─────────────────────────────────────────────────────────────────────────────────
  'vizmeta roc eval.log': {
    files: { 'eval.log': 'fixtures/roc/roc.log' },
    status: 0,
    stdout: [/^── chance \(AUC 0\.5\) +━━ eval\.log \(AUC 0\.9220\)$/m, /^eval\.log +0\.9220 +47$/m],
  },
  'vizmeta roc train.log': {
    files: { 'train.log': 'fixtures/roc/roc.log' },
    status: 0,
    stdout: [/^── chance \(AUC 0\.5\) +━━ train\.log \(AUC 0\.9220\)$/m, /^train\.log +0\.9220 +47$/m],
  },
  'vizmeta roc roc.csv': {
    files: { 'roc.csv': 'fixtures/roc/generated.csv' },
    status: 0,
    stdout: [/^roc\.csv +0\.9220 +47$/m],
  },
  'vizmeta roc --score-col p_cat --target-col y --true-class cat predictions.csv': {
    files: { 'predictions.csv': 'fixtures/examples/predictions-y.csv' },
    status: 0,
    // 40 samples, cat positive: computed from the scores
    stdout: [/^predictions\.csv +0\.7662 +21$/m],
  },
  'vizmeta roc --score-col p_cat --true-class cat predictions.csv': {
    files: { 'predictions.csv': 'fixtures/examples/predictions.csv' },
    status: 0,
    // the target column found by its name (label), cat positive; AUC as sklearn's roc_auc_score gives it
    stdout: [/^predictions\.csv +0\.7662 +21$/m],
    check: () => expect(rankAuc(readFileSync(join(ROOT, 'fixtures/examples/predictions.csv'), 'utf8'), 'cat')).toBeCloseTo(0.76625, 6),
  },
  'vizmeta roc runs/a.log runs/b.log': {
    files: { 'runs/a.log': 'fixtures/roc/roc.log', 'runs/b.log': 'fixtures/examples/roc-b.log' },
    status: 0,
    stdout: [/━━ a\.log \(AUC 0\.9220\) .*b\.log \(AUC 0\.8213\)/, /^a\.log +0\.9220 +47$/m, /^b\.log +0\.8213 +6$/m],
  },

  // ── view ────────────────────────────────────────────────────────────────────────────────
  // ── report ──────────────────────────────────────────────────────────────────────────────
  'vizmeta report logs/*.log -o report.html': {
    files: RUNS,
    status: 0,
    stderr: [/^vizmeta: wrote report\.html \(8 runs, \d+ charts, \d+ KB\)$/m],
    outputs: { 'report.html': [/^<!doctype html>/, /Ranked by loss, lowest first/, /<figure class="chart" id="chart-1"/, /<script type="application\/json" id="vizmeta-data">/] },
  },
  'vizmeta report --by eval_accuracy --smooth 0.6 runs/ -o report.html': {
    // an mlruns/ tree of two runs, ranked best first; the page opens with smoothing 0.6
    files: { runs: 'fixtures/examples/mlruns' },
    status: 0,
    outputs: { 'report.html': [/Ranked by eval_accuracy, highest first: higher is better\./, /id="smoothing" type="range" min="0" max="0\.99" step="0\.01" value="0\.6"/, /\(lr-low\)[\s\S]*\(lr-high\)/] },
  },
  "vizmeta report --when 'accuracy >= 0.9' logs/*.log -o report.html": {
    files: RUNS,
    status: 1,
    outputs: { 'report.html': [/✗ Gate failed: \d+ of 8 checks did not pass/, /run-7\.log<\/td><td><code>accuracy &gt;= 0\.9<\/code><\/td><td class="status fail">/] },
  },
  'vizmeta report --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log -o report.html': {
    ...PR_CLONE,
    command: inPrClone('vizmeta report --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log -o report.html'),
    status: 1,
    outputs: { 'report.html': [/✗ Gate failed: 1 of 1 check did not pass/, /fell 0\.0388 \(worse\)/] },
  },
  'vizmeta report mlpipeline-ui-metadata.json confusion.csv -o report.html': {
    files: {
      'mlpipeline-ui-metadata.json': 'fixtures/kubeflow/mlpipeline-ui-metadata.json',
      'confusion_matrix.csv': 'fixtures/kubeflow/confusion_matrix.csv',
      'roc.csv': 'fixtures/kubeflow/roc.csv',
      'confusion.csv': 'fixtures/matrix/kubeflow.csv',
    },
    status: 0,
    outputs: { 'report.html': [/<h2>Confusion matrices<\/h2><h3>confusion\.csv<\/h3>/, /<h2>Kubeflow outputs<\/h2>/, /Training summary/, /AUC 0\.9220/] },
  },

  'vizmeta view mlpipeline-ui-metadata.json': {
    files: {
      'mlpipeline-ui-metadata.json': 'fixtures/kubeflow/mlpipeline-ui-metadata.json',
      'confusion_matrix.csv': 'fixtures/kubeflow/confusion_matrix.csv',
      'roc.csv': 'fixtures/kubeflow/roc.csv',
    },
    status: 0,
    stdout: [/^1\. confusion_matrix · confusion_matrix\.csv$/m, /^2\. roc · roc\.csv$/m, /roc\.csv \(AUC 0\.9220\)/, /^3\. table · inline$/m, /^4\. markdown · inline$/m, /^5\. web-app · inline$/m, /tensorboard --logdir/],
  },
  'vizmeta view --format markdown artifacts/*/mlpipeline-ui-metadata.json >> "$GITHUB_STEP_SUMMARY"': {
    files: { 'artifacts/evaluate': 'fixtures/kubeflow', 'artifacts/train': 'fixtures/matrix' },
    status: 0,
    outputs: { 'step-summary.md': [/artifacts\/evaluate\/mlpipeline-ui-metadata\.json/, /artifacts\/train\/mlpipeline-ui-metadata\.json/, /^\|.*\|$/m] },
  },

  // ── summarize, merge, At scale ──────────────────────────────────────────────────────────
  'vizmeta summarize logs/*.log -o runs.vzs': {
    files: RUNS,
    status: 0,
    outputs: { 'runs.vzs': [/^\{"format":"vizmeta-summary","version":1,/, /"execution":"logs\/run-8\.log"/] },
    check: (run) => expect(run.stdout).toBe(''),
  },
  'vizmeta summarize --shard 0/3 logs/*.log -o part-0.vzs': {
    files: RUNS,
    status: 0,
    outputs: { 'part-0.vzs': [/"shard":\{"count":3,"indexes":\[0\],/, /"position":\d+/] },
  },
  'vizmeta sort --by accuracy runs.vzs': {
    files: RUNS,
    command: 'vizmeta summarize logs/*.log -o runs.vzs && vizmeta sort --by accuracy runs.vzs',
    why: 'runs.vzs is written first from fixtures/runs',
    status: 0,
    stdout: [/^1 +run-4\.log +0\.9461/m, /^8 +run-7\.log/m, /sorted by accuracy, highest first/],
  },
  'vizmeta stats runs.vzs new/*.log': {
    files: { ...RUNS, 'new/keras.log': 'fixtures/keras.log' },
    command: 'vizmeta summarize logs/*.log -o runs.vzs && vizmeta stats runs.vzs new/*.log',
    why: 'runs.vzs is written first from fixtures/runs; new/ holds a Keras log',
    status: 0,
    // accuracy: 910 records of fixtures/runs and the Keras log's epochs, one table.
    stdout: [/^accuracy +number +count 9\d\d/m, /^val_loss /m],
  },
  'vizmeta merge part-0.vzs part-1.vzs part-2.vzs -o all.vzs': {
    files: RUNS,
    command: 'for i in 0 1 2; do vizmeta summarize --shard $i/3 logs/*.log -o part-$i.vzs; done && vizmeta merge part-0.vzs part-1.vzs part-2.vzs -o all.vzs',
    why: 'the three parts are written first, one shard each of fixtures/runs',
    status: 0,
    outputs: { 'all.vzs': [/"shard":\{"count":3,"indexes":\[0,1,2\],/, /"execution":"logs\/run-1\.log","position":0,[^\n]*\n\{"execution":"logs\/run-2\.log","position":1,/] },
    check: (run) => expect(run.stderr).toBe(''),
  },
  'vizmeta merge --combine node-a.vzs node-b.vzs -o run.vzs': {
    files: { 'node-a/train.log': 'fixtures/runs/run-1.log', 'node-b/train.log': 'fixtures/runs/run-2.log' },
    command: '(cd node-a && vizmeta summarize train.log -o ../node-a.vzs) && (cd node-b && vizmeta summarize train.log -o ../node-b.vzs) && vizmeta merge --combine node-a.vzs node-b.vzs -o run.vzs',
    why: 'train.log is summarised on each "node" first (run-1 then run-2 stand for its two halves)',
    status: 0,
    // One execution: run-1's 101 records and run-2's 81.
    outputs: { 'run.vzs': [/^\{"execution":"train\.log","kind":"log","records":182,/m] },
    check: (run) => expect(readOutput(run.dir, 'run.vzs')?.trim().split('\n')).toHaveLength(2),
  },
  "vizmeta gate --when 'accuracy >= 0.8' all.vzs": {
    files: RUNS,
    command: "vizmeta summarize logs/*.log -o all.vzs && vizmeta gate --when 'accuracy >= 0.8' all.vzs",
    why: 'all.vzs is written first from fixtures/runs',
    status: 0,
    stdout: [/gate passed: 8 executions/],
  },
  'for i in 0 1 2; do vizmeta summarize --shard $i/3 logs/*.log -o part-$i.vzs & done; wait': {
    files: RUNS,
    status: 0,
    outputs: { 'part-0.vzs': [/"indexes":\[0\]/], 'part-1.vzs': [/"indexes":\[1\]/], 'part-2.vzs': [/"indexes":\[2\]/] },
  },
  'vizmeta sort --by accuracy all.vzs': {
    files: RUNS,
    command: 'for i in 0 1 2; do vizmeta summarize --shard $i/3 logs/*.log -o part-$i.vzs; done && vizmeta merge part-0.vzs part-1.vzs part-2.vzs -o all.vzs && vizmeta sort --by accuracy all.vzs',
    why: 'the At scale flow up to this line: three parts, merged',
    status: 0,
    stdout: [/^1 +run-4\.log +0\.9461/m, /^8 +run-7\.log/m],
  },
  "vizmeta summarize --shard 0/2 's3://ml-logs/2026-11/**/*.log' -o part-0.vzs": {
    command: withS3("vizmeta summarize --shard 0/2 's3://ml-logs/2026-11/**/*.log' -o part-0.vzs && vizmeta summarize --shard 1/2 's3://ml-logs/2026-11/**/*.log' -o part-1.vzs && vizmeta merge part-0.vzs part-1.vzs -o all.vzs && vizmeta sort --by accuracy all.vzs"),
    why: `${WITH_S3}; shard 1/2 is written too and both merged, to show the glob was split object by object`,
    status: 0,
    stdout: [/^1 +team-a\/run-4\.log +0\.9461/m, /^8 +team-b\/nightly\/run-7\.log/m],
    check: (run) => {
      const parts = ['part-0.vzs', 'part-1.vzs'].map((part) => (readOutput(run.dir, part) ?? '').trim().split('\n').length - 1);
      expect(parts[0]).toBeGreaterThan(0);
      expect(parts[1]).toBeGreaterThan(0);
      expect((parts[0] ?? 0) + (parts[1] ?? 0)).toBe(8);
    },
    timeoutMs: 60_000,
  },
};

describe('the README and --help examples', async () => {
  const top = (await runCli(['--help'])).stdout;
  const commands = [...top.matchAll(/^ {2}(\w+) \[options\]/gm)].map((m) => m[1] as string);
  const helps = await Promise.all(commands.map(async (command) => helpExamples((await runCli([command, '--help'])).stdout, command)));
  const fromReadme = readmeExamples(README);
  const fromHelp = [helpExamples(top, ''), ...helps];
  const examples: Example[] = mergeExamples([fromReadme, ...fromHelp]);
  const scratch: string[] = [];
  afterAll(() => scratch.forEach(removeScratch));

  it('finds them in the README and in every --help, and each has an entry here', () => {
    expect(fromReadme.length).toBeGreaterThanOrEqual(40);
    expect(commands.length).toBeGreaterThanOrEqual(13);
    for (const [i, list] of fromHelp.entries()) expect(list.length, `${i === 0 ? 'vizmeta' : commands[i - 1]} --help has examples`).toBeGreaterThan(0);
    expect(examples.filter((example) => !(example.text in EXPECT)).map((example) => `${example.text}   (${example.sources.join('; ')})`)).toEqual([]);
  });

  it('has no entry for an example that is no longer shown', () => {
    const shown = new Set(examples.map((example) => example.text));
    expect(Object.keys(EXPECT).filter((text) => !shown.has(text))).toEqual([]);
  });

  for (const example of examples) {
    const expectation = EXPECT[example.text];
    if (!expectation) continue;
    const name = `${example.text}   [${example.sources.join('; ')}]`;
    if (expectation.skip !== undefined) {
      it.skip(`${name} (${expectation.skip})`, () => {});
      continue;
    }
    const test = expectation.todo !== undefined ? it.fails : it.concurrent;
    test(expectation.todo !== undefined ? `${name} — TODO: ${expectation.todo}` : name, async () => {
      const run = await runExample(example, expectation);
      scratch.push(run.dir);
      const context = `${example.text}\n--- exit ${String(run.status)}${run.signal ? ` (${run.signal})` : ''}${run.timedOut ? ' (timed out)' : ''}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-2000)}`;
      expect(run.status, context).toBe(expectation.status);
      for (const pattern of expectation.stdout ?? []) expect(run.stdout, context).toMatch(pattern);
      for (const pattern of expectation.stderr ?? []) expect(run.stderr, context).toMatch(pattern);
      for (const [path, patterns] of Object.entries(expectation.outputs ?? {})) {
        const text = readOutput(run.dir, path);
        expect(text, `${path} was not written\n${context}`).toBeDefined();
        for (const pattern of patterns) expect(text, `${path}\n${context}`).toMatch(pattern);
      }
      if (example.shown) expect(missingShownLines(example.shown, run.stdout), `lines the README shows\n${context}`).toEqual([]);
      expectation.check?.(run);
    });
  }
});
