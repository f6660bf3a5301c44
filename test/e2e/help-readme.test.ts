/**
 * The README and `--help` agree: every command `vizmeta --help` lists has a README section
 * (`### \`vizmeta NAME ...\``), every option its `--help` shows is named in that section (or in
 * the table of options shared by every command; `run` and `demo` take `watch`'s options, as their
 * sections say), and every `--help` ends with examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/run-cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function section(command: string): string {
  const start = README.indexOf(`### \`vizmeta ${command}`);
  if (start === -1) return '';
  const rest = README.slice(start + 4);
  const end = rest.search(/\n##+ /);
  return end === -1 ? rest : rest.slice(0, end);
}

const SHARED = README.slice(README.indexOf('Options shared by every command'), README.indexOf('Conventions:'));
const INHERITS: Record<string, string[]> = { run: ['watch'], demo: ['watch', 'run'] };

function optionsOf(help: string): string[] {
  const options = help.slice(help.indexOf('Options:'));
  return [...new Set([...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string))].filter((option) => option !== '--help');
}

describe('README and --help', async () => {
  const top = await runCli(['--help']);
  const commands = [...top.stdout.matchAll(/^ {2}(\w+) \[options\]/gm)].map((m) => m[1] as string);

  it('finds the commands', () => {
    expect(commands.length).toBeGreaterThanOrEqual(13);
  });

  for (const command of commands) {
    it(`${command}: every option is in its README section, and --help has examples`, async () => {
      const help = (await runCli([command, '--help'])).stdout;
      expect(help).toMatch(/\nExamples:\n {2}\S/);
      const text = [section(command), ...(INHERITS[command] ?? []).map(section)].join('\n');
      expect(section(command)).not.toBe('');
      const missing = optionsOf(help).filter((option) => !new RegExp(`(?<![\\w-])${option}(?![\\w-])`).test(text) && !SHARED.includes(`\`${option}`));
      expect(missing).toEqual([]);
    });
  }
});
