/**
 * `vizmeta gate --when EXPR [FILE...]`: the CI step. Every execution must satisfy every
 * condition; exit 0 when all pass, 1 when any fails, 2 for a bad expression, flag or input.
 *
 * The decision (`evaluateGate`) is a pure function over execution summaries; text, JSON,
 * markdown, GitHub annotations and JUnit XML are renderers of its report.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { Chalk } from 'chalk';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { onClosedPipe, write, type CommandIO } from '../core/io.js';
import { compileExpression, type CompiledExpression, type NameRef } from '../analyse/expr.js';
import { reportInputProblems, summarizeExecutions, summarizeFile, type SummarizeOptions } from '../input/executions.js';
import { escapeForTerminal } from '../core/escape.js';
import { folderNote, shortNames } from '../core/names.js';
import { formatNumber, formatValue, jsonValue, markdownCell } from '../render/table.js';
import { aggregateOf, directionOf, lookupKey, normalizeKey, type DirectionOverrides, type ExecutionSummary } from '../analyse/summary.js';
import { addInputOptions, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, collect, commandContext, directionOverrides, type ExecutionCommandOptions } from '../options/execution.js';

export type MissingPolicy = 'fail' | 'pass' | 'error';

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
  format?: 'text' | 'json' | 'markdown';
  /** Also print `::error` workflow commands for GitHub Actions. */
  github?: boolean;
  /** Also write JUnit XML to this file. */
  junit?: string;
}

/** A value a check read. */
export interface UsedValue {
  key: string;
  aggregate: NameRef['aggregate'];
  value: unknown;
  /** Line of the key's latest value, for annotations. */
  line?: number;
}

export interface CheckResult {
  /** What was checked, as the user wrote it (or `accuracy drop vs baseline <= 0.01`, `schema`). */
  condition: string;
  status: 'pass' | 'fail' | 'error';
  /** The values it used, `accuracy = 0.874 (latest)`, and why it failed. */
  message: string;
  used: UsedValue[];
}

export interface ExecutionReport {
  execution: string;
  checks: CheckResult[];
}

export interface GateReport {
  executions: ExecutionReport[];
  passed: boolean;
  /** Some check ended in `error` (`--missing error`): exit status 2. */
  errored: boolean;
}

export interface MaxDrop {
  key: string;
  /** Absolute allowance, or a fraction of the baseline value when `relative`. */
  amount: number;
  relative: boolean;
  /** As written, for messages. */
  text: string;
}

export interface GateChecks {
  conditions: CompiledExpression[];
  missing: MissingPolicy;
  maxDrops: MaxDrop[];
  baseline?: ExecutionSummary;
  directions?: DirectionOverrides;
  /** Name of the schema file when `--schema` was given; executions with violations fail. */
  schema?: string;
}

