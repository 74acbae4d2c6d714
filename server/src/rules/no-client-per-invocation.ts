// A database, cache or SDK client created inside a handler on the Node.js runtime: one new client (and connections) per invocation.
import * as ts from 'typescript';
import type { Fix, TextEdit } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { clientCreation, declaredVariable, isLazySingleton, memberCallsOn, opensConnection, type ClientCreation } from '../analysis/clients';
import { isAtModuleScope } from '../analysis/facts';
import { dedentedText, indentOf } from '../analysis/edits';
import { insertImports, isEsModule } from '../analysis/imports-edit';
import { STOP, walkSubtree } from '../analysis/tree';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PythonRuleContext } from '../analysis/rule';
import { statementOf, assignedName } from '../python/facts';

export default defineRule({
  meta: {
    id: 'no-client-per-invocation',
    severity: 'warning',
    category: 'connections',
    scope: { role: 'function-code', runtime: 'node' },
    summary: 'Disallow creating database, cache and SDK clients inside a handler on the Node.js runtime.',
    why:
      'A function instance is reused for many invocations, and on Vercel Fluid compute it serves several at once. ' +
      'A client created inside the handler opens fresh connections (and a TLS handshake, and for SDKs a credential lookup) on every ' +
      'invocation; under a burst every new instance does the same, so the database runs out of connections ("too many clients", ' +
      '"remaining connection slots are reserved") long before it runs out of capacity. A client created once at module scope is ' +
      'reused by every invocation the instance serves.',
    action:
      'Create the client once at module scope (or in a lazy singleton) and reuse it; on Vercel, register pools with ' +
      '`attachDatabasePool` from `@vercel/functions` so idle connections are released before the instance is suspended.',
    bad: [
      {
        fileName: 'app/api/orders/route.ts',
        platform: 'vercel',
        code: [
          "import { Pool } from 'pg';",
          '',
          'export async function GET() {',
          '  const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
          "  const { rows } = await pool.query('select id, total from orders order by created_at desc limit 20');",
          '  return Response.json(rows);',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/handlers/get-user.ts',
        platform: 'aws-lambda',
        code: [
          "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
          '',
          'export const handler = async (event: { pathParameters: { id: string } }) => {',
          '  const client = new DynamoDBClient({});',
          "  const out = await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: event.pathParameters.id } } }));",
          '  return { statusCode: 200, body: JSON.stringify(out.Item) };',
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/orders/route.ts',
        platform: 'vercel',
        code: [
          "import { Pool } from 'pg';",
          "import { attachDatabasePool } from '@vercel/functions';",
          '',
          'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
          'attachDatabasePool(pool);',
          '',
          'export async function GET() {',
          "  const { rows } = await pool.query('select id, total from orders order by created_at desc limit 20');",
          '  return Response.json(rows);',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'app/api/orders/route.ts',
        platform: 'vercel',
        code: [
          "import { neon } from '@neondatabase/serverless';",
          '',
          'export async function GET() {',
          '  const sql = neon(process.env.DATABASE_URL!);',
          '  const rows = await sql`select id, total from orders order by created_at desc limit 20`;',
          '  return Response.json(rows);',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'move-to-module-scope',
        title: 'Move client to module scope',
        safety: 'unsafe',
        description:
          'Offered when the client is declared as `const x = …` in the handler, is a shareable client (a pool, PrismaClient, ioredis, an AWS SDK client…), ' +
          'is not connected or closed by the handler, and its arguments use no request values or handler locals. Moves the declaration above the ' +
          'handler. Unsafe: the client now lives as long as the instance, which changes when its configuration is read.',
      },
      {
        id: 'attach-database-pool',
        title: 'Use attachDatabasePool',
        safety: 'unsafe',
        preferred: true,
        description:
          'On Vercel (Node.js runtime), for pools `attachDatabasePool` supports (pg, mysql2, MongoDB, ioredis, Cassandra): moves the pool to module ' +
          "scope, calls `attachDatabasePool(pool)` after it and imports it from '@vercel/functions'.",
      },
      {
        id: 'move-to-module-level',
        title: 'Move `{{name}}` to module level',
        safety: 'unsafe',
        preferred: true,
        description:
          'Python: offered when `name = client(...)` stands alone in the function, is assigned once there, and its arguments name nothing of the function. ' +
          'Moves the statement above the module-level statement that holds the function. Unsafe: the client now lives as long as the instance.',
      },
    ],
    messages: {
      perInvocation: '{{client}} runs on every invocation: {{where}}; {{advice}}.',
      viaHelper:
        "`{{label}}` creates {{client}} on every call ({{where}}), so each invocation sets up a new client and its connections, and a burst exhausts the server's connection limit; create the client once at module scope (or cache it lazily: `pool ??= new Pool()`) and reuse it.",
      pythonPerRequest:
        '`{{name}}()` creates {{what}} on every request: each invocation pays its setup again and opens connections of its own (a database sees one more per concurrent request). Create it once at module level (or cache it in a global) so warm invocations reuse it.',
    },
    limits: [
      "Creations written inside a handler are found, and calls of the project's helpers that create a client on every call, themselves or through the calls they return (up to four deep, by the helpers' summaries in the module graph); a helper that also assigns to module scope, `globalThis` or `this` is taken to cache its client and is not reported.",
      'Clients are recognized by the module they are imported from (see server/src/analysis/clients.ts); wrappers of your own around these constructors are not recognized.',
      'libSQL clients are flagged only when the URL is a literal `ws:`/`wss:` URL; an URL from the environment is assumed to be the usual `libsql:`/`https:` (HTTP).',
      'A client created per request and closed in `finally` is still flagged on Node.js: it still opens one connection per concurrent request.',
    ],
    references: [
      'https://vercel.com/docs/functions/functions-api-reference/vercel-functions-package#database-connection-pool-management',
      'https://vercel.com/docs/fluid-compute',
      'https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonClientPerInvocation at the end of this file.
  python: pythonClientPerInvocation,
  create(ctx) {
    const check = (expr: ts.NewExpression | ts.CallExpression) => {
      if (!ctx.facts.isInHandler(expr)) return;
      const creation = clientCreation(ctx.facts, expr);
      if (!creation) return;
      // HTTP drivers are made for per-request use; local files open no connection.
      if (creation.spec.kind !== 'sdk' && !opensConnection(creation)) return;
      if (isLazySingleton(ctx.facts, expr)) return;
      const vercel = ctx.context.platform.value === 'vercel';
      const where =
        creation.spec.kind === 'sdk'
          ? 'it re-resolves credentials and opens new TLS connections'
          : 'each instance opens new connections and a burst exhausts the database';
      const advice = creation.spec.shareable
        ? `create it once at module scope and reuse it${vercel && creation.spec.attachable ? ' (with attachDatabasePool from @vercel/functions)' : ''}`
        : 'use a pool created once at module scope instead';
      ctx.report({
        node: expr,
        messageId: 'perInvocation',
        data: { client: creation.display, where, advice },
        fixes: fixesFor(ctx, creation),
      });
    };
    // A helper the handler calls that creates a client on every call (`getDb()` doing `new Pool()` with no module
    // cache), by the helper's summary in the module graph; the lazy singleton (`pool ??= new Pool()`) caches.
    const viaHelper = (call: ts.CallExpression) => {
      const cross = ctx.facts.crossFile;
      if (!cross || !ctx.facts.isInHandler(call)) return;
      const answer = cross.callee(call);
      const client = answer && cross.client(call);
      if (!answer || !client) return;
      const where = cross.show(client.fileName);
      const label = `${call.expression.getText(ctx.sourceFile).replace(/\s+/g, '')}()`;
      ctx.report({
        node: call,
        messageId: 'viaHelper',
        data: { label, client: client.display, where },
        related: [
          cross.related(call, 'The call in the handler.'),
          cross.at(answer.fileName, answer.facts.at, `The function it calls, in ${cross.show(answer.fileName)}.`),
          ...client.via.map((hop) => cross.at(hop.fileName, hop.at, `It returns what this call creates, in ${cross.show(hop.fileName)}.`)),
          cross.at(client.fileName, client.at, `${client.display} is created here on every call, with no module-scope cache.`),
        ],
      });
    };
    return {
      enter: {
        [ts.SyntaxKind.NewExpression]: check,
        [ts.SyntaxKind.CallExpression]: (node) => {
          check(node);
          viaHelper(node);
        },
      },
    };
  },
});

/** The top-level statement that contains a node (the handler's declaration, `app.get(...)`, `export default …`). */
function topLevelStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  return n.parent ? (n as ts.Statement) : undefined;
}

/** Start of the line holding `pos`. */
function lineStart(text: string, pos: number): number {
  const i = text.lastIndexOf('\n', pos - 1);
  return i + 1;
}

/** The span removing a statement with its own line(s) when nothing else shares them, else just the statement. */
function removalSpan(text: string, sf: ts.SourceFile, st: ts.Statement): { start: number; end: number } {
  const start = st.getStart(sf);
  const ls = lineStart(text, start);
  let end = st.getEnd();
  // A comment trailing the statement on its line goes with it.
  for (const c of ts.getTrailingCommentRanges(text, end) ?? []) if (c.kind === ts.SyntaxKind.SingleLineCommentTrivia) end = c.end;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl;
  if (text.slice(ls, start).trim() === '' && text.slice(end, lineEnd).trim() === '') return { start: ls, end: nl < 0 ? lineEnd : nl + 1 };
  return { start, end };
}

/**
 * Whether the client's arguments mean the same at module scope, above `before`: every name they use (nested callbacks
 * included) is declared inside the call itself or at module scope before that point, no request-scoped call
 * (`cookies()`, `auth()`) is made, and no `this`, `super`, or enclosing `arguments` / `new.target` (which an arrow
 * function takes from the handler) is used. That is also what keeps the request out: every value the handler's taint
 * holds is a parameter or a local of the handler, so the handler's taint (a loop over its body) is not needed.
 */
function argumentsMovable(ctx: RuleContext, call: ts.NewExpression | ts.CallExpression, before: number): boolean {
  const sf = ctx.sourceFile;
  const { pos: start, end } = call;
  let ok = true;
  const visit = (n: ts.Node) => {
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword) ok = false;
    else if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isName) {
        const decl = ctx.facts.symbolOf(n)?.declarations?.[0];
        if (decl) {
          const inCall = decl.pos >= start && decl.end <= end;
          if (!inCall && (!isAtModuleScope(decl) || decl.getStart(sf) >= before)) ok = false;
        } else if (n.escapedText === 'arguments' && !hasOwnArguments(n, call)) ok = false;
      }
    } else if (ts.isMetaProperty(n) && n.keywordToken === ts.SyntaxKind.NewKeyword && !hasOwnArguments(n, call)) ok = false;
    else if (ts.isCallExpression(n) && ctx.facts.isRequestScopedCall(n)) ok = false;
    return ok ? undefined : STOP;
  };
  for (const arg of call.arguments ?? []) {
    walkSubtree(arg, visit, sf);
    if (!ok) return false;
  }
  return ok;
}

/** Whether `n` (inside `call`) is in a function of its own there, one that binds `arguments` and `new.target` (not an arrow). */
function hasOwnArguments(n: ts.Node, call: ts.Node): boolean {
  for (let a = n.parent; a && a !== call; a = a.parent) {
    if (ts.isFunctionLike(a) && !ts.isArrowFunction(a)) return true;
  }
  return false;
}

function moduleNameTaken(sf: ts.SourceFile, name: string): boolean {
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return true;
    if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name?.text === name) return true;
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return true;
      if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === name)) return true;
    }
  }
  return false;
}

