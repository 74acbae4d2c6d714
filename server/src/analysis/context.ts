// Decides a file's context (platform, runtime, role, plan, handlers), each with the reason it was decided.
// Pure: it reads only the parsed file, the ProjectInfo found by ProjectIndex, and the settings.
import * as ts from 'typescript';
import type { Decision, FileContext, Platform, Role, Runtime, WaitUntilForm } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import { limitsFor } from '../../../shared/src/limits';
import { basename, relativeTo } from './host';
import { MARKER_PLATFORM, type Marker, type ProjectInfo } from './project';
import { pathConvention, scanHandlers, type HandlerScan } from './handlers';
import { resolveNodejsCompat } from './cloudflare-compat';

export interface ContextInput {
  fileName: string;
  sourceFile: ts.SourceFile;
  project: ProjectInfo;
  settings: Settings;
  /** Workspace root, for relative paths when no platform config is found. */
  workspaceRoot?: string;
  /** Set by cross-file analysis: the entry through which this module is reachable. */
  reachableFrom?: string;
}

export interface ComputedContext {
  context: FileContext;
  scan: HandlerScan;
}

const SERVERLESS_MARKERS = new Set(['vercel', 'netlify', 'aws-lambda', 'cloudflare-workers', 'deno-deploy']);

/** Says which config decided, naming its folder relative to the workspace when it is inside it (hovers show this). */
function markerReason(m: Marker, workspaceRoot: string | undefined): string {
  const what = m.kind === '.vercel' ? 'a .vercel/ folder' : m.kind === 'amplify' ? 'an amplify/functions folder' : m.kind === 'supabase' ? 'a supabase/functions folder' : basename(m.path);
  const rel = workspaceRoot ? relativeTo(workspaceRoot, m.dir) : undefined;
  const where = m.dir === workspaceRoot ? 'the workspace folder' : rel ? `${rel}/` : m.dir;
  return `${what} was found in ${where}`;
}

function decidePlatform(input: ContextInput, relPath: string): Decision<Platform> & { root?: string } {
  if (input.settings.platform) return { value: input.settings.platform, reason: 'set in the settings (serverlessLint.platform / --platform / serverless-lint.json)' };
  const serverless = input.project.markers.find((m) => SERVERLESS_MARKERS.has(MARKER_PLATFORM[m.kind]));
  if (serverless) {
    const value = MARKER_PLATFORM[serverless.kind];
    const extra = serverless.kind === 'next.config' ? ' (Next.js deploys to Vercel by default)' : '';
    return { value, reason: `${markerReason(serverless, input.workspaceRoot)}${extra}`, source: serverless.path, root: serverless.dir };
  }
  const longRunning = input.project.markers[0];
  if (longRunning) return { value: 'long-running', reason: `${markerReason(longRunning, input.workspaceRoot)} and no serverless configuration`, source: longRunning.path, root: longRunning.dir };
  const conv = pathConvention(relPath);
  if (conv === 'netlify-function' || conv === 'netlify-edge-function') return { value: 'netlify', reason: 'the file is under netlify/functions or netlify/edge-functions' };
  if (conv === 'supabase-function') return { value: 'deno-deploy', reason: 'the file is a Supabase Edge Function (supabase/functions/*/index.ts)' };
  if (conv === 'amplify-function') return { value: 'aws-lambda', reason: 'the file is an AWS Amplify function (amplify/functions/*/handler.ts)' };
  return { value: 'unknown', reason: 'no platform configuration (vercel.json, netlify.toml, wrangler.toml, serverless.yml …) was found above the file' };
}

/** Reads `export const runtime = '…'` or `export const config = { runtime: '…' }`. */
export function declaredRuntime(sf: ts.SourceFile): { value: string; node: ts.Node } | undefined {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      let init: ts.Expression = d.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
      if (d.name.text === 'runtime' && ts.isStringLiteralLike(init)) return { value: init.text, node: d };
      if (d.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
        for (const p of init.properties) {
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === 'runtime' && ts.isStringLiteralLike(p.initializer)) return { value: p.initializer.text, node: p };
        }
      }
    }
  }
  return undefined;
}

