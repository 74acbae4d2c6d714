// A WebSocket or socket.io server in function code cannot keep its connections: the function ends or freezes after each response.
// Vercel Functions (Node.js) serve WebSockets (public beta): there an upgrade handler is fine, and only what still breaks
// is reported — a server listening on its own port, and socket.io rooms/broadcasts kept in one instance's memory.
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { importSource, rootIdentifier } from '../analysis/ast';
import type { PythonRuleContext } from '../analysis/rule';

const WS_SERVER_EXPORTS = new Set(['Server', 'WebSocketServer']);

/** What a `new X(...)` or `X(...)` creates, judged by where `X` was imported from: a server library, or undefined. */
function serverLibraryOf(ctx: RuleContext, callee: ts.Expression, isNew: boolean): 'ws' | 'socket.io' | undefined {
  if (ts.isIdentifier(callee)) {
    const src = importSource(ctx.facts, callee);
    if (!src) return undefined;
    // `import { WebSocketServer } from 'ws'`; a default `WebSocket` import constructs clients, which are fine.
    if (src.specifier === 'ws' && isNew && WS_SERVER_EXPORTS.has(src.imported)) return 'ws';
    // `import { Server } from 'socket.io'`, or the CommonJS `require('socket.io')(httpServer)` factory.
    if (src.specifier === 'socket.io' && (src.imported === 'Server' || src.imported === 'default' || src.imported === '*')) return 'socket.io';
    return undefined;
  }
  // `require('socket.io')(httpServer)`.
  if (
    !isNew &&
    ts.isCallExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'require' &&
    ts.isStringLiteralLike(callee.arguments[0] ?? callee) &&
    (callee.arguments[0] as ts.StringLiteralLike).text === 'socket.io'
  )
    return 'socket.io';
  // `new WebSocket.Server(...)`, `new ws.WebSocketServer(...)`, `new SocketIO.Server(...)`.
  if (ts.isPropertyAccessExpression(callee) && isNew && ts.isIdentifier(callee.expression)) {
    const src = importSource(ctx.facts, callee.expression);
    if (!src) return undefined;
    if (src.specifier === 'ws' && WS_SERVER_EXPORTS.has(callee.name.text)) return 'ws';
    if (src.specifier === 'socket.io' && callee.name.text === 'Server') return 'socket.io';
  }
  return undefined;
}

/** Whether `new WebSocketServer({ port })` listens on a port of its own rather than taking upgrades from the function. */
function listensOnOwnPort(call: ts.NewExpression | ts.CallExpression): boolean {
  const options = call.arguments?.[0];
  return (
    !!options &&
    ts.isObjectLiteralExpression(options) &&
    options.properties.some((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && p.name.text === 'port')
  );
}

/**
 * A broadcast or a room: `io.emit(…)`, `io.to(room)`, `socket.broadcast.emit(…)`, `socket.join(room)` — what an
 * instance's memory cannot share with the others. `socket.emit(…)` answers one client and is not one.
 */
function isBroadcast(call: ts.CallExpression, servers: ReadonlySet<string>): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  if (name === 'to' || name === 'in' || name === 'join' || name === 'except' || name === 'serverSideEmit' || name === 'fetchSockets') return true;
  const receiver = callee.expression;
  if (ts.isPropertyAccessExpression(receiver) && (receiver.name.text === 'broadcast' || receiver.name.text === 'sockets')) return true;
  return name === 'emit' && ts.isIdentifier(receiver) && (servers.has(receiver.text) || receiver.text === 'io');
}

/** `io.adapter(createAdapter(pub, sub))`: socket.io shares rooms and broadcasts across instances through an adapter. */
function isAdapterCall(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'adapter' && call.arguments.length > 0;
}

/** `server.on('upgrade', (req, socket, head) => …)`: a Node HTTP server taking over the socket for WebSockets. */
function isUpgradeListener(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || (callee.name.text !== 'on' && callee.name.text !== 'once')) return false;
  const [event, listener] = call.arguments;
  if (!event || !ts.isStringLiteralLike(event) || event.text !== 'upgrade' || !listener) return false;
  // The (request, socket, head) signature tells Node's upgrade event from unrelated emitters with an 'upgrade' event.
  return (ts.isArrowFunction(listener) || ts.isFunctionExpression(listener)) && listener.parameters.length >= 2 && !!rootIdentifier(callee.expression);
}