/** "Move client to module scope" and, on Vercel, "Use attachDatabasePool" — both only when the move keeps the code valid. */
function fixesFor(ctx: RuleContext, creation: ClientCreation): Fix[] {
  const { spec, node } = creation;
  if (!spec.shareable) return [];
  // `const client = await MongoClient.connect(uri)` cannot move without a top-level await.
  if (ts.isAwaitExpression(node.parent)) return [];
  const decl = declaredVariable(node);
  if (!decl || decl.initializer !== node || !ts.isIdentifier(decl.name)) return [];
  const list = decl.parent;
  const statement = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(statement)) return [];
  const fn = ctx.facts.handlerOf(node)?.fn;
  const top = topLevelStatement(node);
  if (!fn || !top) return [];
  // A client the handler connects or closes is managed per request: moving it would connect twice or use a closed client.
  if (memberCallsOn(ctx.facts, decl.name, fn, [...spec.close, 'connect']).length) return [];
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const comments = ts.getLeadingCommentRanges(text, top.getFullStart());
  const insertAt = lineStart(text, comments?.length ? comments[0].pos : top.getStart(sf));
  if (!argumentsMovable(ctx, node, insertAt)) return [];
  const name = decl.name.text;
  if (moduleNameTaken(sf, name)) return [];
  // Written at column 0: the client's continuation lines lose the indentation of the statement they leave.
  const declaration = `const ${name} = ${dedentedText(sf, node, indentOf(sf, statement))};\n`;
  const remove: TextEdit = { span: removalSpan(text, sf, statement), newText: '' };
  const fixes: Fix[] = [];
  const attach = ctx.context.platform.value === 'vercel' && spec.attachable;
  fixes.push(ctx.fix('move-to-module-scope', [{ span: { start: insertAt, end: insertAt }, newText: `${declaration}\n` }, remove], { preferred: !attach }));
  if (attach) {
    const hasImport = ctx.facts.imports.some(
      (i) => i.specifier === '@vercel/functions' && i.bindings.some((b) => b.local === 'attachDatabasePool' && b.imported === 'attachDatabasePool'),
    );
    const importText = isEsModule(sf)
      ? "import { attachDatabasePool } from '@vercel/functions';"
      : "const { attachDatabasePool } = require('@vercel/functions');";
    fixes.push(
      ctx.fix('attach-database-pool', [
        ...(hasImport ? [] : insertImports(sf, [importText])),
        { span: { start: insertAt, end: insertAt }, newText: `${declaration}attachDatabasePool(${name});\n\n` },
        remove,
      ]),
    );
  }
  return fixes;
}

