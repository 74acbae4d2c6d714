// A curated table of database, cache and SDK client constructors, identified by the module they are imported from,
// plus the helpers connection rules share: which client an expression creates, lazy singletons, closing calls.
import * as ts from 'typescript';
import type { FileFacts } from './facts';
import { isAtModuleScope } from './facts';
import { importSource, packageName, strip } from './ast';
import { nodesOfKindIn, someInSubtree } from './tree';

/** What a client talks to. */
export type ClientKind = 'sql' | 'document' | 'cache' | 'sdk';

/**
 * How a client reaches its server. `http` drivers open no long-lived connection (each query is a fetch), so
 * creating them per request is their intended use; `url` means the transport depends on the URL scheme
 * (libSQL: `http:`/`https:`/`libsql:` are HTTP, `ws:`/`wss:` are WebSocket, `file:` is a local file).
 */
export type Transport = 'tcp' | 'websocket' | 'http' | 'url';

export interface ClientSpec {
  /** Package names as `packageName()` returns them (`mysql2/promise` → `mysql2`). */
  packages: readonly string[];
  /**
   * The export path the creation goes through: `Pool` for `new Pool()` or `new pg.Pool()`, `default` for the
   * callable default export (`knex()`, `postgres()`), `MongoClient.connect` for a static factory on a named export.
   */
  path: string;
  form: 'new' | 'call';
  /** How messages name it, e.g. `new Pool() from pg`. */
  display: string;
  kind: ClientKind;
  transport: Transport;
  /** One object meant to serve many requests (a pool, or a client that pools or multiplexes internally). */
  shareable: boolean;
  /** Supported by `attachDatabasePool` from `@vercel/functions` (pg, mysql2, MongoDB, ioredis, Cassandra). */
  attachable: boolean;
  /** Methods that close it (for "closed in finally" and for fixes that must not move a client that is closed). */
  close: readonly string[];
}

const SQL_CLOSE = ['end'] as const;

