/**
 * Output written to fd 1 directly (core/io.ts, processIO's writeDirect) where stdout is a file,
 * a pipe or /dev/null: the same bytes as through Node's stream, without making the stream.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vizmeta-stdout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', COLUMNS: '100' };
const LOG = 'fixtures/runs/run-1.log';

/** A big output (a wide, tall chart): more than a pipe holds, so a full pipe is reached. */
const BIG = ['chart', '--width', '400', '--height', '600', LOG];

/**
 * Node's built-in modules a run of the CLI loaded, with stdout going to `stdout`; `touch` first
 * makes process.stdout in a preload, the control that shows the check can see the stream.
 */
function modulesLoaded(stdout: 'file' | 'pipe', touch = false, args = ['sort', '--by', 'accuracy', LOG]): { modules: string[]; output: string } {
  const list = join(dir, `modules-${stdout}-${touch}.txt`);
  const preload = join(dir, `preload-${touch}.cjs`);
  writeFileSync(preload, `${touch ? 'process.stdout;\n' : ''}process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
  const outFile = join(dir, `out-${stdout}-${touch}.txt`);
  let output: string;
  if (stdout === 'file') {
    const fd = openSync(outFile, 'w');
    try {
      spawnSync(process.execPath, ['-r', preload, BIN, ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', fd, 'ignore'] });
    } finally {
      closeSync(fd);
    }
    output = readFileSync(outFile, 'utf8');
  } else {
    output = execFileSync(process.execPath, ['-r', preload, BIN, ...args], { cwd: ROOT, env: ENV, encoding: 'utf8' });
  }
  return { modules: readFileSync(list, 'utf8').split('\n'), output };
}

const runSync = (args: string[]): Buffer => execFileSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: ENV });

/**
 * Runs the CLI with stdout a FIFO nobody reads for a while, and non-blocking: Node makes a
 * child's stdio blocking when it spawns it, so a preload sets it the way a pipe handed over
 * non-blocking comes (opening a net.Socket on fd 1 does, as libuv does for every pipe it opens).
 * Writes then hit EAGAIN once the FIFO's 64 KiB are full. Returns every byte read.
 */
async function runIntoFullPipe(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<{ status: number | null; stderr: string; output: Buffer }> {
  const fifo = join(dir, `out-${Math.random().toString(36).slice(2)}.fifo`);
  execFileSync('mkfifo', [fifo]);
  const preload = join(dir, 'non-blocking-stdout.cjs');
  writeFileSync(preload, "new (require('node:net').Socket)({ fd: 1, readable: false, writable: true });\n");
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  const child = spawn(process.execPath, ['-r', preload, BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', writer, 'pipe'] });
  closeSync(writer);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Read nothing for a while, so the pipe fills up, then everything.
  await new Promise((resolve) => setTimeout(resolve, 400));
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(reader, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  closeSync(reader);
  return { status: await status, stderr, output: Buffer.concat(chunks) };
}

describe('stdout written directly', () => {
  it.skipIf(process.platform === 'win32')('to a file or a pipe, without making Node\'s stdout stream (its modules are never loaded)', () => {
    const expected = runSync(['sort', '--by', 'accuracy', LOG]).toString('utf8');
    expect(expected).toContain('run-1.log');
    for (const kind of ['file', 'pipe'] as const) {
      const { modules, output } = modulesLoaded(kind);
      expect(output, kind).toBe(expected);
      // A file's stream is a SyncWriteStream; a pipe's a net.Socket. Either loads node:stream.
      expect(modules, kind).not.toContain('NativeModule stream');
      expect(modules, kind).not.toContain('NativeModule net');
      // The control: a process that made process.stdout has them.
      expect(modulesLoaded(kind, true).modules, `${kind}, stream made`).toContain('NativeModule stream');
      // The CLI entry's own answers too, and a command's help (commander asks no stream).
      const version = modulesLoaded(kind, false, ['--version']);
      expect(version.output).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect(version.modules, `${kind}, --version`).not.toContain('NativeModule stream');
      const help = modulesLoaded(kind, false, ['sort', '--help']);
      expect(help.output).toMatch(/^Usage: vizmeta sort /);
      expect(help.modules, `${kind}, sort --help`).not.toContain('NativeModule stream');
    }
  });

  it.skipIf(process.platform === 'win32')('a non-blocking pipe that fills up gets the rest through the stream, every byte in order', async () => {
    const expected = runSync(BIG);
    expect(expected.length).toBeGreaterThan(200_000);
    const { status, stderr, output } = await runIntoFullPipe(BIG);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(output.equals(expected)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('a custom renderer that prints is written through the stream too, so its lines keep their place', async () => {
    // console.log makes process.stdout; once the pipe is full its lines wait in the stream, and a
    // direct write of the renderer's text must not overtake them.
    const renderer = join(dir, 'chatty.mjs');
    writeFileSync(renderer, "export default (records) => { for (let i = 0; i < 3000; i++) console.log(`log ${i} ${'x'.repeat(60)}`); return `END ${records.length}\\n`; };\n");
    // (No FORCE_COLOR beside NO_COLOR: Node's console warns of the pair.)
    const { FORCE_COLOR: _unused, ...env } = ENV;
    const { status, stderr, output } = await runIntoFullPipe(['chart', '--renderer', renderer, LOG], env);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = output.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3001);
    expect(lines[2999]).toMatch(/^log 2999 x+$/);
    expect(lines[3000]).toMatch(/^END \d+$/);
  });

  it.skipIf(!existsSync('/dev/full'))('--version and --help to a full device are one line and exit 2, like every command\'s output', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['--version'], ['--help'], ['sort', '--help'], ['sort', '--by', 'accuracy', LOG]]) {
        const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        expect(result.stderr, args.join(' ')).toBe('vizmeta: cannot write the output: stdout: no space left on the device\n');
        expect(result.status, args.join(' ')).toBe(2);
      }
    } finally {
      closeSync(full);
    }
  });

  it.skipIf(process.platform === 'win32')('an fd 1 that cannot be written is one line and exit 2, as through the stream', () => {
    const readOnly = join(dir, 'read-only.txt');
    writeFileSync(readOnly, '');
    const fd = openSync(readOnly, 'r');
    try {
      const result = spawnSync(process.execPath, [BIN, 'gate', '--when', 'accuracy > 0.99', LOG], { cwd: ROOT, env: ENV, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      // A failed gate is 1; output that cannot be written is 2 whatever the gate said.
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^vizmeta: cannot write the output: stdout: cannot write \(EBADF[^\n]*\)\n$/);
    } finally {
      closeSync(fd);
    }
  });
});
