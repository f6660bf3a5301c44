/**
 * The gate's report for people and for CI: text, markdown (a job summary), JSON, CSV, GitHub
 * `::error` annotations and JUnit XML. Each check's message is worded here from what the
 * decision found (analyse/gate.ts). Pure: report in, string out.
 */
import { escapeForTerminal } from '../core/escape.js';
import { painter } from './colors.js';
import { folderNote, shortNames } from '../core/names.js';
import { csvValue, formatNumber, formatValue, jsonValue, markdownCell, renderCsvTable } from './table.js';
import type { CheckResult, GateReport, UnreadableInput, UsedValue } from '../analyse/gate.js';

function describeUsed(used: UsedValue): string {
  const value = formatValue(used.value);
  return used.aggregate === 'latest' ? `${used.key} = ${value} (latest)` : `${used.aggregate}(${used.key}) = ${value}`;
}

/** A check's message: the values it used, `accuracy = 0.874 (latest)`, and why it failed. */
export function describeCheck(check: CheckResult): string {
  const finding = check.finding;
  const values = check.used.map(describeUsed).join(', ');
  switch (finding.kind) {
    case 'condition':
      return finding.needs === undefined ? values : `${values} — needs ${finding.needs}`;
    case 'undecided':
      return `${values} — cannot decide: ${finding.error}`;
    case 'missing': {
      const where = finding.inBaseline !== undefined ? ` in the baseline ${finding.inBaseline}` : '';
      const why = finding.noRecords ? ' (no metadata records)' : '';
      const message = `${finding.keys.join(', ')} ${finding.keys.length === 1 ? 'is' : 'are'} missing${where}${why}`;
      if (finding.policy === 'pass') return `${message}; passed (--missing pass)`;
      if (finding.policy === 'error') return `${message} (--missing error)`;
      return message;
    }
    case 'incomparable':
      return `${values}, baseline ${formatValue(finding.baseline)} — not comparable numbers`;
    case 'drop': {
      const dirText = finding.direction === 'max' ? 'higher is better' : 'lower is better';
      const base = `${values}, baseline ${formatNumber(finding.baseline)} (${dirText})`;
      const diff = (value: number): string => formatNumber(value, 4);
      const { worse, allowed, drop } = finding;
      // Said as the value moved: a loss that got worse rose, an accuracy that got worse fell.
      const moved = (amount: number): string => {
        const rose = (amount > 0) === (finding.direction === 'min');
        return `${rose ? 'rose' : 'fell'} ${diff(Math.abs(amount))} (${amount > 0 ? 'worse' : 'better'})`;
      };
      if (check.status === 'fail') return `${base} — ${moved(worse)}, allowed ${drop.relative ? `${drop.text} = ${diff(allowed)}` : formatNumber(allowed)}`;
      return `${base}, ${worse === 0 ? 'unchanged' : moved(worse)}`;
    }
    case 'schema': {
      if (finding.violations === 0) return `${finding.records} records conform`;
      const first = finding.first;
      const where = first ? ` (first: line ${first.line}: ${first.instancePath || '(record)'} ${first.message})` : '';
      return `${finding.violations} violation${finding.violations === 1 ? '' : 's'}${where}`;
    }
  }
}

function counts(report: GateReport): { executions: number; failedExecutions: number; checks: number; failedChecks: number } {
  const failedExecutions = report.executions.filter((execution) => execution.checks.some((check) => check.status !== 'pass')).length;
  const all = report.executions.flatMap((execution) => execution.checks);
  return { executions: report.executions.length, failedExecutions, checks: all.length, failedChecks: all.filter((check) => check.status !== 'pass').length };
}

/** `1 check`, `2 checks`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An unreadable input as its message names it: `stdin` for `-`. */
function inputName(input: UnreadableInput): string {
  return input.execution === '-' ? 'stdin' : input.execution;
}

/** Why an input could not be read, without its name in front (`no such file`). */
export function unreadableReason(input: UnreadableInput): string {
  const name = inputName(input);
  return input.message.startsWith(`${name}: `) ? input.message.slice(name.length + 2) : input.message;
}

