// Decides a file's context (platform, runtime, role, plan, handlers), each with the reason it was decided.
// Pure: it reads only the parsed file, the ProjectInfo found by ProjectIndex, and the settings.
import * as ts from 'typescript';
import type { Decision, FileContext, Platform, Role, Runtime, WaitUntilForm } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import { limitsFor } from '../../../shared/src/limits';
import { relativeTo } from './host';
import { MARKER_PLATFORM, markerDescription, type Marker, type ProjectInfo } from './project';
import { pathEntry, scanHandlers, type HandlerScan } from './handlers';
import { entryOf, frameworkOfEntry, platformModule } from '../conventions';
import type { EntryConvention } from '../conventions/types';
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

/** Says which config decided, naming its folder relative to the workspace when it is inside it (hovers show this). */
function markerReason(m: Marker, workspaceRoot: string | undefined): string {
  const what = markerDescription(m);
  const rel = workspaceRoot ? relativeTo(workspaceRoot, m.dir) : undefined;
  const where = m.dir === workspaceRoot ? 'the workspace folder' : rel ? `${rel}/` : m.dir;
  return `${what} was found in ${where}`;
}

export function decidePlatform(input: ContextInput, relPath: string): Decision<Platform> & { root?: string } {
  if (input.settings.platform)
    return { value: input.settings.platform, reason: 'set in the settings (serverlessLint.platform / --platform / serverless-lint.json)' };
  const serverless = input.project.markers.find((m) => platformModule(MARKER_PLATFORM[m.kind]).serverless);
  if (serverless) {
    const value = MARKER_PLATFORM[serverless.kind];
    const extra = serverless.kind === 'next.config' ? ' (Next.js deploys to Vercel by default)' : '';
    return { value, reason: `${markerReason(serverless, input.workspaceRoot)}${extra}`, source: serverless.path, root: serverless.dir };
  }
  const longRunning = input.project.markers[0];
  if (longRunning)
    return {
      value: 'long-running',
      reason: `${markerReason(longRunning, input.workspaceRoot)} and no serverless configuration`,
      source: longRunning.path,
      root: longRunning.dir,
    };
  // A path convention that implies its platform (netlify/functions, supabase/functions, amplify/functions).
  const fromPath = pathEntry(relPath)?.platformFromPath;
  if (fromPath) return { value: fromPath.value, reason: fromPath.reason };
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
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === 'runtime' && ts.isStringLiteralLike(p.initializer))
            return { value: p.initializer.text, node: p };
        }
      }
    }
  }
  return undefined;
}

/**
 * The runtime: what the file declares, else the platform's default (Workers and Deno are isolates), else what its
 * path convention implies (netlify/edge-functions, Next.js middleware and proxy), else Node.js.
 */
function decideRuntime(input: ContextInput, platform: Platform, byPath: EntryConvention | undefined): Decision<Runtime> {
  // Some entries take no runtime option at all (Next.js 16 proxy runs on Node.js only; a declared 'edge' is a build error
  // that prefer-node-runtime reports), so what the file declares does not change where it runs.
  const fixed = platform !== 'long-running' ? byPath?.fixedRuntime : undefined;
  if (fixed) return fixed;
  const declared = declaredRuntime(input.sourceFile);
  if (declared) {
    const edge = declared.value === 'edge' || declared.value === 'experimental-edge';
    return { value: edge ? 'edge' : 'node', reason: `the file declares runtime '${declared.value}'` };
  }
  const fromPlatform = platformModule(platform).defaultRuntime?.(byPath, input.fileName);
  if (fromPlatform) return fromPlatform;
  const fromPath = byPath?.runtime?.(platform);
  if (fromPath) return fromPath;
  return { value: 'node', reason: 'no edge runtime is declared, so the Node.js runtime is the default' };
}

function waitUntilFormOf(platform: Platform, entry: HandlerScan['framework']): WaitUntilForm {
  return platformModule(platform).waitUntil(frameworkOfEntry(entry));
}

export function decidePlan(input: ContextInput, platform: Platform, runtime: Runtime): Decision<string> {
  const entry = limitsFor(platform, runtime);
  if (input.settings.plan) {
    if (!entry || entry.plans[input.settings.plan])
      return { value: input.settings.plan, reason: 'set in the settings (serverlessLint.plan / --plan / serverless-lint.json)' };
    return {
      value: entry.defaultPlan,
      reason: `the configured plan '${input.settings.plan}' is not a ${entry.displayName} plan, so its default '${entry.defaultPlan}' is used`,
    };
  }
  if (!entry) return { value: 'n/a', reason: 'plans apply only to serverless platforms' };
  return { value: entry.defaultPlan, reason: `no plan is configured; '${entry.defaultPlan}' (the most common paid tier) is assumed` };
}

