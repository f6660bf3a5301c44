/**
 * `git:REV:PATH` inputs: a log as it is at a revision (`git:origin/main:metrics/train.log`), so
 * CI can gate a pull request against main's log without checking it out. PATH is git's own
 * `REV:PATH`: from the repository's root, or from the current folder when it starts with `./`
 * or `../`.
 *
 * Loaded only when an input starts with `git:` (input/read-inputs.ts, input/executions.ts): a
 * command over plain logs never pays for it. The object is streamed from one
 * `git cat-file --batch`, spawned with an argument array (no shell ever reads REV or PATH, which
 * come from users) and told the object's name on stdin, where nothing is taken as an option.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { InputError, UsageError } from '../core/errors.js';

/** What every git spec starts with; `./git:…` names a file of that name instead. */
export const GIT_SPEC_PREFIX = 'git:';

/** A parsed `git:REV:PATH`. */
export interface GitSpec {
  /** The spec as given: the execution's name. */
  spec: string;
  rev: string;
  path: string;
}

const USAGE = 'expected git:REV:PATH, e.g. git:origin/main:metrics/train.log (./git:… reads a file of that name)';

/**
 * Splits `git:REV:PATH` at the first colon after `git:` (a ref name cannot hold one; a path may).
 * Throws UsageError for a spec git must not see: no revision or no path, a revision starting
 * with `-` (it would read as an option to any git command it reached), or a line break or NUL
 * (the object's name goes to git as one line).
 */
export function parseGitSpec(spec: string): GitSpec {
  if (!spec.startsWith(GIT_SPEC_PREFIX)) throw new UsageError(`${spec}: not a git spec; ${USAGE}`);
  if (/[\n\r\0]/.test(spec)) throw new UsageError(`${spec}: a git spec cannot hold a line break or NUL`);
  const rest = spec.slice(GIT_SPEC_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon === -1) throw new UsageError(`${spec}: ${USAGE}`);
  const rev = rest.slice(0, colon);
  const path = rest.slice(colon + 1);
  if (rev === '') throw new UsageError(`${spec}: no revision; ${USAGE}`);
  if (rev.startsWith('-')) throw new UsageError(`${spec}: a revision cannot start with '-'`);
  if (path === '') throw new UsageError(`${spec}: no path; ${USAGE}`);
  return { spec, rev, path };
}

/** A log file's bytes at a revision: its size from git, and a stream of exactly those bytes. */
export interface GitObject {
  size: number;
  stream: Readable;
}

export interface GitOptions {
  /** Where git looks for the repository. Default the current directory. */
  cwd?: string;
  /** The git program. Default `git` on the PATH. */
  git?: string;
}

/** The message for a machine without git: the user can install it or check the file out instead. */
export const GIT_NOT_FOUND = 'git: not found; install git or check out the baseline file';

/** At most this much of git's stderr is kept, for the one line an error quotes. */
const STDERR_KEPT = 4096;

interface Ended {
  code: number | null;
  error?: NodeJS.ErrnoException;
}

/** Runs git with `args` (an array: never a shell) and resolves with its status and stderr. */
function runGit(args: readonly string[], options: GitOptions): { child: ReturnType<typeof spawn>; ended: Promise<Ended>; stderr: () => string } {
  const child = spawn(options.git ?? 'git', args, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    // Messages in English, so "not a git repository" can be recognised; nothing waits on a prompt.
    env: { ...process.env, LC_ALL: 'C', LANGUAGE: '', GIT_TERMINAL_PROMPT: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8');
  });
  // git may exit before reading what it was sent (no repository): that is said by its status.
  child.stdin?.on('error', () => {});
  const ended = new Promise<Ended>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  return { child, ended, stderr: () => stderr };
}

/** The first line of git's complaint, without its `fatal: `. */
function firstLine(stderr: string): string {
  return (stderr.split('\n').find((line) => line.trim() !== '') ?? '').replace(/^(fatal|error): /, '').trim();
}

/** The error for git that ended without answering: not installed, not in a repository, or its own words. */
function failure(spec: GitSpec, ended: Ended, stderr: string): InputError {
  if (ended.error !== undefined) {
    return new InputError(ended.error.code === 'ENOENT' ? GIT_NOT_FOUND : `${spec.spec}: cannot run git (${ended.error.message})`);
  }
  if (/not a git repository/i.test(stderr)) return new InputError(`${spec.spec}: not inside a git repository; run vizmeta in a clone, or check out the baseline file`);
  const said = firstLine(stderr);
  return new InputError(`${spec.spec}: git failed${said === '' ? ` with status ${ended.code}` : `: ${said}`}`);
}

