// `app.listen()` in a function entry opens a port nobody routes to: the platform calls the exported handler instead.
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { importedMember, isEsModule } from '../analysis/imports-edit';
import { importSource, stripAwait } from '../analysis/ast';
import type { PythonRuleContext } from '../analysis/rule';

/** Packages whose app/server objects have a `listen()` that starts an HTTP server. */
const SERVER_PACKAGES = new Set(['express', 'fastify', 'koa', 'http', 'https', 'http2', '@nestjs/core', 'polka', 'restify', 'connect']);

/** Platforms that call an exported handler and never route traffic to a port the function opens. */
const NO_SERVER_DETECTION = new Set(['vercel', 'aws-lambda', 'netlify']);

/** Whether an expression creates a server or app from one of SERVER_PACKAGES (`express()`, `new Koa()`, `http.createServer(app)`, `await NestFactory.create(M)`). */
function isServerFactory(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const e = stripAwait(expr);
  if (depth > 4) return false;
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const callee = stripAwait(e.expression);
    let root: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (ts.isIdentifier(root)) {
      const src = importSource(ctx.facts, root);
      if (src && SERVER_PACKAGES.has(src.specifier.replace(/^node:/, ''))) return true;
    }
    const member = importedMember(ctx.facts, callee);
    if (member && SERVER_PACKAGES.has(member.module)) return true;
    return false;
  }
  if (ts.isIdentifier(e)) return isServerValue(ctx, e, depth + 1);
  return false;
}

/** Follows a local binding to its initializer (or a later `x = express()` is not followed: `const`/`let` initializers only). */
function isServerValue(ctx: RuleContext, id: ts.Identifier, depth: number): boolean {
  const decl = ctx.facts.symbolOf(id)?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  return isServerFactory(ctx, decl.initializer, depth);
}

function isEnvRef(e: ts.Expression, names: string[]): boolean {
  e = stripAwait(e);
  return (
    ts.isPropertyAccessExpression(e) &&
    names.includes(e.name.text) &&
    ts.isPropertyAccessExpression(e.expression) &&
    e.expression.name.text === 'env' &&
    ts.isIdentifier(e.expression.expression) &&
    e.expression.expression.text === 'process'
  );
}

/** Environment variables the platforms set, whose absence means "running locally". */
const PLATFORM_ENV = ['VERCEL', 'AWS_LAMBDA_FUNCTION_NAME', 'LAMBDA_TASK_ROOT', 'NETLIFY', 'IS_OFFLINE'];

/**
 * Whether a condition being true means the code runs locally, not deployed: `process.env.NODE_ENV !== 'production'`,
 * `=== 'development'`, `require.main === module`, `import.meta.main`, `!process.env.VERCEL`, `process.env.IS_OFFLINE`.
 */
function isLocalOnly(cond: ts.Expression, negated = false, depth = 0): boolean {
  const e = stripAwait(cond);
  // A generated `a && b && ...` chain is as deep as it is long: the recursion stops where no real condition goes.
  if (depth > 64) return false;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return isLocalOnly(e.operand, !negated, depth + 1);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && !negated)
    return isLocalOnly(e.left, false, depth + 1) || isLocalOnly(e.right, false, depth + 1);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken && negated)
    return isLocalOnly(e.left, true, depth + 1) || isLocalOnly(e.right, true, depth + 1);
  // `!process.env.VERCEL`: not on the platform; `process.env.IS_OFFLINE` (serverless-offline): local.
  if (isEnvRef(e, PLATFORM_ENV)) return (stripAwait(e) as ts.PropertyAccessExpression).name.text === 'IS_OFFLINE' ? !negated : negated;
  // import.meta.main (Deno, Bun).
  if (ts.isPropertyAccessExpression(e) && ts.isMetaProperty(e.expression) && e.name.text === 'main') return !negated;
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
  const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  if (!eq && !ne) return false;
  const positive = eq !== negated;
  // require.main === module: the file was run directly with node, not imported by the platform's runtime.
  const sides = [stripAwait(e.left), stripAwait(e.right)];
  const isRequireMain = (x: ts.Expression) =>
    ts.isPropertyAccessExpression(x) && x.name.text === 'main' && ts.isIdentifier(x.expression) && x.expression.text === 'require';
  const isModule = (x: ts.Expression) => ts.isIdentifier(x) && x.text === 'module';
  if ((isRequireMain(sides[0]) && isModule(sides[1])) || (isRequireMain(sides[1]) && isModule(sides[0]))) return positive;
  const lit = sides.find(ts.isStringLiteralLike);
  const ref = sides.find((x) => x !== lit);
  if (!lit || !ref) return false;
  if (isEnvRef(ref, ['NODE_ENV'])) {
    if (lit.text === 'production') return !positive;
    if (lit.text === 'development' || lit.text === 'test') return positive;
  }
  return false;
}

