#!/usr/bin/env bash
# Write requirements.lock: the exact versions of pyproject.toml's dependencies and its extras
# (dask, lab, ocr, test), resolved for every platform with Python >= 3.11 (uv's universal mode).
# Run it after changing a dependency in pyproject.toml; scripts/setup.sh installs the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=${TMPDIR:-/tmp}/nianbao-lock-tools
[ -x "$tools/bin/uv" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install --quiet uv; }
"$tools/bin/uv" pip compile pyproject.toml --extra dask --extra lab --extra ocr --extra test --universal \
  --python-version 3.11 --no-header --annotation-style line --quiet -o requirements.lock "$@"
echo "requirements.lock: $(grep -c '==' requirements.lock) pinned packages"