/** `1 input could not be read (nope.log)`: up to three names, then `…`. Not escaped. */
function unreadableNote(report: GateReport): string {
  const names = report.unreadable.map(inputName);
  return `${plural(names.length, 'input')} could not be read (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
}

/**
 * The one-line verdict: passed; failed (some check did not pass); or incomplete (every check
 * that ran passed, but an input could not be read, so nothing can be said of it).
 */
function verdict(report: GateReport): { kind: 'passed' | 'failed' | 'incomplete'; text: string } {
  const c = counts(report);
  if (report.passed) return { kind: 'passed', text: `gate passed: ${plural(c.executions, 'execution')}, ${plural(c.checks, 'check')}` };
  const unread = report.unreadable.length > 0 ? unreadableNote(report) : '';
  if (c.failedChecks === 0) {
    const rest = c.executions === 0 ? '' : `; ${plural(c.executions, 'execution')} passed ${plural(c.checks, 'check')}`;
    return { kind: 'incomplete', text: `gate incomplete: ${unread}${rest}` };
  }
  return { kind: 'failed', text: `gate failed: ${c.failedChecks} of ${c.checks} checks in ${c.failedExecutions} of ${c.executions} executions${unread === '' ? '' : `; ${unread}`}` };
}

const LABEL = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' } as const;

export function renderGateText(report: GateReport, color: boolean): string {
  const chalk = painter(color);
  const lines: string[] = [];
  // Short names under a line saying where they are: `files in logs/`, then `run-1.log`, `run-2.log`.
  const short = shortNames([...report.executions, ...report.unreadable].map((item) => item.execution));
  if (short.folder !== undefined) lines.push(chalk.dim(escapeForTerminal(folderNote(short.folder))));
  for (const [i, execution] of report.executions.entries()) {
    lines.push(chalk.bold(escapeForTerminal(short.names[i] ?? execution.execution)));
    for (const check of execution.checks) {
      const label = LABEL[check.status].padEnd(5);
      const painted = check.status === 'pass' ? chalk.green(label) : chalk.red(label);
      lines.push(`  ${painted} ${escapeForTerminal(check.condition)}: ${escapeForTerminal(describeCheck(check))}`);
    }
  }
  for (const [i, input] of report.unreadable.entries()) {
    lines.push(chalk.bold(escapeForTerminal(input.execution === '-' ? inputName(input) : short.names[report.executions.length + i] ?? input.execution)));
    lines.push(`  ${chalk.red(LABEL.error.padEnd(5))} could not be read: ${escapeForTerminal(unreadableReason(input))}`);
  }
  const { kind, text } = verdict(report);
  lines.push(kind === 'passed' ? chalk.green(escapeForTerminal(text)) : chalk.red(escapeForTerminal(text)));
  return lines.join('\n') + '\n';
}

export function renderGateMarkdown(report: GateReport): string {
  const c = counts(report);
  const { kind } = verdict(report);
  const unread = report.unreadable.length === 0 ? '' : ` ${plural(report.unreadable.length, 'input')} could not be read.`;
  // With nothing read, there is nothing that passed to speak of.
  const passedPart = c.executions === 0 ? '' : `${plural(c.checks, 'check')} on ${plural(c.executions, 'execution')} passed.`;
  const head = kind === 'passed'
    ? `### ✅ vizmeta gate passed\n\n${plural(c.checks, 'check')} on ${plural(c.executions, 'execution')}.\n`
    : kind === 'incomplete'
      ? `### ⚠️ vizmeta gate incomplete\n\n${`${passedPart}${unread}`.trim()}\n`
      : `### ❌ vizmeta gate failed\n\n${c.failedChecks} of ${plural(c.checks, 'check')} failed, in ${c.failedExecutions} of ${plural(c.executions, 'execution')}.${unread}\n`;
  const rows = report.executions.flatMap((execution) => execution.checks.map((check) =>
    `| ${markdownCell(execution.execution)} | \`${check.condition.replace(/`/g, "'").replace(/\|/g, '\\|')}\` | ${check.status === 'pass' ? '✅ pass' : check.status === 'fail' ? '❌ **fail**' : '⚠️ **error**'} | ${markdownCell(describeCheck(check))} |`));
  for (const input of report.unreadable) rows.push(`| ${markdownCell(input.execution)} | (reading it) | ⚠️ **error** | ${markdownCell(`could not be read: ${unreadableReason(input)}`)} |`);
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
        message: describeCheck(check),
        values: check.used.map((used) => ({ key: used.key, aggregate: used.aggregate, value: jsonValue(used.value) })),
      })),
    })),
    unreadable: report.unreadable.map((input) => ({ execution: input.execution, message: input.message })),
  }, null, 2) + '\n';
}

/**
 * One row per check, for a spreadsheet or a CI artefact: `execution,condition,status,message`,
 * then the values the check used as `key`, `aggregate`, `value` (the first; a check that reads
 * several names them all in its message).
 */
export function renderGateCsv(report: GateReport): string {
  return renderCsvTable(['execution', 'condition', 'status', 'key', 'aggregate', 'value', 'message'], report.executions.flatMap((execution) => execution.checks.map((check) => {
    const used = check.used[0];
    return [execution.execution, check.condition, check.status, used?.key ?? '', used?.aggregate ?? '', csvValue(used?.value), describeCheck(check)];
  }).concat(report.unreadable.map((input) => [input.execution, '', 'error', '', '', '', `could not be read: ${unreadableReason(input)}`]))));
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
      lines.push(`::error ${props.join(',')}::${githubData(escapeForTerminal(`${check.condition}: ${describeCheck(check)}`))}`);
    }
  }
  for (const input of report.unreadable) {
    lines.push(`::error title=${githubProperty('vizmeta gate: an input could not be read')}::${githubData(escapeForTerminal(input.message))}`);
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
  // An input that could not be read is a suite of one test, reading it, in error.
  const unread = report.unreadable.length;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="vizmeta gate" tests="${c.checks + unread}" failures="${c.failedChecks - errors}" errors="${errors + unread}">`];
  for (const execution of report.executions) {
    const failures = execution.checks.filter((check) => check.status === 'fail').length;
    const errs = execution.checks.filter((check) => check.status === 'error').length;
    out.push(`  <testsuite name="${xml(execution.execution)}" tests="${execution.checks.length}" failures="${failures}" errors="${errs}">`);
    for (const check of execution.checks) {
      const open = `    <testcase classname="${xml(execution.execution)}" name="${xml(check.condition)}"`;
      if (check.status === 'pass') {
        out.push(`${open}>`, `      <system-out>${xml(describeCheck(check))}</system-out>`, '    </testcase>');
      } else {
        const tag = check.status === 'fail' ? 'failure' : 'error';
        out.push(`${open}>`, `      <${tag} message="${xml(describeCheck(check))}" type="${tag === 'failure' ? 'GateFailure' : 'GateError'}">${xml(`${check.condition}: ${describeCheck(check)}`)}</${tag}>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  for (const input of report.unreadable) {
    const reason = `could not be read: ${unreadableReason(input)}`;
    out.push(
      `  <testsuite name="${xml(input.execution)}" tests="1" failures="0" errors="1">`,
      `    <testcase classname="${xml(input.execution)}" name="read">`,
      `      <error message="${xml(reason)}" type="InputError">${xml(input.message)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
