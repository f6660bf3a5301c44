/**
 * `vizmeta report [FILE...] -o report.html`: one self-contained HTML page for people to look at,
 * in a CI artifact or from disk: the runs ranked as `sort` ranks them, their settings side by
 * side, one interactive chart per metric (runs overlaid), confusion matrices, ROC curves and
 * Kubeflow outputs, and with `--when`/`--baseline`/`--max-drop` the gate's results. The page is
 * written even when the gate fails; the exit status is the gate's.
 *
 * Inputs are read as the other commands read them: logs, folders, framework files and Kubeflow
 * metrics files are executions; an `mlpipeline-ui-metadata.json` is a set of Kubeflow outputs; a
 * CSV is a confusion matrix or ROC data; `-` is stdin (kept in a temporary file, because the
 * charts, the ranking and the gate each read the inputs).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { parseKeyGroups, parseKeyList } from '../core/keys.js';
import { folderNote, shortNames } from '../core/names.js';
import { formatCount } from '../core/format.js';
import { warn, writeOutput, type CommandIO } from '../core/io.js';
import { DashboardModel } from '../analyse/dashboard-model.js';
import { reportCharts } from '../analyse/report-model.js';
import { aggregateLabel, defaultKeys, sortExecutions, sortOrder, topRows } from '../analyse/sort.js';
import { aggregateOf, lookupKey, type ExecutionSummary } from '../analyse/summary.js';
import { MatrixBuilder, analyseMatrix } from '../analyse/matrix.js';
import { RocCurveBuilder } from '../analyse/roc-input.js';
import { outputView } from '../analyse/view.js';
import { baseDirOf, loadSource, locateSource, parseUiMetadata, sourceFolders } from '../formats/kubeflow-ui.js';
import { readInputs } from '../input/read-inputs.js';
import { summarizeExecutions } from '../input/executions.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, inputsPlace, requireKeysInExecutions, type ExecutionCommandOptions } from '../options/execution.js';
import { unknownKeyMessage } from '../core/vocabulary.js';
import { addOrderOptions, orderFrom, sortAggregates, type OrderFlags } from '../options/order.js';
import { collect, collectKeys, parseWholeNumber } from '../options/parse.js';
import { parseSmoothing } from '../live/options.js';
import { checkGate, prepareGate, type GateFlags } from '../options/gate.js';
import { displayName, readVisualInput } from '../formats/visual-input.js';
import { openNonLocalInput } from '../input/open-input.js';
import { renderReportHtml, type KubeflowSection, type RankedCell, type RankedTable, type ReportMatrix, type ReportPage, type ReportRoc } from '../render/report-html.js';
import { formatValue } from '../render/format.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';

export interface ReportOptions extends InputOptions, ExecutionCommandOptions, OrderFlags, GateFlags {
  /** Where the page goes; `-` is stdout. Required. */
  output?: string;
  /** The page's title. Default: the inputs' names. */
  title?: string;
  /** Which value of the `--by` key ranks the runs, as `sort --agg`. Default latest. */
  agg?: string | string[];
  /** Other columns of the ranking, as `sort --keys`; also the charts' keys when given with `+` groups. */
  keys?: string[];
  /** Only the first N runs in the ranking. */
  limit?: number;
  /** Chart only these keys ('a+b' shares a chart). Default every metric. */
  chartKeys?: string[];
  /** The charts' x axis, as `chart --x`. */
  x?: string;
  /** The smoothing the page opens with, in [0, 1). Default 0. */
  smooth?: number;
}

/** Points kept per line: 1,000 min/max buckets, as fine as a wide screen can show. */
const REPORT_CAPACITY = 2000;

/** Where ROC arrays are looked for in records: `roc`'s defaults. */
const ROC_KEYS = { fprKey: 'fpr', tprKey: 'tpr', thresholdsKey: 'thresholds' };

/** How much of a JSON file is looked at to tell a Kubeflow UI metadata file. */
const SNIFF_BYTES = 64 * 1024;

