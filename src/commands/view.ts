/**
 * `vizmeta view`: renders the outputs of Kubeflow's `mlpipeline-ui-metadata.json` in order —
 * confusion matrices, ROC curves, tables, markdown — and says what web-app and tensorboard
 * outputs are and where. Files and their sources are read concurrently; output is in order.
 */
import { promises as fs } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Chalk } from 'chalk';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, write, type CommandIO } from '../core/io.js';
import { confusionFromKubeflowCsv, parseCsv, parseNumberCell } from '../formats/confusion.js';
import {
  baseDirOf,
  locateSource,
  OUTPUT_TYPES,
  parseUiMetadata,
  readLocalSource,
  remoteMessage,
  type SourceLocation,
  type UiOutput,
} from '../formats/kubeflow-ui.js';
import { escapeForTerminal } from '../core/escape.js';
import { renderMarkdownTerminal } from '../render/markdown-terminal.js';
import { renderMatrixMarkdown, renderMatrixText } from '../render/matrix.js';
import { analyseMatrix } from '../analyse/matrix.js';
import { markdownCell, renderMarkdownTable, renderTextTable, type Column } from '../render/table.js';
import { auc, rocFromGeneratedCsv } from '../analyse/roc.js';
import { checkReadable, describeFsError } from '../parsers/source.js';
import { concurrentlyInOrder, resolveInputs } from '../options/input.js';
import { renderCurves } from '../render/roc.js';
import { displayName, locateMessage } from '../formats/visual-input.js';

export type ViewFormat = 'text' | 'markdown';

export interface ViewOptions {
  /** Default `text`. */
  format: ViewFormat;
  /** `--no-color` sets this false. */
  color?: boolean;
}

interface Render {
  format: ViewFormat;
  color: boolean;
  width: number;
}

/** One rendered output: a heading, a body, and the error that kept it from rendering, if any. */
export interface ViewSection {
  heading: string;
  body: string;
  error?: string;
}

const chalk = new Chalk({ level: 1 });

async function readWhole(input: string, io: CommandIO): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  const path = resolve(io.cwd, input);
  try {
    await checkReadable(path);
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    const message = error instanceof InputError ? error.message : describeFsError(path, error);
    throw new InputError(message.startsWith(path) ? input + message.slice(path.length) : message);
  }
}

function whereOf(location: SourceLocation, output: UiOutput): string {
  switch (location.kind) {
    case 'inline': return 'inline';
    case 'missing': return 'no source';
    case 'remote': return location.url;
    case 'local': return output.source ?? location.path;
  }
}

async function content(location: SourceLocation): Promise<string> {
  if (location.kind === 'inline') return location.content;
  if (location.kind === 'local') return (await readLocalSource(location.path)).content;
  throw new InputError(location.kind === 'remote' ? remoteMessage(location.url) : 'the output has no source');
}

function isNumericColumn(rows: readonly string[][], i: number): boolean {
  let seen = false;
  for (const row of rows) {
    const cell = (row[i] ?? '').trim();
    if (cell === '') continue;
    if (parseNumberCell(cell) === undefined) return false;
    seen = true;
  }
  return seen;
}

function renderTable(output: UiOutput, text: string, render: Render): string {
  let rows = parseCsv(text.trim()).map((row) => row.map((cell) => cell.trim()));
  rows = rows.filter((row) => !(row.length === 1 && row[0] === ''));
  let header = output.header;
  if (!header) {
    header = rows[0] ?? [];
    rows = rows.slice(1);
  }
  const width = Math.max(header.length, ...rows.map((row) => row.length));
  const names = Array.from({ length: width }, (_, i) => header?.[i] ?? `column ${i + 1}`);
  const columns: Column[] = names.map((name, i) => ({ header: name, align: isNumericColumn(rows, i) ? 'right' : 'left' }));
  if (render.format === 'markdown') return renderMarkdownTable(columns, rows);
  const count = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
  return renderTextTable(columns, rows, { color: render.color, maxWidth: render.width }) + dim(render, `(${count})`) + '\n';
}

function dim(render: Render, text: string): string {
  return render.color && render.format === 'text' ? chalk.dim(text) : text;
}

