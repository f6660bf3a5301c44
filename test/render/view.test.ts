import { describe, expect, it } from 'vitest';
import type { UiOutput } from '../../src/formats/kubeflow-ui.js';
import { fileHeader, info, renderSection, sectionText, type ViewRender } from '../../src/render/view.js';

const text: ViewRender = { format: 'text', color: false, width: 40 };
const markdown: ViewRender = { format: 'markdown', color: false, width: 40 };
const output = (fields: Partial<UiOutput>): UiOutput => ({ index: 1, type: 'table', raw: {}, ...fields }) as UiOutput;

describe('view sections', () => {
  it('heads each output with its number, type and where its data is', () => {
    const section = renderSection(output({ index: 3, source: 'roc.csv' }), { kind: 'local', path: '/x/roc.csv' }, { kind: 'remote', url: 'gs://b/roc.csv' }, text);
    expect(section.heading).toBe('3. table · roc.csv');
    expect(renderSection(output({ type: '' }), { kind: 'missing' }, { kind: 'unknown' }, text).body).toMatch(/^skipped: the output has no type/);
    expect(renderSection(output({}), { kind: 'inline', content: 'x' }, { kind: 'error', message: 'ui.json: output 1 (table): bad' }, markdown))
      .toEqual({ heading: '### 1. table · inline', body: '> not shown: see the error\n', error: 'ui.json: output 1 (table): bad' });
  });

  it('wraps notes at spaces and keeps a long URL whole', () => {
    expect(info(text, `web-app: at https://example.com/${'x'.repeat(40)} open it`)).toBe(`web-app: at\nhttps://example.com/${'x'.repeat(40)}\nopen it\n`);
    expect(info(markdown, 'a_b')).toBe('> a\\_b\n');
  });

  it('titles files only when there are several, and says when one has no outputs', () => {
    expect(fileHeader('a.json', 0, false, text)).toBe('a.json: no outputs\n');
    expect(fileHeader('a.json', 2, false, text)).toBe('');
    expect(fileHeader('a.json', 1, true, text)).toBe('== a.json (1 output) ==\n\n');
    expect(sectionText({ heading: 'H', body: 'B\n' }, false, markdown)).toBe('\nH\n\nB\n');
  });
});
