// Request data written into module-scope bindings leaks between the concurrent requests one instance serves.
import * as ts from 'typescript';
import type { Fix, Span } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { rootIdentifier, strip } from '../analysis/ast';
import { SKIP, STOP, walkSubtree } from '../analysis/tree';
import { removeVariableDeclaration, replaceNode } from '../analysis/edits';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PythonRuleContext } from '../analysis/rule';

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);
const GLOBAL_OBJECTS = new Set(['globalThis', 'global']);

/**
 * The module-scope slot an assignment target names: a module-scope `let`/`var`, a fixed property of a
 * module-scope object (`state.user`, `state['user']`), or a property of `globalThis`. Writes with a computed key
 * (`sessions[id] = …`) are collections and belong to no-module-state-persistence.
 */
function moduleSlot(
  target: ts.Expression,
  ctx: RuleContext,
): { root: ts.Identifier; decl?: ts.VariableDeclaration; shared?: { fileName: string; kind: 'object' | 'instance'; at: Span } } | undefined {
  const t = strip(target);
  if (ts.isIdentifier(t)) {
    const decl = ctx.facts.moduleScopeDeclaration(t);
    return decl && ts.isVariableDeclaration(decl) ? { root: t, decl } : undefined;
  }
  if (ts.isElementAccessExpression(t) && !ts.isStringLiteralLike(t.argumentExpression) && !ts.isNumericLiteral(t.argumentExpression)) return undefined;
  if (!ts.isPropertyAccessExpression(t) && !ts.isElementAccessExpression(t)) return undefined;
  // Only member chains (`a.b.c`), not calls: `getStore().user = …` writes whatever the call returns.
  for (let e: ts.Expression = t; !ts.isIdentifier(e); e = strip(e)) {
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isElementAccessExpression(e) && (ts.isStringLiteralLike(e.argumentExpression) || ts.isNumericLiteral(e.argumentExpression))) e = e.expression;
    else return undefined;
  }
  const root = rootIdentifier(t);
  if (!root) return undefined;
  if (GLOBAL_OBJECTS.has(root.text) && !ctx.facts.symbolOf(root)?.declarations?.length) return { root };
  const decl = ctx.facts.moduleScopeDeclaration(root);
  if (decl && ts.isVariableDeclaration(decl)) return { root, decl };
  // An imported module-level object or instance of the project (`store.user = ...` with `export const store = {}`).
  const shared = decl && ctx.facts.crossFile?.singleton(root);
  return shared ? { root, shared } : undefined;
}

/**
 * Whether a value is derived from the request, not counting platform bindings reached through the request
 * context (`context.env.DB` in Pages Functions, `context.env` in Netlify): those are per-deployment, the same
 * for every request, and the usual input of lazy singletons.
 */
function requestDerived(value: ts.Expression, ctx: RuleContext): boolean {
  const facts = ctx.facts;
  if (!facts.isRequestDerived(value)) return false;
  let found = false;
  let sawEnvOnly = false;
  walkSubtree(
    value,
    (node) => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && facts.isRequestDerived(node.expression)) {
        sawEnvOnly = true;
        return SKIP;
      }
      if (ts.isIdentifier(node)) {
        const parent = node.parent;
        if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return undefined;
        if (facts.isRequestDerived(node)) found = true;
      }
      return found ? STOP : undefined;
    },
    ctx.sourceFile,
  );
  // Nothing but env bindings matched an identifier: the remaining reason may be a request-scoped call
  // (`auth()`, `cookies()`), which only counts when no env access could explain the match.
  if (!found && !sawEnvOnly) return true;
  return found;
}

