#!/bin/bash
# bench/ab.sh <real|generated> <rounds> <distA> <distB> [...]: the CLI of several builds on one bench corpus, in
# alternating rounds on the same machine (each round: the parse floor, then each build), with wall time, peak RSS
# and CPU time per run. Figures from different machines or hours do not compare (docs/performance.md); builds
# run side by side do. A build of another commit: `git worktree add /tmp/old <ref>`, link node_modules into it,
# `node scripts/build.mjs --production` there, and pass /tmp/old/dist. Needs `npm run bench` to have made the corpus.
set -euo pipefail
corpus=$1
rounds=$2
shift 2
repo=$(cd "$(dirname "$0")/.." && pwd)
workspace=$repo/bench/.corpus/workspace
list=$repo/bench/.corpus/scratch/ab-$corpus.files
[ -d "$workspace/$corpus" ] || { echo "bench/ab.sh: no $workspace/$corpus (run npm run bench first)" >&2; exit 2; }
node --import tsx -e "const { collectSourceFiles } = require('$repo/server/src/host/files'); require('node:fs').writeFileSync('$list', collectSourceFiles(['$workspace/$corpus']).join('\n') + '\n')"
dists=()
for d in "$@"; do dists+=("$(cd "$d" && pwd)"); done
for r in $(seq "$rounds"); do
  /usr/bin/time -f "round $r floor %e s, peak %M KB, cpu %U+%S s" node "$repo/bench/workers/floor.mjs" "$list" > /dev/null
  for dist in "${dists[@]}"; do
    (cd "$workspace" && /usr/bin/time -f "round $r $dist %e s, peak %M KB, cpu %U+%S s" node "$dist/cli.js" "$corpus" --format json > /dev/null) || true
  done
done 2>&1 | grep '^round'
