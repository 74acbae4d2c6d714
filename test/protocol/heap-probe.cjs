// Loaded before the language server in a protocol test (`node --expose-gc --require heap-probe.cjs`): on SIGUSR2 it
// runs a full garbage collection and writes the live heap size to stderr, so the test can see whether the text of a
// closed document was freed. It changes nothing else in the server.
process.on('SIGUSR2', () => {
  global.gc();
  process.stderr.write(`heap-probe ${process.memoryUsage().heapUsed}\n`);
});