/** Whether REV names an object in the repository: tells "no such revision" from "no such path". */
async function revisionExists(rev: string, options: GitOptions): Promise<boolean> {
  // `rev-parse --verify` takes one argument, and parseGitSpec let no REV starting with `-` through.
  const { ended } = runGit(['rev-parse', '--verify', '--quiet', `${rev}^{object}`], options);
  return (await ended).code === 0;
}

/**
 * Opens `git:REV:PATH` for reading. Resolves once git has said what the object is, so every
 * problem is an InputError (exit 2) before a byte is read: git not installed, not in a
 * repository, no such revision, no such path at it, a folder rather than a file. The stream is
 * git's stdout itself, passed on chunk by chunk as it is read, so memory stays bounded whatever
 * the log's size; destroying it stops git.
 */
export async function openGitObject(input: GitSpec | string, options: GitOptions = {}): Promise<GitObject> {
  const spec = typeof input === 'string' ? parseGitSpec(input) : input;
  const { child, ended, stderr } = runGit(['cat-file', '--batch'], options);
  const stdout = child.stdout as Readable;
  child.stdin?.end(`${spec.rev}:${spec.path}\n`);
  const chunks = stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  // The header: `<oid> blob <size>`, or `<name> missing`.
  let head = Buffer.alloc(0);
  let header: string | undefined;
  while (header === undefined) {
    const next = await chunks.next();
    if (next.done === true) break;
    head = Buffer.concat([head, next.value]);
    const newline = head.indexOf(0x0a);
    if (newline !== -1) {
      header = head.toString('utf8', 0, newline);
      head = head.subarray(newline + 1);
    } else if (head.length > STDERR_KEPT + spec.spec.length) {
      break;
    }
  }
  if (header === undefined) {
    stop();
    throw failure(spec, await ended, stderr());
  }
  const fields = header.split(' ');
  const type = fields[fields.length - 2];
  const size = Number(fields[fields.length - 1]);
  if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
    stop();
    if (header.endsWith(' ambiguous')) throw new InputError(`${spec.spec}: "${spec.rev}" is ambiguous in this repository; name it in full`);
    if (!(await revisionExists(spec.rev, options))) throw new InputError(`${spec.spec}: no revision "${spec.rev}" in this repository`);
    const hint = spec.path.startsWith('./') || spec.path.startsWith('../') ? '' : `; the path is from the repository's root (./${spec.path} is from the current folder)`;
    throw new InputError(`${spec.spec}: no file "${spec.path}" at ${spec.rev}${hint}`);
  }
  if (fields.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
    stop();
    throw new InputError(`${spec.spec}: git answered what vizmeta does not understand`);
  }
  if (type !== 'blob') {
    stop();
    throw new InputError(type === 'tree' ? `${spec.spec}: is a directory at ${spec.rev}` : `${spec.spec}: not a file at ${spec.rev} (a ${type})`);
  }
  return { size, stream: Readable.from(body(spec, size, head, chunks, stop, ended, stderr), { objectMode: false }) };
}

/**
 * The object's bytes: what came with the header, then git's stdout chunk by chunk, cut at `size`
 * (git ends the object with a newline of its own). Fewer bytes than `size` is an error.
 */
async function* body(spec: GitSpec, size: number, first: Buffer, chunks: AsyncIterator<Buffer>, stop: () => void, ended: Promise<Ended>, stderr: () => string): AsyncGenerator<Buffer> {
  let left = size;
  try {
    let chunk: Buffer | undefined = first;
    while (left > 0) {
      if (chunk !== undefined && chunk.length > 0) {
        const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= piece.length;
        yield piece;
        if (left === 0) break;
      }
      const next = await chunks.next();
      if (next.done === true) break;
      chunk = next.value;
    }
    if (left > 0) {
      const end = await ended;
      throw end.code === 0 ? new InputError(`${spec.spec}: git ended ${left} bytes short of the file`) : failure(spec, end, stderr());
    }
  } finally {
    // Read to the end, git exits by itself (its stdin is closed); a reader that stopped early stops it.
    if (left > 0) stop();
    else void chunks.return?.();
  }
}