type Classified = { kind: 'execution'; path: string } | { kind: 'kubeflow-ui'; path: string; text: string } | { kind: 'csv'; path: string };

/** Whether a `.json` file is a Kubeflow `mlpipeline-ui-metadata.json` (an object with an `outputs` array). */
async function kubeflowUiText(path: string): Promise<string | undefined> {
  let handle;
  try {
    // A FIFO or a device is not opened to look at it: that would take bytes, or a writer, from the read that follows.
    if (!(await stat(path)).isFile()) return undefined;
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile() || info.size > 16 * 1024 * 1024) return undefined;
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
    await handle.read(head, 0, head.length, 0);
    if (!/"outputs"\s*:/.test(head.toString('utf8'))) return undefined;
    const text = await readFile(path, 'utf8');
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && Array.isArray((parsed as { outputs?: unknown }).outputs) ? text : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

async function classify(path: string): Promise<Classified> {
  if (path === '-') return { kind: 'execution', path };
  if (/\.csv$/i.test(path)) return { kind: 'csv', path };
  if (/\.json$/i.test(path)) {
    const text = await kubeflowUiText(path);
    if (text !== undefined) return { kind: 'kubeflow-ui', path, text };
  }
  return { kind: 'execution', path };
}

/** Whether a record holds an array or object (a matrix, ROC arrays): only those are looked at for them. */
function holdsStructure(record: MetadataRecord): boolean {
  for (const key in record.values) {
    const value = record.values[key];
    if (value !== null && typeof value === 'object') return true;
  }
  return false;
}

function cellOf(value: JsonValue | undefined): RankedCell {
  if (value === undefined) return { text: 'missing', tone: 'missing' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { text: formatValue(value), tone: 'bad' };
  return { text: formatValue(value) };
}

function historyOf(execution: ExecutionSummary, key: string): number[] {
  return (lookupKey(execution, key)?.history ?? []).map((point) => point.y);
}

/** The key runs are ranked by when none is named: the first charted metric with a direction, else the first charted. */
function defaultRankKey(page: { charts: { keys: string[]; tendency: string }[] }): string | undefined {
  const directed = page.charts.find((chart) => chart.tendency !== 'neutral');
  return (directed ?? page.charts[0])?.keys[0];
}

async function spoolStdin(io: CommandIO): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'vizmeta-report-'));
  const path = join(folder, 'stdin');
  await pipeline(io.stdin, createWriteStream(path));
  return { path, cleanup: () => rm(folder, { recursive: true, force: true }) };
}

/** The client script and uPlot's CSS, built beside the code (dist/report-client.js, .css). */
async function loadAssets(): Promise<{ script: string; css: string }> {
  // dist/commands/report.js (or the program bundle, which keeps that URL) finds dist/; the tests,
  // running src/commands/report.ts, find the built copy in dist/ too.
  const candidates = [new URL('../report-client.js', import.meta.url), new URL('../../dist/report-client.js', import.meta.url)];
  for (const scriptUrl of candidates) {
    try {
      const script = await readFile(scriptUrl, 'utf8');
      const css = await readFile(new URL('./report-client.css', scriptUrl), 'utf8');
      return { script, css };
    } catch {
      // Try the next place.
    }
  }
  throw new Error('report: the page\'s script (dist/report-client.js) is missing: run npm run build');
}

function version(): Promise<string> {
  return readFile(new URL('../../package.json', import.meta.url), 'utf8').then((text) => (JSON.parse(text) as { version: string }).version);
}

