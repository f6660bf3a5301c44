/**
 * Markdown made readable in a terminal, for Kubeflow's `markdown` outputs: headings, emphasis,
 * lists, block quotes, code blocks, tables, rules, and links shown as `text (url)`.
 * Not a full CommonMark implementation: the block structure a pipeline component writes
 * (a report with headings, bullet lists, a table or two, some code) is what it handles.
 *
 * Pure: text in, string out; colour is a parameter. Every piece of input text is escaped for
 * the terminal, so a control character in a report cannot drive the terminal.
 */
import { Chalk } from 'chalk';
import { displayWidth } from './width.js';
import { escapeForTerminal } from '../core/escape.js';
import { maxOf } from '../core/numbers.js';

export interface MarkdownTerminalOptions {
  /** Paragraphs are wrapped to this many columns; code and tables are not wrapped. */
  width: number;
  /** Bold headings and emphasis, coloured code and links. Without it, no escape bytes. */
  color: boolean;
}

const chalk = new Chalk({ level: 1 });

interface Style {
  bold(text: string): string;
  italic(text: string): string;
  code(text: string): string;
  dim(text: string): string;
  link(text: string): string;
  heading(text: string, level: number): string;
}

function styleFor(color: boolean): Style {
  if (!color) {
    return { bold: (t) => t, italic: (t) => t, code: (t) => t, dim: (t) => t, link: (t) => t, heading: (t) => t };
  }
  return {
    bold: (t) => chalk.bold(t),
    italic: (t) => chalk.italic(t),
    code: (t) => chalk.cyan(t),
    dim: (t) => chalk.dim(t),
    link: (t) => chalk.underline(t),
    heading: (t, level) => (level <= 2 ? chalk.bold.underline(t) : chalk.bold(t)),
  };
}

// ------------------------------------------------------------------------------------------
// Inline

/**
 * Inline markdown to terminal text. Without colour the markers of emphasis are dropped
 * (`**bold**` → `bold`) and code keeps its backticks, so it still reads as code.
 */
