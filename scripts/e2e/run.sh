#!/usr/bin/env bash
# Runs the end-to-end scenarios in a real VS Code workbench: packages the extension with vsce,
# installs it into an isolated code-server, drives the workbench in headless chromium with
# test/e2e/scenarios.js, and leaves screenshots and logs in .e2e-results/.
#
# Expects dist/client.js and dist/server.js (run `npm run build` first).
# Environment:
#   E2E_REQUIRED=1   fail (exit 1) instead of skipping when the machine cannot be set up
#   E2E_CACHE        install cache (default ~/.cache/serverless-lint-e2e), see setup.sh
#   E2E_EXT_DIR      folder to package (default: the repo root, whose package.json is the manifest)
#   E2E_WORKSPACE    folder copied and opened in the workbench (default: test-workspace/)
#   E2E_SCENARIOS    comma-separated scenario names to run (default: all)
#   E2E_PORT         port for code-server on 127.0.0.1 (default: a free one)
#   E2E_TIMEOUT      seconds allowed for all scenarios (default 900)
#   E2E_KEEP=1       keep the temporary run folder (code-server's user data, extensions)
#   E2E_SCREENSHOTS  after a passing run, copy the README's screenshots there (e.g. docs/images), see screenshots.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RESULTS=$E2E_REPO/.e2e-results
EXT_DIR=$(cd "${E2E_EXT_DIR:-$E2E_REPO}" && pwd)
WORKSPACE_SRC=${E2E_WORKSPACE:-$E2E_REPO/test-workspace}
rm -rf "$RESULTS"; mkdir -p "$RESULTS"

# --- 1. tools (cached). A machine that cannot get them skips the suite unless E2E_REQUIRED=1.
if ! bash "$E2E_REPO/scripts/e2e/setup.sh" >"$RESULTS/setup.log" 2>&1; then
  reason=$(tail -n 1 "$RESULTS/setup.log")
  if [ "${E2E_REQUIRED:-0}" = 1 ]; then echo "e2e: FAILED, cannot set up: $reason"; exit 1; fi
  echo "e2e: skipped, cannot set up (set E2E_REQUIRED=1 to fail instead): $reason"; exit 0
fi
cat "$RESULTS/setup.log"

die() { echo "e2e: FAILED: $*"; exit 1; }
for f in $(node -p 'require(process.argv[1]).main || "dist/client.js"' "$EXT_DIR/package.json") dist/server.js; do
  [ -f "$EXT_DIR/$f" ] || die "$EXT_DIR/$f is missing: run 'npm run build' first"
done
EXT_ID=$(node -p 'const m=require(process.argv[1]); `${m.publisher}.${m.name}`' "$EXT_DIR/package.json")
EXT_VERSION=$(node -p 'require(process.argv[1]).version' "$EXT_DIR/package.json")

