// The naive baseline for `npm run bench`: the obvious Node program a user would write instead of
// vizmeta. readline over each file, JSON.parse on every line that starts with `{`, nothing else
// (no ANSI, no \r segments, no timestamp prefixes, no Python NaN). It does the same jobs as the
// vizmeta commands it is compared with, so the comparison is like for like:
//
//   node bench/naive.mjs extract FILE...                      every object as a JSON line on stdout
//   node bench/naive.mjs sort --by KEY FILE...                latest KEY per file, sorted, best first
//   node bench/naive.mjs gate --key KEY --min X FILE...       exit 1 unless every file's latest KEY >= X
//   node bench/naive.mjs stats FILE...                        per numeric key: count, min, max, mean,
//                                                             std, median, latest
//   node bench/naive.mjs chart FILE...                        per numeric key: latest, min, max, count,
//                                                             then a line chart (asciichart, 80 columns)
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
  if (command === 'stats' || command === 'chart') {
    // Every numeric value of every top-level key, in order: the obvious program keeps them all.
    const series = new Map();
    for (const path of args) {
      await eachObject(path, (value) => {
        if (value === null || typeof value !== 'object') return;
        for (const key in value) {
          const v = value[key];
          if (typeof v !== 'number') continue;
          let list = series.get(key);
          if (list === undefined) series.set(key, (list = []));
          list.push(v);
        }
      });
    }
    const out = [];
    if (command === 'stats') {
      for (const [key, values] of series) {
        const finite = values.filter(Number.isFinite);
        const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
        const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
        const sorted = [...finite].sort((a, b) => a - b);
        out.push(`${key}  count ${values.length}  min ${sorted[0]}  mean ${mean}  std ${std}  median ${sorted[sorted.length >> 1]}  max ${sorted[sorted.length - 1]}  latest ${values[values.length - 1]}`);
      }
    } else {
      const { default: asciichart } = await import('asciichart');
      for (const [key, values] of series) {
        const finite = values.filter(Number.isFinite);
        out.push(`${key}  latest ${values[values.length - 1]}  min ${finite.reduce((a, b) => Math.min(a, b), Infinity)}  max ${finite.reduce((a, b) => Math.max(a, b), -Infinity)}  count ${values.length}`);
      }
      for (const [key, values] of series) {
        // Down to 70 points (bucket means), as wide as an 80-column terminal leaves for the plot.
        const finite = values.filter(Number.isFinite);
        const width = Math.min(70, finite.length);
        const points = [];
        for (let i = 0; i < width; i++) {
          const bucket = finite.slice(Math.floor((i * finite.length) / width), Math.floor(((i + 1) * finite.length) / width));
          points.push(bucket.reduce((a, b) => a + b, 0) / bucket.length);
        }
        if (points.length > 0) out.push(`── ${key}`, asciichart.plot(points, { height: 10 }), '');
      }
    }
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  }
  process.stderr.write('usage: naive.mjs extract|sort|gate|stats|chart [--by KEY | --key KEY --min X] FILE...\n');
  return 2;
}

process.exitCode = await main();