/** The table. Keep it sorted by package; every entry is a creation that opens (or may open) a connection or an SDK client. */
// biome-ignore format: a table, one entry per line, reads better than one field per line.
export const CLIENT_SPECS: readonly ClientSpec[] = [
  { packages: ['@aws-sdk/client-*'], path: '*Client', form: 'new', display: 'an AWS SDK v3 client', kind: 'sdk', transport: 'http', shareable: true, attachable: false, close: ['destroy'] },
  { packages: ['@libsql/client'], path: 'createClient', form: 'call', display: 'createClient() from @libsql/client', kind: 'sql', transport: 'url', shareable: true, attachable: false, close: ['close'] },
  { packages: ['@neondatabase/serverless'], path: 'Pool', form: 'new', display: 'new Pool() from @neondatabase/serverless', kind: 'sql', transport: 'websocket', shareable: true, attachable: true, close: SQL_CLOSE },
  { packages: ['@neondatabase/serverless'], path: 'Client', form: 'new', display: 'new Client() from @neondatabase/serverless', kind: 'sql', transport: 'websocket', shareable: false, attachable: false, close: SQL_CLOSE },
  { packages: ['@neondatabase/serverless'], path: 'neon', form: 'call', display: 'neon() from @neondatabase/serverless', kind: 'sql', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@planetscale/database'], path: 'connect', form: 'call', display: 'connect() from @planetscale/database', kind: 'sql', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@planetscale/database'], path: 'Client', form: 'new', display: 'new Client() from @planetscale/database', kind: 'sql', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@prisma/client'], path: 'PrismaClient', form: 'new', display: 'new PrismaClient()', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['$disconnect'] },
  { packages: ['@redis/client', 'redis'], path: 'createClient', form: 'call', display: 'createClient() from redis', kind: 'cache', transport: 'tcp', shareable: true, attachable: false, close: ['quit', 'disconnect', 'close', 'destroy'] },
  { packages: ['@redis/client', 'redis'], path: 'createCluster', form: 'call', display: 'createCluster() from redis', kind: 'cache', transport: 'tcp', shareable: true, attachable: false, close: ['quit', 'disconnect', 'close', 'destroy'] },
  { packages: ['@sequelize/core', 'sequelize'], path: 'Sequelize', form: 'new', display: 'new Sequelize()', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['close'] },
  { packages: ['@upstash/redis'], path: 'Redis', form: 'new', display: 'new Redis() from @upstash/redis', kind: 'cache', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@upstash/redis'], path: 'Redis.fromEnv', form: 'call', display: 'Redis.fromEnv() from @upstash/redis', kind: 'cache', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@vercel/kv'], path: 'createClient', form: 'call', display: 'createClient() from @vercel/kv', kind: 'cache', transport: 'http', shareable: true, attachable: false, close: [] },
  { packages: ['@vercel/postgres'], path: 'createPool', form: 'call', display: 'createPool() from @vercel/postgres', kind: 'sql', transport: 'websocket', shareable: true, attachable: false, close: SQL_CLOSE },
  { packages: ['@vercel/postgres'], path: 'createClient', form: 'call', display: 'createClient() from @vercel/postgres', kind: 'sql', transport: 'websocket', shareable: false, attachable: false, close: SQL_CLOSE },
  { packages: ['cassandra-driver'], path: 'Client', form: 'new', display: 'new Client() from cassandra-driver', kind: 'document', transport: 'tcp', shareable: true, attachable: true, close: ['shutdown'] },
  { packages: ['ioredis'], path: 'default', form: 'new', display: 'new Redis() from ioredis', kind: 'cache', transport: 'tcp', shareable: true, attachable: true, close: ['quit', 'disconnect'] },
  { packages: ['ioredis'], path: 'Redis', form: 'new', display: 'new Redis() from ioredis', kind: 'cache', transport: 'tcp', shareable: true, attachable: true, close: ['quit', 'disconnect'] },
  { packages: ['ioredis'], path: 'Cluster', form: 'new', display: 'new Cluster() from ioredis', kind: 'cache', transport: 'tcp', shareable: true, attachable: true, close: ['quit', 'disconnect'] },
  { packages: ['knex'], path: 'default', form: 'call', display: 'knex()', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['destroy'] },
  { packages: ['knex'], path: 'knex', form: 'call', display: 'knex()', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['destroy'] },
  { packages: ['mongodb'], path: 'MongoClient', form: 'new', display: 'new MongoClient()', kind: 'document', transport: 'tcp', shareable: true, attachable: true, close: ['close'] },
  { packages: ['mongodb'], path: 'MongoClient.connect', form: 'call', display: 'MongoClient.connect()', kind: 'document', transport: 'tcp', shareable: true, attachable: true, close: ['close'] },
  { packages: ['mongoose'], path: 'connect', form: 'call', display: 'mongoose.connect()', kind: 'document', transport: 'tcp', shareable: true, attachable: false, close: ['disconnect'] },
  { packages: ['mongoose'], path: 'createConnection', form: 'call', display: 'mongoose.createConnection()', kind: 'document', transport: 'tcp', shareable: true, attachable: false, close: ['close'] },
  { packages: ['mssql'], path: 'ConnectionPool', form: 'new', display: 'new ConnectionPool() from mssql', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['close'] },
  { packages: ['mssql'], path: 'connect', form: 'call', display: 'sql.connect() from mssql', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: ['close'] },
  { packages: ['mysql', 'mysql2'], path: 'createPool', form: 'call', display: 'createPool() from mysql2', kind: 'sql', transport: 'tcp', shareable: true, attachable: true, close: SQL_CLOSE },
  { packages: ['mysql', 'mysql2'], path: 'createConnection', form: 'call', display: 'createConnection() from mysql2', kind: 'sql', transport: 'tcp', shareable: false, attachable: false, close: [...SQL_CLOSE, 'destroy'] },
  { packages: ['pg'], path: 'Pool', form: 'new', display: 'new Pool() from pg', kind: 'sql', transport: 'tcp', shareable: true, attachable: true, close: SQL_CLOSE },
  { packages: ['pg'], path: 'Client', form: 'new', display: 'new Client() from pg', kind: 'sql', transport: 'tcp', shareable: false, attachable: false, close: SQL_CLOSE },
  { packages: ['postgres'], path: 'default', form: 'call', display: 'postgres() from postgres.js', kind: 'sql', transport: 'tcp', shareable: true, attachable: false, close: SQL_CLOSE },
];

/** A client creation found in code. */
export interface ClientCreation {
  spec: ClientSpec;
  /** The import specifier it came from, e.g. `mysql2/promise`. */
  specifier: string;
  /** The `new`/call expression. */
  node: ts.NewExpression | ts.CallExpression;
  /** The transport for this creation: `url` entries are resolved from a literal URL when there is one. */
  transport: Transport | 'local' | 'unknown';
  /** How messages name this creation, e.g. `new S3Client() from @aws-sdk/client-s3`. */
  display: string;
}

