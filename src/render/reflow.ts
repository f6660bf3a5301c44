/**
 * Help prose is written once, at about 95 columns; a narrower terminal would cut it mid-word.
 * `reflowHelp` rewraps, at spaces, each paragraph (a run of unindented lines) that has a line
 * wider than the terminal. Indented lines (options, examples) are left as they are: commander
 * already fits the options, and an example command is better whole than broken.
 */
import { displayWidth } from './width.js';

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === '') line = word;
    else if (displayWidth(line) + 1 + displayWidth(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function reflowHelp(text: string, width: number): string {
  if (width < 20) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.some((line) => displayWidth(line) > width)) out.push(...wrapWords(paragraph.join(' '), width));
    else out.push(...paragraph);
    paragraph = [];
  };
  for (const line of lines) {
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(line);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}
