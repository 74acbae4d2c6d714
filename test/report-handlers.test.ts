// The workspace report's function inventory: an entry's row lists the handlers of the modules its imports reach (an
// Express router, Celery tasks), with the module they are in, because they run in that entry's function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../server/src/cli';

async function report(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-report-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const out: string[] = [];
  const previous = process.cwd();
  process.chdir(dir);
  try {
    await main(['--report', '.'], { out: (s) => out.push(s), err: () => undefined, env: {}, isTTY: false });
  } finally {
    process.chdir(previous);
    rmSync(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}

/** The function inventory's row of an entry, without the report's Markdown escapes. */
function row(text: string, entry: string): string {
  const line = text
    .split('\n')
    .map((l) => l.replace(/\\/g, ''))
    .find((l) => l.startsWith(`| ${entry} |`));
  assert.ok(line, `no row for ${entry} in:\n${text}`);
  return line;
}

test("an Express entry's row lists the routes of the router it mounts, with the router's module", async () => {
  const text = await report({
    'package.json': '{ "dependencies": { "express": "4.21.0" } }',
    'vercel.json': '{}',
    'api/index.ts':
      "import express from 'express';\nimport users from '../routes/users';\n\nconst app = express();\napp.use('/users', users);\napp.get('/health', (req, res) => res.json({ ok: true }));\n\nexport default app;\n",
    'routes/users.ts':
      "import { Router } from 'express';\n\nconst router = Router();\nrouter.get('/', (req, res) => res.json([]));\nrouter.post('/', (req, res) => res.status(201).json(req.body));\n\nexport default router;\n",
  });
  const line = row(text, 'api/index.ts');
  assert.ok(line.includes("app.get('/health')"), line);
  assert.ok(line.includes("router.get('/') in routes/users.ts"), line);
  assert.ok(line.includes("router.post('/') in routes/users.ts"), line);
});

test("a Python queue subscriber's row lists the Celery tasks of the modules it imports, and a long list is cut", async () => {
  const tasks = Array.from({ length: 14 }, (_, i) => `@app.task\ndef job_${i}(n):\n    return n\n`).join('\n\n');
  const text = await report({
    'pyproject.toml': '[project]\nname = "jobs"\nversion = "0.1.0"\n\n[[tool.vercel.subscribers]]\nentrypoint = "worker.run:app"\n',
    // The web app that enqueues the tasks imports their module too: the tasks still run in the subscriber.
    'app.py':
      'from fastapi import FastAPI\n\nfrom worker.tasks import job_0\n\napp = FastAPI()\n\n\n@app.post("/jobs")\ndef enqueue():\n    job_0.delay(1)\n    return {"ok": True}\n',
    'worker/__init__.py': '',
    'worker/celery.py': 'from celery import Celery\n\napp = Celery("jobs", broker="vercel://")\n',
    'worker/run.py': 'from worker import tasks\nfrom worker.celery import app\n',
    'worker/tasks.py': `from worker.celery import app\n\n\n${tasks}`,
  });
  assert.ok(!row(text, 'app.py').includes('job_0'), row(text, 'app.py'));
  const line = row(text, 'worker/run.py');
  assert.ok(line.includes('| queue |'), line);
  assert.ok(line.includes('job_0 (app.task) in worker/tasks.py'), line);
  assert.ok(line.includes('job_11 (app.task) in worker/tasks.py, and 2 more in its modules'), line);
  // No bundle estimate from the JavaScript module graph for a Python function: it would count one file.
  const bundles = text.slice(text.indexOf('## Estimated bundle size per function'));
  assert.ok(!bundles.includes('worker/run'), bundles);
  assert.ok(bundles.includes('Python functions are not estimated'), bundles);
});