/** Prisma's generated client may live in the project (`../generated/prisma`): a local path with a `prisma` segment. */
function isLocalPrismaClient(specifier: string): boolean {
  return /^(\.|@\/|~\/|#)/.test(specifier) && /(^|\/)prisma(\/|$)/.test(specifier);
}

export function findSpec(specifier: string, path: string, form: 'new' | 'call'): ClientSpec | undefined {
  const pkg = isLocalPrismaClient(specifier) ? '@prisma/client' : packageName(specifier);
  for (const spec of CLIENT_SPECS) {
    if (spec.form !== form) continue;
    const pkgOk = spec.packages.some((p) => (p.endsWith('*') ? pkg.startsWith(p.slice(0, -1)) : p === pkg));
    if (!pkgOk) continue;
    if (spec.path.startsWith('*') ? path.endsWith(spec.path.slice(1)) && !path.includes('.') : spec.path === path) return spec;
  }
  return undefined;
}

/**
 * The import path a callee goes through: `Pool` (named import), `default` (the default or CommonJS module object
 * called directly), `Pool` for `pg.Pool` on a default/namespace import, `MongoClient.connect` for a static member
 * of a named import, and `default` for `require('knex')(…)`.
 */
function calleePath(facts: FileFacts, callee: ts.Expression): { specifier: string; path: string } | undefined {
  let e = callee;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  const asModule = (imported: string) => (imported === '*' ? 'default' : imported);
  if (ts.isIdentifier(e)) {
    const src = importSource(facts, e);
    return src && { specifier: src.specifier, path: asModule(src.imported) };
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const src = importSource(facts, e.expression);
    if (!src) return undefined;
    const imported = asModule(src.imported);
    return { specifier: src.specifier, path: imported === 'default' ? e.name.text : `${imported}.${e.name.text}` };
  }
  if (
    ts.isCallExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'require' &&
    e.arguments.length === 1 &&
    ts.isStringLiteralLike(e.arguments[0])
  ) {
    // `require` must be the global one, not a local function of that name.
    if (facts.symbolOf(e.expression)) return undefined;
    return { specifier: e.arguments[0].text, path: 'default' };
  }
  return undefined;
}

/** The URL scheme a libSQL config uses, when the `url` is a literal (or a template starting with a literal scheme). */
function libsqlTransport(call: ts.CallExpression | ts.NewExpression): ClientCreation['transport'] {
  const arg = call.arguments?.[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return 'unknown';
  for (const p of arg.properties) {
    if (!ts.isPropertyAssignment(p) || p.name.getText() !== 'url') continue;
    const v = p.initializer;
    const head = ts.isStringLiteralLike(v) ? v.text : ts.isTemplateExpression(v) ? v.head.text : undefined;
    const scheme = head && /^([a-z]+):/i.exec(head)?.[1]?.toLowerCase();
    if (!scheme) return 'unknown';
    // @libsql/client expands `libsql:` to HTTP(S) (it prefers HTTP), so only ws/wss open a socket.
    if (scheme === 'http' || scheme === 'https' || scheme === 'libsql') return 'http';
    if (scheme === 'ws' || scheme === 'wss') return 'websocket';
    if (scheme === 'file') return 'local';
    return 'unknown';
  }
  return 'unknown';
}

/** The client a `new`/call expression creates, identified by where its callee was imported from; undefined otherwise. */
export function clientCreation(facts: FileFacts, node: ts.NewExpression | ts.CallExpression): ClientCreation | undefined {
  const target = calleePath(facts, node.expression);
  if (!target) return undefined;
  const form = ts.isNewExpression(node) ? 'new' : 'call';
  const spec = findSpec(target.specifier, target.path, form);
  if (!spec) return undefined;
  let transport: ClientCreation['transport'] = spec.transport;
  if (spec.transport === 'url') transport = target.specifier === '@libsql/client/http' ? 'http' : libsqlTransport(node);
  // The Prisma edge client talks to Accelerate over HTTP.
  if (spec.path === 'PrismaClient' && /^@prisma\/client\/edge$/.test(target.specifier)) transport = 'http';
  const display = spec.path.startsWith('*') ? `new ${target.path}() from ${packageName(target.specifier)}` : spec.display;
  return { spec, specifier: target.specifier, node, transport, display };
}

/** Whether a creation opens a connection that lives on (TCP or WebSocket), as opposed to HTTP drivers and local files. */
export function opensConnection(c: ClientCreation): boolean {
  return c.transport === 'tcp' || c.transport === 'websocket';
}

/** Skips wrappers that do not change which value an expression stands for: parentheses, `await`, `as`, `!`. */
export function outerExpression(node: ts.Node): ts.Node {
  let n = node;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) ||
      ts.isAwaitExpression(n.parent) ||
      ts.isAsExpression(n.parent) ||
      ts.isNonNullExpression(n.parent) ||
      ts.isSatisfiesExpression(n.parent) ||
      ts.isTypeAssertionExpression(n.parent))
  )
    n = n.parent;
  return n;
}

