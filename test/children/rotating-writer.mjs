// Writes numbered metadata lines `{"n": 1}` … `{"n": COUNT}` to LOG, 100 lines every 10 ms, and
// rotates LOG every PERIOD ms the way log rotators do:
//   rotating-writer.mjs rename LOG COUNT PERIOD   LOG.1 → LOG.2 …, LOG → LOG.1, a new LOG (logrotate, RotatingFileHandler)
//   rotating-writer.mjs double LOG COUNT PERIOD   as rename, but two rotations at once, one line between: a file lives at LOG for microseconds
//   rotating-writer.mjs copy LOG COUNT PERIOD     LOG.1 → LOG.2 …, LOG copied to LOG.1, then truncated, writing on (logrotate copytruncate)
// Prints `done` on stdout at the end.
import { closeSync, copyFileSync, existsSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';

const [mode, log, countText, periodText] = process.argv.slice(2);
const count = Number(countText);
const period = Number(periodText);
const KEEP = 1000;

let fd = openSync(log, 'a');
let n = 0;
let lastRotation = Date.now();

function shiftCopies() {
  for (let k = KEEP - 1; k >= 1; k--) if (existsSync(`${log}.${k}`)) renameSync(`${log}.${k}`, `${log}.${k + 1}`);
}

function shift() {
  shiftCopies();
  renameSync(log, `${log}.1`);
  closeSync(fd);
  fd = openSync(log, 'a');
}

function rotate() {
  if (mode === 'rename') shift();
  else if (mode === 'double') {
    shift();
    if (n < count) writeSync(fd, `{"n": ${++n}}\n`);
    shift();
  } else if (mode === 'copy') {
    shiftCopies();
    copyFileSync(log, `${log}.1`);
    ftruncateSync(fd, 0);
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

while (n < count) {
  const lines = [];
  for (let i = 0; i < 100 && n < count; i++) lines.push(`{"n": ${++n}}\n`);
  writeSync(fd, lines.join(''));
  if (Date.now() - lastRotation >= period) {
    rotate();
    lastRotation = Date.now();
  }
  await pause(10);
}
closeSync(fd);
process.stdout.write('done\n');