export default defineRule({
  meta: {
    id: 'no-websocket-server',
    severity: 'error',
    category: 'platform',
    scope: 'function-code',
    summary: 'Disallow WebSocket and socket.io servers in serverless function code.',
    why:
      'A WebSocket server keeps connections open for minutes or hours, but a serverless function lives for one request: Lambda, ' +
      'Netlify and Cloudflare Workers end or freeze the instance once the response is sent, and no port is reachable from outside. ' +
      'Clients reconnect in a loop and messages to other users never arrive. Vercel Functions on the Node.js runtime are the exception: ' +
      'they serve WebSockets (public beta), each connection pinned to one instance, so an upgrade handler is fine there; what still ' +
      'breaks on Vercel is a server listening on its own port (`new WebSocketServer({ port })`), which no request reaches, and ' +
      "socket.io's in-memory rooms and broadcasts, which reach only the clients of the same instance unless an adapter shares them.",
    action:
      'Use a managed realtime service (Pusher, Ably, Supabase Realtime), Cloudflare Durable Objects with WebSocketPair, or ' +
      'Server-Sent Events through a streamed Response for one-way updates.',
    bad: [
      {
        fileName: 'netlify/functions/socket.ts',
        platform: 'netlify',
        code: [
          "import { WebSocketServer } from 'ws';",
          '',
          'const wss = new WebSocketServer({ noServer: true });',
          "wss.on('connection', (socket) => socket.send('hello'));",
          '',
          'export default async (req: Request) => {',
          "  return new Response('upgrade required', { status: 426 });",
          '};',
        ].join('\n'),
      },
      {
        fileName: 'api/socket.ts',
        platform: 'vercel',
        code: [
          "import { WebSocketServer } from 'ws';",
          '',
          'const wss = new WebSocketServer({ port: 8080 });',
          "wss.on('connection', (socket) => socket.send('hello'));",
          '',
          'export default function handler(req: Request) {',
          "  return new Response('connect to port 8080', { status: 426 });",
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/events/route.ts',
        platform: 'vercel',
        code: [
          'export async function GET() {',
          '  const encoder = new TextEncoder();',
          '  const stream = new ReadableStream({',
          '    start(controller) {',
          '      controller.enqueue(encoder.encode(`data: ${JSON.stringify({ at: Date.now() })}\\n\\n`));',
          '      controller.close();',
          '    },',
          '  });',
          "  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });",
          '}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      ownPort:
        'This WebSocket server (ws) listens on a port of its own, which no request reaches on Vercel: the function only receives upgrades on its route. Create it with `{ noServer: true }` and hand it the upgrade (`wss.handleUpgrade`), or use `experimental_upgradeWebSocket` from @vercel/functions.',
      server: '{{what}} in function code cannot keep connections open: {{tail}}',
      upgrade: "Handling the HTTP 'upgrade' event starts a WebSocket server in function code, which cannot keep connections open: {{tail}}",
      socketIoAdapter:
        "socket.io keeps rooms and broadcasts in this instance's memory, but on Vercel each WebSocket is pinned to one of many instances, so `io.emit()` and `io.to(room)` reach only the clients of the same instance; add an adapter (`io.adapter(createAdapter(…))` from @socket.io/redis-adapter) or publish through a shared store.",
      pythonServer:
        '{{call}}() listens for WebSocket connections on a port of its own, which nothing routes to in a function (and the instance freezes between invocations). On Vercel serve WebSockets through the app itself (`@app.websocket(...)` in FastAPI, public beta); elsewhere use a WebSocket service (API Gateway WebSockets, a realtime provider).',
    },
    limits: [
      'On Vercel (Node.js runtime) a socket.io server is accepted when the same file calls `io.adapter(…)` (an adapter set up in another module is not seen), or when the file neither broadcasts nor uses rooms (`io.emit`, `io.to`, `socket.broadcast`, `socket.join`): a server that only answers the socket that spoke shares nothing across instances. Broadcasts from another module are not seen.',
      "`io.on('connection')` is covered by the report on the socket.io server's construction; a server built in another module and imported here is not traced.",
      'Servers are recognised by their import source (`ws`, `socket.io`); other WebSocket server libraries (uWebSockets.js, Primus) are not.',
      'Long-running deployments (Dockerfile, fly.toml, Procfile, render.yaml, railway.toml without serverless config) are not function code and stay silent.',
    ],
    references: [
      'https://vercel.com/docs/functions/websockets',
      'https://vercel.com/kb/guide/do-vercel-serverless-functions-support-websocket-connections',
      'https://developers.cloudflare.com/durable-objects/best-practices/websockets/',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api.html',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonWebSocketServer at the end of this file.
  python: pythonWebSocketServer,
  create(ctx) {
    const vercel = ctx.context.platform.value === 'vercel';
    // Vercel Functions on Node.js serve WebSockets: an upgrade is fine there, only the two shapes below still break.
    const vercelNode = vercel && ctx.context.runtime.value === 'node';
    const severity = vercel ? ('warning' as const) : undefined;
    const tail = vercel
      ? 'on Vercel, WebSockets are in beta and each connection pins one instance; use Pusher, Ably or Supabase Realtime, or Server-Sent Events through a streamed Response.'
      : 'the function ends or freezes after each response; use Pusher, Ably, Supabase Realtime or Cloudflare Durable Objects, or Server-Sent Events through a streamed Response.';
    const socketIoServers: ts.Node[] = [];
    let adapter = false;
    let broadcasts = false;
    /** The names socket.io servers are bound to (`const io = new Server(…)`), whose `emit` is a broadcast. */
    const serverNames = new Set<string>();
    const onCreate = (call: ts.NewExpression | ts.CallExpression) => {
      const isNew = ts.isNewExpression(call);
      const lib = serverLibraryOf(ctx, call.expression, isNew);
      if (!lib) return;
      if (vercelNode) {
        if (lib === 'ws' && listensOnOwnPort(call)) {
          ctx.report({
            node: call,
            messageId: 'ownPort',
          });
        }
        if (lib === 'socket.io') {
          socketIoServers.push(call);
          if (ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name)) serverNames.add(call.parent.name.text);
        }
        return;
      }
      const what = lib === 'ws' ? 'A WebSocket server (ws)' : 'A socket.io server';
      ctx.report({ node: call, severity, messageId: 'server', data: { what, tail } });
    };
    return {
      enter: {
        [ts.SyntaxKind.NewExpression]: onCreate,
        [ts.SyntaxKind.CallExpression]: (call) => {
          if (isAdapterCall(call)) adapter = true;
          if (!broadcasts && isBroadcast(call, serverNames)) broadcasts = true;
          if (isUpgradeListener(call)) {
            if (!vercelNode) ctx.report({ node: call.arguments[0], severity, messageId: 'upgrade', data: { tail } });
            return;
          }
          onCreate(call);
        },
      },
      end() {
        // A server that only answers the socket that spoke (`socket.emit`) shares nothing between instances.
        if (adapter || !broadcasts) return;
        for (const node of socketIoServers) {
          ctx.report({
            node,
            severity: 'warning',
            messageId: 'socketIoAdapter',
          });
        }
      },
    };
  },
});

// The Python part: a WebSocket server listening on a port of its own (`websockets.serve(handler, host, port)`) in
// function code. Nothing routes to that port; on Vercel a WebSocket reaches the function only through its own ASGI
// app (`@app.websocket(...)`, public beta), which is not reported.

const PY_WS_SERVERS = /^websockets\.(serve|server\.serve|asyncio\.server\.serve|legacy\.server\.serve)$/;

function pythonWebSocketServer(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? '';
    if (!PY_WS_SERVERS.test(q) || facts.underMainGuard(call)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonServer',
      data: { call: q },
    });
  }
}
