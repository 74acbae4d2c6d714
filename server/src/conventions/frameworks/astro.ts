// Astro: endpoints (`src/pages/**/*.{js,ts}` exporting GET/POST/…/ALL, one `APIContext`), middleware (`onRequest` of
// `src/middleware`) and pages (`src/pages/**/*.astro`, whose frontmatter renders each request), which run per request
// only with an SSR adapter and when not prerendered. Whether pages render on demand comes from astro.config's `output`
// and `adapter`, read from its syntax, never run.
import * as ts from 'typescript';
import type { EmbeddedLanguage, EntryConvention, FrameworkModule, FunctionNode, ScanEnv, WaitUntilVia } from '../types';
import type { EmbeddedScript, ScriptPiece } from '../../analysis/embedded';
import type { Span } from '../../../../shared/src/types';
import { HTTP_METHODS, isFunctionNode } from '../shared';

const CONFIGS = ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts', 'astro.config.cjs'];
const METHODS = new Set([...HTTP_METHODS, 'ALL']);

type AdapterPlatform = { value: 'vercel' | 'cloudflare-workers' | 'netlify' | 'long-running'; reason: string };
/** Adapter packages, by the platform they build for (`@astrojs/vercel/serverless` is Astro 4's spelling). */
const ADAPTERS: readonly [RegExp, string, AdapterPlatform][] = [
  [/^@astrojs\/vercel(\/|$)/, 'vercel', { value: 'vercel', reason: 'no platform configuration was found, but astro.config uses the @astrojs/vercel adapter' }],
  [
    /^@astrojs\/cloudflare(\/|$)/,
    'cloudflare',
    { value: 'cloudflare-workers', reason: 'no platform configuration was found, but astro.config uses the @astrojs/cloudflare adapter' },
  ],
  [
    /^@astrojs\/netlify(\/|$)/,
    'netlify',
    { value: 'netlify', reason: 'no platform configuration was found, but astro.config uses the @astrojs/netlify adapter' },
  ],
  [/^@astrojs\/node(\/|$)/, 'node', { value: 'long-running', reason: 'astro.config uses the @astrojs/node adapter, a long-running Node.js server' }],
];

/**
 * Facts of an astro.config: `astro:output=<literal>` and `astro:adapter=<vercel|cloudflare|netlify|node>` when the
 * `adapter` property calls the default import of an adapter package. Anything computed is left out (unknown).
 */
function settings(sf: ts.SourceFile): string[] {
  const imports = new Map<string, string>();
  let config: ts.Node | undefined;
  const locals = new Map<string, ts.Expression>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause?.name) {
      const adapter = ADAPTERS.find(([re]) => re.test((st.moduleSpecifier as ts.StringLiteral).text));
      if (adapter) imports.set(st.importClause.name.text, adapter[1]);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d.initializer);
    } else if (ts.isExportAssignment(st)) config = st.expression;
  }
  // `defineConfig({ … })`, `{ … } satisfies AstroUserConfig`, or a local holding either.
  for (let i = 0; i < 4 && config && !ts.isObjectLiteralExpression(config); i++) {
    if (ts.isIdentifier(config)) config = locals.get(config.text);
    else if (ts.isCallExpression(config)) config = config.arguments[0];
    else if (ts.isAsExpression(config) || ts.isSatisfiesExpression(config) || ts.isParenthesizedExpression(config)) config = config.expression;
    else config = undefined;
  }
  if (!config || !ts.isObjectLiteralExpression(config)) return [];
  const out: string[] = [];
  for (const p of config.properties) {
    if (!ts.isPropertyAssignment(p) || !p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    if (p.name.text === 'output' && ts.isStringLiteralLike(p.initializer)) out.push(`astro:output=${p.initializer.text}`);
    if (p.name.text === 'adapter' && ts.isCallExpression(p.initializer) && ts.isIdentifier(p.initializer.expression)) {
      const adapter = imports.get(p.initializer.expression.text);
      if (adapter) out.push(`astro:adapter=${adapter}`);
    }
  }
  return out;
}