function titleOf(inputs: readonly string[], labels: ReadonlyMap<string, string>): string {
  const names = inputs.map((input) => labels.get(input) ?? input);
  if (names.length === 1) return names[0] as string;
  const short = shortNames(names);
  if (short.folder !== undefined) return `${formatCount(names.length)} inputs in ${short.folder}`;
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${formatCount(names.length - 2)} more`;
}

export async function runReport(inputs: string[], options: ReportOptions, io: CommandIO): Promise<number> {
  if (options.output === undefined) throw new UsageError('report: give -o FILE for the page (e.g. -o report.html), or -o - for stdout');
  const context = commandContext(io, options);
  // A bad expression or flag is exit 2 before anything is read, as in gate.
  const gate = prepareGate(options, context);
  const directions = directionOverrides(options, context);
  const flags = orderFrom(options);
  let status: number = ExitCode.ok;
  // What could not be read is said on stderr and, so the page does not pass over it, on the page.
  const problems: string[] = [];
  const fail = (message: string): void => {
    warn(io, message);
    problems.push(message);
    status = ExitCode.usage;
  };

  const labels = new Map<string, string>();
  let cleanup: (() => Promise<void>) | undefined;
  let resolved = [...inputs];
  if (inputs.includes('-')) {
    const spooled = await spoolStdin(io);
    cleanup = spooled.cleanup;
    labels.set(spooled.path, 'stdin');
    resolved = inputs.map((input) => (input === '-' ? spooled.path : input));
  }
  try {
    const classified = await Promise.all(resolved.map(classify));
    const executionInputs = classified.filter((item) => item.kind === 'execution').map((item) => item.path);
    const label = (source: string): string => labels.get(source) ?? source;

    // The charts, and any confusion matrix or ROC arrays the records hold.
    const named = parseKeyGroups(options.chartKeys ?? []);
    const model = new DashboardModel({
      capacity: REPORT_CAPACITY,
      directions,
      ...(named.length > 0 ? { keys: named } : {}),
      ...(options.x !== undefined ? { x: options.x } : {}),
    });
    for (const input of executionInputs) model.register(label(input));
    const matrixBuilders = new Map<string, MatrixBuilder>();
    const rocBuilders = new Map<string, RocCurveBuilder>();
    const lines = new Map<string, number>();
    const read = readOptionsFrom(options);
    if (executionInputs.length > 0) {
      // An input that cannot be read is said once, here; the summaries below skip it quietly.
      await readInputs(executionInputs, () => io.stdin, {
        record: (record) => {
          model.observe(record, label(record.source));
          if (!holdsStructure(record)) return;
          const source = record.source;
          let matrices = matrixBuilders.get(source);
          if (!matrices) matrixBuilders.set(source, (matrices = new MatrixBuilder(source, {})));
          let rocs = rocBuilders.get(source);
          if (!rocs) rocBuilders.set(source, (rocs = new RocCurveBuilder(source, ROC_KEYS)));
          matrices.add(record);
          rocs.add(record);
        },
        diagnostic: diagnosticWriter(io),
      }, read, {
        onNoRecords: (message) => warn(io, message),
        onError: fail,
        onInputEnd: (source, count) => lines.set(source, count),
        // A summary file (vizmeta summarize) is drawn from the histories it keeps of each key.
        onSummaryFile: async (path) => (await import('../input/summary-files.js')).readSummaryRecords(path, {
          execution: (name) => model.register(label(name)),
          record: (record) => model.observe(record, label(record.source)),
          error: fail,
        }),
      });
    }
    const view = model.view();
    const runNames = shortNames(view.sources);
    const charts = reportCharts(view, runNames.names);
    const matrices: ReportMatrix[] = [];
    const rocs: ReportRoc[] = [];
    for (const [source, builder] of matrixBuilders) {
      try {
        const { result } = builder.finish({ kind: 'log', lines: lines.get(source) ?? 0 });
        for (const found of result.found) matrices.push({ title: `${label(source)}${found.key !== null ? ` · ${found.key}` : ''}`, analysis: analyseMatrix(found.matrix, 'none') });
      } catch {
        // Records with arrays that are not a matrix: nothing to show.
      }
    }
    for (const [source, builder] of rocBuilders) {
      try {
        for (const found of builder.finish({ kind: 'log', lines: lines.get(source) ?? 0 }).found) rocs.push({ label: label(source), curve: found.curve, auc: found.auc });
      } catch {
        // No fpr/tpr arrays in this log.
      }
    }

    // CSV inputs: a confusion matrix, else ROC data, read once and settled as `matrix` and `roc` settle them.
    for (const item of classified.filter((c) => c.kind === 'csv')) {
      const matrixBuilder = new MatrixBuilder(item.path, {});
      const rocBuilder = new RocCurveBuilder(item.path, ROC_KEYS);
      let content;
      try {
        content = await readVisualInput(item.path, io, { record: (record) => { matrixBuilder.add(record); rocBuilder.add(record); }, diagnostic: diagnosticWriter(io) }, read, undefined, openNonLocalInput);
      } catch (error) {
        fail((error as Error).message);
        continue;
      }
      try {
        for (const found of matrixBuilder.finish(content).result.found) matrices.push({ title: label(item.path), analysis: analyseMatrix(found.matrix, 'none') });
      } catch (matrixError) {
        try {
          for (const found of rocBuilder.finish(content).found) rocs.push({ label: label(item.path), curve: found.curve, auc: found.auc });
        } catch {
          fail(`${displayName(item.path)}: neither a confusion matrix nor ROC data (${(matrixError as Error).message.replace(/^[^:]*: /, '')})`);
        }
      }
    }

    // Kubeflow UI metadata files: every output, as `view` reads them (sources only inside the file's folder).
    const kubeflow: ReportPage['kubeflow'] = [];
    for (const item of classified) {
      if (item.kind !== 'kubeflow-ui') continue;
      kubeflow.push({ file: label(item.path), sections: await kubeflowSections(item.path, item.text, io, fail) });
    }

    // One summary pass for the ranking and the gate: every key, the ranked key's history.
    const by = flags.by ?? defaultRankKey(charts);
    let executions: ExecutionSummary[] = [];
    if (executionInputs.length > 0 && (by !== undefined || gate !== undefined)) {
      executions = (await summarizeExecutions(executionInputs, {
        keys: 'all',
        history: new Set(by !== undefined ? [by] : []),
        read,
        ...(context.schema ? { schema: context.schema } : {}),
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
        stdin: () => io.stdin,
      })).map((execution) => ({ ...execution, execution: label(execution.execution) }));
      if (executions.some((execution) => execution.error !== undefined)) status = ExitCode.usage;
    }
    const readable = executions.filter((execution) => execution.error === undefined);
    const shownInputs = executionInputs.map(label);
    // A key named on the command line that no run has is a typo: exit 2 with the closest keys, as sort and chart say.
    if (readable.length > 0) {
      await requireKeysInExecutions([...(flags.by !== undefined ? [flags.by] : []), ...parseKeyList(options.keys)], readable, shownInputs);
      const known = model.knownKeys();
      const unknown = named.flat().find((key) => !known.includes(key));
      if (unknown !== undefined) throw new UsageError(unknownKeyMessage(unknown, inputsPlace(shownInputs), known));
    }

    // The ranking, as sort ranks.
    let table: RankedTable | undefined;
    if (by !== undefined && readable.length > 0) {
      const { aggregate, more } = sortAggregates(options.agg, by);
      const order = sortOrder(by, aggregate, flags, directions);
      const chosen = parseKeyList(options.keys);
      const shown = [by, ...more.filter((item) => item.aggregate === 'latest').map((item) => item.key)];
      const others = chosen.length > 0 ? chosen.filter((key) => !shown.includes(key)) : defaultKeys(readable, shown);
      const { rows, hidden } = topRows(sortExecutions(readable, by, aggregate, order.ascending), options.limit);
      const short = shortNames(rows.map((row) => row.execution.execution));
      const runs = view.sources;
      const first = order.ascending ? 'lowest first' : 'highest first';
      const better = order.tendency === 'max' ? ': higher is better' : order.tendency === 'min' ? ': lower is better' : '';
      table = {
        caption: `Ranked by ${aggregateLabel(by, aggregate)}, ${first}${order.chosenBy === 'asc' || order.chosenBy === 'desc' ? ` (--${order.chosenBy})` : better}${flags.by === undefined ? ' (choose with --by)' : ''}.`,
        columns: [aggregateLabel(by, aggregate), ...more.map((item) => aggregateLabel(item.key, item.aggregate)), ...others],
        rows: rows.map((row, i) => ({
          rank: row.rank,
          name: short.names[i] ?? row.execution.execution,
          path: row.execution.execution,
          run: Math.max(0, runs.indexOf(row.execution.execution)),
          cells: [cellOf(row.value), ...more.map((item) => cellOf(aggregateOf(row.execution, item.key, item.aggregate))), ...others.map((key) => cellOf(aggregateOf(row.execution, key, 'latest')))],
          spark: historyOf(row.execution, by),
        })),
        hidden,
        folder: short.folder !== undefined ? folderNote(short.folder).replace(/^files in /, '') : undefined,
      };
    }

    // The gate, as gate decides, on the same summaries.
    let gateReport;
    if (gate !== undefined) {
      const { report, failedInput } = await checkGate(executionInputs, gate, options, io, context, executions);
      gateReport = report;
      if (failedInput || report.errored) status = ExitCode.usage;
      else if (!report.passed && status === ExitCode.ok) status = ExitCode.failed;
    }

    const notes: string[] = [...problems, ...executions.flatMap((execution) => (execution.error !== undefined && !problems.some((problem) => problem.includes(execution.error as string)) ? [execution.error] : []))];
    if (view.droppedKeys > 0) notes.push(`${formatCount(view.droppedKeys)}${view.droppedKeysCapped ? '+' : ''} more keys were not charted (at most 64 are); name the ones you want with --chart-keys`);
    const page: ReportPage = {
      title: options.title ?? titleOf(inputs.length === 1 && inputs[0] === '-' ? ['stdin'] : resolved, labels),
      generated: new Date().toISOString(),
      version: await version(),
      inputs: resolved.map(label),
      runs: [...view.sources],
      charts,
      smoothing: options.smooth ?? 0,
      table,
      gate: gateReport,
      matrices,
      rocs,
      kubeflow,
      notes,
    };
    const html = renderReportHtml(page, await loadAssets(), runNames.names);
    await writeReport(options.output, html, io);
    if (options.output !== '-') {
      const size = Buffer.byteLength(html);
      warn(io, `wrote ${options.output} (${view.sources.length} run${view.sources.length === 1 ? '' : 's'}, ${charts.charts.length} chart${charts.charts.length === 1 ? '' : 's'}, ${size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`})`);
    }
    return status;
  } finally {
    await cleanup?.();
  }
}