export function renderInline(text: string, style: Style, color: boolean): string {
  let out = '';
  let i = 0;
  let plain = '';
  const flush = (): void => {
    out += escapeForTerminal(decodeEntities(plain));
    plain = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    const rest = text.slice(i);
    // Backslash escapes.
    if (ch === '\\' && i + 1 < text.length && /[\\`*_{}[\]()#+\-.!|<>~]/.test(text[i + 1] as string)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    // Code spans: a run of backticks up to the same run.
    if (ch === '`') {
      const run = /^`+/.exec(rest)?.[0] ?? '`';
      const close = text.indexOf(run, i + run.length);
      if (close !== -1) {
        flush();
        const code = text.slice(i + run.length, close).replace(/^ (.*) $/s, '$1');
        out += style.code(escapeForTerminal(color ? code : `\`${code}\``));
        i = close + run.length;
        continue;
      }
    }
    // Images and links: ![alt](url "title"), [text](url).
    const link = /^(!?)\[((?:[^\][]|\[[^\]]*\])*)\]\(\s*<?([^\s)>]*)>?(?:\s+["'(][^)]*["')])?\s*\)/.exec(rest);
    if (link && (ch === '[' || (ch === '!' && text[i + 1] === '['))) {
      flush();
      const [whole, bang, label, url] = link as unknown as [string, string, string, string];
      const inner = renderInline(label, style, color);
      if (bang) out += `${style.dim('[image')}${label ? `${style.dim(':')} ${inner}` : ''}${style.dim(']')}${url ? ` ${style.dim(`(${escapeForTerminal(url)})`)}` : ''}`;
      else if (url === '' || url === label) out += style.link(inner || escapeForTerminal(url));
      else out += `${style.link(inner)} ${style.dim(`(${escapeForTerminal(url)})`)}`;
      i += whole.length;
      continue;
    }
    // Autolinks: <https://…>.
    const auto = /^<((?:https?|ftp|mailto):[^\s>]+)>/.exec(rest);
    if (auto) {
      flush();
      out += style.link(escapeForTerminal(auto[1] as string));
      i += (auto[0] as string).length;
      continue;
    }
    // Strong, emphasis, strikethrough.
    const emphasis = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1(?!\w)|^(\*|_)(?=[^\s*_])([\s\S]*?[^\s\\])\3(?![\w*])|^~~(?=\S)([\s\S]*?\S)~~/.exec(rest);
    const before = text[i - 1];
    const intraword = (ch === '_') && before !== undefined && /\w/.test(before);
    if (emphasis && !intraword) {
      flush();
      if (emphasis[2] !== undefined) out += style.bold(renderInline(emphasis[2], style, color));
      else if (emphasis[4] !== undefined) out += style.italic(renderInline(emphasis[4], style, color));
      else out += color ? chalk.strikethrough(renderInline(emphasis[5] ?? '', style, color)) : `~${renderInline(emphasis[5] ?? '', style, color)}~`;
      i += (emphasis[0] as string).length;
      continue;
    }
    // Inline HTML tags are dropped (a <br> becomes a space); their text stays.
    const tag = /^<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>/.exec(rest);
    if (tag) {
      plain += /^<br\b/i.test(tag[0]) ? ' ' : '';
      i += tag[0].length;
      continue;
    }
    plain += ch;
    i++;
  }
  flush();
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', mdash: '—', ndash: '–', hellip: '…' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

// ------------------------------------------------------------------------------------------
// Wrapping

const ANSI = /\u001b\[[0-9;]*m/g;

function visibleWidth(text: string): number {
  return displayWidth(text.replace(ANSI, ''));
}

/** Wraps styled text at spaces; a word longer than the width is left whole on its own line. */
function wrap(text: string, width: number, firstIndent: string, indent: string): string[] {
  const words = text.split(/ +/).filter((word) => word !== '');
  const lines: string[] = [];
  let line = firstIndent;
  let used = visibleWidth(firstIndent);
  let empty = true;
  for (const word of words) {
    const w = visibleWidth(word);
    if (!empty && used + 1 + w > width) {
      lines.push(line);
      line = indent;
      used = visibleWidth(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    used += (empty ? 0 : 1) + w;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

// ------------------------------------------------------------------------------------------
// Blocks

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)?.*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_DIVIDER = /^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$/;

function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && text[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function renderTable(header: string[], aligns: Array<'left' | 'right' | 'center'>, rows: string[][], style: Style, color: boolean): string[] {
  const n = header.length;
  const render = (cells: string[]): string[] => Array.from({ length: n }, (_, i) => renderInline(cells[i] ?? '', style, color));
  const head = render(header);
  const body = rows.map(render);
  const widths = head.map((cell, i) => maxOf(body.map((row) => visibleWidth(row[i] as string)), Math.max(visibleWidth(cell), 1)));
  const pad = (cell: string, i: number): string => {
    const space = (widths[i] as number) - visibleWidth(cell);
    const align = aligns[i] ?? 'left';
    if (align === 'right') return ' '.repeat(space) + cell;
    if (align === 'center') return ' '.repeat(Math.floor(space / 2)) + cell + ' '.repeat(Math.ceil(space / 2));
    return cell + ' '.repeat(space);
  };
  const line = (cells: string[]): string => cells.map(pad).join('  ').replace(/ +$/, '');
  return [style.bold(line(head)), style.dim(widths.map((w) => '─'.repeat(w)).join('  ')), ...body.map(line)];
}

/** Renders markdown for the terminal. Ends with a newline unless the input is blank. */
export function renderMarkdownTerminal(markdown: string, options: MarkdownTerminalOptions): string {
  const width = Math.max(20, Math.floor(options.width));
  const style = styleFor(options.color);
  const inline = (text: string): string => renderInline(text, style, options.color);
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const out: string[] = [];
  const blank = (): void => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  let paragraph: string[] = [];
  let inList = false;
  const endParagraph = (): void => {
    if (paragraph.length === 0) return;
    // A line ending in two spaces or a backslash is a hard break.
    const parts = paragraph.join('\n').split(/(?: {2,}|\\)\n/);
    for (const part of parts) out.push(...wrap(inline(part.replace(/\n/g, ' ').trim()), width, '', ''));
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      blank();
      const marker = fence[2] as string;
      const language = fence[3] ?? '';
      if (language) out.push(style.dim(`  ${escapeForTerminal(language)}`));
      for (i++; i < lines.length; i++) {
        const code = lines[i] as string;
        const closing = code.trim();
        if (closing.length >= marker.length && closing === marker.charAt(0).repeat(closing.length)) break;
        out.push(style.code(`    ${escapeForTerminal(code)}`));
      }
      out.push('');
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      blank();
      // A list goes on after a blank line only with another item or indented text.
      const following = lines[i + 1];
      inList = inList && following !== undefined && (LIST_ITEM.test(following) || /^ {2,}\S/.test(following));
      continue;
    }
    const listItem = LIST_ITEM.exec(line);
    if (!listItem || paragraph.length > 0) inList = inList && /^\s/.test(line);
    // Indented code (not inside a paragraph).
    if (paragraph.length === 0 && !inList && /^ {4}/.test(line)) {
      blank();
      for (; i < lines.length && (/^ {4}/.test(lines[i] as string) || (lines[i] as string).trim() === ''); i++) {
        out.push(style.code(`    ${escapeForTerminal((lines[i] as string).slice(4))}`));
      }
      while (out[out.length - 1]?.trim() === '') out.pop();
      out.push('');
      i--;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      endParagraph();
      blank();
      const level = (heading[1] as string).length;
      const text = inline(heading[2] ?? '');
      out.push(...wrap(style.heading(text, level), width, '', ''));
      if (level <= 2) out.push(style.dim((level === 1 ? '═' : '─').repeat(Math.min(width, Math.max(3, visibleWidth(text))))));
      out.push('');
      continue;
    }
    // Setext headings: a paragraph line underlined with === or ---.
    if (paragraph.length > 0 && /^ {0,3}(=+|-+) *$/.test(line)) {
      const level = line.trim().startsWith('=') ? 1 : 2;
      const text = inline(paragraph.join(' ').trim());
      paragraph = [];
      blank();
      out.push(style.heading(text, level), style.dim((level === 1 ? '═' : '─').repeat(Math.min(width, Math.max(3, visibleWidth(text))))), '');
      continue;
    }
    if (RULE.test(line)) {
      endParagraph();
      blank();
      out.push(style.dim('─'.repeat(Math.min(width, 40))), '');
      continue;
    }
    // Tables: a row of cells, then a divider.
    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && TABLE_DIVIDER.test(next) && next.includes('-')) {
      endParagraph();
      blank();
      const header = splitRow(line);
      const aligns = splitRow(next).map((cell) => (cell.startsWith(':') && cell.endsWith(':') ? 'center' : cell.endsWith(':') ? 'right' : 'left') as 'left' | 'right' | 'center');
      const rows: string[][] = [];
      for (i += 2; i < lines.length && (lines[i] as string).includes('|') && (lines[i] as string).trim() !== ''; i++) rows.push(splitRow(lines[i] as string));
      i--;
      out.push(...renderTable(header, aligns, rows, style, options.color), '');
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      endParagraph();
      const quoted: string[] = [];
      for (; i < lines.length; i++) {
        const q = QUOTE.exec(lines[i] as string);
        if (!q) break;
        quoted.push(q[1] as string);
      }
      i--;
      const inner = renderMarkdownTerminal(quoted.join('\n'), { width: width - 2, color: options.color }).replace(/\n$/, '');
      out.push(...inner.split('\n').map((l) => `${style.dim('│')} ${l}`.replace(/ +$/, '')));
      out.push('');
      continue;
    }
    const item = listItem;
    if (item && (paragraph.length === 0 || item[2] === '-' || item[2] === '*' || item[2] === '+' || /^1[.)]$/.test(item[2] as string))) {
      endParagraph();
      const depth = Math.floor((item[1] as string).length / 2);
      const marker = /\d/.test(item[2] as string) ? (item[2] as string) : ['•', '◦', '▪'][depth % 3] as string;
      let body = item[3] ?? '';
      const task = /^\[([ xX])\]\s+(.*)$/.exec(body);
      if (task) body = `${task[1] === ' ' ? '☐' : '☑'} ${task[2] as string}`;
      // Lazy continuation lines: indented text that is not a new block.
      while (i + 1 < lines.length) {
        const more = lines[i + 1] as string;
        if (more.trim() === '' || LIST_ITEM.test(more) || !/^\s+\S/.test(more) || HEADING.test(more) || FENCE.test(more)) break;
        body += ' ' + more.trim();
        i++;
      }
      const indent = '  '.repeat(depth);
      const lead = `${indent}${style.dim(marker)} `;
      out.push(...wrap(inline(body), width, lead, ' '.repeat(visibleWidth(lead))));
      inList = true;
      continue;
    }
    // Block-level HTML comments and lone tags are left out.
    if (/^\s*<!--.*-->\s*$/.test(line)) continue;
    paragraph.push(line);
  }
  endParagraph();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
