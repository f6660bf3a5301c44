/**
 * The gate's checks as flags give them (`--when`, `--missing`, `--baseline`, `--max-drop`, or the
 * config's gate section), compiled, and decided over executions: shared by `gate`, which prints
 * the decision, and `report`, which shows it on its page, so both decide alike.
 */
import { InputError, UsageError } from '../core/errors.js';
import type { CommandIO } from '../core/io.js';
import { compileExpression } from '../analyse/expr.js';
import { evaluateGate, maxDropDirection, parseMaxDrops, type GateReport, type MissingPolicy } from '../analyse/gate.js';
import type { ExecutionSummary } from '../analyse/summary.js';
import { reportInputProblems, summarizeExecutions, summarizeFile, type SummarizeOptions } from '../input/executions.js';
import { isSummaryFile, summariesOf } from '../input/summary-files.js';
import { readOptionsFrom, type InputOptions } from './input.js';
import { directionOverrides, type CommandContext, type ExecutionCommandOptions } from './execution.js';

/** The flags a gate's checks come from. */
export interface GateFlags extends InputOptions, ExecutionCommandOptions {
  /** Conditions (repeatable). Default: the config's `gate.when`. */
  when?: string[];
  /** What a key an execution lacks does. Default `fail` (or the config's `gate.missing`). */
  missing?: MissingPolicy;
  /** Log (or Kubeflow metrics file, or git:REV:PATH) to compare against for `--max-drop`. */
  baseline?: string;
  /** `key=allowance` (absolute) or `key=2%` (of the baseline value), repeatable. */
  maxDrop?: string[];
  higherIsBetter?: string[];
  lowerIsBetter?: string[];
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
export function prepareGate(options: GateFlags, context: CommandContext): PreparedGate | undefined {
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
  inputs: readonly string[], gate: PreparedGate, options: GateFlags, io: CommandIO, context: CommandContext,
  summaries?: readonly ExecutionSummary[],
): Promise<{ report: GateReport; failedInput: boolean }> {
  const { conditions, missing, maxDrops, baselinePath, directions } = gate;
  // Only the keys the checks read are aggregated.
  const keys = new Set<string>([...conditions.flatMap((condition) => condition.references.map((ref) => ref.path)), ...maxDrops.map((drop) => drop.key)]);
  const summarize: SummarizeOptions = { keys, read: readOptionsFrom(options), ...(context.schema ? { schema: context.schema } : {}) };
  let baseline: ExecutionSummary | undefined;
  if (baselinePath !== undefined) {
    baseline = isSummaryFile(baselinePath) ? await baselineFromSummaryFile(baselinePath) : await summarizeFile(baselinePath, { keys, read: summarize.read ?? {} });
    if (baseline.error !== undefined) throw new InputError(`--baseline ${baseline.error}`);
  }
  const executions = summaries ?? await summarizeExecutions(inputs, { ...summarize, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), stdin: () => io.stdin });
  const failedInput = summaries === undefined ? reportInputProblems(io, executions) : executions.some((execution) => execution.error !== undefined);
  const report = evaluateGate(executions, {
    conditions, missing, maxDrops, directions,
    ...(baseline ? { baseline } : {}),
    ...(context.schema ? { schema: context.schema.path } : {}),
  });
  return { report, failedInput };
}

/** A summary file as `--baseline`: it must hold one execution, which is the baseline. */
async function baselineFromSummaryFile(path: string): Promise<ExecutionSummary> {
  const executions = await summariesOf(path, { history: new Set(), moments: false });
  if (executions.length === 1) return executions[0] as ExecutionSummary;
  throw new InputError(`--baseline ${path}: a summary file of ${executions.length} executions; the baseline is one (summarise its log alone)`);
}