# --- 2. an isolated world: HOME, XDG dirs, user data, extensions, a copy of the workspace.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/serverless-lint-e2e-XXXXXX")
CS_PGID= SCEN_PGID=
cleanup() {
  trap - EXIT INT TERM
  [ -n "$SCEN_PGID" ] && kill -- -"$SCEN_PGID" 2>/dev/null
  if [ -n "$CS_PGID" ]; then
    kill -TERM -- -"$CS_PGID" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 -- -"$CS_PGID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- -"$CS_PGID" 2>/dev/null
  fi
  [ -d "$RUN/user-data/logs" ] && cp -r "$RUN/user-data/logs" "$RESULTS/vscode-logs" 2>/dev/null
  if [ "${E2E_KEEP:-0}" = 1 ]; then echo "e2e: run folder kept: $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$RUN"/{home,xdg-config,xdg-data,xdg-cache,tmp,user-data/User,extensions,workspace}
# code-server's environment (it and its TypeScript server also put sockets into TMPDIR).
CS_ENV=(HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data"
  XDG_CACHE_HOME="$RUN/xdg-cache" TMPDIR="$RUN/tmp" PATH="$NODE24_DIR/bin:$PATH")
cat >"$RUN/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "editor.hover.delay": 100,
  "editor.stickyScroll.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "files.autoSave": "off"
}
JSON
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$RUN/code-server.yaml"
if [ -d "$WORKSPACE_SRC" ]; then cp -a "$WORKSPACE_SRC" "$RUN/workspace/"; else mkdir -p "$RUN/workspace/$(basename "$WORKSPACE_SRC")"; fi
WORKSPACE=$RUN/workspace/$(basename "$WORKSPACE_SRC")
CS_ARGS=(--config "$RUN/code-server.yaml" --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions")

# --- 3. package and install the extension.
t=$(e2e_now_ms)
if [ "$EXT_DIR" = "$E2E_REPO" ]; then
  # The repository packages itself as `npm run package` does (its .vscodeignore), from the dist/ already built.
  PACKAGE=(node "$E2E_REPO/scripts/package.mjs" --no-build --out "$RUN/ext.vsix")
else
  # Another folder (E2E_EXT_DIR) is packaged as it is, with its own .vscodeignore if it has one.
  PACKAGE=("$(e2e_vsce)" package --allow-missing-repository --skip-license --no-dependencies -o "$RUN/ext.vsix")
fi
( cd "$EXT_DIR" && "${PACKAGE[@]}" ) >"$RESULTS/vsce.log" 2>&1 \
  || { tail -n 20 "$RESULTS/vsce.log"; die "packaging failed (log: .e2e-results/vsce.log)"; }
env "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$RUN/ext.vsix" >"$RESULTS/install-extension.log" 2>&1 \
  || { cat "$RESULTS/install-extension.log"; die "code-server --install-extension failed"; }
env "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --list-extensions --show-versions 2>/dev/null | grep -v '^\[' >"$RUN/installed-extensions.txt"
cp "$RUN/installed-extensions.txt" "$RESULTS/"
e2e_log "packaged and installed $EXT_ID@$EXT_VERSION in $(e2e_secs_since "$t")s ($(du -k "$RUN/ext.vsix" | cut -f1) KiB vsix)"

# --- 4. start code-server on loopback in its own process group and wait for /healthz.
t=$(e2e_now_ms)
PORT=${E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
# Started directly (no function or subshell between), so $! is setsid's pid = the new group's id.
setsid env "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$WORKSPACE" >"$RESULTS/code-server.log" 2>&1 </dev/null &
CS_PGID=$!
up=0
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && { up=1; break; }
  kill -0 "$CS_PGID" 2>/dev/null || break
  sleep 0.25
done
[ "$up" = 1 ] || { tail -n 20 "$RESULTS/code-server.log"; die "code-server did not answer /healthz on 127.0.0.1:$PORT"; }
e2e_log "code-server up on 127.0.0.1:$PORT in $(e2e_secs_since "$t")s"

# --- 5. drive the workbench. timeout(1) runs the runner in its own process group (chromium
#     included), which is killed afterwards whatever happened.
t=$(e2e_now_ms)
E2E_URL="http://127.0.0.1:$PORT/" E2E_WORKSPACE="$WORKSPACE" E2E_RUN_DIR="$RUN" E2E_RESULTS="$RESULTS" \
E2E_EXTENSION_ID="$EXT_ID" E2E_EXTENSION_VERSION="$EXT_VERSION" E2E_INSTALLED_EXTENSIONS="$RUN/installed-extensions.txt" \
E2E_EXT_DIR="$EXT_DIR" E2E_CHROMIUM="$CHROMIUM" NODE_PATH="$(e2e_playwright_home)/node_modules" \
  timeout -k 10 "${E2E_TIMEOUT:-900}" node "$E2E_REPO/test/e2e/scenarios.js" </dev/null &
SCEN_PGID=$!
wait "$SCEN_PGID"; status=$?
kill -- -"$SCEN_PGID" 2>/dev/null; SCEN_PGID=
e2e_log "scenarios finished in $(e2e_secs_since "$t")s (exit $status); screenshots and logs in .e2e-results/"
[ "$status" = 124 ] && echo "e2e: FAILED: scenarios timed out after ${E2E_TIMEOUT:-900}s"
[ "$status" = 0 ] || exit 1
if [ -n "${E2E_SCREENSHOTS:-}" ]; then bash "$E2E_REPO/scripts/e2e/screenshots.sh" "$RESULTS" "$E2E_SCREENSHOTS"; fi
