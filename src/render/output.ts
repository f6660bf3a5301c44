/**
 * The last step before a report reaches its reader, in one place for every command, so that
 * escaping is a property of the output and not of each caller:
 *
 * - JSON on a terminal: C1, DEL, bidi and line-separator characters become `\uXXXX` (the same
 *   JSON to any reader; JSON.stringify already escapes C0 controls).
 * - CSV on a terminal: every control, C1 and bidi character is shown escaped (`\x1b`), as
 *   `extract --format csv` does; to a pipe or file CSV stays the data it is.
 * - Text and markdown, everywhere: a line that starts (after white space) with `::` gets a
 *   backslash before it (`\::stop-commands::x`), so GitHub's runner, which reads any stdout line
 *   starting with `::` as a workflow command, never takes one from log data. Markdown shows the
 *   guarded line as written (`\:` is an escaped `:`). vizmeta's own annotations (`gate --github`)
 *   are written apart and never pass through here.
 */
import { escapeForTerminal, escapeJsonForTerminal } from '../core/escape.js';

// White space as the runner's TrimStart sees it (Unicode spaces included), then `::`.
const WORKFLOW_COMMAND = /^(\s*)::/gmu;

/** Puts `\` before a `::` that starts a line (after white space). */
export function guardWorkflowCommands(text: string): string {
  return text.replace(WORKFLOW_COMMAND, (_match, space: string) => `${space}\\::`);
}

/** `text` made safe for whoever reads `format` output: a terminal (`terminal` true) or a CI log. */
export function forReader(text: string, format: string, terminal: boolean): string {
  if (format === 'json') return terminal ? escapeJsonForTerminal(text) : text;
  if (format === 'csv') return terminal ? text.split('\n').map(escapeForTerminal).join('\n') : text;
  return guardWorkflowCommands(text);
}
