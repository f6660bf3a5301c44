// A producer that stalls: a few metadata lines, then nothing for STALL_MS, then a few more.
//   stall.mjs STALL_MS
const stall = Number(process.argv[2] ?? 2500);
const write = (text) => new Promise((r) => process.stdout.write(text, r));
for (let i = 1; i <= 3; i++) await write(`{"step": ${i}, "loss": ${1 / i}}\n`);
await new Promise((r) => setTimeout(r, stall));
for (let i = 4; i <= 6; i++) await write(`{"step": ${i}, "loss": ${1 / i}}\n`);
