// Module-scope work in function code (data-file reads, network awaits, whole-package imports) lengthens every cold start.
import * as ts from 'typescript';
import { strip } from '../analysis/ast';
import { defineRule } from '../analysis/rule';
import { importedMember } from '../analysis/imports-edit';
import { enclosingFunction } from '../analysis/facts';
import { own } from '../../../shared/src/records';

/** Packages whose root entry loads far more than most functions use, with the lighter import to suggest. */
const HEAVY_ROOTS: Record<string, string> = {
  lodash: 'single methods (`lodash/debounce`) or named imports from `lodash-es`',
  googleapis: 'the per-API package (`@googleapis/drive`, `@googleapis/sheets`)',
  'firebase-admin': 'the modular entry points (`firebase-admin/app`, `firebase-admin/firestore`, `firebase-admin/auth`)',
  'aws-sdk': 'only the client you use (`@aws-sdk/client-s3`, `@aws-sdk/client-dynamodb`)',
};

/** File extensions of data files: reading them at module scope parses data on every cold start. */
const DATA_EXTENSIONS = /\.(json|jsonl|ndjson|csv|tsv|txt|xml|ya?ml|geojson|db|sqlite3?|mmdb|dat|bin|parquet)$/i;

/** HTTP clients whose awaited calls at module scope are network round trips. */
const HTTP_CLIENTS = new Set(['axios', 'got', 'ky', 'node-fetch', 'undici']);
/** The synchronous reads of fs and fs-extra that load a data file. */
const SYNC_READS = new Set(['readFileSync', 'readJsonSync', 'readJSONSync']);

/** The literal file name a path expression ends with, when it is written in the source. */
function literalTail(e: ts.Expression): string | undefined {
  e = strip(e);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) return e.templateSpans[e.templateSpans.length - 1].literal.text;
  if (ts.isCallExpression(e) && e.arguments.length) return literalTail(e.arguments[e.arguments.length - 1]);
  if (ts.isNewExpression(e) && e.arguments?.length) return literalTail(e.arguments[0]);
  return undefined;
}