/** `accuracy=0.01`, `val_loss=5%`; several may be joined by commas. */
export function parseMaxDrops(texts: readonly (string | number)[] | Record<string, number | string>): MaxDrop[] {
  const pairs: Array<[string, string]> = [];
  if (Array.isArray(texts)) {
    for (const text of texts as readonly string[]) {
      for (const part of String(text).split(',')) {
        if (part.trim() === '') continue;
        const eq = part.indexOf('=');
        if (eq <= 0) throw new UsageError(`--max-drop: expected KEY=AMOUNT such as accuracy=0.01 or accuracy=2%, got '${part.trim()}'`);
        pairs.push([part.slice(0, eq), part.slice(eq + 1)]);
      }
    }
  } else {
    for (const key of Object.keys(texts)) pairs.push([key, String((texts as Record<string, number | string>)[key])]);
  }
  return pairs.map(([rawKey, rawAmount]) => {
    const key = normalizeKey(rawKey);
    const text = rawAmount.trim();
    const m = /^(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(%?)$/i.exec(text);
    if (!m || key === '') throw new UsageError(`--max-drop ${rawKey}: expected a non-negative number or percentage such as 0.01 or 2%, got '${text}'`);
    const relative = m[2] === '%';
    return { key, amount: relative ? Number(m[1]) / 100 : Number(m[1]), relative, text };
  });
}

function describeUsed(used: UsedValue): string {
  const value = formatValue(used.value);
  return used.aggregate === 'latest' ? `${used.key} = ${value} (latest)` : `${used.aggregate}(${used.key}) = ${value}`;
}

// `accuracy >= 0.9`, `metadata.val-loss < 1`, `max(accuracy) > .95`: say "needs >= 0.9".
const SIMPLE = /^\s*(?:metadata\.)?(?:[\w.-]+|\w+\(\s*(?:metadata\.)?[\w.-]+\s*\))\s*(>=|<=|==|!=|>|<)\s*(\S.*?)\s*$/;

function needs(condition: CompiledExpression): string {
  const m = SIMPLE.exec(condition.source);
  if (m && condition.references.length === 1) return `needs ${m[1]} ${m[2]}`;
  return `needs ${condition.source.trim()}`;
}

function usedValue(execution: ExecutionSummary, ref: NameRef, value: unknown): UsedValue {
  const line = lookupKey(execution, ref.path)?.latestLine;
  return { key: ref.path, aggregate: ref.aggregate, value, ...(line !== undefined ? { line } : {}) };
}

function missingCheck(condition: string, execution: ExecutionSummary, keys: string[], policy: MissingPolicy, where = ''): CheckResult {
  const why = execution.records === 0 ? ' (no metadata records)' : '';
  const list = keys.join(', ');
  const message = `${list} ${keys.length === 1 ? 'is' : 'are'} missing${where}${why}`;
  if (policy === 'pass') return { condition, status: 'pass', message: `${message}; passed (--missing pass)`, used: [] };
  if (policy === 'error') return { condition, status: 'error', message: `${message} (--missing error)`, used: [] };
  return { condition, status: 'fail', message, used: [] };
}

function checkCondition(execution: ExecutionSummary, condition: CompiledExpression, policy: MissingPolicy): CheckResult {
  const result = condition.evaluate({ lookup: (ref) => aggregateOf(execution, ref.path, ref.aggregate) });
  if (!result.ok) {
    if (result.missing.length > 0) {
      const keys = [...new Set(result.missing.map((ref) => ref.path))];
      return missingCheck(condition.source, execution, keys, policy);
    }
    const used = condition.references.map((ref) => usedValue(execution, ref, aggregateOf(execution, ref.path, ref.aggregate)));
    return { condition: condition.source, status: 'fail', message: `${used.map(describeUsed).join(', ')} — cannot decide: ${result.error ?? 'evaluation failed'}`, used };
  }
  const used = result.used.map((item) => usedValue(execution, item.ref, item.value));
  const values = used.map(describeUsed).join(', ');
  if (result.value) return { condition: condition.source, status: 'pass', message: values, used };
  return { condition: condition.source, status: 'fail', message: `${values} — ${needs(condition)}`, used };
}

function checkMaxDrop(execution: ExecutionSummary, baseline: ExecutionSummary, drop: MaxDrop, policy: MissingPolicy, directions: DirectionOverrides | undefined): CheckResult {
  const direction = directionOf(drop.key, directions);
  const condition = `${drop.key} drop vs baseline <= ${drop.text}`;
  const current = aggregateOf(execution, drop.key, 'latest');
  const reference = aggregateOf(baseline, drop.key, 'latest');
  if (reference === undefined) return missingCheck(condition, execution, [drop.key], policy, ` in the baseline ${baseline.execution}`);
  if (current === undefined) return missingCheck(condition, execution, [drop.key], policy);
  const used = [usedValue(execution, { path: drop.key, aggregate: 'latest' }, current)];
  if (typeof current !== 'number' || typeof reference !== 'number' || Number.isNaN(current) || Number.isNaN(reference)) {
    return { condition, status: 'fail', message: `${describeUsed(used[0] as UsedValue)}, baseline ${formatValue(reference)} — not comparable numbers`, used };
  }
  const worse = direction === 'max' ? reference - current : current - reference;
  const allowed = drop.relative ? drop.amount * Math.abs(reference) : drop.amount;
  const dirText = direction === 'max' ? 'higher is better' : 'lower is better';
  const base = `${describeUsed(used[0] as UsedValue)}, baseline ${formatNumber(reference)} (${dirText})`;
  const diff = (value: number): string => formatNumber(value, 4);
  if (worse > allowed) {
    return { condition, status: 'fail', message: `${base} — dropped ${diff(worse)}, allowed ${drop.relative ? `${drop.text} = ${diff(allowed)}` : formatNumber(allowed)}`, used };
  }
  const change = worse > 0 ? `dropped ${diff(worse)}` : worse < 0 ? `improved ${diff(-worse)}` : 'unchanged';
  return { condition, status: 'pass', message: `${base}, ${change}`, used };
}

function checkSchema(execution: ExecutionSummary, schema: string): CheckResult {
  const condition = `records match ${schema}`;
  if (execution.violationCount === 0) return { condition, status: 'pass', message: `${execution.records} records conform`, used: [] };
  const first = execution.violations[0];
  const where = first ? ` (first: line ${first.line}: ${first.instancePath || '(record)'} ${first.message})` : '';
  return { condition, status: 'fail', message: `${execution.violationCount} violation${execution.violationCount === 1 ? '' : 's'}${where}`, used: [] };
}

/** Decides the gate. Pure. */
export function evaluateGate(executions: readonly ExecutionSummary[], checks: GateChecks): GateReport {
  const reports = executions.map((execution): ExecutionReport => {
    const results = checks.conditions.map((condition) => checkCondition(execution, condition, checks.missing));
    if (checks.baseline) for (const drop of checks.maxDrops) results.push(checkMaxDrop(execution, checks.baseline, drop, checks.missing, checks.directions));
    if (checks.schema !== undefined) results.push(checkSchema(execution, checks.schema));
    return { execution: execution.execution, checks: results };
  });
  const all = reports.flatMap((report) => report.checks);
  return { executions: reports, passed: all.every((check) => check.status === 'pass'), errored: all.some((check) => check.status === 'error') };
}

function counts(report: GateReport): { executions: number; failedExecutions: number; checks: number; failedChecks: number } {
  const failedExecutions = report.executions.filter((execution) => execution.checks.some((check) => check.status !== 'pass')).length;
  const all = report.executions.flatMap((execution) => execution.checks);
  return { executions: report.executions.length, failedExecutions, checks: all.length, failedChecks: all.filter((check) => check.status !== 'pass').length };
}

const LABEL = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' } as const;

export function renderGateText(report: GateReport, color: boolean): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  // Short names under a line saying where they are: `files in logs/`, then `run-1.log`, `run-2.log`.
  const short = shortNames(report.executions.map((execution) => execution.execution));
  if (short.folder !== undefined) lines.push(chalk.dim(escapeForTerminal(folderNote(short.folder))));
  for (const [i, execution] of report.executions.entries()) {
    lines.push(chalk.bold(escapeForTerminal(short.names[i] ?? execution.execution)));
    for (const check of execution.checks) {
      const label = LABEL[check.status].padEnd(5);
      const painted = check.status === 'pass' ? chalk.green(label) : chalk.red(label);
      lines.push(`  ${painted} ${escapeForTerminal(check.condition)}: ${escapeForTerminal(check.message)}`);
    }
  }
  const c = counts(report);
  const verdict = report.passed
    ? chalk.green(`gate passed: ${c.executions} execution${c.executions === 1 ? '' : 's'}, ${c.checks} check${c.checks === 1 ? '' : 's'}`)
    : chalk.red(`gate failed: ${c.failedChecks} of ${c.checks} checks in ${c.failedExecutions} of ${c.executions} executions`);
  lines.push(verdict);
  return lines.join('\n') + '\n';
}