/** Whether the node only runs under a local-development guard (an `if`, `?:` or `&&` around it). */
function isGuardedForLocalDev(node: ts.Node): boolean {
  for (let child = node, n = node.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isIfStatement(n)) {
      if (child === n.thenStatement && isLocalOnly(n.expression)) return true;
      if (child === n.elseStatement && isLocalOnly(n.expression, true)) return true;
    }
    if (ts.isConditionalExpression(n)) {
      if (child === n.whenTrue && isLocalOnly(n.condition)) return true;
      if (child === n.whenFalse && isLocalOnly(n.condition, true)) return true;
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && child === n.right && isLocalOnly(n.left)) return true;
  }
  return false;
}

function hasDefaultExport(sf: ts.SourceFile): boolean {
  return sf.statements.some(
    (st) =>
      ts.isExportAssignment(st) ||
      ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) ||
      (ts.isExportDeclaration(st) &&
        !!st.exportClause &&
        ts.isNamedExports(st.exportClause) &&
        st.exportClause.elements.some((el) => el.name.text === 'default')) ||
      (ts.isExpressionStatement(st) &&
        ts.isBinaryExpression(st.expression) &&
        st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        /^(module\.exports|exports\.default|module\.exports\.default)$/.test(st.expression.left.getText(sf))),
  );
}

