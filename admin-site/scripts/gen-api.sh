#!/bin/sh
# npm run gen:api: the API's OpenAPI document -> openapi.json -> src/api/schema.d.ts, in one go.
# Needs the project's Python venv (../.venv, or $PYTHON) and this folder's node_modules.
set -eu
SITE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(dirname "$SITE")
PY=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PY" ] || PY=python3
PYTHONPATH="$ROOT:$ROOT/layers/core" "$PY" "$SITE/scripts/export_openapi.py" > "$SITE/openapi.json.tmp"
mv "$SITE/openapi.json.tmp" "$SITE/openapi.json"
node "$SITE/scripts/generate-types.mjs"
