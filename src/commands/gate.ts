/**
 * `vizmeta gate --when EXPR [FILE...]`: the CI step. Every execution must satisfy every
 * condition; exit 0 when all pass, 1 when any fails, 2 for a bad expression, flag or input.
 *
 * The decision (`evaluateGate`) is a pure function over execution summaries; text, JSON, CSV,
 * markdown, GitHub annotations and JUnit XML are renderers of its report.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { onClosedPipe, write, type CommandIO } from '../core/io.js';
import { compileExpression } from '../analyse/expr.js';
import { reportInputProblems, summarizeExecutions, summarizeFile, type SummarizeOptions } from '../input/executions.js';
import type { ExecutionSummary } from '../analyse/summary.js';
import { evaluateGate, maxDropDirection, parseMaxDrops, type GateReport, type MissingPolicy } from '../analyse/gate.js';
import { renderGateCsv, renderGateJson, renderGateMarkdown, renderGateText, renderGithubAnnotations, renderJunit } from '../render/gate.js';
import type { TableFormat } from '../core/format.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext, directionOverrides, type CommandContext, type ExecutionCommandOptions } from '../options/execution.js';
import { collect } from '../options/parse.js';
import { forReader } from '../render/output.js';

export interface GateOptions extends InputOptions, ExecutionCommandOptions {
  /** Conditions (repeatable). Default: the config's `gate.when`. */
  when?: string[];
  /** What a key an execution lacks does. Default `fail` (or the config's `gate.missing`). */
  missing?: MissingPolicy;
  /** Log (or Kubeflow metrics file) to compare against for `--max-drop`. */
  baseline?: string;
  /** `key=allowance` (absolute) or `key=2%` (of the baseline value), repeatable. */
  maxDrop?: string[];
  higherIsBetter?: string[];
  lowerIsBetter?: string[];
  /** Default text. */
  format?: TableFormat;
  /** Also print `::error` workflow commands for GitHub Actions. */
  github?: boolean;
  /** Also write JUnit XML to this file. */
  junit?: string;
}

/** The gate's checks from flags and config, compiled, before anything is read. */
export interface PreparedGate {
  conditions: ReturnType<typeof compileExpression>[];
  missing: MissingPolicy;
  maxDrops: ReturnType<typeof parseMaxDrops>;
  baselinePath: string | undefined;
  directions: ReturnType<typeof directionOverrides>;
}

/**
 * The checks the flags and the config ask for, compiled: a bad expression, a --max-drop without
 * --baseline or a key with no direction is exit 2 before any input is read. Undefined when there
 * is nothing to check (`report` then has no gate; `gate` says what to give).
 */
export function prepareGate(options: GateOptions, context: CommandContext): PreparedGate | undefined {
  const gateConfig = context.config.config.gate ?? {};
  const whens = options.when && options.when.length > 0 ? options.when : gateConfig.when ?? [];
  // Compile every condition before reading anything: a bad expression is exit 2 at once.
  const conditions = whens.map((text) => compileExpression(text));
  const missing = options.missing ?? gateConfig.missing ?? 'fail';
  if (!['fail', 'pass', 'error'].includes(missing)) throw new UsageError(`--missing: expected fail, pass or error, got '${missing}'`);
  const maxDrops = options.maxDrop && options.maxDrop.length > 0 ? parseMaxDrops(options.maxDrop) : gateConfig.maxDrop ? parseMaxDrops(gateConfig.maxDrop) : [];
  // The config's baseline is from the config's folder, unless it is a git:REV:PATH.
  const configBaseline = gateConfig.baseline === undefined ? undefined : gateConfig.baseline.startsWith('git:') ? gateConfig.baseline : context.config.resolvePath(gateConfig.baseline);
  const baselinePath = options.baseline ?? configBaseline;
  if (maxDrops.length > 0 && baselinePath === undefined) throw new UsageError('--max-drop needs --baseline FILE');
  if (baselinePath !== undefined && maxDrops.length === 0) throw new UsageError('--baseline needs at least one --max-drop KEY=AMOUNT');
  if (conditions.length === 0 && maxDrops.length === 0 && context.schema === undefined) return undefined;
  const directions = directionOverrides(options, context);
  // A --max-drop key with no direction is a usage error before anything is read.
  for (const drop of maxDrops) maxDropDirection(drop.key, directions);
  return { conditions, missing, maxDrops, baselinePath, directions };
}

/**
 * Reads the inputs (and the baseline) for the checks and decides. Problems with inputs are
 * reported on stderr. `summaries`: executions already read with every key the checks need (and
 * the schema, if any), as `report` has them; then only the baseline is read here.
 */