export default defineRule({
  meta: {
    id: 'no-heavy-module-init',
    severity: 'info',
    category: 'performance',
    scope: 'function-code',
    summary: 'Flag module-scope work in function code that lengthens every cold start.',
    why:
      'Module scope runs on every cold start, before the first request of a new instance is served, and serverless platforms start instances often ' +
      '(on every scale-out, after idle periods and after each deploy). Parsing a large data file with readFileSync, awaiting a network call at the top level, ' +
      'or loading the whole of lodash, googleapis, firebase-admin or the monolithic aws-sdk adds that time to the latency of the request that triggered the start, ' +
      'and on the edge it counts against the startup limit. Constructing clients at module scope is cheap and recommended: it is not reported.',
    action:
      'Import only the modules you use, load data lazily inside the handler (memoized) or bundle it as a module, and fetch remote data on first use or at build time.',
    bad: [
      {
        fileName: 'app/api/geo/route.ts',
        platform: 'vercel',
        code: [
          "import { readFileSync } from 'node:fs';",
          "import _ from 'lodash';",
          '',
          "const countries = JSON.parse(readFileSync('data/countries.geojson', 'utf8'));",
          '',
          'export async function GET(request: Request) {',
          "  const code = new URL(request.url).searchParams.get('code');",
          '  return Response.json(_.find(countries.features, (f: any) => f.id === code) ?? null);',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/geo/route.ts',
        platform: 'vercel',
        code: [
          "import find from 'lodash/find';",
          "import { Pool } from 'pg';",
          '',
          'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
          '',
          'export async function GET(request: Request) {',
          "  const code = new URL(request.url).searchParams.get('code');",
          "  const { rows } = await pool.query('select id, name from countries');",
          '  return Response.json(find(rows, (r) => r.id === code) ?? null);',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      wholePackage: "Importing the whole '{{specifier}}' package loads all of it on every cold start; import {{hint}} instead.",
      dataFileRead:
        '{{call}}() of a data file at module scope reads and parses it on every cold start; load it lazily inside the handler (memoized) or import it as a module.',
      topLevelAwait:
        'A top-level await of a network call delays every cold start by a round trip; fetch on first use inside the handler (memoized) or at build time.',
    },
    limits: [
      'readFileSync is reported only when the path ends in a literal data-file extension (.json, .csv, .txt, .yaml, .db, .mmdb …); small files (certificates, templates) and dynamic paths are not.',
      'Top-level `await` is reported for `fetch()` and the HTTP clients axios, got, ky, node-fetch and undici; `await client.connect()` is not: the connection is needed by the first request anyway and reusing it across invocations is the recommended pattern.',
      'Heavy packages are a fixed list (lodash, googleapis, firebase-admin, aws-sdk roots); the actual size of installed packages is not measured.',
      'Named imports from `lodash` are reported too: lodash is CommonJS, so a named import still loads the whole library.',
    ],
    references: [
      'https://vercel.com/docs/functions/limitations',
      'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      'https://developers.cloudflare.com/workers/platform/limits/',
    ],
  },
  create(ctx) {
    const { facts } = ctx;
    let readAliases: Set<string> | undefined;
    /** Local names that `import { readFileSync as read } from 'fs'` and the like bind to a sync read. */
    const syncReadAliases = () => {
      const out = new Set<string>();
      for (const info of facts.imports) for (const b of info.bindings) if (SYNC_READS.has(b.imported)) out.add(b.local);
      return out;
    };
    return {
      enter: {
        [ts.SyntaxKind.SourceFile]: () => {
          for (const info of facts.imports) {
            if (info.typeOnly || (info.kind !== 'import' && info.kind !== 'require')) continue;
            // Only the package root: `lodash/debounce`, `firebase-admin/app`, `aws-sdk/clients/s3` are the light forms.
            const hint = own(HEAVY_ROOTS, info.specifier);
            if (!hint) continue;
            if (info.kind === 'require' && enclosingFunction(info.node)) continue;
            if (info.kind === 'import' && info.bindings.length === 0) continue;
            ctx.report({
              node: info.specifierNode,
              messageId: 'wholePackage',
              data: { specifier: info.specifier, hint },
            });
          }
        },
        [ts.SyntaxKind.CallExpression]: (call) => {
          // Most calls are not sync reads: the callee's name (or an alias an fs import binds) decides before the
          // walk up to the enclosing function and the import lookup.
          const callee = strip(call.expression);
          const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
          if (name === undefined || (!SYNC_READS.has(name) && !(readAliases ??= syncReadAliases()).has(name))) return;
          if (enclosingFunction(call)) return;
          const member = importedMember(facts, call.expression);
          if (!member || (member.module !== 'fs' && member.module !== 'fs-extra') || !SYNC_READS.has(member.name)) return;
          const tail = call.arguments[0] && literalTail(call.arguments[0]);
          if (!tail || !DATA_EXTENSIONS.test(tail)) return;
          ctx.report({
            node: call,
            messageId: 'dataFileRead',
            data: { call: member.name },
          });
        },
        [ts.SyntaxKind.AwaitExpression]: (aw) => {
          if (enclosingFunction(aw)) return;
          // `await fetch(url)`, `await fetch(url).then((r) => r.json())`, `await axios.get(url)`.
          let e = strip(aw.expression);
          while (
            ts.isCallExpression(e) &&
            ts.isPropertyAccessExpression(e.expression) &&
            (e.expression.name.text === 'then' || e.expression.name.text === 'json') &&
            ts.isCallExpression(strip(e.expression.expression))
          ) {
            e = strip(e.expression.expression);
          }
          if (!ts.isCallExpression(e)) return;
          const callee = strip(e.expression);
          let network = false;
          if (ts.isIdentifier(callee) && callee.text === 'fetch') network = !facts.symbolOf(callee)?.declarations?.length || !!facts.importOf('fetch');
          else {
            let root: ts.Expression = callee;
            while (ts.isPropertyAccessExpression(root)) root = root.expression;
            if (ts.isIdentifier(root)) {
              const hit = facts.importOf(root.text);
              network = !!hit && HTTP_CLIENTS.has(hit.info.specifier) && !!facts.moduleScopeDeclaration(root);
            }
          }
          if (!network) return;
          ctx.report({
            node: aw,
            messageId: 'topLevelAwait',
          });
        },
      },
    };
  },
});
