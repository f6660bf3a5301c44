#!/usr/bin/env python3
"""A simulated training job, as most Python scripts are written: print() without flush.

The same job as examples/train.mjs (`vizmeta demo`), in Python. Python block-buffers stdout
when it is a pipe, so under a plain pipe (`python3 train.py | cat`) every line arrives at the
end; `vizmeta run` sets PYTHONUNBUFFERED=1, so each print reaches the dashboard as it happens.

    vizmeta demo --python                 this job under vizmeta run
    vizmeta run -- python3 examples/train.py
    VIZMETA_DEMO_DELAY_MS=0 python3 examples/train.py     all at once
"""
import json
import math
import os
import sys
import time

STEPS = 200
EPOCHS = 5
PER_EPOCH = STEPS // EPOCHS
DELAY = float(os.environ.get("VIZMETA_DEMO_DELAY_MS", "50")) / 1000
NAN_STEP = 123

seed = 42


def random():
    """The same seeded generator as train.mjs, so both draw the same curves."""
    global seed
    seed = (seed * 1664525 + 1013904223) % 4294967296
    return seed / 4294967296


def noise(scale):
    return (random() - 0.5) * 2 * scale


def learning_rate(step):
    warmup = 20
    if step <= warmup:
        return 0.001 * (step / warmup)
    t = (step - warmup) / (STEPS - warmup)
    return 0.001 * 0.5 * (1 + math.cos(math.pi * t))


print("Loading dataset: 60000 training images, 10000 validation images")
print("Model: 3 conv layers, 1.2M parameters")
print(json.dumps({"optimizer": "adam", "batch_size": 64, "seed": 42}))
for epoch in range(1, EPOCHS + 1):
    print(f"Epoch {epoch}/{EPOCHS}")
    for i in range(1, PER_EPOCH + 1):
        step = (epoch - 1) * PER_EPOCH + i
        loss = 2.3 * math.exp(-step / 45) + 0.12 + noise(0.06)
        accuracy = 0.1 + 0.82 * (1 - math.exp(-step / 50)) + noise(0.015)
        print(json.dumps({
            "step": step,
            "loss": float("nan") if step == NAN_STEP else round(loss, 4),
            "accuracy": round(accuracy, 4),
            "lr": float(f"{learning_rate(step):.4g}"),
        }))
        if step == 60:
            print("UserWarning: gradient norm 13.7 clipped to 5.0", file=sys.stderr)
        if step % 20 == 0:
            val_loss = 2.3 * math.exp(-step / 55) + 0.2 + 0.005 * max(0, step - 90) + noise(0.03)
            val_accuracy = 0.1 + 0.78 * (1 - math.exp(-step / 60)) + noise(0.01)
            bar = "=" * round(step / STEPS * 20)
            print(f"{step}/{STEPS} [{bar:.<20}] validating…")
            print(json.dumps({"step": step, "val_loss": round(val_loss, 4), "val_accuracy": round(val_accuracy, 4)}))
        time.sleep(DELAY)
print("Training finished.")
