// Preloaded (`node --require`) into every measured child process: reports the process's peak resident set
// size and its CPU time (user + system, every thread's) on stderr as it exits, so each tool is measured the same
// way, in its own process.
'use strict';
process.on('exit', () => {
  try {
    const u = process.resourceUsage();
    require('node:fs').writeSync(2, `\n__BENCH_MAXRSS_KB__=${u.maxRSS} __BENCH_CPU_US__=${u.userCPUTime + u.systemCPUTime}\n`);
  } catch {
    // A closed stderr only loses the measurement, never the run.
  }
});
