/**
 * The command line `run --pty` hands to util-linux `script`: each argument reaches the job as
 * it was given (quoted for /bin/sh, which `script` runs it with), the terminal gets a size, the
 * job's pid is reported on fd 3 and the user's SHELL is put back.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PID_FD, findCommand, ptyCommandLine, ptyWindow, scriptInvocation, scriptVersionProblem, shellQuote } from '../../src/live/pty.js';

const HOSTILE = [
  'plain',
  'two words',
  '',
  "it's",
  "''",
  '"double"',
  '$HOME',
  '${PATH}',
  '`id`',
  '$(id)',
  'line\nbreak',
  'trailing newline\n',
  'back\\slash',
  'tab\there',
  '*.py',
  '~',
  'a;b|c&d>e<f',
  '!event',
  '--lr=3e-4',
  'ünïcødé 学习 🚀',
];

describe('shellQuote', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('train.py')).toBe('train.py');
    expect(shellQuote('--lr=3e-4')).toBe('--lr=3e-4');
    expect(shellQuote('two words')).toBe("'two words'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME `id`')).toBe("'$HOME `id`'");
    expect(shellQuote('a\nb')).toBe("'a\nb'");
  });

  it('round-trips every argument through /bin/sh unchanged', () => {
    const script = `printf '%s\\0' ${HOSTILE.map(shellQuote).join(' ')}`;
    const result = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { HOME: '/nowhere', PATH: '/usr/bin:/bin' } });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });
});

describe('ptyCommandLine', () => {
  it('sizes the terminal, reports the pid, restores SHELL and execs the job', () => {
    expect(ptyCommandLine(['python', 'train.py', '--name', 'run 1'], { columns: 120, rows: 14 }, '/usr/bin/fish')).toBe(
      `stty cols 120 rows 14 2>/dev/null; printf '%s\\n' "$$" >&${PID_FD}; exec ${PID_FD}>&-; SHELL=/usr/bin/fish; export SHELL; exec python train.py --name 'run 1'`,
    );
  });

  it('unsets SHELL when the user had none', () => {
    expect(ptyCommandLine(['job'], { columns: 80, rows: 24 }, undefined)).toContain('unset SHELL; exec job');
  });

  it('runs in /bin/sh: the job gets its argv, the SHELL it had and the size; fd 3 gets its pid', () => {
    const argv = [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), shell: process.env.SHELL ?? null, pid: process.pid }))', ...HOSTILE];
    const line = ptyCommandLine(argv, { columns: 100, rows: 20 }, "/opt/my shell's/zsh");
    const result = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8', env: { SHELL: '/bin/sh', PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    expect(result.status).toBe(0);
    const seen = JSON.parse(result.stdout) as { argv: string[]; shell: string | null; pid: number };
    expect(seen.argv).toEqual(HOSTILE);
    expect(seen.shell).toBe("/opt/my shell's/zsh");
    // exec keeps the shell's pid: the one written to fd 3 is the job's.
    expect(String(result.output[PID_FD])).toBe(`${seen.pid}\n`);
  });
});

describe('scriptInvocation', () => {
  it('runs script quietly, returning the job status, echoing nothing, keeping no typescript, under /bin/sh', () => {
    const invocation = scriptInvocation(['job', 'a b'], { columns: 80, rows: 24 }, { SHELL: '/bin/zsh', PATH: '/bin' });
    expect(invocation.command).toBe('script');
    expect(invocation.args).toEqual(['--quiet', '--return', '--echo', 'never', '--command', ptyCommandLine(['job', 'a b'], { columns: 80, rows: 24 }, '/bin/zsh'), '/dev/null']);
    expect(invocation.env).toEqual({ SHELL: '/bin/sh', PATH: '/bin' });
  });
});

describe('ptyWindow', () => {
  it('is the log part of a live screen, full width', () => {
    const window = ptyWindow(120, 40, true);
    expect(window.columns).toBe(120);
    expect(window.rows).toBeGreaterThanOrEqual(4);
    expect(window.rows).toBeLessThan(40);
  });

  it('is 80x24 off a terminal', () => {
    expect(ptyWindow(200, 60, false)).toEqual({ columns: 80, rows: 24 });
  });
});

describe('findCommand', () => {
  const files = new Set(['/usr/bin/python3', '/work/train.sh', '/work/bin/tool']);
  const has = (file: string): boolean => files.has(file);

  it('searches PATH for a bare name, in order; an empty entry is the working folder', () => {
    expect(findCommand('python3', '/usr/local/bin:/usr/bin', '/work', has)).toBe('/usr/bin/python3');
    expect(findCommand('train.sh', '/usr/bin::/bin', '/work', has)).toBe('/work/train.sh');
    expect(findCommand('nosuch', '/usr/bin', '/work', has)).toBeUndefined();
  });

  it('takes a name with a slash as a path, relative to the working folder', () => {
    expect(findCommand('./train.sh', '/usr/bin', '/work', has)).toBe('/work/train.sh');
    expect(findCommand('bin/tool', '', '/work', has)).toBe('/work/bin/tool');
    expect(findCommand('/usr/bin/python3', undefined, '/', has)).toBe('/usr/bin/python3');
    expect(findCommand('train.sh', '/usr/bin', '/work', has)).toBeUndefined();
  });
});

describe('scriptVersionProblem', () => {
  it('accepts util-linux 2.35 and newer', () => {
    expect(scriptVersionProblem('script from util-linux 2.38.1\n')).toBeUndefined();
    expect(scriptVersionProblem('script from util-linux 2.35\n')).toBeUndefined();
    expect(scriptVersionProblem('script from util-linux 3.0\n')).toBeUndefined();
  });

  it('names what is wrong with another script', () => {
    expect(scriptVersionProblem('script from util-linux 2.34\n')).toMatch(/2\.35 or newer.*found 2\.34/);
    expect(scriptVersionProblem('script: illegal option -- -\nusage: script [-adkpqr] [-t time] [file [command ...]]\n')).toMatch(/util-linux/);
  });
});
