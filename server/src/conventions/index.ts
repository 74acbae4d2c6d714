// The one registry of conventions: every framework module (where function code lives, its handlers and their
// request parameters) and every platform module (recognition, runtimes, waitUntil form, limits). Order matters for
// frameworks: the first path convention that matches a file wins, and `scanFile` hooks run in this order.
import type { Platform } from '../../../shared/src/types';
import type { EmbeddedLanguage, EntryConvention, EntryId, FrameworkModule, HandlerShape, PlatformModule, ShapeId } from './types';
import solidstart from './frameworks/solidstart';
import tanstackStart from './frameworks/tanstack-start';
import nextjs from './frameworks/nextjs';
import nuxt from './frameworks/nuxt';
import sveltekit from './frameworks/sveltekit';
import astro from './frameworks/astro';
import reactRouter from './frameworks/react-router';
import netlify from './frameworks/netlify';
import amplify from './frameworks/amplify';
import vercel from './frameworks/vercel';
import lambda from './frameworks/lambda';
import workers from './frameworks/workers';
import deno from './frameworks/deno';
import cloudflarePages from './frameworks/cloudflare-pages';
import nodeRouters from './frameworks/node-routers';
import nestjs from './frameworks/nestjs';
import python from './frameworks/python';
import vercelPlatform from './platforms/vercel';
import netlifyPlatform from './platforms/netlify';
import awsLambdaPlatform from './platforms/aws-lambda';
import cloudflareWorkersPlatform from './platforms/cloudflare-workers';
import denoDeployPlatform from './platforms/deno-deploy';
import longRunningPlatform from './platforms/long-running';
import unknownPlatform from './platforms/unknown';

export const FRAMEWORKS: readonly FrameworkModule[] = [
  // SolidStart and TanStack Start before Next.js: their 'use server' files and server functions are their own.
  solidstart,
  tanstackStart,
  nextjs,
  nuxt,
  sveltekit,
  astro,
  reactRouter,
  netlify,
  amplify,
  vercel,
  lambda,
  workers,
  deno,
  cloudflarePages,
  nodeRouters,
  nestjs,
  // Python files are scanned by server/src/python/ (tree-sitter), never by the TypeScript scanner: no path convention here.
  python,
];

/**
 * The platforms. Their order is the order in which the markers found in one folder are considered (`project.ts`):
 * the first serverless platform's marker decides, and long-running markers only count without one.
 */
export const PLATFORM_MODULES: readonly PlatformModule[] = [
  vercelPlatform,
  netlifyPlatform,
  cloudflareWorkersPlatform,
  awsLambdaPlatform,
  denoDeployPlatform,
  longRunningPlatform,
  unknownPlatform,
];

/**
 * An entry convention with every field, in one order. The modules write only the fields they use, so each entry had
 * a hidden class of its own, and the code that reads entries (the scan's path loop, `entryOf(...)?.browserExports`)
 * met a new one with each framework: V8 deoptimized the handler scan again and again during a CLI run's single pass
 * (--trace-deopt: "wrong map"). One shape keeps those reads monomorphic.
 */
function uniformEntry(e: EntryConvention): EntryConvention {
  return {
    id: e.id,
    path: e.path,
    handlers: e.handlers,
    platformFromPath: e.platformFromPath,
    platformFromShape: e.platformFromShape,
    platformFromProject: e.platformFromProject,
    runtime: e.runtime,
    fixedRuntime: e.fixedRuntime,
    route: e.route,
    waitUntil: e.waitUntil,
    browserExports: e.browserExports,
  } satisfies Record<keyof EntryConvention, unknown>;
}
for (const f of FRAMEWORKS) (f as { entries: readonly EntryConvention[] }).entries = f.entries.map(uniformEntry);

/** The entries with a path convention, in registry order (the first match wins). */
export const PATH_ENTRIES: readonly EntryConvention[] = FRAMEWORKS.flatMap((f) => f.entries.filter((e) => e.path));

const ENTRIES = new Map<string, { entry: EntryConvention; framework: FrameworkModule }>(
  FRAMEWORKS.flatMap((framework) => framework.entries.map((entry) => [entry.id, { entry, framework }] as const)),
);
const SHAPES = new Map<string, HandlerShape>(FRAMEWORKS.flatMap((f) => f.shapes.map((s) => [s.id, s] as const)));
const PLATFORMS = new Map<string, PlatformModule>(PLATFORM_MODULES.map((p) => [p.id, p]));

export function entryOf(id: EntryId | 'none' | string): EntryConvention | undefined {
  return ENTRIES.get(id)?.entry;
}

export function frameworkOfEntry(id: EntryId | 'none' | string): FrameworkModule | undefined {
  return ENTRIES.get(id)?.framework;
}

export function shapeOf(id: ShapeId): HandlerShape {
  return SHAPES.get(id)!;
}

/** The file types whose code is embedded in another language (`FrameworkModule.embedded`): `.astro`. */
export const EMBEDDED_LANGUAGES: readonly EmbeddedLanguage[] = FRAMEWORKS.flatMap((f) => (f.embedded ? [f.embedded] : []));

/** The embedded language of a file, by its extension, or undefined for JavaScript, TypeScript and Python. */
export function embeddedLanguageOf(fileName: string): EmbeddedLanguage | undefined {
  for (const l of EMBEDDED_LANGUAGES) if (fileName.endsWith(l.extension)) return l;
  return undefined;
}

export function platformModule(id: Platform): PlatformModule {
  return PLATFORMS.get(id) ?? unknownPlatform;
}
