/**
 * Typed errors, turned into exit codes in one place (src/program.ts).
 * Library code throws these; it never calls process.exit.
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** A gate or condition failed. */
  failed: 1,
  /** Bad flag, bad expression, unreadable or malformed input. */
  usage: 2,
  internal: 3,
} as const;

/** Holds the exit status a command's action decided, since commander actions return nothing useful. */
export interface ExitSlot {
  code: number;
}

/** A bad flag, option value or expression: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that cannot be read or understood: exit status 2. The message names the file (and line when known). */
export class InputError extends Error {
  override name = 'InputError';
}
