#!/usr/bin/env bash
# Capture, byte for byte, what real Keras 3 / PyTorch Lightning / Hugging Face
# Transformers training jobs print, into fixtures/frameworks/logs/ (or OUTDIR).
#
#   scripts/make-framework-logs.sh [OUTDIR]
#
# Each job (test/children/frameworks/*.py, run with the venv python from
# scripts/framework-venv.sh, or $VIZMETA_FRAMEWORK_PYTHON) is captured up to three ways:
#   NAME.pipe.log + NAME.pipe.stderr.log    stdout and stderr each to a pipe (as `vizmeta run`
#                                           and CI see them); no COLUMNS/LINES in the env
#   NAME.tty.log                            under `script -qfec` (one pseudo-terminal, stdout and
#                                           stderr merged as a terminal shows them), stty cols 100
#                                           rows 40, COLUMNS=100 LINES=40
#   NAME.tty-split.stdout.log + .stderr.log stdout and stderr on two separate pseudo-terminals
#                                           (both isatty()), 100x40, so each stream's tty bytes are
#                                           known apart
# plus NAME.<how>.truth.json: the framework's own metric values for that very run.
# Nothing is stripped: \r, \b, ESC sequences, colours and the pty's \r\n stay.
# The child environment is pinned: PYTHONUNBUFFERED unset (Python's default buffering),
# TERM=xterm-256color, NO_COLOR/FORCE_COLOR/CLICOLOR* unset, offline HF, KERAS_BACKEND=torch.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/fixtures/frameworks/logs}"
JOBS="$ROOT/test/children/frameworks"
PY="${VIZMETA_FRAMEWORK_PYTHON:-}"
if [ -z "$PY" ]; then
  PY="$("$ROOT/scripts/framework-venv.sh")" || { echo "make-framework-logs: no framework venv" >&2; exit 1; }
fi
command -v script >/dev/null || { echo "make-framework-logs: needs script(1) from util-linux" >&2; exit 1; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vizmeta-framework-logs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The environment every job runs in (besides HOME and PATH, which pass through).
run_env() {
  env -u PYTHONUNBUFFERED -u NO_COLOR -u FORCE_COLOR -u CLICOLOR -u CLICOLOR_FORCE \
      -u COLUMNS -u LINES -u PYTHONWARNINGS -u TQDM_DISABLE \
      TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 PYTHONIOENCODING= \
      KERAS_BACKEND=torch HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 \
      HF_HUB_DISABLE_TELEMETRY=1 "$@"
}

# Two pseudo-terminals, one for stdout and one for stderr, 100x40 each.
SPLIT_PTY="$WORK/split_pty.py"
cat >"$SPLIT_PTY" <<'EOF'
import fcntl, os, pty, select, struct, subprocess, sys, termios
out_path, err_path, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
def openpty():
    m, s = pty.openpty()
    fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    return m, s
mo, so = openpty()
me, se = openpty()
env = dict(os.environ, COLUMNS="100", LINES="40")
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=so, stderr=se, env=env, start_new_session=True)
os.close(so); os.close(se)
files = {mo: open(out_path, "wb"), me: open(err_path, "wb")}
live = set(files)
while live:
    ready, _, _ = select.select(list(live), [], [])
    for fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the slave side is closed and drained
            data = b""
        if data:
            files[fd].write(data)
        else:
            live.discard(fd)
for f in files.values():
    f.close()
sys.exit(p.wait())
EOF

# capture NAME HOWS SCRIPT [ARGS...]   HOWS: comma list of pipe,tty,tty-split
capture() {
  local name="$1" hows="$2" job="$3"; shift 3
  local how
  for how in ${hows//,/ }; do
    local tmp="$WORK/$name.$how" t0 t1 rc=0
    mkdir -p "$tmp"
    local cmd=("$PY" "$JOBS/$job" "$@" --out "$tmp" --truth "$OUT/$name.$how.truth.json")
    t0=$(date +%s.%N)
    case "$how" in
      pipe)
        run_env "${cmd[@]}" </dev/null >"$OUT/$name.pipe.log" 2>"$OUT/$name.pipe.stderr.log" || rc=$?
        ;;
      tty)
        local q
        q="$(printf '%q ' "${cmd[@]}")"
        run_env script -qfec "stty cols 100 rows 40; COLUMNS=100 LINES=40 exec $q" /dev/null \
          </dev/null >"$OUT/$name.tty.log" 2>"$WORK/script.err" || rc=$?
        ;;
      tty-split)
        run_env "$PY" "$SPLIT_PTY" "$OUT/$name.tty-split.stdout.log" "$OUT/$name.tty-split.stderr.log" \
          "${cmd[@]}" </dev/null || rc=$?
        ;;
    esac
    t1=$(date +%s.%N)
    rm -rf "$tmp"
    if [ "$rc" -ne 0 ]; then
      echo "make-framework-logs: $name ($how) exited $rc" >&2
      exit 1
    fi
    printf '%-22s %-9s %5.1f s\n' "$name" "$how" "$(echo "$t1 - $t0" | bc)" >&2
  done
}

capture keras3-verbose1   pipe,tty,tty-split keras_train.py --verbose 1
capture keras3-verbose2   pipe,tty           keras_train.py --verbose 2
capture lightning         pipe,tty,tty-split lightning_train.py --bar tqdm
capture lightning-rich    pipe,tty           lightning_train.py --bar rich
capture hf-trainer        pipe,tty,tty-split hf_train.py
capture hf-trainer-notqdm pipe               hf_train.py --disable-tqdm
capture buffered-print    pipe               buffered_print.py

# Versions, for the README.
"$PY" - >"$OUT/versions.json" <<'EOF'
import json, os, platform, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras, lightning, numpy, torch, tqdm, transformers
try:
    import rich.__init__  # noqa
    from importlib.metadata import version
    rich_v = version("rich")
except Exception:
    rich_v = None
json.dump({"python": platform.python_version(), "torch": torch.__version__, "keras": keras.__version__,
           "lightning": lightning.__version__, "transformers": transformers.__version__,
           "tqdm": tqdm.__version__, "numpy": numpy.__version__, "rich": rich_v}, sys.stdout, indent=2)
print()
EOF

ls -l "$OUT" | awk 'NR > 1 && $5 > 102400 { print "make-framework-logs: " $9 " is over 100 KB (" $5 " bytes)"; bad = 1 } END { exit bad }' >&2
