/**
 * `view`'s sections: Kubeflow's output viewers as text or markdown (tables, confusion matrices,
 * ROC curves, notes about outputs a terminal cannot show), headings and file titles. Pure:
 * data in, string out.
 */
import { Chalk } from 'chalk';
import { escapeForTerminal } from '../core/escape.js';
import { OUTPUT_TYPES, remoteMessage, type SourceLocation, type UiOutput } from '../formats/kubeflow-ui.js';
import type { MatrixAnalysis } from '../analyse/matrix.js';
import type { RocCurve } from '../analyse/roc.js';
import type { OutputView, ViewTable } from '../analyse/view.js';
import { renderMarkdownTerminal } from './markdown-terminal.js';
import { renderMatrixMarkdown, renderMatrixText } from './matrix.js';
import { renderCurves } from './roc.js';
import { markdownCell, markdownText, renderMarkdownTable, renderTextTable, wrapText, type Column } from './table.js';

export type ViewFormat = 'text' | 'markdown';

export interface ViewRender {
  format: ViewFormat;
  color: boolean;
  width: number;
}

const chalk = new Chalk({ level: 1 });

/** One rendered output: a heading, a body, and the error that kept it from rendering, if any. */
export interface ViewSection {
  heading: string;
  body: string;
  error?: string;
}

function whereOf(location: SourceLocation, output: UiOutput): string {
  switch (location.kind) {
    case 'inline': return 'inline';
    case 'missing': return 'no source';
    case 'remote': return location.url;
    case 'local': return output.source ?? location.path;
  }
}

/** One output under its heading (`2. roc · roc.csv`). */
export function renderSection(output: UiOutput, location: SourceLocation, view: OutputView, render: ViewRender): ViewSection {
  const type = output.type;
  const known = (OUTPUT_TYPES as readonly string[]).includes(type);
  const where = known && location.kind !== 'missing' ? ` · ${whereOf(location, output)}` : '';
  const heading = outputHeading(`${output.index}. ${type === '' ? '(no type)' : type}${where}`, render);
  switch (view.kind) {
    case 'unknown': {
      const why = type === '' ? 'the output has no type' : `unknown output type ${JSON.stringify(type)}`;
      return { heading, body: info(render, `skipped: ${why} (vizmeta shows ${OUTPUT_TYPES.join(', ')})`) };
    }
    case 'web-app': return { heading, body: describeWebApp(view.location, render, view.size) };
    case 'tensorboard': return { heading, body: describeTensorboard(output, render) };
    case 'remote': return { heading, body: info(render, `not shown: ${remoteMessage(view.url)}`) };
    case 'markdown': return { heading, body: render.format === 'markdown' ? kubeflowMarkdown(view.text) : renderMarkdownTerminal(view.text, { width: render.width, color: render.color }) };
    case 'table': return { heading, body: renderViewTable(view.table, render) };
    case 'confusion_matrix': return { heading, body: renderViewConfusion(output, view.analysis, render, view.name) };
    case 'roc': return { heading, body: renderViewRoc(view.roc, render, view.name) };
    case 'error': return { heading, body: info(render, 'not shown: see the error'), error: view.message };
  }
}

/**
 * A Kubeflow markdown output as markdown: the report's own markdown (links included: its author
 * wrote them), with control, C1 and bidi characters shown escaped (tabs and line breaks kept) and
 * a code fence it leaves open closed, so the sections after it are not turned into code.
 */
export function kubeflowMarkdown(text: string): string {
  const lines = text.trimEnd().split(/\r?\n/).map((line) => line.split('\t').map(escapeForTerminal).join('\t'));
  let fence: { char: string; length: number } | undefined;
  for (const line of lines) {
    const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!match) continue;
    const marker = match[1] ?? '';
    const char = marker[0] ?? '`';
    if (fence === undefined) {
      // A backtick fence's info string may not hold a backtick.
      if (char === '`' && (match[2] ?? '').includes('`')) continue;
      fence = { char, length: marker.length };
    } else if (char === fence.char && marker.length >= fence.length && (match[2] ?? '').trim() === '') {
      fence = undefined;
    }
  }
  if (fence !== undefined) lines.push(fence.char.repeat(fence.length));
  return lines.join('\n') + '\n';
}

/** What comes before a file's sections: its title when several files are shown, or a line saying it has none. */
export function fileHeader(name: string, sections: number, several: boolean, render: ViewRender): string {
  if (several) return fileTitle(name, sections, render);
  return sections === 0 ? `${escapeForTerminal(name)}: no outputs\n` : '';
}