/** Writes the page whole or not at all: a reader never opens half a report. */
async function writeReport(output: string, html: string, io: CommandIO): Promise<void> {
  if (output === '-') {
    await writeOutput(io, html);
    return;
  }
  const path = resolve(io.cwd, output);
  try {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) throw new Error('is a folder');
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    await writeFile(temporary, html);
    await rename(temporary, path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`-o ${output}: cannot write the report (${reason})`);
  }
}

async function kubeflowSections(path: string, text: string, io: CommandIO, fail: (message: string) => void): Promise<KubeflowSection[]> {
  const name = path;
  const metadata = parseUiMetadata(text, name);
  const baseDir = baseDirOf(path, io.cwd);
  const folders = await sourceFolders(path, io.cwd);
  const sections: KubeflowSection[] = [];
  let markdown: ((text: string) => string) | undefined;
  for (const output of metadata.outputs) {
    const location = locateSource(output, baseDir);
    const shown = outputView(output, location, await loadSource(output, location, folders), name);
    const heading = `${output.type} (output ${output.index})`;
    switch (shown.kind) {
      case 'table':
        sections.push({ kind: 'table', heading, table: shown.table });
        break;
      case 'markdown':
        markdown ??= (await import('../render/markdown-html.js')).markdownToSafeHtml;
        sections.push({ kind: 'markdown', heading, html: markdown(shown.text) });
        break;
      case 'confusion_matrix':
        sections.push({ kind: 'matrix', heading: `${heading} · ${shown.name}`, analysis: shown.analysis });
        break;
      case 'roc':
        sections.push({ kind: 'roc', heading: `${heading} · ${shown.name}`, roc: { label: shown.name, curve: shown.roc.curve, auc: shown.roc.auc } });
        break;
      case 'web-app':
        sections.push({ kind: 'note', heading, note: 'a web app: not embedded (the report runs no other page); open it from the pipeline' });
        break;
      case 'tensorboard':
        sections.push({ kind: 'note', heading, note: 'a TensorBoard output: point vizmeta at its log folder to chart it' });
        break;
      case 'remote':
        sections.push({ kind: 'note', heading, note: `stored at ${shown.url}: not fetched` });
        break;
      case 'unknown':
        sections.push({ kind: 'note', heading, note: 'an output type vizmeta does not know' });
        break;
      case 'error':
        sections.push({ kind: 'note', heading, note: 'not shown: see the error on stderr' });
        fail(shown.message);
        break;
    }
  }
  return sections;
}

