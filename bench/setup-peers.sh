#!/usr/bin/env bash
# Creates bench/.venv (Python 3.11) with the peers the benchmarks compare against: ruff, debugpy, pylint,
# uvloop, aiohttp. pip resolves them from whatever index/mirror pip is configured with on this machine.
# Idempotent: a venv that already has them is left alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
py311=""
for cand in "${PYTHON311:-}" "$(pyenv root 2>/dev/null)/versions/"3.11*/bin/python3 python3.11; do
  if [ -n "$cand" ] && command -v "$cand" >/dev/null 2>&1; then py311="$cand"; break; fi
done
if [ -z "$py311" ]; then echo "setup-peers: no Python 3.11 found (set PYTHON311)" >&2; exit 1; fi
if [ ! -x "$venv/bin/python" ]; then "$py311" -m venv "$venv"; fi
if ! "$venv/bin/python" -c "import debugpy, uvloop, aiohttp, pylint" 2>/dev/null || [ ! -x "$venv/bin/ruff" ]; then
  "$venv/bin/pip" install --quiet --retries 0 --timeout 5 ruff debugpy pylint uvloop aiohttp
fi
"$venv/bin/ruff" --version
"$venv/bin/python" -c "import debugpy; print('debugpy', debugpy.__version__)"
