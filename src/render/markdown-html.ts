/**
 * Kubeflow markdown outputs as HTML for `vizmeta report`, safely: markdown-it with raw HTML off
 * (a `<script>` in the markdown is shown as text), images shown as their alt text (a picture
 * would be a request, which the page forbids), and links kept only for http, https and mailto,
 * opened without the page as referrer. Control and bidi characters are shown escaped first, as on
 * the terminal.
 */
import { createRequire } from 'node:module';
import type MarkdownItModule from 'markdown-it';
import { escapeForTerminal } from '../core/escape.js';

type MarkdownIt = InstanceType<typeof MarkdownItModule>;

let renderer: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (renderer) return renderer;
  // Loaded on first use: only a report with a Kubeflow markdown output needs it.
  const require = createRequire(import.meta.url);
  const Markdown = require('markdown-it') as typeof MarkdownItModule;
  const md = new Markdown({ html: false, linkify: false, typographer: false });
  md.validateLink = (url: string): boolean => /^(https?:|mailto:)/i.test(url.trim());
  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx];
    const alt = token?.children ? token.children.map((child) => child.content).join('') : '';
    return `<span class="note">[image: ${md.utils.escapeHtml(alt)}]</span>`;
  };
  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrSet('rel', 'noopener noreferrer nofollow');
    return defaultLink(tokens, idx, options, env, self);
  };
  renderer = md;
  return md;
}

/** Markdown text from a Kubeflow output as HTML that shows it and runs nothing. */
export function markdownToSafeHtml(markdown: string): string {
  const shown = markdown.split(/\r?\n/).map((line) => line.split('\t').map(escapeForTerminal).join('\t')).join('\n');
  return markdownIt().render(shown);
}