export function registerReport(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('report')
    .description('write one self-contained HTML page: ranked runs, settings, interactive charts, confusion matrices, ROC curves, Kubeflow outputs and the gate')
    .argument('[files...]', 'logs, folders, framework files, Kubeflow metadata, CSVs; - or nothing reads stdin')
    .requiredOption('-o, --output <file>', 'where to write the page (- for stdout)')
    .option('--title <text>', 'the page\'s title (default: the inputs\' names)');
  addOrderOptions(command, 'key to rank the runs by (default: the first charted metric with a direction)');
  command
    .option('--agg <list>', 'which value of the --by key ranks, as sort --agg (default latest); repeatable', collect)
    .option('--keys <keys>', 'other columns of the ranking, comma-separated', collectKeys)
    .option('--limit <n>', 'rank only the first N runs', parseWholeNumber('--limit'))
    .option('--chart-keys <keys>', "chart only these keys; 'loss+val_loss' shares a chart (default: every metric, pairs together)", collectKeys)
    .option('--x <key>', 'the charts\' x axis: a metadata key, or _time for elapsed time')
    .option('--smooth <weight>', 'the smoothing the page opens with, in [0, 1) (a slider changes it)', parseSmoothing)
    .option('--when <expr>', 'a gate condition every execution must meet (repeatable)', collect)
    .addOption(new Option('--missing <policy>', 'when an execution lacks a key a condition reads: fail, pass, or error').choices(['fail', 'pass', 'error']))
    .option('--baseline <file>', 'execution to compare against for --max-drop; git:REV:PATH reads PATH as it is at REV')
    .option('--max-drop <key=amount>', 'fail when KEY got worse than the baseline by more than AMOUNT (absolute, or 2%); repeatable', collect);
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
The page works offline (a CI artifact, file://): everything is inside it, and its
Content-Security-Policy forbids any request. Tables read without JavaScript; with it, each chart
has a hover naming the step and every run's value, drag or wheel to zoom, Shift-drag to pan,
double-click to reset, a log scale and TensorBoard's smoothing. Text from logs is shown as text.
With --when, --baseline/--max-drop (or the config's gate section) the page shows the gate's
results and the exit status is the gate's: 0 passed, 1 failed, 2 an unreadable input or a bad
flag. The page is written in every case but a usage error.

Examples:
  vizmeta report logs/*.log -o report.html
  vizmeta report --by eval_accuracy --smooth 0.6 runs/ -o report.html  a TensorBoard or mlruns folder
  vizmeta report --when 'accuracy >= 0.9' logs/*.log -o report.html
  vizmeta report --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log -o report.html
  vizmeta report mlpipeline-ui-metadata.json confusion.csv -o report.html`);
  command.action(async (files: string[], options: ReportOptions) => {
    exit.code = await runReport(resolveInputs(files, io, command), options, io);
  });
}
