#!/usr/bin/env bash
# Command one of the README: set up, then audit every bundled sample in a papermill batch.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=outputs/samples
set +e
.venv/bin/python -m nianbao batch data/samples --out "$out" "$@"
rc=$?
set -e
echo
echo "Index page: $(pwd)/$out/index.html"
exit $rc