export async function checkGate(
  inputs: readonly string[], gate: PreparedGate, options: GateOptions, io: CommandIO, context: CommandContext,
  summaries?: readonly ExecutionSummary[],
): Promise<{ report: GateReport; failedInput: boolean }> {
  const { conditions, missing, maxDrops, baselinePath, directions } = gate;
  // Only the keys the checks read are aggregated.
  const keys = new Set<string>([...conditions.flatMap((condition) => condition.references.map((ref) => ref.path)), ...maxDrops.map((drop) => drop.key)]);
  const summarize: SummarizeOptions = { keys, read: readOptionsFrom(options), ...(context.schema ? { schema: context.schema } : {}) };
  let baseline: ExecutionSummary | undefined;
  if (baselinePath !== undefined) {
    baseline = await summarizeFile(baselinePath, { keys, read: summarize.read ?? {} });
    if (baseline.error !== undefined) throw new InputError(`--baseline ${baseline.error}`);
  }
  const executions = summaries ?? await summarizeExecutions(inputs, { ...summarize, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), stdin: io.stdin });
  const failedInput = summaries === undefined ? reportInputProblems(io, executions) : executions.some((execution) => execution.error !== undefined);
  const readable = executions.filter((execution) => execution.error === undefined);
  const report = evaluateGate(readable, {
    conditions, missing, maxDrops, directions,
    ...(baseline ? { baseline } : {}),
    ...(context.schema ? { schema: context.schema.path } : {}),
  });
  return { report, failedInput };
}

export async function runGate(inputs: string[], options: GateOptions, io: CommandIO): Promise<number> {
  const context = commandContext(io, options);
  const gate = prepareGate(options, context);
  if (gate === undefined) throw new UsageError("gate: nothing to check: give --when EXPR (e.g. --when 'accuracy >= 0.9'), --baseline with --max-drop, or --schema");
  const format = options.format ?? 'text';
  const { report, failedInput } = await checkGate(inputs, gate, options, io, context);

  const text = format === 'json' ? renderGateJson(report) : format === 'csv' ? renderGateCsv(report) : format === 'markdown' ? renderGateMarkdown(report) : renderGateText(report, context.color);
  await write(io.stdout, forReader(text, format, io.stdoutIsTTY));
  if (options.github) await write(io.stdout, renderGithubAnnotations(report));
  if (options.junit !== undefined) {
    try {
      await writeFile(resolve(io.cwd, options.junit), renderJunit(report));
    } catch (error) {
      throw new InputError(`--junit ${options.junit}: cannot write (${(error as Error).message})`);
    }
  }
  if (failedInput || report.errored) return ExitCode.usage;
  return report.passed ? ExitCode.ok : ExitCode.failed;
}

export function registerGate(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('gate')
    .description('pass or fail CI on metadata conditions: exit 0 when every execution meets every condition, 1 when one fails')
    .argument('[files...]', 'one execution per file; - or nothing reads stdin')
    .option('--when <expr>', "condition every execution must meet (repeatable), e.g. 'metadata.accuracy >= 0.9'", collect)
    .addOption(new Option('--missing <policy>', 'when an execution lacks a key the condition reads: fail, pass, or error (exit 2)').choices(['fail', 'pass', 'error']))
    .option('--baseline <file>', 'execution to compare against for --max-drop; git:REV:PATH reads PATH as it is at REV')
    .option('--max-drop <key=amount>', 'fail when KEY got worse than the baseline by more than AMOUNT (absolute, or 2% of the baseline); repeatable', collect)
    .addOption(new Option('--format <format>', 'output format; csv is one row per check').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--github', 'also print ::error annotations for GitHub Actions')
    .option('--junit <file>', 'also write JUnit XML (GitLab, Jenkins) to FILE');
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Names mean the key's latest value: accuracy or metadata.accuracy. Other aggregates are calls:
max(accuracy), min(loss), mean(loss), first(loss), count(loss). Operators: and or not && || !,
== != < <= > >=, in, + - * / // %; functions abs min max isnan isinf.
Direction for --max-drop: --higher-is-better/--lower-is-better (or the config's higherIsBetter,
lowerIsBetter), else the key's name: higher is better for accuracy, f1, auc, precision, recall,
score, …_per_second; lower for loss, error, mae, perplexity, latency. A key with neither (a
learning rate, a runtime, a name vizmeta does not know) is a usage error until you say which.
A file named git:REV:PATH (here or as an input) is PATH as it is at the revision REV, read with
git: git:origin/main:metrics/train.log is from the repository's root, git:HEAD~1:./train.log
from the current folder; ./git:… names a file on disk.
Exit status: 0 all passed, 1 a check failed, 2 bad expression, flag or unreadable file.

Examples:
  vizmeta gate --when 'metadata.accuracy >= 0.9' logs/run.log
  vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"
  vizmeta gate --baseline main.log --max-drop accuracy=0.01 --max-drop loss=5% --github pr.log
  vizmeta gate --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log
  vizmeta gate --schema metadata.schema.json --junit gate.xml logs/*.log`);
  command.action(async (files: string[], options: GateOptions) => {
    // A gate's status is its answer: a reader that closes stdout early (`gate ... | head`) must
    // not turn a failure into a pass, so a closed pipe only stops the output here. Output that
    // cannot be written at all (a full disk) is exit 2, never the 1 of a failed gate.
    let outputFailed = false;
    const keepStatusOnClosedPipe = onClosedPipe(io.stdout, (error) => {
      if (error.code !== 'EPIPE') outputFailed = true;
    });
    try {
      exit.code = await runGate(resolveInputs(files, io, command), options, io);
    } finally {
      keepStatusOnClosedPipe();
    }
    if (outputFailed) exit.code = ExitCode.usage;
  });
}