/** The nearest astro.config's value of a setting. */
function setting(env: ScanEnv, key: string): string | undefined {
  const hit = env.project.frameworkSettings.find((s) => s.startsWith(`astro:${key}=`));
  return hit?.slice(key.length + 7);
}

function isAstro(env: ScanEnv): boolean {
  return env.project.dependencies.has('astro') || env.project.frameworkConfigs.some((c) => CONFIGS.includes(c));
}

/** `export const prerender = true | false`, if the file says. */
function prerenderOf(env: ScanEnv): boolean | undefined {
  let init = env.exports.get('prerender');
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (init?.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (init?.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/**
 * Renders on demand: an adapter is configured, and the file opts out of prerendering (`prerender = false`) or the
 * project's `output` is 'server' and the file does not opt in. Astro's default output ('static', and Astro 4's
 * 'hybrid') prerenders everything else at build time.
 */
function onDemand(env: ScanEnv, prerender: boolean | undefined): boolean {
  if (!isAstro(env) || !setting(env, 'adapter')) return false;
  if (prerender !== undefined) return !prerender;
  return setting(env, 'output') === 'server';
}

const platformFromProject: EntryConvention['platformFromProject'] = (project) => {
  const adapter = project.frameworkSettings.find((s) => s.startsWith('astro:adapter='))?.slice(14);
  return ADAPTERS.find(([, id]) => id === adapter)?.[2];
};

/**
 * How Astro compiles a `.astro` file (withastro/compiler, read at 271eee2 of 2026-04-27): the frontmatter between the
 * opening and closing `---` fences is TypeScript; its `import` and `export` statements are hoisted to module level
 * (`js_scanner.HoistImports`/`HoistExports`), and everything else becomes the body of the component's render
 * function, `$$createComponent(async ($$result, $$props, $$slots) => { const Astro = $$result.createAstro(…); …
 * return $$render`…` })` (`printer.printFuncPrelude`; snapshots `getStaticPaths__hoisted_II_`,
 * `Use_of_interfaces_within_frontmatter`), which `export default` makes the page. So a `let` of the frontmatter is
 * a local of each render (per request), not module state, while its imports load once per instance.
 *
 * The script mirrors that: the hoisted statements first, then `export default async function $$frontmatter(Astro)`
 * holding the rest, which ends by rendering the template with the imports the template may use without the
 * frontmatter naming them (without this use, an import would look unused, hence type-only, and the module graph would
 * not follow it): Astro components, which render on the server in the page's request, and lowercase names, the
 * helpers of template expressions. A framework component (a capitalized import of a `.tsx`, `.vue`, `.svelte` file)
 * is an island: its effects and event handlers run in the browser, which the analysis cannot tell from its server
 * render, so it is followed only when the frontmatter's own code uses it. The fences are found as Astro's tokenizer
 * finds them: three dashes outside strings and comments.
 */
const RENDER = '$$frontmatter';

/** Where a `.astro` file's frontmatter is: the opening fence and the code between the fences, lines kept whole. */
function frontmatterOf(text: string): { fence: number; start: number; end: number } | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (!text.startsWith('---', i)) return undefined;
  const fence = i;
  i += 3;
  // The code starts on the line after the fence, so text inserted at its top never joins the fence's line.
  const eol = /^[ \t]*\r?\n/.exec(text.slice(i, i + 200));
  const start = eol ? i + eol[0].length : i;
  let dashes = 0;
  for (let j = start; j < text.length; j++) {
    const c = text[j];
    if (c === '-') {
      if (++dashes < 3) continue;
      // The code ends before the line break that precedes the closing fence (and its indentation).
      let end = j - 2;
      while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
      if (text[end - 1] === '\n') end -= text[end - 2] === '\r' ? 2 : 1;
      else end = j - 2;
      return { fence, start, end: Math.max(start, end) };
    }
    dashes = 0;
    if (c === "'" || c === '"' || c === '`') {
      // Quotes end at their match (and a quoted string at a line break), as the tokenizer's `readString`.
      for (j++; j < text.length && text[j] !== c && (c === '`' || (text[j] !== '\n' && text[j] !== '\r')); j++) if (text[j] === '\\') j++;
    } else if (c === '/' && text[j + 1] === '/') {
      while (j < text.length && text[j] !== '\n') j++;
    } else if (c === '/' && text[j + 1] === '*') {
      const close = text.indexOf('*/', j + 2);
      j = close < 0 ? text.length : close + 1;
    }
  }
  return undefined;
}

/** Whether Astro hoists a top-level frontmatter statement to module level: imports and exports. */
function isHoisted(st: ts.Statement): boolean {
  if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) return true;
  return ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * The value bindings of an import the template may use (see RENDER): every binding of an `.astro` import, and the
 * lowercase ones of other imports (a capitalized one is a framework component, an island). Not `import type`.
 */
function templateValues(st: ts.Statement, out: string[]): void {
  if (!ts.isImportDeclaration(st) || !st.importClause || st.importClause.isTypeOnly || !ts.isStringLiteral(st.moduleSpecifier)) return;
  const astro = st.moduleSpecifier.text.endsWith('.astro');
  const add = (name: string) => {
    if (astro || !/^[A-Z]/.test(name)) out.push(name);
  };
  const { name, namedBindings } = st.importClause;
  if (name) add(name.text);
  if (namedBindings && ts.isNamespaceImport(namedBindings)) add(namedBindings.name.text);
  else if (namedBindings) for (const el of namedBindings.elements) if (!el.isTypeOnly) add(el.name.text);
}

/** The TypeScript of a `.astro` file as Astro compiles it (see RENDER), with its pieces mapped to the file. */
export function astroScript(text: string): EmbeddedScript {
  const fm = frontmatterOf(text);
  if (!fm) return { text: `export default async function ${RENDER}(Astro) {}\n`, pieces: [], anchor: { start: 0, end: 0 } };
  const code = text.slice(fm.start, fm.end);
  // Parsed once here to tell the hoisted statements from the body; the engine parses the script this returns.
  const sf = ts.createSourceFile('/frontmatter.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const hoisted: Array<{ from: number; end: number; code: Span }> = [];
  const body: Array<{ from: number; end: number }> = [];
  const values: string[] = [];
  const statements = sf.statements;
  // Each statement with the comments before it (suppression directives travel with their statement) and those after
  // it on its own line; the last one with the rest of the frontmatter.
  const bounds = [0];
  for (let k = 1; k < statements.length; k++) {
    const after = ts.getTrailingCommentRanges(code, statements[k - 1].end);
    bounds.push(after?.length ? after[after.length - 1].end : statements[k - 1].end);
  }
  bounds.push(code.length);
  for (let k = 0; k < statements.length; k++) {
    const st = statements[k];
    const piece = { from: fm.start + bounds[k], end: fm.start + bounds[k + 1] };
    if (isHoisted(st)) {
      hoisted.push({ ...piece, code: { start: fm.start + st.getStart(sf), end: fm.start + st.end } });
      templateValues(st, values);
    } else body.push(piece);
  }
  if (statements.length === 0) body.push({ from: fm.start, end: fm.end });
  // Every piece is followed by a line break, so no two pieces touch; without hoisted statements an empty piece at the
  // top of the code is where imports a fix adds go.
  const pieces: ScriptPiece[] = [];
  let out = '';
  const copy = (from: number, end: number, code?: Span) => {
    const at = out.length;
    pieces.push(
      code ? { at, from, length: end - from, hoisted: { start: at + code.start - from, end: at + code.end - from } } : { at, from, length: end - from },
    );
    out += text.slice(from, end) + '\n';
  };
  if (hoisted.length === 0) copy(fm.start, fm.start, { start: fm.start, end: fm.start });
  for (const h of hoisted) copy(h.from, h.end, h.code);
  out += `export default async function ${RENDER}(Astro) {\n`;
  for (const b of body) copy(b.from, b.end);
  out += `return $$render(${values.join(', ')});\n}\n`;
  return { text: out, pieces, anchor: { start: fm.fence, end: fm.fence + 3 } };
}

const embedded: EmbeddedLanguage = { extension: '.astro', languageId: 'astro', extract: astroScript };

/** The render function of a `.astro` file's script (its frontmatter), when the file is one. */
function renderFunction(env: ScanEnv): FunctionNode | undefined {
  if (!env.relPath.endsWith('.astro')) return undefined;
  const fn = env.locals.get(RENDER);
  return fn && isFunctionNode(fn) ? fn : undefined;
}

/** `src/pages/api/users/[id].ts` → `/api/users/[id]`; `index` is the folder; `rss.xml.js` → `/rss.xml`. */
function route(rel: string): string | undefined {
  const m = /(?:^|\/)src\/pages\/(.+)$/.exec(rel);
  if (!m) return /(?:^|\/)src\/middleware(\/index)?$/.test(rel) ? 'middleware (every on-demand request)' : undefined;
  return ('/' + m[1].replace(/(^|\/)index$/, '')).replace(/\/$/, '') || '/';
}

// On Cloudflare the adapter exposes the Workers ExecutionContext as `context.locals.runtime.ctx`; on Vercel the
// platform default applies (`waitUntil` from @vercel/functions).
const LOCALS_CTX: WaitUntilVia = { via: 'param', param: 0, member: 'locals.runtime.ctx.waitUntil' };

const astro: FrameworkModule = {
  id: 'astro',
  label: 'Astro',
  detect: {
    dependencies: ['astro'],
    configFiles: CONFIGS,
    generatedDirs: ['.astro'],
    paths: ['src/pages/**/*.ts', 'src/pages/**/*.astro', 'src/middleware.ts'],
    settings,
  },
  embedded,
  shapes: [
    {
      id: 'astro-page-handler',
      label: 'Astro page',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'locals.runtime.ctx.waitUntil' } },
    },
    {
      // A component's or layout's frontmatter renders inside the page that uses it, in the same request.
      id: 'astro-component-render',
      label: 'Astro component',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'locals.runtime.ctx.waitUntil' } },
    },
    { id: 'astro-endpoint-handler', label: 'Astro endpoint', request: { params: 1 }, responds: { via: 'return' }, waitUntil: { 'workers-ctx': LOCALS_CTX } },
    {
      id: 'astro-middleware-handler',
      label: 'Astro middleware',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': LOCALS_CTX },
    },
  ],
  entries: [
    {
      id: 'astro-endpoint',
      path: /(^|\/)src\/pages\/.+(?<!\.d)\.[cm]?[jt]s$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!onDemand(env, prerenderOf(env))) return false;
        for (const name of env.exports.keys()) if (METHODS.has(name)) env.add('astro-endpoint-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
    {
      // A page's frontmatter renders each request when the page renders on demand. `_`-prefixed files and folders
      // are not routes.
      id: 'astro-page',
      path: /(^|\/)src\/pages\/(?:[^_/][^/]*\/)*[^_/][^/]*\.astro$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!onDemand(env, prerenderOf(env))) return false;
        const fn = renderFunction(env);
        return env.add('astro-page-handler', 'frontmatter', fn, fn?.name);
      },
    },
    {
      // Middleware runs for every on-demand request; with the default static output it runs at build time only.
      id: 'astro-middleware',
      path: /(^|\/)src\/middleware(\/index)?\.[cm]?[jt]s$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!onDemand(env, undefined)) return false;
        return env.add('astro-middleware-handler', 'onRequest', env.exportedFn('onRequest'), env.nameNodeOf('onRequest'));
      },
    },
  ],
  scanFile(env) {
    // A component or layout is no entry: its frontmatter is a handler only in a module an on-demand page reaches
    // (the module graph follows the page's `.astro` imports), where it renders in the page's request.
    const fn = renderFunction(env);
    if (fn) env.candidate({ shape: 'astro-component-render', name: 'frontmatter', node: fn, inModule: true });
  },
};

export default astro;
