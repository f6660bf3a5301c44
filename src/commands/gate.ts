/**
 * `vizmeta gate --when EXPR [FILE...]`: the CI step. Every execution must satisfy every
 * condition; exit 0 when all pass, 1 when any fails, 2 for a bad expression, flag or input.
 *
 * The decision (`evaluateGate`) is a pure function over execution summaries; text, JSON, CSV,
 * markdown, GitHub annotations and JUnit XML are renderers of its report.
 */
import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { onClosedPipe, writeOutput, type CommandIO } from '../core/io.js';
import { renderGateCsv, renderGateJson, renderGateMarkdown, renderGateText, renderGithubAnnotations, renderJunit } from '../render/gate.js';
import type { TableFormat } from '../core/format.js';
import { addInputOptions, resolveInputs } from '../options/input.js';
import { addDirectionOptions, addExecutionOptions, commandContext } from '../options/execution.js';
import { checkGate, prepareGate, type GateFlags } from '../options/gate.js';
import { collect } from '../options/parse.js';
import { forReader } from '../render/output.js';

export interface GateOptions extends GateFlags {
  /** Default text. */
  format?: TableFormat;
  /** Also print `::error` workflow commands for GitHub Actions. */
  github?: boolean;
  /** Also write JUnit XML to this file. */
  junit?: string;
}

export async function runGate(inputs: string[], options: GateOptions, io: CommandIO): Promise<number> {
  const context = commandContext(io, options);
  const gate = prepareGate(options, context);
  if (gate === undefined) throw new UsageError("gate: nothing to check: give --when EXPR (e.g. --when 'accuracy >= 0.9'), --baseline with --max-drop, or --schema");
  const format = options.format ?? 'text';
  const { report, failedInput } = await checkGate(inputs, gate, options, io, context);

  const text = format === 'json' ? renderGateJson(report) : format === 'csv' ? renderGateCsv(report) : format === 'markdown' ? renderGateMarkdown(report) : renderGateText(report, context.color);
  await writeOutput(io, forReader(text, format, io.stdoutIsTTY));
  if (options.github) await writeOutput(io, renderGithubAnnotations(report));
  if (options.junit !== undefined) {
    try {
      // fs.promises, loaded only when a report is written (see core/files.ts).
      await fs.writeFile(resolve(io.cwd, options.junit), renderJunit(report));
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
from the current folder; ./git:… names a file on disk. A log in object storage is read in
place, here or as an input: s3://BUCKET/KEY, gs://BUCKET/KEY, https://…, with * and ** globs
over keys (see vizmeta sort --help).
Exit status: 0 all passed, 1 a check failed, 2 bad expression, flag or unreadable file.

Examples:
  vizmeta gate --when 'metadata.accuracy >= 0.9' logs/run.log
  vizmeta gate --when 'accuracy >= 0.9' --when 'max(val_loss) < 2' --format markdown logs/*.log >> "$GITHUB_STEP_SUMMARY"
  vizmeta gate --baseline main.log --max-drop accuracy=0.01 --max-drop loss=5% --github pr.log
  vizmeta gate --baseline git:origin/main:metrics/train.log --max-drop accuracy=0.01 metrics/train.log
  vizmeta gate --baseline s3://ml-logs/main/train.log --max-drop accuracy=0.01 train.log
  vizmeta gate --schema metadata.schema.json --junit gate.xml logs/*.log`);
  command.action(async (files: string[], options: GateOptions) => {
    // A gate's status is its answer: a reader that closes stdout early (`gate ... | head`) must
    // not turn a failure into a pass, so a closed pipe only stops the output here. Output that
    // cannot be written at all (a full disk) is exit 2, never the 1 of a failed gate.
    let outputFailed = false;
    const keepStatusOnClosedPipe = onClosedPipe(io, (error) => {
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
