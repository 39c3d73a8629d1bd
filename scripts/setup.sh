#!/usr/bin/env bash
# Create .venv with Python 3.11 and install nianbao and everything it needs (idempotent): the
# exact versions of requirements.lock (from pyproject.toml, see scripts/lock.sh), then nianbao
# itself, editable, with its extras dask, lab and test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi
.venv/bin/python -m nianbao.jupyter_env >/dev/null  # the checkout's kernelspec and the server hook (nianbao/jupyter_env.py)
