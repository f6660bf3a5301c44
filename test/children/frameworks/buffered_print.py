"""A plain script that print()s one JSON metadata line every 0.2 s for ~3 s, never flushing.

    python buffered_print.py [--count N] [--interval SECONDS] [--out DIR] [--truth PATH]

On a pipe Python's stdout is block-buffered (8 KiB), so a reader sees nothing
until the process exits (or PYTHONUNBUFFERED=1 / python -u is set); on a tty it
is line-buffered and each line arrives as printed. Use it to test live reading.
PYTHONUNBUFFERED=1 in the environment (set on some machines and CI images)
would defeat the point, so unless --honour-unbuffered is given the script puts
back what Python does by default on a non-tty stdout: an 8 KiB block buffer.
Writes nothing but stdout, and --truth PATH (the records printed) if given.
"""
import argparse
import json
import math
import io
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--count", type=int, default=15)
parser.add_argument("--interval", type=float, default=0.2)
parser.add_argument("--out", default=os.environ.get("VIZMETA_FRAMEWORK_OUT"))  # accepted, unused
parser.add_argument("--truth")
parser.add_argument("--honour-unbuffered", action="store_true",
                    help="keep PYTHONUNBUFFERED / -u behaviour instead of forcing a block buffer")
args = parser.parse_args()

if not args.honour_unbuffered and not sys.stdout.isatty():
    sys.stdout.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(sys.stdout.fileno(), "w", closefd=False), io.DEFAULT_BUFFER_SIZE),
        encoding=sys.stdout.encoding, errors=sys.stdout.errors, line_buffering=False,
    )

records = []
for step in range(1, args.count + 1):
    record = {
        "step": step,
        "loss": round(2.0 * math.exp(-0.25 * step), 6),
        "accuracy": round(1.0 - 0.5 * math.exp(-0.3 * step), 6),
    }
    records.append(record)
    print(json.dumps(record))  # no flush: block-buffered on a pipe
    if step < args.count:
        time.sleep(args.interval)

if args.truth:
    with open(args.truth, "w") as f:
        json.dump({"framework": "none", "records": records}, f, indent=2)
        f.write("\n")