// The Python part: a database or SDK client created inside a handler (or a function it calls) instead of once per instance.

/** Python constructors and connect functions of clients that hold connections, by qualified name: what to call them. */
const PY_CLIENTS = new Map<string, string>([
  ['psycopg.connect', 'a PostgreSQL connection'],
  ['psycopg.AsyncConnection.connect', 'a PostgreSQL connection'],
  ['psycopg2.connect', 'a PostgreSQL connection'],
  ['psycopg_pool.ConnectionPool', 'a PostgreSQL pool'],
  ['psycopg_pool.AsyncConnectionPool', 'a PostgreSQL pool'],
  ['asyncpg.connect', 'a PostgreSQL connection'],
  ['asyncpg.create_pool', 'a PostgreSQL pool'],
  ['pymysql.connect', 'a MySQL connection'],
  ['mysql.connector.connect', 'a MySQL connection'],
  ['pymongo.MongoClient', 'a MongoDB client'],
  ['motor.motor_asyncio.AsyncIOMotorClient', 'a MongoDB client'],
  ['redis.Redis', 'a Redis client'],
  ['redis.StrictRedis', 'a Redis client'],
  ['redis.from_url', 'a Redis client'],
  ['redis.Redis.from_url', 'a Redis client'],
  ['redis.asyncio.Redis', 'a Redis client'],
  ['redis.asyncio.from_url', 'a Redis client'],
  ['redis.asyncio.Redis.from_url', 'a Redis client'],
  ['sqlalchemy.create_engine', 'a SQLAlchemy engine (a connection pool)'],
  ['sqlalchemy.ext.asyncio.create_async_engine', 'a SQLAlchemy engine (a connection pool)'],
  ['boto3.client', 'an AWS SDK client'],
  ['boto3.resource', 'an AWS SDK resource'],
  ['boto3.session.Session', 'an AWS SDK session'],
  ['boto3.Session', 'an AWS SDK session'],
]);

