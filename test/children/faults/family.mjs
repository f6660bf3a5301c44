// Jobs for the process-group tests of `vizmeta run` (issue 15, items 3 and 4).
//   family.mjs leaf PIDFILE [stubborn]   writes its pid to PIDFILE, then {"a": N} every 20 ms for a
//                                        minute; stubborn: ignores SIGTERM (says so) until SIGKILL.
//                                        Run under `sh -c '…; echo after'` it is a grandchild of vizmeta.
//                                        Its stdout going away does not end it (a job that logs to a
//                                        file would not notice either): only a signal does.
//   family.mjs count-sigint FILE         appends a line to FILE for each SIGINT it gets, and exits 0
//                                        1.5 s after the first (a checkpoint on interrupt); writes
//                                        its pid to FILE.pid, prints `ready` once its handler is in
//                                        place, then {"a": N}.
import { appendFileSync, writeFileSync } from 'node:fs';

const [mode, file, flag] = process.argv.slice(2);
let n = 0;
const tick = () => process.stdout.write(`{"a": ${++n}}\n`);

if (mode === 'leaf') {
  process.stdout.on('error', () => {});
  if (flag === 'stubborn') process.on('SIGTERM', () => process.stdout.write('ignoring SIGTERM\n'));
  writeFileSync(file, `${process.pid}\n`);
  setInterval(tick, 20);
  setTimeout(() => process.exit(0), 60_000);
} else if (mode === 'count-sigint') {
  let first = true;
  process.on('SIGINT', () => {
    appendFileSync(file, 'SIGINT\n');
    if (first) setTimeout(() => process.exit(0), 1500);
    first = false;
  });
  writeFileSync(`${file}.pid`, `${process.pid}\n`);
  process.stdout.write('ready\n');
  setInterval(tick, 50);
  setTimeout(() => process.exit(0), 60_000);
}
