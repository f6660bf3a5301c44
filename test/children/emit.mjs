// A small job for the end-to-end tests of `vizmeta run` and `vizmeta watch`.
//   emit.mjs bytes               fixed bytes: invalid UTF-8, ANSI, CRLF, a last line without newline
//   emit.mjs steps N DELAY_MS    N metadata lines, one every DELAY_MS, loss falling
//   emit.mjs exit CODE           one metadata line, then exit with CODE
//   emit.mjs signal NAME         one metadata line, then kill itself with signal NAME
//   emit.mjs stubborn            ignores SIGTERM and keeps printing (until SIGKILL)
//   emit.mjs echo-signal         prints the signal it gets, then exits 0
const [mode, a, b] = process.argv.slice(2);

if (mode === 'bytes') {
  const { BYTES, STDERR_BYTES } = await import('./bytes.mjs');
  process.stderr.write(STDERR_BYTES);
  process.stdout.write(BYTES);
} else if (mode === 'steps') {
  const n = Number(a ?? 10);
  const delay = Number(b ?? 10);
  for (let i = 1; i <= n; i++) {
    process.stdout.write(`epoch ${i}\n{"step": ${i}, "loss": ${(1 / i).toFixed(4)}}\n`);
    await new Promise((r) => setTimeout(r, delay));
  }
} else if (mode === 'exit') {
  process.stdout.write('{"step": 1, "loss": 0.5}\n');
  process.exitCode = Number(a);
} else if (mode === 'signal') {
  process.stdout.write('{"step": 1, "loss": 0.5}\n', () => process.kill(process.pid, a));
  setTimeout(() => {}, 10_000);
} else if (mode === 'stubborn') {
  process.on('SIGTERM', () => process.stdout.write('ignoring SIGTERM\n'));
  let i = 0;
  setInterval(() => process.stdout.write(`{"step": ${++i}, "loss": 9}\n`), 20);
} else if (mode === 'echo-signal') {
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => { process.stdout.write(`got ${s}\n`); process.exit(0); });
  process.stdout.write('ready\n');
  setInterval(() => {}, 1000);
}
