// A seeded LSP fuzz client: starts the BUILT server (dist/server.js) over stdio, sends a random sequence of valid and
// invalid messages (wrong types, missing fields, unknown methods, out-of-order lifecycle, huge and odd texts,
// cancellations, garbage answers to the server's own requests), then one well-formed request, and reports every way
// the server failed: it exited, left a request unanswered, answered the final request badly, or logged an internal
// error. Shared by test/protocol/lsp-fuzz.test.ts (a small budget) and `npm run fuzz -- --lsp N` (a large one).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { StreamMessageReader } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { prng } from './prng';

export const SERVER = resolve(__dirname, '../dist/server.js');

/** What the server logs when a guard caught an exception it did not expect (lsp/guard.ts): a bug the fuzz reports. */
export const INTERNAL_ERROR_MARK = 'Serverless Lint internal error';

export interface LspFuzzFailure {
  seed: number;
  session: number;
  kind: 'exit' | 'unanswered' | 'bad-final-answer' | 'internal-error' | 'no-shutdown';
  detail: string;
  /** The last messages sent before the failure showed, for a regression test. */
  lastSent: string[];
}

export interface LspFuzzOptions {
  seed: number;
  sessions: number;
  /** Messages per session, before the final request. */
  messages: number;
  /** How long to wait for the answers at the end of a session before calling one unanswered. */
  answerTimeoutMs?: number;
  onSession?: (done: number, failures: number) => void;
}

export interface LspFuzzResult {
  sessions: number;
  messages: number;
  requests: number;
  failures: LspFuzzFailure[];
}

const ROUTE =
  'export async function POST(request: Request) {\n  const body = await request.json();\n  if (!body) process.exit(1);\n  return Response.json(body);\n}\n';
const HANDLER =
  "let count = 0;\nexport default function handler(req, res) {\n  count++;\n  res.status(200).json({ count, user: req.headers.authorization });\n  fetch('https://example.com/log', { method: 'POST' });\n}\n";
const WORKER =
  "let last;\nexport default {\n  async fetch(request, env, ctx) {\n    last = request;\n    setTimeout(() => {}, 10);\n    return new Response('ok');\n  },\n};\n";

/** The small project every session runs against (written to a temp folder). */
const PROJECT: Record<string, string> = {
  'vercel.json': '{ "functions": { "api/**/*.ts": { "maxDuration": 30 } } }\n',
  'package.json': '{ "name": "fuzz-shop", "dependencies": { "next": "15.0.0" } }\n',
  'serverless-lint.json': '{ "rules": { "no-process-exit": "error" } }\n',
  'app/api/import/route.ts': ROUTE,
  'api/count.js': HANDLER,
  'worker/wrangler.toml': 'name = "edge"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n',
  'worker/src/index.ts': WORKER,
};

// biome-ignore format: a packed list of paths reads better than one path per line.
const REL_PATHS = ['app/api/import/route.ts', 'api/count.js', 'worker/src/index.ts', 'api/new.ts', 'lib/util.mjs', 'vercel.json', 'serverless-lint.json', 'worker/wrangler.toml', 'README.md', 'api/x.tsx'];
const METHODS_UNKNOWN = [
  'textDocument/completion',
  'foo/bar',
  '',
  '$/setTrace',
  '$/logTrace',
  'workspace/symbol',
  'textDocument/definition',
  'serverless-lint/unknown',
  'initialize/x',
];
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '%',
  '%%',
  'file://',
  'file:///',
  'file:',
  'untitled:Untitled-1',
  'vscode-notebook-cell:/a.ipynb#x',
  'http://example.com/a.ts',
  '::::',
  'file://server/share/a.ts',
  'file:///%00.ts',
  'relative/a.ts',
  'a.ts',
  'c:\\x\\y.ts',
  'file:///proc/self/environ',
  'file:///dev/zero',
  '\u001b[31mred.ts',
  'x'.repeat(5000),
];