function decideRuntime(input: ContextInput, platform: Platform, relPath: string): Decision<Runtime> {
  const conv = pathConvention(relPath);
  // Next.js 16 runs proxy on Node.js only; a runtime 'edge' there fails the build (prefer-node-runtime reports it).
  if (conv === 'next-proxy' && platform !== 'long-running') return { value: 'node', reason: "Next.js 16 proxy runs on the Node.js runtime only (a runtime 'edge' there is a build error)" };
  const declared = declaredRuntime(input.sourceFile);
  if (declared) {
    const edge = declared.value === 'edge' || declared.value === 'experimental-edge';
    return { value: edge ? 'edge' : 'node', reason: `the file declares runtime '${declared.value}'` };
  }
  if (platform === 'cloudflare-workers') return { value: 'edge', reason: 'Cloudflare Workers run on V8 isolates (the edge runtime)' };
  // Platform `deno-deploy` is two products: Supabase Edge Functions (files under supabase/functions/) run on Deno
  // isolates with edge limits, while the current Deno Deploy runs the standard Deno runtime, with a file system,
  // subprocesses, npm packages and node: builtins, which the Node.js runtime models.
  if (platform === 'deno-deploy') {
    return /(^|\/)supabase\/functions\//.test(input.fileName)
      ? { value: 'edge', reason: 'Supabase Edge Functions (supabase/functions/) run on Deno isolates' }
      : { value: 'node', reason: 'the current Deno Deploy runs the standard Deno runtime (file system, subprocesses, npm packages, node: builtins), not an edge isolate' };
  }
  if (conv === 'netlify-edge-function') return { value: 'edge', reason: 'files under netlify/edge-functions run on Deno at the edge' };
  if (conv === 'next-middleware' && platform !== 'long-running') return { value: 'edge', reason: "Next.js middleware runs on the edge runtime unless it sets runtime 'nodejs'" };
  return { value: 'node', reason: 'no edge runtime is declared, so the Node.js runtime is the default' };
}

function waitUntilFormOf(platform: Platform, framework: string): WaitUntilForm {
  if (platform === 'cloudflare-workers') return 'workers-ctx';
  if (platform === 'netlify') return 'netlify-context';
  if (platform === 'vercel') return framework.startsWith('next') ? 'next-after' : 'vercel-waitUntil';
  return 'none';
}

function decidePlan(input: ContextInput, platform: Platform, runtime: Runtime): Decision<string> {
  const entry = limitsFor(platform, runtime);
  if (input.settings.plan) {
    if (!entry || entry.plans[input.settings.plan]) return { value: input.settings.plan, reason: 'set in the settings (serverlessLint.plan / --plan / serverless-lint.json)' };
    return { value: entry.defaultPlan, reason: `the configured plan '${input.settings.plan}' is not a ${entry.displayName} plan, so its default '${entry.defaultPlan}' is used` };
  }
  if (!entry) return { value: 'n/a', reason: 'plans apply only to serverless platforms' };
  return { value: entry.defaultPlan, reason: `no plan is configured; '${entry.defaultPlan}' (the most common paid tier) is assumed` };
}

const FUNCTION_PLATFORMS = new Set<Platform>(['vercel', 'netlify', 'aws-lambda', 'cloudflare-workers', 'deno-deploy', 'unknown']);

function inferPlatformFromShape(platform: Decision<Platform>, scan: HandlerScan): Decision<Platform> {
  if (platform.value !== 'unknown') return platform;
  if (scan.framework === 'lambda') return { value: 'aws-lambda', reason: 'no platform configuration was found, but the file exports a Lambda-style `handler`' };
  if (scan.framework === 'workers') return { value: 'cloudflare-workers', reason: 'no platform configuration was found, but the file exports a Workers-style `{ fetch }` default' };
  if (scan.framework === 'deno-serve') return { value: 'deno-deploy', reason: 'no platform configuration was found, but the file calls Deno.serve()' };
  if (scan.framework.startsWith('next-')) return { value: 'vercel', reason: 'no platform configuration was found, but the file follows Next.js conventions (Vercel by default)' };
  return platform;
}

