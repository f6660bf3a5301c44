// A training job for the stop and signal tests: a progress line with \r and a metadata line every
// DELAY_MS, written synchronously. When it ends it leaves `<bytes> <sha256>` of everything it
// wrote in the file REPORT (written in the signal handler, so a signal cannot split a write from it).
//   job.mjs plain REPORT [DELAY_MS]      SIGINT/SIGTERM end it by the signal (default meaning)
//   job.mjs graceful REPORT [DELAY_MS]   on SIGINT/SIGTERM: prints a checkpoint line and an
//                                        unterminated last line, then exits 0
import { createHash } from 'node:crypto';
import { writeSync, writeFileSync } from 'node:fs';

const [mode, report, delayText] = process.argv.slice(2);
const delay = Number(delayText ?? 5);
const hash = createHash('sha256');
let total = 0;

function out(text) {
  const bytes = Buffer.from(text);
  let off = 0;
  while (off < bytes.length) off += writeSync(1, bytes, off);
  hash.update(bytes);
  total += bytes.length;
}
const saveReport = () => writeFileSync(report, `${total} ${hash.copy().digest('hex')}\n`);
process.on('exit', saveReport);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (mode === 'graceful') {
      out(`got ${signal}, saving checkpoint\n`);
      out('{"checkpoint": "saved"}\nbye, no newline');
      process.exit(0);
    }
    saveReport();
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
let step = 0;
setInterval(() => {
  step++;
  out(`batch ${step} 50%\rbatch ${step} 100%\n{"step": ${step}, "loss": ${(1 / step).toFixed(4)}}\n`);
}, delay);
