#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it.
# Used as-is by README.md and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet ".[test]"

# Debian packages: Chromium (page test), poppler (review copies, corpus text), LibreOffice and antiword (.doc)
./scripts/setup-system.sh

.venv/bin/python -m pytest -q "$@"