export function renderGateMarkdown(report: GateReport): string {
  const c = counts(report);
  const head = report.passed
    ? `### ✅ vizmeta gate passed\n\n${c.checks} checks on ${c.executions} executions.\n`
    : `### ❌ vizmeta gate failed\n\n${c.failedChecks} of ${c.checks} checks failed, in ${c.failedExecutions} of ${c.executions} executions.\n`;
  const rows = report.executions.flatMap((execution) => execution.checks.map((check) =>
    `| ${markdownCell(execution.execution)} | \`${check.condition.replace(/`/g, "'").replace(/\|/g, '\\|')}\` | ${check.status === 'pass' ? '✅ pass' : check.status === 'fail' ? '❌ **fail**' : '⚠️ **error**'} | ${markdownCell(check.message)} |`));
  return `${head}\n| execution | condition | result | values |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

export function renderGateJson(report: GateReport): string {
  return JSON.stringify({
    passed: report.passed,
    executions: report.executions.map((execution) => ({
      execution: execution.execution,
      passed: execution.checks.every((check) => check.status === 'pass'),
      checks: execution.checks.map((check) => ({
        condition: check.condition,
        status: check.status,
        message: check.message,
        values: check.used.map((used) => ({ key: used.key, aggregate: used.aggregate, value: jsonValue(used.value) })),
      })),
    })),
  }, null, 2) + '\n';
}

/** GitHub Actions workflow-command escaping (data, then property values). */
function githubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,title=…::…` for every failed check, pointing at the value's line. */
export function renderGithubAnnotations(report: GateReport): string {
  const lines: string[] = [];
  for (const execution of report.executions) {
    for (const check of execution.checks) {
      if (check.status === 'pass') continue;
      const line = check.used.find((used) => used.line !== undefined)?.line;
      const props = [
        ...(execution.execution === '-' ? [] : [`file=${githubProperty(execution.execution)}`]),
        ...(line !== undefined ? [`line=${line}`] : []),
        `title=${githubProperty(`vizmeta gate: ${check.condition}`)}`,
      ];
      lines.push(`::error ${props.join(',')}::${githubData(escapeForTerminal(`${check.condition}: ${check.message}`))}`);
    }
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function xml(text: string): string {
  return text
    // Characters XML 1.0 cannot hold at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML: one testsuite per execution, one testcase per check (GitLab, Jenkins). */
export function renderJunit(report: GateReport): string {
  const c = counts(report);
  const errors = report.executions.flatMap((execution) => execution.checks).filter((check) => check.status === 'error').length;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="vizmeta gate" tests="${c.checks}" failures="${c.failedChecks - errors}" errors="${errors}">`];
  for (const execution of report.executions) {
    const failures = execution.checks.filter((check) => check.status === 'fail').length;
    const errs = execution.checks.filter((check) => check.status === 'error').length;
    out.push(`  <testsuite name="${xml(execution.execution)}" tests="${execution.checks.length}" failures="${failures}" errors="${errs}">`);
    for (const check of execution.checks) {
      const open = `    <testcase classname="${xml(execution.execution)}" name="${xml(check.condition)}"`;
      if (check.status === 'pass') {
        out.push(`${open}>`, `      <system-out>${xml(check.message)}</system-out>`, '    </testcase>');
      } else {
        const tag = check.status === 'fail' ? 'failure' : 'error';
        out.push(`${open}>`, `      <${tag} message="${xml(check.message)}" type="${tag === 'failure' ? 'GateFailure' : 'GateError'}">${xml(`${check.condition}: ${check.message}`)}</${tag}>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

export async function runGate(inputs: string[], options: GateOptions, io: CommandIO): Promise<number> {
  const context = commandContext(io, options);
  const gateConfig = context.config.config.gate ?? {};
  const whens = options.when && options.when.length > 0 ? options.when : gateConfig.when ?? [];
  // Compile every condition before reading anything: a bad expression is exit 2 at once.
  const conditions = whens.map((text) => compileExpression(text));
  const missing = options.missing ?? gateConfig.missing ?? 'fail';
  if (!['fail', 'pass', 'error'].includes(missing)) throw new UsageError(`--missing: expected fail, pass or error, got '${missing}'`);
  const maxDrops = options.maxDrop && options.maxDrop.length > 0 ? parseMaxDrops(options.maxDrop) : gateConfig.maxDrop ? parseMaxDrops(gateConfig.maxDrop) : [];
  const baselinePath = options.baseline ?? (gateConfig.baseline !== undefined ? context.config.resolvePath(gateConfig.baseline) : undefined);
  if (maxDrops.length > 0 && baselinePath === undefined) throw new UsageError('--max-drop needs --baseline FILE');
  if (baselinePath !== undefined && maxDrops.length === 0) throw new UsageError('--baseline needs at least one --max-drop KEY=AMOUNT');
  if (conditions.length === 0 && maxDrops.length === 0 && context.schema === undefined) {
    throw new UsageError("gate: nothing to check: give --when EXPR (e.g. --when 'accuracy >= 0.9'), --baseline with --max-drop, or --schema");
  }
  const directions = directionOverrides(options, context);
  const format = options.format ?? 'text';

  // Only the keys the checks read are aggregated.
  const keys = new Set<string>([...conditions.flatMap((condition) => condition.references.map((ref) => ref.path)), ...maxDrops.map((drop) => drop.key)]);
  const summarize: SummarizeOptions = { keys, read: readOptionsFrom(options), ...(context.schema ? { schema: context.schema } : {}) };
  let baseline: ExecutionSummary | undefined;
  if (baselinePath !== undefined) {
    baseline = await summarizeFile(baselinePath, { keys, read: summarize.read ?? {} });
    if (baseline.error !== undefined) throw new InputError(`--baseline ${baseline.error}`);
  }
  const executions = await summarizeExecutions(inputs, { ...summarize, ...(options.jobs !== undefined ? { jobs: options.jobs } : {}), stdin: io.stdin });
  const failedInput = reportInputProblems(io, executions);
  const readable = executions.filter((execution) => execution.error === undefined);
  const report = evaluateGate(readable, {
    conditions, missing, maxDrops, directions,
    ...(baseline ? { baseline } : {}),
    ...(context.schema ? { schema: context.schema.path } : {}),
  });

  const text = format === 'json' ? renderGateJson(report) : format === 'markdown' ? renderGateMarkdown(report) : renderGateText(report, context.color);
  await write(io.stdout, text);
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
    .option('--baseline <file>', 'execution to compare against for --max-drop')
    .option('--max-drop <key=amount>', 'fail when KEY got worse than the baseline by more than AMOUNT (absolute, or 2% of the baseline); repeatable', collect)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--github', 'also print ::error annotations for GitHub Actions')
    .option('--junit <file>', 'also write JUnit XML (GitLab, Jenkins) to FILE');
  addDirectionOptions(command);
  addExecutionOptions(command);
  addInputOptions(command);
  command.addHelpText('after', `
Names mean the key's latest value: accuracy or metadata.accuracy. Other aggregates are calls:
max(accuracy), min(loss), mean(loss), first(loss), count(loss). Operators: and or not && || !,
== != < <= > >=, in, + - * / // %; functions abs min max isnan isinf.
Direction for --max-drop: --higher-is-better/--lower-is-better, else Keras-style auto (max for
names ending in acc, accuracy, auc, f1, precision or recall; min otherwise).
Exit status: 0 all passed, 1 a check failed, 2 bad expression, flag or unreadable file.

Examples:
  vizmeta gate --when 'metadata.accuracy >= 0.9' logs/run.log
  vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"
  vizmeta gate --baseline main.log --max-drop accuracy=0.01 --max-drop loss=5% --github pr.log
  vizmeta gate --schema metadata.schema.json --junit gate.xml logs/*.log`);
  command.action(async (files: string[], options: GateOptions) => {
    // A gate's status is its answer: a reader that closes stdout early (`gate ... | head`) must
    // not turn a failure into a pass, so a closed pipe only stops the output here.
    const keepStatusOnClosedPipe = onClosedPipe(io.stdout, () => {});
    try {
      exit.code = await runGate(resolveInputs(files, io, command), options, io);
    } finally {
      keepStatusOnClosedPipe();
    }
  });
}
