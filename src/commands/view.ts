/**
 * `vizmeta view`: renders the outputs of Kubeflow's `mlpipeline-ui-metadata.json` in order —
 * confusion matrices, ROC curves, tables, markdown — and says what web-app and tensorboard
 * outputs are and where. Files and their sources are read concurrently; output is in order.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, writeOutput, type CommandIO } from '../core/io.js';
import { baseDirOf, loadSource, locateSource, parseUiMetadata, readUiMetadataFile, sourceFolders } from '../formats/kubeflow-ui.js';
import { outputView } from '../analyse/view.js';
import { fileHeader, renderSection, sectionText, type ViewFormat, type ViewRender, type ViewSection } from '../render/view.js';
import { concurrentlyInOrder, resolveInputs } from '../options/input.js';
import { displayName } from '../formats/visual-input.js';
import { guardWorkflowCommands } from '../render/output.js';

export interface ViewOptions {
  /** Default `text`. */
  format: ViewFormat;
  /** `--no-color` sets this false. */
  color?: boolean;
  /** Read local sources outside the metadata file's folder too. Default false. */
  allowOutside?: boolean;
  /** Fetch remote sources (s3://, gs://, minio://, https://). Default false. */
  allowRemote?: boolean;
}

/** A remote source's text, through input/remote.ts (and a cloud SDK), loaded only when one is fetched. */
async function fetchRemote(url: string): Promise<string> {
  return (await import('../input/remote.js')).readRemoteText(url);
}

export interface ViewResult {
  input: string;
  sections: ViewSection[];
  notes: string[];
}

/** Reads one metadata file and renders every output (sources read concurrently). */
export async function viewFile(input: string, io: CommandIO, render: ViewRender, allowOutside = false, allowRemote = false): Promise<ViewResult> {
  const name = displayName(input);
  const metadata = parseUiMetadata(await readUiMetadataFile(input, io.stdin, io.cwd), name);
  const notes: string[] = [];
  if (metadata.unescaped) notes.push(`${name}: read after removing newlines and backslashes (the file was JSON-escaped twice)`);
  if (metadata.version !== undefined && metadata.version !== 1) notes.push(`${name}: version ${JSON.stringify(metadata.version)}; vizmeta knows version 1`);
  const baseDir = baseDirOf(input, io.cwd);
  const folders = allowOutside ? undefined : await sourceFolders(input, io.cwd);
  const sections = await Promise.all(metadata.outputs.map(async (output) => {
    const location = locateSource(output, baseDir);
    return renderSection(output, location, outputView(output, location, await loadSource(output, location, folders, allowRemote ? fetchRemote : undefined), name), render);
  }));
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
  for await (const result of concurrentlyInOrder(inputs, (input) => viewFile(input, io, render, options.allowOutside === true, options.allowRemote === true), onInputError)) {
    for (const note of result.notes) warn(io, note);
    await writeOutput(io, guardWorkflowCommands((first ? '' : '\n') + fileHeader(displayName(result.input), result.sections.length, inputs.length > 1, render)));
    first = false;
    for (const [i, section] of result.sections.entries()) {
      await writeOutput(io, guardWorkflowCommands(sectionText(section, i === 0, render)));
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
    .option('--no-color', 'no colours, even on a terminal')
    .option('--allow-outside', "read local sources outside the JSON file's folder too (absolute paths, .., file:// URLs, links)")
    .option('--allow-remote', 'fetch remote sources too: s3://, gs://, minio:// (as S3) and https://, with your cloud credentials');
  command.addHelpText('after', `
Examples:
  vizmeta view mlpipeline-ui-metadata.json
  vizmeta view --format markdown artifacts/*/mlpipeline-ui-metadata.json >> "$GITHUB_STEP_SUMMARY"

Sources: storage "inline" and local paths are read; relative paths are taken from the JSON
file's folder, and a * in a path matches file names (the matches are concatenated). A source
outside that folder (an absolute path, .., a file:// URL or a link leading out) is not read
unless --allow-outside is given: the JSON file decides what is read, and may not be yours.
Remote sources (s3://, gs://, minio://, https://) are fetched only with --allow-remote, as
remote logs are read (credentials from each cloud's SDK; AWS_ENDPOINT_URL for MinIO): the JSON
file chooses the URL, and fetching it uses your credentials and network.`);
  command.action(async (files: string[], options: ViewOptions) => {
    exit.code = await runView(resolveInputs(files, io, command), options, io);
  });
}
