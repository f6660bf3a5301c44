// Writes deterministic bytes to stdout as fast as the pipe takes them, then reports
// `<bytes> <sha256>` to the file named by the last argument (not to stderr, which `run --save` keeps).
//   flood.mjs lines MB REPORT      MB megabytes of short text lines, every 100th a metadata line
//   flood.mjs longline MB REPORT   one line of MB megabytes (no newline inside), then a metadata line
//   flood.mjs odd REPORT           invalid UTF-8, NUL, \r without \n, split characters and escape
//                                  sequences across writes, ending in a line without newline
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { once } from 'node:events';

const [mode, ...rest] = process.argv.slice(2);
const report = rest.at(-1);
const hash = createHash('sha256');
let total = 0;

async function out(chunk) {
  hash.update(chunk);
  total += chunk.length;
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

if (mode === 'lines') {
  const target = Number(rest[0]) * 1024 * 1024;
  let step = 0;
  while (total < target) {
    const lines = [];
    for (let i = 0; i < 1000; i++) {
      step++;
      lines.push(step % 100 === 0
        ? `{"step": ${step}, "loss": ${(1 / step).toFixed(6)}}\n`
        : `epoch 1 batch ${step}/999999 - ${'='.repeat(step % 40)}> loss: 0.${step % 997}\n`);
    }
    await out(Buffer.from(lines.join('')));
  }
} else if (mode === 'longline') {
  const target = Number(rest[0]) * 1024 * 1024;
  const block = Buffer.alloc(1024 * 1024, 'abcdefghijklmnopqrstuvwxyz0123456789{"x": ');
  for (let n = 0; n < target; n += block.length) await out(block);
  await out(Buffer.from('\n{"step": 1, "loss": 0.5}\n'));
} else if (mode === 'odd') {
  const parts = [
    Buffer.from('start\n'),
    Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0x0a]), // invalid UTF-8
    Buffer.from('nul\x00in\x00the\x00middle\n'),
    Buffer.from('progress 1%\rprogress 50%\rprogress 100%'), // \r without \n
    Buffer.from('\r\n{"step": 1, "loss": 0.9}\n'),
    Buffer.from('caf'), Buffer.from([0xc3]), Buffer.from([0xa9, 0x0a]), // é split across writes
    Buffer.from('\x1b[3'), Buffer.from('2mgreen\x1b[0m\n'), // SGR split across writes
    Buffer.from('{"step": 2,'), Buffer.from(' "loss": 0.5}\r\n'), // metadata split across writes
    Buffer.from([0xf0, 0x9f]), Buffer.from([0x9a, 0x80, 0x0a]), // 🚀 split
    Buffer.from('\r\r\r\n\n\n'),
    Buffer.from('{"step": 3, "loss": 0.25}\n'),
    Buffer.from('last line without newline {"step": 4}'),
  ];
  for (const part of parts) {
    await out(part);
    await pause(15);
  }
}
await new Promise((r) => process.stdout.write('', r));
writeFileSync(report, `${total} ${hash.digest('hex')}\n`);
