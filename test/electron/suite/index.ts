// The entry point VS Code's extension host loads through `--extensionTestsPath`: runs the bundled mocha
// files next to it and settles when they finish. It writes a JSON summary to SERVERLESS_LINT_TEST_RESULTS
// when that is set, because under code-server the runner cannot read the extension host's exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  for (const name of fs.readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  const outcomes: Outcome[] = [];
  const resultsFile = process.env.SERVERLESS_LINT_TEST_RESULTS;
  const write = (done: boolean, fatal?: string) => {
    if (!resultsFile) return;
    const failures = outcomes.filter((o) => o.state === 'failed').length;
    fs.writeFileSync(resultsFile, JSON.stringify({ done, passes: outcomes.length - failures, failures, fatal, tests: outcomes }, null, 2));
  };
  try {
    await mocha.loadFilesAsync();
  } catch (e) {
    write(true, `loading the suite failed: ${(e as Error).stack}`);
    throw e;
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => {
      outcomes.push({ title: t.fullTitle(), state: 'passed' });
      write(false);
    });
    runner.on('fail', (t, err: Error) => {
      outcomes.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) });
      write(false);
    });
  });
  write(true);
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