/** Whether an assignment target outlives the current call: a module-scope binding, a property of one, `globalThis.x`, `this.x`. */
export function isLongLivedTarget(facts: FileFacts, target: ts.Expression): boolean {
  let e = target;
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(e)) return false;
  if (e !== target && (e.text === 'globalThis' || e.text === 'global') && !facts.symbolOf(e)) return true;
  const decl = facts.symbolOf(e)?.declarations?.[0];
  return !!decl && isAtModuleScope(decl);
}

function sameTarget(a: ts.Expression, b: ts.Expression, sf: ts.SourceFile): boolean {
  return strip(a).getText(sf).replace(/\s+/g, '') === strip(b).getText(sf).replace(/\s+/g, '');
}

/** Whether `cond` tests the target for being unset: `!x`, `x == null`, `x === undefined`, `!x.y`. */
function testsUnset(cond: ts.Expression, target: ts.Expression, sf: ts.SourceFile): boolean {
  return someInSubtree(cond, (n) => ts.isExpression(n) && sameTarget(n, target, sf), undefined, sf);
}

/**
 * Whether a creation is a lazy singleton: created once and kept in a long-lived place, e.g.
 * `pool ??= new Pool()`, `if (!pool) pool = new Pool()`, `globalThis.prisma ||= new PrismaClient()`,
 * `pool = pool ?? new Pool()`, `const db = globalForDb.db ?? new PrismaClient()`.
 */
export function isLazySingleton(facts: FileFacts, creation: ts.Node): boolean {
  const sf = facts.sourceFile;
  const value = outerExpression(creation);
  const parent = value.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.right !== value) return false;
  const op = parent.operatorToken.kind;
  if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) return isLongLivedTarget(facts, parent.left);
  if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
    // `existing ?? new X()`: a singleton when `existing` is long-lived.
    return isLongLivedTarget(facts, parent.left);
  }
  if (op !== ts.SyntaxKind.EqualsToken || !isLongLivedTarget(facts, parent.left)) return false;
  // `if (!pool) pool = new Pool()` / `if (!pool) { pool = new Pool(); }`: an enclosing `if` that tests the target.
  for (let n: ts.Node | undefined = parent.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionLike(n)) break;
    if (ts.isIfStatement(n) && testsUnset(n.expression, parent.left, sf)) return true;
  }
  return false;
}

/** The variable a creation is stored in when it is `const x = <creation>` (through `await`), else undefined. */
export function declaredVariable(creation: ts.Node): ts.VariableDeclaration | undefined {
  const value = outerExpression(creation);
  const parent = value.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) return parent;
  return undefined;
}

/** Member calls `x.method()` on the symbol of `variable` inside `scope`, whose method is one of `methods`. */
export function memberCallsOn(
  facts: FileFacts,
  variable: ts.Identifier,
  scope: ts.Node,
  methods: ReadonlySet<string> | readonly string[],
): ts.CallExpression[] {
  const wanted = methods instanceof Set ? methods : new Set(methods as readonly string[]);
  const symbol = facts.symbolOf(variable);
  const out: ts.CallExpression[] = [];
  if (!symbol) return out;
  for (const n of nodesOfKindIn<ts.CallExpression>(facts.sourceFile, scope, ts.SyntaxKind.CallExpression)) {
    if (!ts.isPropertyAccessExpression(n.expression) || !wanted.has(n.expression.name.text)) continue;
    const obj = n.expression.expression;
    if (ts.isIdentifier(obj) && obj.text === variable.text && facts.symbolOf(obj) === symbol) out.push(n);
  }
  return out;
}
