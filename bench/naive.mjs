// The naive baseline for `npm run bench`: the obvious Node program a user would write instead of
// vizmeta. readline over each file, JSON.parse on every line that starts with `{`, nothing else
// (no ANSI, no \r segments, no timestamp prefixes, no Python NaN). It does the same jobs as the
// vizmeta commands it is compared with, so the comparison is like for like:
//
//   node bench/naive.mjs extract FILE...                      every object as a JSON line on stdout
//   node bench/naive.mjs sort --by KEY FILE...                latest KEY per file, sorted, best first
//   node bench/naive.mjs gate --key KEY --min X FILE...       exit 1 unless every file's latest KEY >= X
//
// Output is written in ~64 KB pieces rather than one write per line: a per-line write would make the
// baseline slower than anyone would leave it, and the comparison less honest.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

async function eachObject(path, onObject) {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.charCodeAt(0) !== 0x7b) continue;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    onObject(value);
  }
}

function option(args, name) {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
}

async function main() {
  const args = process.argv.slice(2);
  const command = args.shift();
  if (command === 'extract') {
    let out = '';
    for (const path of args) {
      await eachObject(path, (value) => {
        out += JSON.stringify(value) + '\n';
        if (out.length > 65536) {
          process.stdout.write(out);
          out = '';
        }
      });
    }
    process.stdout.write(out);
    return 0;
  }
  if (command === 'sort' || command === 'gate') {
    const key = option(args, command === 'sort' ? '--by' : '--key') ?? 'accuracy';
    const min = Number(option(args, '--min') ?? 0.5);
    const rows = [];
    for (const path of args) {
      let latest;
      await eachObject(path, (value) => {
        const v = value?.[key];
        if (typeof v === 'number') latest = v;
      });
      rows.push({ path, latest });
    }
    if (command === 'sort') {
      rows.sort((a, b) => (b.latest ?? -Infinity) - (a.latest ?? -Infinity));
      process.stdout.write(rows.map((row) => `${row.path}\t${row.latest ?? ''}`).join('\n') + '\n');
      return 0;
    }
    const failed = rows.filter((row) => !(row.latest >= min));
    for (const row of failed) process.stdout.write(`FAIL ${row.path}: ${key} = ${row.latest}\n`);
    return failed.length === 0 ? 0 : 1;
  }
  process.stderr.write('usage: naive.mjs extract|sort|gate [--by KEY | --key KEY --min X] FILE...\n');
  return 2;
}

process.exitCode = await main();