export default defineRule({
  meta: {
    id: 'no-server-listen-in-function',
    severity: 'warning',
    category: 'platform',
    scope: { role: 'function-code', runtime: 'node' },
    summary: 'Disallow app.listen()/server.listen() in function entries on platforms that call an exported handler.',
    why:
      'Vercel `api/` functions, AWS Lambda and Netlify Functions invoke the handler the file exports; they never send traffic to a port the function opens. ' +
      'A `listen()` there starts a server that receives nothing, keeps a handle open (on Lambda the event loop never drains, so callback-style handlers time out), ' +
      'and can fail with EADDRINUSE when an instance is reused. Vercel detects servers only in a root or `src/` `server.*` file.',
    action:
      'Export the app (`export default app` on Vercel, `serverless-http` or `@codegenie/serverless-express` on Lambda and Netlify) and keep `listen()` for local development behind a guard.',
    bad: [
      {
        fileName: 'api/index.ts',
        platform: 'vercel',
        code: [
          "import express from 'express';",
          '',
          'const app = express();',
          "app.get('/api/health', (_req, res) => res.json({ ok: true }));",
          '',
          "app.listen(3000, () => console.log('listening on 3000'));",
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import uvicorn',
          'from fastapi import FastAPI',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.get("/api/hello")',
          'def hello():',
          '    return {"message": "hello"}',
          '',
          '',
          'uvicorn.run(app, port=8000)',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'api/index.ts',
        platform: 'vercel',
        code: [
          "import express from 'express';",
          '',
          'const app = express();',
          "app.get('/api/health', (_req, res) => res.json({ ok: true }));",
          '',
          "if (process.env.NODE_ENV !== 'production') app.listen(3000);",
          '',
          'export default app;',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import uvicorn',
          'from fastapi import FastAPI',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.get("/api/hello")',
          'def hello():',
          '    return {"message": "hello"}',
          '',
          '',
          'if __name__ == "__main__":',
          '    uvicorn.run(app, port=8000)',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'export-app',
        title: 'Export the app instead of listening',
        safety: 'unsafe',
        preferred: true,
        description:
          'Vercel `api/` files with an Express (or other Node server) app and no default export: replaces the `listen()` statement with `export default app;` ' +
          '(`module.exports = app;` in CommonJS). Unsafe: the listen callback (e.g. startup logging or warm-up) no longer runs, and local `node api/index.js` stops serving.',
      },
    ],
    messages: {
      listen:
        'listen() starts a server that {{platform}} never routes requests to: the platform calls the exported handler. Export the app instead and keep listen() for local development behind a guard.',
      pythonServer:
        '{{what}} starts a server inside the function, but {{who}}: the call blocks until the invocation times out. Remove it, or put it under `if __name__ == "__main__":` for local development.',
    },
    limits: [
      'A `listen()` is recognized only on values created from express, fastify, koa, http/https, @nestjs/core, polka, restify or connect (followed through local `const`/`let` initializers).',
      "Local-development guards are recognized by their shape: `process.env.NODE_ENV !== 'production'` (or `=== 'development'`), `require.main === module`, `import.meta.main`, `!process.env.VERCEL` / `AWS_LAMBDA_FUNCTION_NAME` / `NETLIFY`, `process.env.IS_OFFLINE`; a guard computed into a variable is not.",
      'Vercel root or `src/` `server.*` files are function entries whose servers Vercel detects, so they are not reported; neither are long-running platforms.',
    ],
    references: [
      'https://vercel.com/docs/functions/limitations',
      'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
      'https://docs.netlify.com/build/functions/configuration',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonServerListen at the end of this file.
  python: pythonServerListen,
  appliesTo: (context) => NO_SERVER_DETECTION.has(context.platform.value) && context.framework.value !== 'vercel-server',
  create(ctx) {
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          const callee = call.expression;
          if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') return;
          if (!isServerFactory(ctx, callee.expression)) return;
          if (isGuardedForLocalDev(call)) return;
          const fixes = [];
          const receiver = stripAwait(callee.expression);
          const statement = call.parent;
          if (
            ctx.context.framework.value === 'vercel-api' &&
            ts.isIdentifier(receiver) &&
            ts.isExpressionStatement(statement) &&
            ts.isSourceFile(statement.parent) &&
            !hasDefaultExport(ctx.sourceFile)
          ) {
            const exportText = isEsModule(ctx.sourceFile) ? `export default ${receiver.text};` : `module.exports = ${receiver.text};`;
            fixes.push(ctx.fix('export-app', [{ span: { start: statement.getStart(ctx.sourceFile), end: statement.getEnd() }, newText: exportText }]));
          }
          const platform = ctx.context.platform.value === 'vercel' ? 'Vercel' : ctx.context.platform.value === 'netlify' ? 'Netlify' : 'AWS Lambda';
          ctx.report({
            node: callee.name,
            messageId: 'listen',
            data: { platform },
            fixes,
          });
        },
      },
    };
  },
});

// The Python part: a server started in a function module (`uvicorn.run(app)`, `app.run()`): the platform serves the
// `app` or `handler` itself, and a server started at import blocks the cold start until the function times out.

const PY_SERVERS =
  /^(uvicorn\.run|bottle\.run|hypercorn\.asyncio\.serve|waitress\.serve|werkzeug\.serving\.run_simple|bjoern\.run|gunicorn\.app\.base\.BaseApplication\.run)$/;

function pythonServerListen(ctx: PythonRuleContext): void {
  const { facts, context } = ctx;
  if (context.role.value !== 'function-entry' || (context.platform.value !== 'vercel' && context.platform.value !== 'aws-lambda')) return;
  for (const call of facts.calls) {
    // The called name, also at the end of a chain (`HTTPServer(…).serve_forever()`), decides before the tree is read.
    const name = facts.calleeName(call) ?? '';
    if (!/(^|\.)(run|serve|run_simple|serve_forever)$/.test(name) && !/\)\s*\.\s*(run|serve_forever)\s*\(\s*\)$/.test(facts.source(call))) continue;
    // `if __name__ == "__main__":` never runs when the platform imports the module: local development only.
    if (facts.underMainGuard(call)) continue;
    const callee = call.childForFieldName('function');
    const q = facts.callee(call) ?? '';
    let what: string | undefined;
    if (PY_SERVERS.test(q)) what = `${q}()`;
    else if (
      callee?.type === 'attribute' &&
      callee.childForFieldName('attribute')?.text === 'run' &&
      facts.apps.has(callee.childForFieldName('object')?.text ?? '')
    )
      what = `${callee.text}()`;
    else if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'serve_forever') what = `${callee.text}()`;
    if (!what) continue;
    // Only where it runs: at import (module level) or in a handler.
    if (!facts.isModuleLevel(call) && !facts.runsPerRequest(call)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonServer',
      data: {
        what,
        who: context.platform.value === 'vercel' ? "Vercel serves the module's `app` (or `handler`) itself" : 'Lambda calls the configured handler',
      },
    });
  }
}