/** Random values of every JSON type, for fields that expect something else. */
function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 9 : 12));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return rand() < 0.5;
    case 3:
      return Math.floor(rand() * 2 ** 31) * (rand() < 0.3 ? -1 : 1);
    case 4:
      return [Number.NaN, -0, 1e308, 0.5, -1, 2 ** 53][Math.floor(rand() * 6)];
    case 5:
      return ODD_STRINGS[Math.floor(rand() * ODD_STRINGS.length)];
    case 6:
      return String.fromCharCode(...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 0xffff)));
    case 7:
      return {};
    case 8:
      return [];
    case 9:
      return [junk(rand, depth + 1), junk(rand, depth + 1)];
    case 10:
      return { uri: junk(rand, depth + 1), line: junk(rand, depth + 1), text: junk(rand, depth + 1) };
    default:
      return { [ODD_STRINGS[Math.floor(rand() * ODD_STRINGS.length)]]: junk(rand, depth + 1) };
  }
}

/** Texts for documents: real code, code with odd characters, deep nesting, long lines, and (rarely) a large file. */
function text(rand: () => number): string {
  const pick = Math.floor(rand() * 14);
  switch (pick) {
    case 0:
      return '';
    case 1:
      return HANDLER;
    case 2:
      return ROUTE;
    case 3:
      return WORKER;
    case 4:
      return ROUTE.replace('\n', '\r') + '\u0000\uFEFF\u2028';
    case 5:
      return `export const deep = ${'['.repeat(3000)}${']'.repeat(3000)};\n${ROUTE}`;
    case 6:
      return `export const deep = ${'('.repeat(800)}1${')'.repeat(800)};\n${HANDLER}`;
    case 7:
      return `// ${'x'.repeat(20_000)}\n${HANDLER}`;
    case 8:
      return `export const ok = (a) => ${Array(2000).fill('a').join(' && ')};\n${ROUTE}`;
    case 9:
      return '{ "functions": ' + '{"a":'.repeat(2000) + '1' + '}'.repeat(2000) + ' }';
    // Just over the default 2 MB limit (rarely: it costs a parse until the size check comes first), or merely long.
    case 10:
      return rand() < 0.1 ? `// generated\n${'export const v = [1, 2, 3];\n'.repeat(80_000)}` : HANDLER.repeat(20);
    case 11:
      return String.fromCharCode(...Array.from({ length: 200 }, () => Math.floor(rand() * 0xffff)));
    case 12:
      return HANDLER.slice(0, Math.floor(rand() * HANDLER.length));
    default:
      return `${ROUTE}\n// ${'\u001b[2J'.repeat(10)}\n`;
  }
}

interface Position {
  line: unknown;
  character: unknown;
}

/** One framed JSON-RPC message on the wire, or raw bytes with a correct frame (a body that is not a message). */
function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

interface Session {
  send(message: object): void;
  sendRaw(body: string): void;
  request(method: string, params: unknown): number;
  notify(method: string, params: unknown): void;
}

/**
 * The generator of one session's messages. It keeps a rough model of the open documents so that most messages are
 * plausible (the interesting bugs hide behind a valid-looking prefix) and mutates a share of them.
 */
class Generator {
  readonly open = new Map<string, { version: number; lines: number }>();
  private nextDoc = 0;