function renderConfusion(output: UiOutput, text: string, render: Render, name: string): string {
  const matrix = confusionFromKubeflowCsv(text.trim(), output.labels);
  const axes = output.schema && output.schema.length >= 2 ? ` (rows: ${output.schema[0]}, columns: ${output.schema[1]})` : '';
  const opts = { color: render.color, width: render.width, title: `${name}${axes}` };
  const analysis = analyseMatrix(matrix, 'none');
  return render.format === 'markdown' ? renderMatrixMarkdown(analysis, opts) : renderMatrixText(analysis, opts);
}

function renderRocOutput(output: UiOutput, text: string, render: Render, name: string): string {
  let data = text.trim();
  // The schema names the columns of the headerless CSV; Kubeflow requires fpr, tpr and threshold*.
  const firstRow = parseCsv(data)[0];
  if (output.schema && output.schema.length >= 3 && firstRow && firstRow.every((cell) => parseNumberCell(cell) !== undefined)) {
    data = `${output.schema.join(',')}\n${data}`;
  }
  const curve = rocFromGeneratedCsv(data);
  const item = { source: name, form: 'kubeflow-csv' as const, curve, auc: auc(curve.fpr, curve.tpr) };
  return renderCurves([{ name, item }], render.format, { color: render.color, width: render.width, height: 12 });
}

function info(render: Render, text: string): string {
  if (render.format === 'markdown') return `> ${escapeForTerminal(text).replace(/[\\`*_[\]<>|]/g, (ch) => `\\${ch}`)}\n`;
  return wrapWords(escapeForTerminal(text), render.width).join('\n') + '\n';
}

/** Wraps at spaces; a word longer than the width (a long URL) stays whole on its own line. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

async function describeWebApp(location: SourceLocation, render: Render): Promise<string> {
  switch (location.kind) {
    case 'inline':
      return info(render, `web-app: an inline HTML page (${Buffer.byteLength(location.content)} bytes), not rendered in a terminal; save it as .html and open it in a browser`);
    case 'local': {
      let size = '';
      try {
        size = `, ${(await fs.stat(location.path)).size} bytes`;
      } catch {
        size = ', not found here';
      }
      return info(render, `web-app: a self-contained HTML page at ${location.path}${size}; open it in a browser`);
    }
    case 'remote':
      return info(render, `web-app: a self-contained HTML page at ${location.url}; open it in a browser (vizmeta reads only inline data and local files)`);
    case 'missing':
      return info(render, 'web-app: the output has no source');
  }
}

function describeTensorboard(output: UiOutput, render: Render): string {
  const logdir = output.source ?? '(no source)';
  // The command gets a line of its own, so it is never broken across lines when copied.
  const command = `tensorboard --logdir ${logdir}`;
  if (render.format === 'markdown') return `${info(render, `tensorboard: TensorBoard logs at ${logdir}; browse them with:`)}\n\`\`\`sh\n${escapeForTerminal(command)}\n\`\`\`\n`;
  return `${info(render, `tensorboard: TensorBoard logs at ${logdir}; browse them with:`)}  ${escapeForTerminal(command)}\n`;
}

/** Renders one output. Errors in its data become the section's `error`, never a throw. */
export async function renderOutput(output: UiOutput, baseDir: string, render: Render, file = 'stdin'): Promise<ViewSection> {
  const location = locateSource(output, baseDir);
  const type = output.type;
  const known = (OUTPUT_TYPES as readonly string[]).includes(type);
  const where = known && location.kind !== 'missing' ? ` · ${whereOf(location, output)}` : '';
  const label = `${output.index}. ${type === '' ? '(no type)' : type}${where}`;
  const heading = render.format === 'markdown' ? `### ${markdownCell(label)}` : render.color ? chalk.bold(escapeForTerminal(label)) : escapeForTerminal(label);
  const section = (body: string): ViewSection => ({ heading, body });
  if (!known) {
    const why = type === '' ? 'the output has no type' : `unknown output type ${JSON.stringify(type)}`;
    return section(info(render, `skipped: ${why} (vizmeta shows ${OUTPUT_TYPES.join(', ')})`));
  }
  if (type === 'web-app') return section(await describeWebApp(location, render));
  if (type === 'tensorboard') return section(describeTensorboard(output, render));
  if (location.kind === 'remote') return section(info(render, `not shown: ${remoteMessage(location.url)}`));
  const name = location.kind === 'local' ? basename(output.source ?? location.path) : `output ${output.index}`;
  try {
    const text = await content(location);
    if (type === 'markdown') {
      const body = render.format === 'markdown' ? text.trimEnd() + '\n' : renderMarkdownTerminal(text, { width: render.width, color: render.color });
      return section(body);
    }
    if (output.format !== undefined && output.format !== 'csv') throw new InputError(`format ${JSON.stringify(output.format)} is not supported; Kubeflow reads only csv`);
    if (type === 'table') return section(renderTable(output, text, render));
    if (type === 'confusion_matrix') return section(renderConfusion(output, text, render, name));
    return section(renderRocOutput(output, text, render, name));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const data = location.kind === 'local' ? (output.source ?? location.path) : 'inline source';
    const message = /^(ROC )?CSV line \d+/.test(error.message) ? locateMessage(data, error.message) : error.message;
    return { heading, body: info(render, 'not shown: see the error'), error: `${file}: output ${output.index} (${type}): ${message}` };
  }
}