export default defineRule({
  meta: {
    id: 'no-request-state-in-module-scope',
    severity: 'error',
    category: 'state',
    scope: { role: 'function-code', handlers: true },
    summary: 'Disallow storing request data (user, headers, body, session) in module-scope variables.',
    why:
      'One serverless instance serves many requests, and on Vercel Fluid compute, Cloudflare Workers and Deno Deploy it ' +
      'serves them at the same time. A module-scope variable is shared by all of them: when a handler stores the current ' +
      'user, tenant or request body there, a concurrent request overwrites it, and code that reads it a moment later sees ' +
      "another user's data. This is a data leak between users that never shows up in local testing, where requests arrive one at a time.",
    action: 'Keep request data in locals of the handler and pass it to the functions that need it as arguments (or use AsyncLocalStorage for request context).',
    bad: [
      {
        fileName: 'app/api/orders/route.ts',
        platform: 'vercel',
        code: [
          "import { auth } from '@/auth';",
          "import { getOrders } from '@/lib/orders';",
          '',
          'let currentUserId: string | null = null;',
          '',
          'export async function GET() {',
          '  const session = await auth();',
          '  currentUserId = session?.user?.id ?? null;',
          "  if (!currentUserId) return new Response('Unauthorized', { status: 401 });",
          '  return Response.json(await getOrders(currentUserId));',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/orders/route.ts',
        platform: 'vercel',
        code: [
          "import { auth } from '@/auth';",
          "import { getOrders } from '@/lib/orders';",
          '',
          'export async function GET() {',
          '  const session = await auth();',
          '  const userId = session?.user?.id;',
          "  if (!userId) return new Response('Unauthorized', { status: 401 });",
          '  return Response.json(await getOrders(userId));',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'move-into-handler',
        title: 'Move the binding into the handler as a local',
        safety: 'unsafe',
        preferred: true,
        description:
          'Offered when the assignment is a statement directly in the handler body and every other use of the variable is in the same handler after it: ' +
          'the assignment becomes a `const` declaration (`let` when the handler assigns it again), keeping the type annotation, and the module-scope declaration is removed. ' +
          'Not offered when other functions read the variable, when the handler reads it before the assignment, or for object properties: declaring a shadowing local there ' +
          'would leave those readers with a variable nobody assigns any more, which changes behaviour; pass the value as an argument instead. Unsafe because the value no longer ' +
          'survives into later requests, which is the point, but code relying on that is changed.',
      },
    ],
    messages: {
      sharedObject:
        '`{{name}}` is a property of a module-level {{kind}} of {{file}}, shared by every request this instance serves; storing request data in it leaks it into concurrent requests. Keep it in a local of the handler and pass it on as an argument.',
      moduleScope:
        '`{{name}}` lives in module scope, shared by every request this instance serves; storing request data in it leaks it into concurrent requests. Keep it in a local of the handler and pass it on as an argument.',
      viaHelper:
        "`{{label}}` stores request data in {{what}}: a concurrent request overwrites it, and each sees the other's data. Pass the value as an argument (or use AsyncLocalStorage) instead of keeping it in shared state.",
      pythonRequestData:
        'Request data is stored in {{where}}: one instance serves many requests (concurrently on Vercel Fluid compute), so another request can read or overwrite it. Keep it in a local variable or pass it along.',
    },
    limits: [
      "Request-derived values are those facts.isRequestDerived recognizes: the handler's request parameters (and Next.js params, Lambda/Netlify context), locals computed from them, and results of request-scoped calls (`auth()`, `cookies()`, `headers()`, `getServerSession()` …). Values obtained through a helper of another module are not traced.",
      'Platform bindings reached through the request context (`context.env.DB`) do not count as request data, so lazy singletons built from them are not reported.',
      'Helpers of the project are followed one call deep by their summary in the module graph: a call whose callee assigns its parameter to a module-scope binding, to a property of a module-level object, or to `this.x` of a shared instance (a module-level `new X()`, or a field of a controller) is reported when the argument is request data, also when the helper hands the argument on as is to another function that does (up to four calls deep); a value the helper computes from its argument first (`setOrg(id.trim())`) is not followed. An imported module-level object or instance of the project counts as module scope (`store.user = …`).',
      'Split with no-module-state-persistence: this rule owns plain assignments (`=`, `??=`, `||=`) of request data to a variable or a fixed property; writes that accumulate (counters, `+=`, `Map.set`, `push`, `obj[key] = …`) belong to no-module-state-persistence, so one write is never reported twice.',
    ],
    references: [
      'https://vercel.com/docs/fluid-compute',
      'https://developers.cloudflare.com/workers/reference/how-workers-works/',
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonRequestStateInModuleScope at the end of this file.
  python: pythonRequestStateInModuleScope,
  // Handlers of modules an entry reaches (an Express router, a NestJS controller) are handlers too.
  create(ctx) {
    return {
      enter: {
        [ts.SyntaxKind.BinaryExpression]: (assign) => {
          if (!ASSIGNMENTS.has(assign.operatorToken.kind)) return;
          const handler = ctx.facts.handlerOf(assign);
          if (!handler) return;
          const slot = moduleSlot(assign.left, ctx);
          if (!slot || !requestDerived(assign.right, ctx)) return;
          const name = strip(assign.left).getText(ctx.sourceFile).replace(/\s+/g, '');
          const fix = slot.decl && ts.isIdentifier(strip(assign.left)) ? moveIntoHandler(ctx, assign, slot.decl, handler.fn) : undefined;
          const shared = slot.shared && ctx.facts.crossFile;
          ctx.report({
            node: assign.left,
            ...(shared
              ? {
                  messageId: 'sharedObject',
                  data: { name, kind: slot.shared!.kind === 'instance' ? 'instance' : 'object', file: shared.show(slot.shared!.fileName) },
                }
              : { messageId: 'moduleScope', data: { name } }),
            related: shared
              ? [
                  shared.related(assign, 'The write in the handler.'),
                  shared.at(slot.shared!.fileName, slot.shared!.at, `Created once at module scope in ${shared.show(slot.shared!.fileName)}.`),
                ]
              : slot.decl
                ? [
                    {
                      fileName: ctx.fileName,
                      span: { start: slot.decl.getStart(ctx.sourceFile), end: slot.decl.getEnd() },
                      message: 'Declared at module scope here.',
                    },
                  ]
                : undefined,
            fixes: fix ? [fix] : [],
          });
        },
        [ts.SyntaxKind.CallExpression]: (call) => {
          // A helper that stores its argument in module scope (`useOrg(req.headers['x-org-id'])` where the helper does
          // `activeOrg = orgId`), by the helper's summary in the module graph.
          const cross = ctx.facts.crossFile;
          if (!cross) return;
          if (call.arguments.length === 0 || !ctx.facts.handlerOf(call)) return;
          const answer = cross.callee(call);
          if (!answer) return;
          const write = cross
            .writes(call)
            .find((w) => (w.sharedInstance || !w.target.startsWith('this.')) && call.arguments[w.param] && requestDerived(call.arguments[w.param], ctx));
          if (!write) return;
          const where = cross.show(write.fileName);
          const label = `${strip(call.expression).getText(ctx.sourceFile).replace(/\s+/g, '')}()`;
          const what = write.target.startsWith('this.')
            ? `\`${write.target}\` of an instance every request shares`
            : `the module-scope \`${write.target}\` of ${where}`;
          ctx.report({
            node: call,
            messageId: 'viaHelper',
            data: { label, what },
            related: [
              cross.related(call, 'The call in the handler.'),
              cross.at(answer.fileName, answer.facts.at, `The function it calls, in ${cross.show(answer.fileName)}.`),
              ...write.via.map((hop) => cross.at(hop.fileName, hop.at, `It hands the value on here, in ${cross.show(hop.fileName)}.`)),
              cross.at(write.fileName, write.at, `The value is assigned to ${write.target} here, in ${where}.`),
            ],
          });
        },
      },
    };
  },
});

/** The "move into the handler" fix, when it keeps the handler's behaviour (see the fix description). */
function moveIntoHandler(ctx: RuleContext, assign: ts.BinaryExpression, decl: ts.VariableDeclaration, fn: ts.FunctionLikeDeclaration): Fix | undefined {
  const sf = ctx.sourceFile;
  const stmt = assign.parent;
  if (assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isExpressionStatement(stmt) || stmt.parent !== fn.body) return undefined;
  if (!ts.isIdentifier(decl.name) || !ts.isVariableDeclarationList(decl.parent) || !ts.isVariableStatement(decl.parent.parent)) return undefined;
  if (ts.getModifiers(decl.parent.parent)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  const symbol = ctx.facts.symbolOf(decl.name);
  if (!symbol) return undefined;
  const target = strip(assign.left) as ts.Identifier;
  let reassigned = false;
  for (const n of ctx.facts.referencesOf(decl.name)) {
    if (n === target) continue;
    // Every other use must be inside this handler, after the assignment.
    if (n.pos < fn.pos || n.end > fn.end || n.getStart(sf) < stmt.getEnd()) return undefined;
    if (isWriteTarget(n)) reassigned = true;
  }
  const type = decl.type ? `: ${decl.type.getText(sf)}` : '';
  const removal = removeVariableDeclaration(sf, decl);
  if (!removal) return undefined;
  return ctx.fix('move-into-handler', [replaceNode(sf, target, `${reassigned ? 'let' : 'const'} ${target.text}${type}`), removal]);
}

function isWriteTarget(id: ts.Identifier): boolean {
  const p = id.parent;
  if (
    ts.isBinaryExpression(p) &&
    p.left === id &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  )
    return true;
  return (
    (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
    (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)
  );
}

// The Python part: request data written to module state (a `global`, an attribute of a module-level object), which
// the next request on the same instance — or a concurrent one — reads as its own.

/** Module-level objects whose attributes are per request or per thread by design. */
const PY_SCOPED = /^(flask\.g|quart\.g|threading\.local|contextvars\.ContextVar)$/;

function pythonRequestStateInModuleScope(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  const perRequest = facts.perRequestFunctions();
  // Methods of a Django middleware: `self` is the one instance of the process, shared by every request.
  const shared = new Set(facts.handlers.filter((h) => h.shape === 'django-middleware').map((h) => h.fn.id));
  for (const fn of facts.functions) {
    if (!perRequest.has(fn.id)) continue;
    const globals = facts.globalsOf(fn);
    const self = shared.has(fn.id) ? facts.params(fn)[0] : undefined;
    for (const a of facts.ofType(fn, 'assignment')) {
      if (facts.enclosingFunction(a)?.id !== fn.id) continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (!left || !right) continue;
      let where: string | undefined;
      if (left.type === 'identifier' && globals.has(left.text)) where = `the module-level \`${left.text}\` (declared \`global\`)`;
      else if (left.type === 'attribute' && self !== undefined && facts.dotted(left.childForFieldName('object'))?.split('.')[0] === self)
        where = `\`${left.text}\` of the middleware instance, which Django creates once for the process and shares with every request`;
      else if (left.type === 'attribute') {
        const root = facts.dotted(left.childForFieldName('object'))?.split('.')[0];
        const init = root ? facts.moduleNames.get(root)?.value : undefined;
        const scoped = root && (PY_SCOPED.test(facts.imports.get(root) ?? '') || (init?.type === 'call' && PY_SCOPED.test(facts.callee(init) ?? '')));
        if (root && init && !scoped && !facts.params(fn).includes(root) && !assignsLocally(facts, fn, root))
          where = `an attribute of the module-level \`${root}\``;
      }
      // The target decides first (cheap); only a module-level target asks whether the value is request data.
      if (!where || !facts.requestDerived(right)) continue;
      ctx.report({
        node: a,
        messageId: 'pythonRequestData',
        data: { where },
      });
    }
  }
}

/** Whether a function assigns a plain local name (which then shadows the module-level one). */
function assignsLocally(facts: PythonRuleContext['facts'], fn: PyNode, name: string): boolean {
  return (
    facts.ofType(fn, 'assignment').some((a) => a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('left')?.text === name) &&
    !facts.globalsOf(fn).has(name)
  );
}