/** Computes the full context of one file. */
export function computeContext(input: ContextInput): ComputedContext {
  const { fileName, project } = input;
  const provisional = decidePlatform(input, relativeTo(input.workspaceRoot ?? '/', fileName) ?? fileName);
  const root = provisional.root ?? project.packageRoot ?? input.workspaceRoot;
  const relPath = (root && relativeTo(root, fileName)) ?? fileName.replace(/^\//, '');
  const modulePath = fileName.replace(/\.[cm]?[jt]sx?$/, '');
  const scan = scanHandlers({
    sourceFile: input.sourceFile, relPath, modulePath, platform: provisional.value,
    configuredHandlers: project.configuredHandlers, isWorkerMain: project.workerMain === fileName,
  });
  const platform = inferPlatformFromShape(provisional, scan);
  const runtime = decideRuntime(input, platform.value, relPath);
  const plan = decidePlan(input, platform.value, runtime.value);

  let role: Decision<Role>;
  if (scan.useClient) role = { value: 'client', reason: "the file starts with 'use client'" };
  else if (platform.value === 'long-running') {
    role = scan.listens || scan.routeCallbacks.length
      ? { value: 'long-running-server', reason: 'the project runs as a long-running server (no serverless configuration)' }
      : { value: 'other', reason: 'the project runs as a long-running server, so no function rules apply' };
  } else if (scan.framework !== 'none' && FUNCTION_PLATFORMS.has(platform.value)) {
    role = { value: 'function-entry', reason: `the file is a function entry (${scan.framework}) with ${scan.handlers.length} handler(s): ${scan.handlers.map((h) => h.name).join(', ') || 'none found'}` };
  } else if (input.reachableFrom) {
    role = { value: 'function-module', reason: `the module is imported by the function entry ${input.reachableFrom}` };
  } else {
    role = { value: 'other', reason: 'the file is not a function entry and no entry imports it' };
  }
  const framework: Decision<string> = { value: scan.framework, reason: scan.framework === 'none' ? 'no handler convention matched' : `matched the ${scan.framework} convention` };
  const compat = resolveNodejsCompat(project.compatibilityDate, project.compatibilityFlags);
  const context: FileContext = {
    fileName,
    platform: { value: platform.value, reason: platform.reason, source: platform.source },
    runtime,
    role,
    plan,
    framework,
    handlers: role.value === 'function-entry' ? scan.handlers : [],
    nodejsCompat: compat.on,
    nodejsCompatReason: compat.reason,
    waitUntilForm: waitUntilFormOf(platform.value, scan.framework),
    projectRoot: root,
  };
  return { context, scan };
}

/** A human-readable explanation of a context, for `--explain` and "Show Runtime Constraints". */
export function explainContext(ctx: FileContext): string {
  const lines = [
    `File: ${ctx.fileName}`,
    `Platform: ${ctx.platform.value} — ${ctx.platform.reason}`,
    `Runtime: ${ctx.runtime.value} — ${ctx.runtime.reason}`,
    `Role: ${ctx.role.value} — ${ctx.role.reason}`,
    `Plan: ${ctx.plan.value} — ${ctx.plan.reason}`,
    `Framework: ${ctx.framework.value} — ${ctx.framework.reason}`,
  ];
  if (ctx.platform.value === 'cloudflare-workers') lines.push(`nodejs_compat: ${ctx.nodejsCompat ? 'on' : 'off'}${ctx.nodejsCompatReason ? ` — ${ctx.nodejsCompatReason}` : ''}`);
  if (ctx.handlers.length) {
    lines.push('Handlers:');
    for (const h of ctx.handlers) lines.push(`  - ${h.name} (${h.kind}; parameters: ${h.params.join(', ') || 'none'})`);
  }
  return lines.join('\n');
}