export interface ViewResult {
  input: string;
  sections: ViewSection[];
  notes: string[];
}

/** Reads one metadata file and renders every output (sources read concurrently). */
export async function viewFile(input: string, io: CommandIO, render: Render): Promise<ViewResult> {
  const name = displayName(input);
  const text = await readWhole(input, io);
  const metadata = parseUiMetadata(text, name);
  const notes: string[] = [];
  if (metadata.unescaped) notes.push(`${name}: read after removing newlines and backslashes (the file was JSON-escaped twice)`);
  if (metadata.version !== undefined && metadata.version !== 1) notes.push(`${name}: version ${JSON.stringify(metadata.version)}; vizmeta knows version 1`);
  const baseDir = baseDirOf(input, io.cwd);
  const sections = await Promise.all(metadata.outputs.map((output) => renderOutput(output, baseDir, render, name)));
  return { input, sections, notes };
}

export async function runView(inputs: string[], options: ViewOptions, io: CommandIO): Promise<number> {
  let status: number = ExitCode.ok;
  const render: Render = { format: options.format, color: options.format === 'text' && resolveColor(io, options.color), width: Math.max(20, io.columns) };
  const onInputError = (error: Error): void => {
    warn(io, error.message);
    status = ExitCode.usage;
  };
  let first = true;
  for await (const result of concurrentlyInOrder(inputs, (input) => viewFile(input, io, render), onInputError)) {
    const name = displayName(result.input);
    for (const note of result.notes) warn(io, note);
    let text = '';
    if (inputs.length > 1) {
      const title = `${name} (${result.sections.length} output${result.sections.length === 1 ? '' : 's'})`;
      text += render.format === 'markdown' ? `## ${markdownCell(title)}\n\n` : `${render.color ? chalk.bold.underline(escapeForTerminal(title)) : `== ${escapeForTerminal(title)} ==`}\n\n`;
    } else if (result.sections.length === 0) {
      text += `${escapeForTerminal(name)}: no outputs\n`;
    }
    if (!first) text = '\n' + text;
    first = false;
    await write(io.stdout, text);
    for (const [i, section] of result.sections.entries()) {
      await write(io.stdout, `${i > 0 ? '\n' : ''}${section.heading}\n${render.format === 'markdown' ? '\n' : ''}${section.body}`);
      if (section.error !== undefined) {
        // Written when the section is, so stderr and stdout read in order on a terminal.
        warn(io, section.error);
        status = ExitCode.usage;
      }
    }
  }
  return status;
}

export function registerView(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('view')
    .description('render Kubeflow output viewers (mlpipeline-ui-metadata.json): confusion matrices, ROC curves, tables, markdown')
    .argument('[files...]', 'mlpipeline-ui-metadata.json files; - or nothing reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown']).default('text'))
    .option('--no-color', 'no colours, even on a terminal');
  command.addHelpText('after', `
Examples:
  vizmeta view mlpipeline-ui-metadata.json
  vizmeta view --format markdown artifacts/*/mlpipeline-ui-metadata.json >> "$GITHUB_STEP_SUMMARY"

Sources: storage "inline" and local paths are read; relative paths are taken from the JSON
file's folder, and a * in a path matches file names (the matches are concatenated).
Remote sources (gs://, s3://, minio://, http(s)://) are not fetched.`);
  command.action(async (files: string[], options: ViewOptions) => {
    exit.code = await runView(resolveInputs(files, io, command), options, io);
  });
}
