import { describe, expect, it } from 'vitest';
import { renderMarkdownTerminal } from '../../src/render/markdown-terminal.js';

const plain = (text: string, width = 60): string => renderMarkdownTerminal(text, { width, color: false });

describe('renderMarkdownTerminal', () => {
  it('renders headings, emphasis, code and links readably without colour', () => {
    expect(plain('# Title\n\nSome **bold**, *italic*, `code` and [a link](https://x.org).\n')).toBe(
      'Title\n═════\n\nSome bold, italic, `code` and a link (https://x.org).\n',
    );
    expect(plain('## Sub\ntext')).toBe('Sub\n───\n\ntext\n');
    expect(plain('### Third')).toBe('Third\n');
    expect(plain('<https://a.b> and ![plot](p.png)')).toBe('https://a.b and [image: plot] (p.png)\n');
  });

  it('wraps paragraphs to the width and keeps code blocks as they are', () => {
    const long = 'word '.repeat(30).trim();
    const out = plain(long, 30);
    expect(out.split('\n').every((line) => line.length <= 30)).toBe(true);
    expect(plain('```js\nconst a   = 1;\n```')).toBe('  js\n    const a   = 1;\n');
    expect(plain('text\n\n    indented\n    code\n')).toBe('text\n\n    indented\n    code\n');
  });

  it('renders lists, task items, quotes and rules', () => {
    expect(plain('- a\n- b\n  - c\n- [x] done\n- [ ] todo\n\n1. one\n2. two')).toBe('• a\n• b\n  ◦ c\n• ☑ done\n• ☐ todo\n\n1. one\n2. two\n');
    expect(plain('> quoted *text*\n> more')).toBe('│ quoted text more\n');
    expect(plain('a\n\n---\n\nb')).toBe(`a\n\n${'─'.repeat(40)}\n\nb\n`);
  });

  it('aligns tables by their divider', () => {
    expect(plain('| metric | value |\n|:--|--:|\n| accuracy | 0.9 |\n| a \\| b | 12.25 |')).toBe(
      'metric    value\n────────  ─────\naccuracy    0.9\na | b     12.25\n',
    );
  });

  it('escapes control characters from the input and decodes entities', () => {
    const out = plain('evil \u001b[2J **b\u0007** &amp; &lt;tag&gt;\n\n```\n\u001b]0;title\u0007\n```');
    expect(out).not.toMatch(/[\u0000-\u0008\u001b\u007f]/);
    expect(out).toBe('evil \\x1b[2J b\\x07 & <tag>\n\n    \\x1b]0;title\\x07\n');
  });

  it('colours only when asked', () => {
    expect(renderMarkdownTerminal('# T\n**b**', { width: 40, color: true })).toContain('\u001b[1m');
    expect(plain('# T\n**b**')).not.toContain('\u001b');
  });
});