/** A section as written: a blank line before all but the first. */
export function sectionText(section: ViewSection, first: boolean, render: ViewRender): string {
  return `${first ? '' : '\n'}${section.heading}\n${render.format === 'markdown' ? '\n' : ''}${section.body}`;
}

export function renderViewTable(table: ViewTable, render: ViewRender): string {
  const columns: Column[] = table.names.map((name, i) => ({ header: name, align: table.numeric[i] ? 'right' : 'left' }));
  if (render.format === 'markdown') return renderMarkdownTable(columns, table.rows);
  const count = `${table.rows.length} row${table.rows.length === 1 ? '' : 's'}`;
  return renderTextTable(columns, table.rows, { color: render.color, maxWidth: render.width }) + dim(render, `(${count})`) + '\n';
}

function dim(render: ViewRender, text: string): string {
  return render.color && render.format === 'text' ? chalk.dim(text) : text;
}

export function renderViewConfusion(output: UiOutput, analysis: MatrixAnalysis, render: ViewRender, name: string): string {
  const axes = output.schema && output.schema.length >= 2 ? ` (rows: ${output.schema[0]}, columns: ${output.schema[1]})` : '';
  const opts = { color: render.color, width: render.width, title: `${name}${axes}` };
  return render.format === 'markdown' ? renderMatrixMarkdown(analysis, opts) : renderMatrixText(analysis, opts);
}

export function renderViewRoc(roc: { curve: RocCurve; auc: number }, render: ViewRender, name: string): string {
  const item = { source: name, form: 'kubeflow-csv' as const, curve: roc.curve, auc: roc.auc };
  return renderCurves([{ name, item }], render.format, { color: render.color, width: render.width, height: 12 });
}

/** A note in place of an output: a quote in markdown, wrapped text in a terminal. */
export function info(render: ViewRender, text: string): string {
  if (render.format === 'markdown') return `> ${markdownText(text)}\n`;
  // A word longer than the width (a long URL) stays whole on its own line, to be copied.
  return wrapText(escapeForTerminal(text), render.width, '', 'keep').join('\n') + '\n';
}

/** What a `web-app` output is and where; `size` is the local file's size, or undefined when it is not there. */
export function describeWebApp(location: SourceLocation, render: ViewRender, size?: number): string {
  switch (location.kind) {
    case 'inline':
      return info(render, `web-app: an inline HTML page (${Buffer.byteLength(location.content)} bytes), not rendered in a terminal; save it as .html and open it in a browser`);
    case 'local':
      return info(render, `web-app: a self-contained HTML page at ${location.path}${size === undefined ? ', not found here' : `, ${size} bytes`}; open it in a browser`);
    case 'remote':
      return info(render, `web-app: a self-contained HTML page at ${location.url}; open it in a browser (vizmeta reads only inline data and local files)`);
    case 'missing':
      return info(render, 'web-app: the output has no source');
  }
}

export function describeTensorboard(output: UiOutput, render: ViewRender): string {
  const logdir = output.source ?? '(no source)';
  // The command gets a line of its own, so it is never broken across lines when copied.
  const command = `tensorboard --logdir ${logdir}`;
  if (render.format === 'markdown') return `${info(render, `tensorboard: TensorBoard logs at ${logdir}; browse them with:`)}\n\`\`\`sh\n${escapeForTerminal(command)}\n\`\`\`\n`;
  return `${info(render, `tensorboard: TensorBoard logs at ${logdir}; browse them with:`)}  ${escapeForTerminal(command)}\n`;
}

/** An output's heading: `2. roc · roc.csv`. */
export function outputHeading(label: string, render: ViewRender): string {
  return render.format === 'markdown' ? `### ${markdownCell(label)}` : render.color ? chalk.bold(escapeForTerminal(label)) : escapeForTerminal(label);
}

/** A file's title when several are shown: `a.json (3 outputs)`. */
export function fileTitle(name: string, outputs: number, render: ViewRender): string {
  const title = `${name} (${outputs} output${outputs === 1 ? '' : 's'})`;
  return render.format === 'markdown' ? `## ${markdownCell(title)}\n\n` : `${render.color ? chalk.bold.underline(escapeForTerminal(title)) : `== ${escapeForTerminal(title)} ==`}\n\n`;
}