  constructor(
    private readonly rand: () => number,
    private readonly root: string,
    private readonly s: Session,
    private readonly pending: () => number[],
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)];
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  uri(): unknown {
    if (this.open.size && this.chance(0.6)) return this.pick([...this.open.keys()]);
    if (this.chance(0.75)) return URI.file(join(this.root, this.pick(REL_PATHS))).toString();
    return this.chance(0.8) ? this.pick(ODD_STRINGS) : junk(this.rand);
  }

  position(): Position {
    if (this.chance(0.8)) return { line: Math.floor(this.rand() * 12), character: Math.floor(this.rand() * 40) };
    return this.pick([
      { line: -1, character: 0 },
      { line: 1e9, character: 1e9 },
      { line: 0.5, character: '3' },
      { line: null, character: undefined },
      { line: 2 ** 31, character: -5 },
      junk(this.rand) as Position,
    ]);
  }

  range(): unknown {
    if (this.chance(0.9)) {
      const a = this.position();
      const line = a && typeof a === 'object' ? Number(a.line) : 0;
      const b = this.chance(0.7) ? { line: line + Math.floor(this.rand() * 3), character: Math.floor(this.rand() * 40) } : this.position();
      return { start: a, end: b };
    }
    return junk(this.rand);
  }

  /** A mutated copy of a well-formed params object: a field dropped, retyped or replaced. */
  mutate(params: Record<string, unknown>): unknown {
    if (!this.chance(0.25)) return params;
    const choice = Math.floor(this.rand() * 5);
    if (choice === 0) return junk(this.rand);
    const keys = Object.keys(params);
    const copy: Record<string, unknown> = { ...params };
    const key = this.pick(keys);
    if (choice === 1) delete copy[key];
    else if (choice === 2) copy[key] = junk(this.rand);
    else if (choice === 3 && copy[key] && typeof copy[key] === 'object' && !Array.isArray(copy[key])) {
      const inner = { ...(copy[key] as Record<string, unknown>) };
      const innerKey = this.pick(Object.keys(inner).length ? Object.keys(inner) : ['uri']);
      if (this.chance(0.5)) delete inner[innerKey];
      else inner[innerKey] = junk(this.rand);
      copy[key] = inner;
    } else copy[this.pick(ODD_STRINGS)] = junk(this.rand);
    return copy;
  }

  step(): string {
    const r = this.rand();
    const s = this.s;
    if (r < 0.16) {
      const rel = this.chance(0.8) ? this.pick(REL_PATHS) : `gen/file${this.nextDoc++}.ts`;
      const uri = this.chance(0.9) ? URI.file(join(this.root, rel)).toString() : (this.uri() as string);
      const t = text(this.rand);
      const params = this.mutate({
        textDocument: {
          uri,
          languageId: this.pick(['typescript', 'javascript', 'json', 'toml', 'plaintext', '']),
          version: this.chance(0.9) ? 1 : junk(this.rand),
          text: t,
        },
      });
      if (typeof uri === 'string' && params && typeof params === 'object' && (params as { textDocument?: unknown }).textDocument)
        this.open.set(uri, { version: 1, lines: t.split('\n').length });
      s.notify('textDocument/didOpen', params);
      return `didOpen ${String(uri).slice(0, 80)} (${t.length} chars)`;
    }
    if (r < 0.34) {
      const uri = this.uri();
      const known = typeof uri === 'string' ? this.open.get(uri) : undefined;
      const version = known ? ++known.version : Math.floor(this.rand() * 10);
      const changes = this.chance(0.5)
        ? [{ range: this.range(), text: this.pick(['', 'x', ';\n', 'await ', 'process.exit(2);\n', '\r\n', '\u0000', text(this.rand).slice(0, 500)]) }]
        : this.chance(0.8)
          ? [{ text: text(this.rand) }]
          : this.pick([[], [junk(this.rand)], junk(this.rand)]);
      s.notify(
        'textDocument/didChange',
        this.mutate({ textDocument: { uri, version: this.chance(0.9) ? version : junk(this.rand) }, contentChanges: changes }),
      );
      return `didChange ${String(uri).slice(0, 80)}`;
    }
    if (r < 0.4) {
      const uri = this.uri();
      if (typeof uri === 'string') this.open.delete(uri);
      s.notify('textDocument/didClose', this.mutate({ textDocument: { uri } }));
      return `didClose ${String(uri).slice(0, 80)}`;
    }
    if (r < 0.43) {
      const method = this.pick(['textDocument/didSave', 'textDocument/willSave']);
      s.notify(method, this.mutate({ textDocument: { uri: this.uri() }, reason: 1, text: 'x' }));
      return method;
    }
    if (r < 0.53) {
      s.request(
        'textDocument/diagnostic',
        this.mutate({ textDocument: { uri: this.uri() }, previousResultId: this.chance(0.2) ? 'x' : undefined, identifier: 'serverless-lint.pull' }),
      );
      return 'diagnostic';
    }
    if (r < 0.61) {
      s.request('textDocument/hover', this.mutate({ textDocument: { uri: this.uri() }, position: this.position() }));
      return 'hover';
    }
    if (r < 0.68) {
      const diagnostic = {
        range: this.range(),
        message: 'm',
        source: this.pick(['serverless-lint', 'other', junk(this.rand)]),
        code: this.pick(['no-process-exit', 'no-such-rule', 5, junk(this.rand)]),
        data: this.pick([
          undefined,
          {
            ruleId: 'no-process-exit',
            version: 1,
            fixes: [{ title: 't', safety: 'safe', preferred: true, edits: [{ uri: this.uri(), range: this.range(), newText: 'x' }] }],
          },
          { fixes: junk(this.rand) },
          junk(this.rand),
        ]),
      };
      const context = this.mutate({
        diagnostics: this.chance(0.8) ? [diagnostic] : junk(this.rand),
        only: this.pick([undefined, ['quickfix'], ['source.fixAll.serverless-lint'], ['source'], junk(this.rand)]),
      });
      s.request('textDocument/codeAction', this.mutate({ textDocument: { uri: this.uri() }, range: this.range(), context }));
      return 'codeAction';
    }
    if (r < 0.74) {
      // Check Workspace starts a worker process (seconds each): rarer than the others, so a session stays short.
      const command = this.chance(0.15)
        ? 'serverless-lint.checkWorkspace'
        : this.pick([
            'serverless-lint.showRuntimeConstraints',
            'serverless-lint.fixAll',
            'serverless-lint.showDocumentation',
            'serverless-lint.nope',
            junk(this.rand),
          ]);
      const args = this.pick([
        undefined,
        [this.uri()],
        [{ uri: this.uri() }],
        ['no-process-exit'],
        [{ folders: [this.uri()] }],
        [{ folders: junk(this.rand) }],
        junk(this.rand),
      ]);
      s.request('workspace/executeCommand', this.mutate({ command, arguments: args }));
      return `executeCommand ${String(command).slice(0, 60)}`;
    }
    if (r < 0.79) {
      s.request('serverless-lint/fileContext', this.mutate({ uri: this.uri() }));
      return 'fileContext';
    }
    if (r < 0.84) {
      const ids = this.pending();
      const id = ids.length && this.chance(0.8) ? this.pick(ids) : junk(this.rand);
      s.notify('$/cancelRequest', this.chance(0.9) ? { id } : junk(this.rand));
      return `cancel ${String(id)}`;
    }
    if (r < 0.87) {
      const settings = this.chance(0.7)
        ? {
            serverlessLint: {
              platform: this.pick(['auto', 'vercel', 'cloudflare-workers', 'nope', 5]),
              debounceMs: this.pick([0, 10, 200, 10_000, -1, 'x', 1e12]),
              maxFileSize: this.pick([1, 100, 2_097_152, 0, -5, 'big', 1e300]),
              rules: this.pick([{ 'no-process-exit': 'off' }, { x: 'y' }, junk(this.rand)]),
              ignore: this.pick([[], ['**/*.ts'], junk(this.rand)]),
            },
          }
        : junk(this.rand);
      s.notify('workspace/didChangeConfiguration', this.mutate({ settings }));
      return 'didChangeConfiguration';
    }
    if (r < 0.89) {
      s.notify(
        'workspace/didChangeWatchedFiles',
        this.mutate({ changes: this.chance(0.8) ? [{ uri: this.uri(), type: this.pick([1, 2, 3, 9, junk(this.rand)]) }] : junk(this.rand) }),
      );
      return 'didChangeWatchedFiles';
    }
    if (r < 0.91) {
      s.notify(
        'workspace/didChangeWorkspaceFolders',
        this.mutate({
          event: { added: this.chance(0.7) ? [{ uri: this.uri(), name: 'x' }] : junk(this.rand), removed: this.chance(0.7) ? [] : junk(this.rand) },
        }),
      );
      return 'didChangeWorkspaceFolders';
    }
    if (r < 0.94) {
      const method = this.pick(METHODS_UNKNOWN);
      if (this.chance(0.5)) s.request(method, junk(this.rand));
      else s.notify(method, junk(this.rand));
      return `unknown ${method}`;
    }
    if (r < 0.96) {
      // Lifecycle out of order: a second initialize or initialized mid-session.
      if (this.chance(0.5)) s.request('initialize', this.mutate({ processId: process.pid, rootUri: this.uri(), capabilities: junk(this.rand) }));
      else s.notify('initialized', junk(this.rand));
      return 'lifecycle';
    }
    // Not a well-formed message at all, in a correct frame.
    const body = this.pick([
      '{',
      '[]',
      'null',
      '42',
      '"x"',
      '{"jsonrpc":"2.0"}',
      '{"jsonrpc":"2.0","id":{},"method":"textDocument/hover"}',
      '{"jsonrpc":"1.0","method":"textDocument/didOpen","params":{}}',
      '{"jsonrpc":"2.0","method":5,"params":{}}',
      '{"jsonrpc":"2.0","id":9999999,"result":{}}',
      '{"jsonrpc":"2.0","id":null,"method":"textDocument/hover","params":{}}',
      '{"jsonrpc":"2.0","method":"$/cancelRequest"}',
      '\uFEFF{}',
    ]);
    s.sendRaw(body);
    return `raw ${body.slice(0, 40)}`;
  }
}

