#!/usr/bin/env node
// A simulated training job for `vizmeta demo`: about 10 seconds of what a real one prints —
// progress text, its settings, one JSON metadata line per step (loss, accuracy, learning rate), validation
// metrics every 20 steps, one NaN loss, a warning on stderr, and a confusion matrix at the end.
// Every line is written (and so flushed) on its own, as `print(..., flush=True)` would.
//
//   node examples/train.mjs                     the demo
//   node examples/train.mjs | vizmeta watch     the same, piped
//   VIZMETA_DEMO_DELAY_MS=0 node examples/train.mjs   all at once (tests)
// examples/train.py is the same job in Python, printing without flush (`vizmeta demo --python`).

const steps = 200;
const epochs = 5;
const perEpoch = steps / epochs;
const delay = Number(process.env.VIZMETA_DEMO_DELAY_MS ?? 50);
const nanStep = 123;

// A seeded generator, so every run of the demo draws the same curves.
let seed = 42;
function random() {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
}
const noise = (scale) => (random() - 0.5) * 2 * scale;
const round = (x) => Number(x.toFixed(4));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const line = (text) => process.stdout.write(`${text}\n`);
// json.dumps writes NaN bare; JSON.stringify would write null.
const metadata = (values) => line(JSON.stringify(values, (_, v) => (Number.isNaN(v) ? '__NaN__' : v)).replace(/"__NaN__"/g, 'NaN'));

function learningRate(step) {
  const warmup = 20;
  if (step <= warmup) return 0.001 * (step / warmup);
  const t = (step - warmup) / (steps - warmup);
  return 0.001 * 0.5 * (1 + Math.cos(Math.PI * t));
}

line('Loading dataset: 60000 training images, 10000 validation images');
line('Model: 3 conv layers, 1.2M parameters');
metadata({ optimizer: 'adam', batch_size: 64, seed: 42 });
for (let epoch = 1; epoch <= epochs; epoch++) {
  line(`Epoch ${epoch}/${epochs}`);
  for (let i = 1; i <= perEpoch; i++) {
    const step = (epoch - 1) * perEpoch + i;
    const loss = 2.3 * Math.exp(-step / 45) + 0.12 + noise(0.06);
    const accuracy = 0.1 + 0.82 * (1 - Math.exp(-step / 50)) + noise(0.015);
    metadata({ step, loss: step === nanStep ? NaN : round(loss), accuracy: round(accuracy), lr: Number(learningRate(step).toPrecision(4)) });
    if (step === 60) process.stderr.write('UserWarning: gradient norm 13.7 clipped to 5.0\n');
    if (step % 20 === 0) {
      const valLoss = 2.3 * Math.exp(-step / 55) + 0.2 + 0.005 * Math.max(0, step - 90) + noise(0.03);
      const valAccuracy = 0.1 + 0.78 * (1 - Math.exp(-step / 60)) + noise(0.01);
      line(`${step}/${steps} [${'='.repeat(Math.round((step / steps) * 20)).padEnd(20, '.')}] validating…`);
      metadata({ step, val_loss: round(valLoss), val_accuracy: round(valAccuracy) });
    }
    await sleep(delay);
  }
}
line('Training finished. Confusion matrix on the validation set:');
metadata({
  data: [
    ['cat', 'dog', 'bird'],
    [812, 97, 91],
    [88, 861, 51],
    [64, 42, 894],
  ],
});
