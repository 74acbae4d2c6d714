// Preloaded (`node --require`) into every measured child process: reports the process's peak resident set
// size on stderr as it exits, so each tool's memory is measured the same way, in its own process.
'use strict';
process.on('exit', () => {
  try {
    require('node:fs').writeSync(2, `\n__BENCH_MAXRSS_KB__=${process.resourceUsage().maxRSS}\n`);
  } catch {
    // A closed stderr only loses the measurement, never the run.
  }
});
