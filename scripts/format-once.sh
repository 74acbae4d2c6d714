#!/usr/bin/env bash
# Formats the whole code base with Biome in one commit of its own, and lists that commit in .git-blame-ignore-revs so
# `git blame` looks through it. The lead runs it once, on main, after every branch of issue 33 is merged.
set -euo pipefail
cd "$(dirname "$0")/.."
BIOME=./node_modules/.bin/biome

# The formatting commit must hold nothing but formatting: refuse to run on a dirty tree.
if ! git diff --quiet || ! git diff --cached --quiet; then
  echo 'format-once: the work tree has changes; commit or stash them first.' >&2
  exit 1
fi
[ -x "$BIOME" ] || { echo 'format-once: run npm ci first (Biome is a devDependency).' >&2; exit 1; }
# Lint findings in merged code stop the script here, before anything is rewritten: fix them, commit, run it again.
"$BIOME" lint .

# biome.jsonc keeps the formatter off until this commit, so no branch could reformat by accident: turn it on.
sed -i 's/"formatter": { "enabled": false, /"formatter": { /' biome.jsonc
if grep -q '"formatter": { "enabled": false' biome.jsonc; then
  echo 'format-once: could not turn the formatter on in biome.jsonc.' >&2
  exit 1
fi

"$BIOME" format --write .
# From here on `npm run lint` (biome check) fails on unformatted code as well as on lint findings.
"$BIOME" check .
# The formatted code must still build and typecheck before it is committed; the unit suite is run after (see below).
npm run build
npm run typecheck

# Biome only rewrites files git tracks (it honours .gitignore), so staging the tracked files takes exactly its changes.
git add -u
git commit -q -m 'Format the code base once with Biome (scripts/format-once.sh); formatting only, no behaviour change'
rev=$(git rev-parse HEAD)
printf '# Format the code base once with Biome (scripts/format-once.sh)\n%s\n' "$rev" >> .git-blame-ignore-revs
git add .git-blame-ignore-revs
git commit -q -m 'git blame looks through the one formatting commit (.git-blame-ignore-revs)'

echo "format-once: formatted in $rev and listed it in .git-blame-ignore-revs."
echo 'Now run: npm run test:unit   (if it fails: git reset --hard HEAD~2 undoes both commits)'
echo 'For local blame: git config blame.ignoreRevsFile .git-blame-ignore-revs'
