#!/usr/bin/env bash
# Create (or reuse) a Python venv with the ML frameworks used by
# test/children/frameworks/*.py: torch (CPU), keras 3, lightning, transformers,
# accelerate, tqdm, numpy. Installs from local wheels only (pip --no-index).
#
#   scripts/framework-venv.sh [DIR]
#
# DIR defaults to ${VIZMETA_FRAMEWORK_VENV:-$HOME/.cache/vizmeta/framework-venv}.
# On success prints the venv's python path (one line) on stdout, exit 0.
# On failure prints a one-line reason on stderr, exit non-zero (tests skip on it).
# Idempotent: a venv set up before is reused in ~0.1 s (one that imports everything
# but has no stamp yet, in ~4 s); a broken or partial one is repaired by pip.
set -u

DIR="${1:-${VIZMETA_FRAMEWORK_VENV:-$HOME/.cache/vizmeta/framework-venv}}"
PY="$DIR/bin/python"
PKGS=(torch keras lightning transformers accelerate tqdm numpy)
CHECK='import torch, keras, lightning, transformers, accelerate, tqdm, numpy'

fail() { echo "framework-venv: $*" >&2; exit 1; }

STAMP="$DIR/.vizmeta-framework-venv"
FIND_SPECS="import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in '${PKGS[*]}'.split()))"

# Fast path (~0.1 s): a venv this script finished before (stamp names the same packages)
# whose packages are all still findable.
if [ -x "$PY" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "${PKGS[*]}" ] \
   && "$PY" -c "$FIND_SPECS" >/dev/null 2>&1; then
  echo "$PY"
  exit 0
fi
# Slower reuse (~4 s): an existing venv that already imports everything, made by hand or
# by an older run. (KERAS_BACKEND so keras does not look for TensorFlow.)
if [ -x "$PY" ] && KERAS_BACKEND=torch "$PY" -c "$CHECK" >/dev/null 2>&1; then
  echo "${PKGS[*]}" >"$STAMP" 2>/dev/null || true
  echo "$PY"
  exit 0
fi

BASE="${VIZMETA_PYTHON:-}"
if [ -z "$BASE" ]; then
  for c in python3.11 python3 python; do
    if command -v "$c" >/dev/null 2>&1; then BASE="$(command -v "$c")"; break; fi
  done
fi
[ -n "$BASE" ] || fail "no python3 found on PATH"
"$BASE" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null \
  || fail "$BASE is older than Python 3.10"

LOG="$(mktemp "${TMPDIR:-/tmp}/framework-venv.XXXXXX.log")"
trap 'rm -f "$LOG"' EXIT

if [ ! -x "$PY" ]; then
  mkdir -p "$(dirname "$DIR")" 2>/dev/null || fail "cannot create $(dirname "$DIR")"
  "$BASE" -m venv "$DIR" >"$LOG" 2>&1 \
    || fail "python -m venv $DIR failed: $(tail -n 1 "$LOG")"
fi

# Never touch the network. Sources: find-links directories (/opt/wheels and
# whatever pip's config / PIP_FIND_LINKS name) plus pip's configured *local*
# (file://) indexes. With local indexes, they replace the index list through
# PIP_INDEX_URL / PIP_EXTRA_INDEX_URL (env beats config files), so a remote
# index in the config is never consulted; with none, plain --no-index.
LOCAL_IDX=()
for u in $("$PY" -m pip config get global.index-url 2>/dev/null) \
         $("$PY" -m pip config get global.extra-index-url 2>/dev/null) \
         ${PIP_INDEX_URL:-} ${PIP_EXTRA_INDEX_URL:-}; do
  case "$u" in file://*) [ -d "${u#file://}" ] && LOCAL_IDX+=("$u") ;; esac
done
FIND="${PIP_FIND_LINKS:-}"
[ -d /opt/wheels ] && FIND="/opt/wheels${FIND:+ $FIND}"
if [ "${#LOCAL_IDX[@]}" -gt 0 ]; then
  SRC=(env PIP_INDEX_URL="${LOCAL_IDX[0]}" PIP_EXTRA_INDEX_URL="${LOCAL_IDX[*]:1}" PIP_FIND_LINKS="$FIND")
  ARGS=()
else
  SRC=(env PIP_FIND_LINKS="$FIND")
  ARGS=(--no-index)
fi
if ! "${SRC[@]}" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=5 \
    "$PY" -m pip install "${ARGS[@]}" --quiet "${PKGS[@]}" >"$LOG" 2>&1; then
  reason="$(grep -m1 -E 'ERROR|No matching distribution|Could not find' "$LOG" || tail -n 1 "$LOG")"
  fail "offline pip install of ${PKGS[*]} failed (wheels not available?): ${reason}"
fi

KERAS_BACKEND=torch "$PY" -c "$CHECK" >"$LOG" 2>&1 \
  || fail "installed, but import failed: $(tail -n 1 "$LOG")"
echo "${PKGS[*]}" >"$STAMP" 2>/dev/null || true

echo "$PY"