/** Decorators that make a function's result a per-instance singleton (`@lru_cache`, `@cache`). */
const CACHING_DECORATOR = /^@(functools\.)?(lru_cache|cache)\b/;

function pythonClientPerInvocation(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const name = facts.callee(call);
    const what = name && PY_CLIENTS.get(name);
    if (!what || !facts.runsPerRequest(call)) continue;
    const fn = facts.enclosingFunction(call)!;
    // A lazy singleton (`global client; if client is None: client = …`) and a cached factory are the right pattern.
    const target = assignedName(call);
    if (target && facts.globalsOf(fn).has(target)) continue;
    if (fn.parent?.type === 'decorated_definition' && fn.parent.namedChildren.some((d) => d?.type === 'decorator' && CACHING_DECORATOR.test(d.text))) continue;
    ctx.report({
      node: call,
      messageId: 'pythonPerRequest',
      data: { name, what },
      fixes: moveClientToModuleLevel(ctx, call, target),
    });
  }
}

/**
 * `conn = psycopg2.connect(DSN)` alone in a function, with arguments that name nothing of the function: the statement
 * moves to module level, after the imports. Unsafe: a handler that closes the client would now close the shared one.
 */
function moveClientToModuleLevel(ctx: PythonRuleContext, call: PyNode, target: string | undefined): Fix[] {
  const { facts, text } = ctx;
  const fn = facts.enclosingFunction(call);
  const statement = statementOf(call);
  if (!target || !fn || !statement || statement.type !== 'expression_statement' || statement.firstNamedChild?.id !== call.parent?.id) return [];
  if (facts.moduleNames.has(target) || facts.imports.has(target)) return [];
  // The block keeps a statement after the move (an empty block is a syntax error).
  if ((statement.parent?.namedChildren.filter((c) => c && c.type !== 'comment').length ?? 0) < 2) return [];
  // The statement moves to just before the module-level statement that holds the function: every name its arguments
  // use must be an import or a module-level name defined above that point (or a builtin), never a local.
  let top: PyNode = fn;
  while (top.parent && top.parent.type !== 'module') top = top.parent;
  const insertAt = top.startIndex;
  const locals = new Set([...facts.params(fn), ...facts.ofType(fn, 'assignment').map((a) => a.childForFieldName('left')?.text ?? '')]);
  const args = call.childForFieldName('arguments');
  const visible = (n: string) => !locals.has(n) && (facts.imports.has(n) || (facts.moduleNames.get(n)?.assignment.startIndex ?? -1) < insertAt);
  if (args && !usesIn(facts, args).every(visible)) return [];
  // The name must not be assigned again in the function (it would stay local there).
  if (facts.ofType(fn, 'assignment').filter((a) => a.childForFieldName('left')?.text === target).length !== 1) return [];
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const lineEnd = text.indexOf('\n', statement.endIndex);
  return [
    ctx.fix(
      'move-to-module-level',
      [
        { span: { start: insertAt, end: insertAt }, newText: `${statement.text}\n\n\n` },
        { span: { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1 }, newText: '' },
      ],
      { data: { name: target } },
    ),
  ];
}

/** Names an expression reads. */
function usesIn(facts: PythonRuleContext['facts'], node: PyNode): string[] {
  return facts
    .ofType(node, 'identifier')
    .filter(
      (id) =>
        !(id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id) &&
        !(id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id),
    )
    .map((id) => id.text);
}
