// Runs several test files in this one process, each as a suite of its own: `npm run test:fast` pays Node's, tsx's and
// TypeScript's start-up once instead of once per file (Node's `--test` gives every file its own process).
// Each file is required inside its suite's callback, synchronously, so that its top-level `test()`, `before()` and
// `after()` calls belong to that suite and run exactly as they do when the file runs alone.
import { describe } from 'node:test';
import { relative, resolve } from 'node:path';

for (const file of process.argv.slice(2)) {
  const full = resolve(file);
  describe(relative(process.cwd(), full), () => {
    require(full);
  });
}