interface Answer {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

const waitAllOrTimeout = (p: Promise<void>, ms: number) => Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);

/** Runs one session; resolves with its failures (never rejects). */
async function runSession(seed: number, session: number, options: LspFuzzOptions): Promise<{ failures: LspFuzzFailure[]; messages: number; requests: number }> {
  const rand = prng((seed ^ Math.imul(session + 1, 0x9e3779b1)) >>> 0);
  const root = mkdtempSync(join(tmpdir(), 'sl-lsp-fuzz-'));
  for (const [rel, content] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const failures: LspFuzzFailure[] = [];
  const sent: string[] = [];
  const fail = (kind: LspFuzzFailure['kind'], detail: string) => failures.push({ seed, session, kind, detail, lastSent: sent.slice(-12) });
  let exited: string | undefined;
  const exit = new Promise<void>((done) =>
    proc.on('exit', (code, signal) => {
      exited = `code ${code} signal ${signal}`;
      done();
    }),
  );
  let stderr = '';
  proc.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += String(d);
  });
  proc.stdin.on('error', () => undefined);

  let nextId = 1;
  const answers = new Map<number | string, (a: Answer) => void>();
  const pending = new Set<number>();
  /** The method and params of each request, to name the ones left unanswered. */
  const asked = new Map<number, string>();
  const reader = new StreamMessageReader(proc.stdout);
  const write = (buf: Buffer) => {
    if (!exited) proc.stdin.write(buf);
  };
  const s: Session = {
    send: (m) => write(frame(JSON.stringify(m))),
    sendRaw: (body) => write(frame(body)),
    request: (method, params) => {
      const id = nextId++;
      pending.add(id);
      asked.set(id, `${method} ${JSON.stringify(params)?.slice(0, 200)}`);
      answers.set(id, () => pending.delete(id));
      s.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
      return id;
    },
    notify: (method, params) => s.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }),
  };
  /** What the fuzz client answers to the server's requests; garbage sometimes, except in the final check. */
  let honest = false;
  const settingsAnswer = () => (honest || rand() < 0.7 ? { platform: 'auto', debounceMs: 0 } : junk(rand));
  reader.listen((message) => {
    const m = message as { id?: number | string | null; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } };
    if (m.method && m.id !== undefined) {
      // A request from the server: answer it (sometimes with an error or a wrong shape).
      let result: unknown = null;
      if (m.method === 'workspace/configuration') {
        const items = (m.params as { items?: unknown[] } | undefined)?.items ?? [];
        result = !honest && rand() < 0.1 ? junk(rand) : items.map(() => settingsAnswer());
      } else if (m.method === 'workspace/applyEdit') result = { applied: rand() < 0.5 };
      else if (m.method === 'window/showDocument') result = { success: true };
      else if (m.method === 'workspace/workspaceFolders') result = !honest && rand() < 0.3 ? junk(rand) : [{ uri: URI.file(root).toString(), name: 'fuzz' }];
      if (!honest && rand() < 0.1) s.send({ jsonrpc: '2.0', id: m.id, error: { code: -32603, message: 'client says no' } });
      else s.send({ jsonrpc: '2.0', id: m.id, result });
      return;
    }
    if (m.method === 'window/logMessage') {
      const log = m.params as { type: number; message: string };
      // A guard caught an exception, or a handler threw into the protocol library (which logs and goes on).
      if (log.message.includes(INTERNAL_ERROR_MARK) || /handler '.*' failed/.test(log.message))
        fail('internal-error', log.message.split('\n').slice(0, 6).join('\n'));
      return;
    }
    if (m.method) return;
    if (m.id !== undefined && m.id !== null) answers.get(m.id)?.(m as Answer);
  });

  const initParams = (): Record<string, unknown> => {
    const pull = rand() < 0.5;
    const foldersCapability = rand() < 0.7;
    return {
      processId: rand() < 0.8 ? process.pid : null,
      rootUri: rand() < 0.9 ? URI.file(root).toString() : null,
      workspaceFolders: rand() < 0.8 ? [{ uri: URI.file(root).toString(), name: 'fuzz' }] : rand() < 0.5 ? null : undefined,
      capabilities:
        rand() < 0.1
          ? {}
          : {
              workspace: {
                configuration: rand() < 0.8,
                workspaceFolders: foldersCapability,
                workspaceEdit: { documentChanges: true },
                didChangeConfiguration: { dynamicRegistration: rand() < 0.5 },
                didChangeWatchedFiles: { dynamicRegistration: rand() < 0.5 },
                ...(pull ? { diagnostics: { refreshSupport: rand() < 0.7 } } : {}),
              },
              textDocument: { ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}), hover: { contentFormat: ['markdown'] } },
              window: { workDoneProgress: rand() < 0.5, showDocument: { support: true } },
            },
    };
  };

  const gen = new Generator(rand, root, s, () => [...pending]);
  let messages = 0;
  let requests = 0;
  try {
    // Out of order: some messages before initialize, sometimes.
    if (rand() < 0.2) for (let i = 0, n = 1 + Math.floor(rand() * 4); i < n; i++) sent.push(`(before initialize) ${gen.step()}`);
    const init = initParams();
    const pull = !!(init.capabilities as { textDocument?: { diagnostic?: unknown } }).textDocument?.diagnostic;
    const initId = s.request('initialize', init);
    sent.push(
      `initialize (${pull ? 'pull' : 'push'}, folders capability ${JSON.stringify((init.capabilities as { workspace?: { workspaceFolders?: unknown } }).workspace?.workspaceFolders)}, workspaceFolders ${JSON.stringify(init.workspaceFolders)?.slice(0, 30)})`,
    );
    await Promise.race([
      new Promise<void>((done) =>
        answers.set(initId, () => {
          pending.delete(initId);
          done();
        }),
      ),
      exit,
    ]);
    if (rand() < 0.95) {
      s.notify('initialized', {});
      sent.push('initialized');
    }
    for (let i = 0; i < options.messages && !exited; i++) {
      sent.push(gen.step());
      messages++;
      // Let the server work now and then, so messages interleave with its timers and its own requests.
      if (rand() < 0.15) await new Promise((r) => setTimeout(r, Math.floor(rand() * 30)));
    }
    requests = nextId - 1;

    // The final check: a fresh well-formed document, a pull or a push of its diagnostics, and its context.
    honest = true;
    if (!exited) {
      const uri = URI.file(join(root, `final/api/final${session}.ts`)).toString();
      s.notify('workspace/didChangeConfiguration', { settings: { serverlessLint: { platform: 'vercel', debounceMs: 0 } } });
      s.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: HANDLER } });
      sent.push('(final) didOpen + fileContext + hover');
      const ask = (method: string, params: unknown) =>
        new Promise<Answer>((done) => {
          const id = s.request(method, params);
          answers.set(id, (a) => {
            pending.delete(id);
            done(a);
          });
        });
      const timeout = options.answerTimeoutMs ?? 60_000;
      const within = <T>(p: Promise<T>, what: string) =>
        Promise.race([p, exit.then(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), timeout).unref())]).then((v) => {
          if (v === undefined && !exited) fail('unanswered', `${what}: no answer in ${timeout} ms`);
          return v;
        });
      const context = await within(ask('serverless-lint/fileContext', { uri }), 'final fileContext');
      if (context && (context.error || !context.result || typeof (context.result as { platform?: unknown }).platform !== 'string')) {
        fail('bad-final-answer', `fileContext answered ${JSON.stringify(context).slice(0, 300)}`);
      }
      const hover = await within(ask('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 20 } }), 'final hover');
      if (hover?.error) fail('bad-final-answer', `hover answered ${JSON.stringify(hover.error)}`);
      // Every request sent in the session must have been answered by now (cancelled ones with an error).
      let gaveUp = false;
      const waitAll = new Promise<void>((done) => {
        const check = () => (pending.size === 0 || exited || gaveUp ? done() : setTimeout(check, 20));
        check();
      });
      await waitAllOrTimeout(waitAll, timeout);
      gaveUp = true;
      if (pending.size && !exited)
        fail(
          'unanswered',
          `requests were never answered: ${[...pending]
            .slice(0, 5)
            .map((id) => `${id}: ${asked.get(id)}`)
            .join('; ')}`,
        );
    }
    if (exited) fail('exit', `the server exited (${exited}) before shutdown; stderr: ${stderr.slice(-2000)}`);
    else {
      const shutdownId = s.request('shutdown', undefined);
      const answered = await Promise.race([
        new Promise<boolean>((done) => answers.set(shutdownId, () => done(true))),
        exit.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), 30_000).unref()),
      ]);
      if (!answered) fail('no-shutdown', 'shutdown was not answered');
      s.notify('exit', undefined);
      await Promise.race([exit, new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (!exited) fail('no-shutdown', 'the server did not exit after shutdown and exit');
      else if (!/^code 0 /.test(exited)) fail('no-shutdown', `the server exited with ${exited} after shutdown and exit`);
    }
  } catch (e) {
    fail('exit', `the fuzz client itself failed: ${(e as Error).stack ?? String(e)}`);
  } finally {
    if (!exited) proc.kill('SIGKILL');
    reader.dispose();
    await exit;
    rmSync(root, { recursive: true, force: true });
  }
  return { failures, messages, requests };
}

/** Runs `sessions` seeded sessions one after another; resolves with every failure (never rejects). */
export async function fuzzLsp(options: LspFuzzOptions): Promise<LspFuzzResult> {
  const result: LspFuzzResult = { sessions: 0, messages: 0, requests: 0, failures: [] };
  for (let i = 0; i < options.sessions; i++) {
    const r = await runSession(options.seed, i, options);
    result.sessions++;
    result.messages += r.messages;
    result.requests += r.requests;
    result.failures.push(...r.failures);
    options.onSession?.(i + 1, result.failures.length);
  }
  return result;
}
