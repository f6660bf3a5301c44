"""Tiny Keras 3 training job (torch backend) whose stdout is real Keras output.

    python keras_train.py [--verbose 1|2] [--out DIR] [--truth PATH] [--epochs N] [--step-delay S]

A bare `1` or `2` as the first argument also selects verbose. 3 epochs by default,
with validation data; fixed seeds; synthetic data (nothing is downloaded).
Writes nothing outside DIR (default: a fresh temp dir, removed at exit; env
VIZMETA_FRAMEWORK_OUT also sets it). --truth PATH writes Keras's own History
as JSON: {"framework": "keras", "version": ..., "epochs": [{"epoch": 1, "loss": ...}, ...]}.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("verbose_pos", nargs="?", type=int, choices=[1, 2])
parser.add_argument("--verbose", type=int, choices=[1, 2])
parser.add_argument("--out", default=os.environ.get("VIZMETA_FRAMEWORK_OUT"))
parser.add_argument("--truth")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--step-delay", type=float, default=0.03,
                    help="seconds slept after each training batch, so the progress bar (which redraws"
                         " at most every 0.05 s) shows intermediate steps as on a real job; 0 = none")
args = parser.parse_args()
verbose = args.verbose or args.verbose_pos or 1

tmp = None
out = args.out
if not out:
    out = tmp = tempfile.mkdtemp(prefix="vizmeta-keras-")
os.makedirs(out, exist_ok=True)

# Everything a library might cache or configure goes under `out`, and nothing is fetched.
os.environ["KERAS_BACKEND"] = "torch"
os.environ["KERAS_HOME"] = os.path.join(out, "keras-home")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["XDG_CACHE_HOME"] = os.path.join(out, "cache")
os.environ["TORCH_HOME"] = os.path.join(out, "torch-home")
os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(out, "torchinductor")
os.environ["TRITON_CACHE_DIR"] = os.path.join(out, "triton")
os.environ["MPLCONFIGDIR"] = os.path.join(out, "mpl")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

try:
    import numpy as np
    import torch
    import keras

    torch.set_num_threads(1)
    keras.utils.set_random_seed(1234)

    rng = np.random.default_rng(1234)
    n_train, n_val, n_features = 256, 64, 8
    w = rng.normal(size=(n_features,))
    x = rng.normal(size=(n_train + n_val, n_features)).astype("float32")
    y = (x @ w + 0.5 * rng.normal(size=(n_train + n_val,)) > 0).astype("float32")
    x_train, y_train = x[:n_train], y[:n_train]
    x_val, y_val = x[n_train:], y[n_train:]

    model = keras.Sequential(
        [
            keras.Input(shape=(n_features,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    class StepDelay(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(args.step_delay)

    history = model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=args.epochs,
        batch_size=32,
        shuffle=True,
        verbose=verbose,
        callbacks=[StepDelay()] if args.step_delay > 0 else [],
    )

    if args.truth:
        epochs = []
        for i in range(len(history.epoch)):
            row = {"epoch": history.epoch[i] + 1}
            for key, values in history.history.items():
                row[key] = float(values[i])
            epochs.append(row)
        truth = {
            "framework": "keras",
            "version": keras.__version__,
            "backend": keras.backend.backend(),
            "verbose": verbose,
            "steps_per_epoch": n_train // 32,
            "epochs": epochs,
        }
        with open(args.truth, "w") as f:
            json.dump(truth, f, indent=2)
            f.write("\n")
finally:
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
