#!/usr/bin/env bash
# Copies the README's screenshots from the last e2e run (.e2e-results/NN-docs-<name>.png, saved by
# the scenarios under stable names) to docs/images/<name>.png, and checks each is under 300 KB.
# Run after `bash scripts/e2e/run.sh`, or let run.sh do it with E2E_SCREENSHOTS=docs/images.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FROM=${1:-$REPO/.e2e-results}
TO=${2:-$REPO/docs/images}
NAMES=(squiggles-problems hover-diagnostic hover-runtime-card quick-fix-menu workspace-report status-bar)
mkdir -p "$TO"
missing=0
for name in "${NAMES[@]}"; do
  shot=$(ls "$FROM"/[0-9]*-docs-"$name".png 2>/dev/null | tail -n 1 || true)
  if [ -z "$shot" ]; then echo "screenshots: no $name screenshot in $FROM (did its scenario run and pass?)"; missing=1; continue; fi
  cp "$shot" "$TO/$name.png"
  kb=$(( $(stat -c %s "$TO/$name.png") / 1024 ))
  echo "screenshots: $TO/$name.png ($kb KB)"
  [ "$kb" -le 300 ] || { echo "screenshots: $name.png is over 300 KB"; missing=1; }
done
exit "$missing"
