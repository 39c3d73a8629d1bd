#!/usr/bin/env bash
# Command two of the README (and what CI runs): set up, then run the whole test suite.
# The browser tests need Debian's chromium; as root it is installed here, otherwise they skip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium and a CJK font for the browser tests…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# pytest exits 5 when it collects no test: that is a failure here, like any non-zero exit.
exec .venv/bin/python -m pytest "$@"