/** Function rules apply on serverless platforms, and where no platform is known (the file's shape may say). */
const isFunctionPlatform = (platform: Platform) => platform === 'unknown' || platformModule(platform).serverless;

function inferPlatformFromShape(platform: Decision<Platform>, scan: HandlerScan, project: ContextInput['project']): Decision<Platform> {
  if (platform.value !== 'unknown') return platform;
  const entry = entryOf(scan.framework);
  const implied = entry?.platformFromProject?.(project) ?? entry?.platformFromShape;
  return implied ? { value: implied.value, reason: implied.reason } : platform;
}

/** Computes the full context of one file. */
export function computeContext(input: ContextInput): ComputedContext {
  const { fileName, project } = input;
  const provisional = decidePlatform(input, relativeTo(input.workspaceRoot ?? '/', fileName) ?? fileName);
  const root = provisional.root ?? project.packageRoot ?? input.workspaceRoot;
  const relPath = (root && relativeTo(root, fileName)) ?? fileName.replace(/^\//, '');
  const modulePath = fileName.replace(/\.[cm]?[jt]sx?$/, '');
  const scan = scanHandlers({
    sourceFile: input.sourceFile,
    relPath,
    modulePath,
    platform: provisional.value,
    configuredHandlers: project.configuredHandlers,
    isWorkerMain: project.workerMain === fileName,
    project,
    reachedFromEntry: !!input.reachableFrom,
  });
  const platform = inferPlatformFromShape(provisional, scan, project);
  // The entry the scan found decides over the first path match: an Astro `src/middleware.ts` is not Next.js middleware.
  const scanned = entryOf(scan.framework);
  const runtime = decideRuntime(input, platform.value, scanned?.path ? scanned : pathEntry(relPath));
  const plan = decidePlan(input, platform.value, runtime.value);

  let role: Decision<Role>;
  if (scan.useClient) role = { value: 'client', reason: "the file starts with 'use client'" };
  else if (platform.value === 'long-running') {
    role =
      scan.listens || scan.routeCallbacks.length
        ? { value: 'long-running-server', reason: 'the project runs as a long-running server (no serverless configuration)' }
        : { value: 'other', reason: 'the project runs as a long-running server, so no function rules apply' };
  } else if (scan.framework !== 'none' && isFunctionPlatform(platform.value)) {
    role = {
      value: 'function-entry',
      reason: `the file is a function entry (${scan.framework}) with ${scan.handlers.length} handler(s): ${scan.handlers.map((h) => h.name).join(', ') || 'none found'}`,
    };
  } else if (input.reachableFrom) {
    const routes = scan.handlers.length ? `; the routes it registers are handlers: ${scan.handlers.map((h) => h.name).join(', ')}` : '';
    role = { value: 'function-module', reason: `the module is imported by the function entry ${input.reachableFrom}${routes}` };
  } else {
    role = { value: 'other', reason: 'the file is not a function entry and no entry imports it' };
  }
  const module = frameworkOfEntry(scan.framework);
  const framework: FileContext['framework'] = {
    value: scan.framework,
    reason:
      scan.framework === 'none'
        ? 'no handler convention matched'
        : `matched the ${scan.framework} convention of the ${module?.label ?? scan.framework} module (server/src/conventions/frameworks/${module?.id ?? scan.framework}.ts)`,
  };
  const compat = resolveNodejsCompat(project.compatibilityDate, project.compatibilityFlags);
  const context: FileContext = {
    fileName,
    platform: { value: platform.value, reason: platform.reason, source: platform.source },
    runtime,
    role,
    plan,
    framework,
    // A module an entry reaches lists the route callbacks it registers (an Express router, a NestJS controller).
    handlers: role.value === 'function-entry' || role.value === 'function-module' ? scan.handlers : [],
    nodejsCompat: compat.on,
    nodejsCompatReason: compat.reason,
    waitUntilForm: waitUntilFormOf(platform.value, scan.framework),
    projectRoot: root,
    ...(role.value === 'function-module' ? { entry: input.reachableFrom } : {}),
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
  if (ctx.platform.value === 'cloudflare-workers')
    lines.push(`nodejs_compat: ${ctx.nodejsCompat ? 'on' : 'off'}${ctx.nodejsCompatReason ? ` — ${ctx.nodejsCompatReason}` : ''}`);
  if (ctx.handlers.length) {
    lines.push('Handlers:');
    for (const h of ctx.handlers) lines.push(`  - ${h.name} (${h.kind}; parameters: ${h.params.join(', ') || 'none'})`);
  }
  return lines.join('\n');
}
