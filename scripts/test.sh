#!/usr/bin/env bash
# Command two of the README (and what CI runs): set up, then run the whole test suite.
# The browser tests need Debian's chromium, the .doc/.wps and feedback-letter tests LibreOffice;
# as root they are installed here, otherwise those tests skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium and a CJK font for the browser tests…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! command -v soffice >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's LibreOffice (writer, no GUI) to convert .doc/.wps and the letters…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null
fi
# pytest exits 5 when it collects no test: that is a failure here, like any non-zero exit.
exec .venv/bin/python -m pytest "$@"
