/**
 * `vizmeta view`: renders the outputs of Kubeflow's `mlpipeline-ui-metadata.json` in order —
 * confusion matrices, ROC curves, tables, markdown — and says what web-app and tensorboard
 * outputs are and where. Files and their sources are read concurrently; output is in order.
 */
import { promises as fs } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, write, type CommandIO } from '../core/io.js';
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
import { confusionOf, rocOf, tableOf } from '../analyse/view.js';
import { describeTensorboard, describeWebApp, fileTitle, info, outputHeading, renderViewConfusion, renderViewRoc, renderViewTable, type ViewFormat, type ViewRender } from '../render/view.js';
import { checkReadable, describeFsError } from '../parsers/source.js';
import { concurrentlyInOrder, resolveInputs } from '../options/input.js';
import { displayName, locateMessage } from '../formats/visual-input.js';

export interface ViewOptions {
  /** Default `text`. */
  format: ViewFormat;
  /** `--no-color` sets this false. */
  color?: boolean;
}

/** One rendered output: a heading, a body, and the error that kept it from rendering, if any. */
export interface ViewSection {
  heading: string;
  body: string;
  error?: string;
}

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

/** The size of a local web-app page, or undefined when it is not there. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Renders one output. Errors in its data become the section's `error`, never a throw. */
export async function renderOutput(output: UiOutput, baseDir: string, render: ViewRender, file = 'stdin'): Promise<ViewSection> {
  const location = locateSource(output, baseDir);
  const type = output.type;
  const known = (OUTPUT_TYPES as readonly string[]).includes(type);
  const where = known && location.kind !== 'missing' ? ` · ${whereOf(location, output)}` : '';
  const label = `${output.index}. ${type === '' ? '(no type)' : type}${where}`;
  const heading = outputHeading(label, render);
  const section = (body: string): ViewSection => ({ heading, body });
  if (!known) {
    const why = type === '' ? 'the output has no type' : `unknown output type ${JSON.stringify(type)}`;
    return section(info(render, `skipped: ${why} (vizmeta shows ${OUTPUT_TYPES.join(', ')})`));
  }
  if (type === 'web-app') return section(describeWebApp(location, render, location.kind === 'local' ? await sizeOf(location.path) : undefined));
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
    if (type === 'table') return section(renderViewTable(tableOf(output, text), render));
    if (type === 'confusion_matrix') return section(renderViewConfusion(output, confusionOf(output, text), render, name));
    return section(renderViewRoc(rocOf(output, text), render, name));
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
export async function viewFile(input: string, io: CommandIO, render: ViewRender): Promise<ViewResult> {
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
  const render: ViewRender = { format: options.format, color: options.format === 'text' && resolveColor(io, options.color), width: Math.max(20, io.columns) };
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
      text += fileTitle(name, result.sections.length, render);
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
