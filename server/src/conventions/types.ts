// The shapes of the conventions registry: what a framework module and a platform module declare, as data.
// A framework says how it is detected, which files are entries, which functions are handlers and how they take
// requests and respond; a platform says how it is recognised, its runtimes, its waitUntil form and its limits.
import type * as ts from 'typescript';
import type { Decision, Platform, Runtime, WaitUntilForm } from '../../../shared/src/types';
import type { EntryId, ShapeId } from '../../../shared/src/conventions.generated';
import type { PlatformLimits } from '../../../shared/src/limits';
import type { ConfiguredHandler, ParsedConfig, ProjectInfo } from '../analysis/project';
import type { EmbeddedLanguage } from '../analysis/embedded';

export type { EntryId, ShapeId, EmbeddedLanguage };
export type FunctionNode = ts.FunctionLikeDeclaration;

/** How a handler hands work past the response, for one platform form: the fix `waitUntilPlan` writes. */
export type WaitUntilVia =
  /** A named import called with the promise: `waitUntil(p)` (@vercel/functions), `after(() => p)` (next/server). */
  | { via: 'import'; from: string; name: string; style: 'call' | 'after' }
  /** A member of a handler parameter: `ctx.waitUntil(p)`, `event.waitUntil(p)`, `c.executionCtx.waitUntil(p)`. */
  | {
      via: 'param';
      param: number;
      member: string;
      /**
       * A property of that parameter that holds the member, by the name a destructuring binds it to:
       * `loader({ context })` → `context.cloudflare.ctx.waitUntil(p)`; `args` → `args.context.cloudflare.ctx.waitUntil(p)`.
       */
      property?: string;
      /** Parameters to add when the handler declares fewer (TypeScript and JavaScript spellings), and a type import. */
      add?: { ts: readonly string[]; js: readonly string[]; typeImport?: { from: string; name: string } };
      /** Only when the file imports a module matching this (Hono's `c.executionCtx` needs Hono). */
      whenImports?: RegExp;
    }
  /** A global of the runtime: `EdgeRuntime.waitUntil(p)` (Supabase). */
  | { via: 'global'; callee: string }
  | { via: 'none' };

/** One kind of handler function: how it receives request data, responds, and hands work past the response. */
export interface HandlerShape {
  id: ShapeId;
  /** Display only (hovers, status bar, `--explain`): "route handler", "Lambda handler". */
  label: string;
  /**
   * Which parameters carry request data: the first `params` parameters, whole or destructured (`event`, `(req, res)`,
   * `{ request, params }`; a property path such as `event.node.req` is derived from the whole object), and parameters
   * carrying one of these decorators (`@Body()`, `@Req()`, `@Headers()`).
   */
  request: { params: number; decorators?: readonly string[] };
  /** How the handler responds: a returned value (`Response`, object), a Node `res` parameter, or a Lambda `callback`. */
  responds: { via: 'return' } | { via: 'res'; param: number } | { via: 'callback'; param: number };
  /** Per platform `waitUntil` form, how this handler hands work on; absent forms use the form's default. */
  waitUntil?: Partial<Record<WaitUntilForm, WaitUntilVia>>;
  /**
   * A `void`-ed call here is a deliberate preload, not floating work: in a Server Component `void getItem(id)` starts
   * a memoized read that the render awaits further down (React `cache`, fetch memoization), so nothing is cut off.
   */
  voidIsPreload?: boolean;
}

/** A file convention that makes a file a function entry: by path, or decided by a module's `scanFile`. */
export interface EntryConvention {
  id: EntryId;
  /** The file's path relative to its project root; the first matching entry of the registry wins. */
  path?: RegExp;
  /** Finds the entry's handlers in a file whose path matched; the file is an entry when this returns true. */
  handlers?(env: ScanEnv): boolean;
  /** The platform the path alone implies when no configuration says (netlify/functions → Netlify). */
  platformFromPath?: { value: Platform; reason: string };
  /** The platform the shape implies when no configuration says (an exported Lambda `handler` → AWS Lambda). */
  platformFromShape?: { value: Platform; reason: string };
  /** The platform the project's dependencies imply when no configuration says (a SvelteKit or Astro adapter package). */
  platformFromProject?(project: Pick<ProjectInfo, 'dependencies' | 'frameworkSettings'>): { value: Platform; reason: string } | undefined;
  /** The runtime the path implies (netlify/edge-functions → edge) unless the file declares one; by platform. */
  runtime?(platform: Platform): Decision<Runtime> | undefined;
  /** The runtime whatever the file declares, on serverless platforms (Next.js 16 proxy takes no runtime option). */
  fixedRuntime?: Decision<Runtime>;
  /**
   * The report's route for an entry file (path relative to the root, without extension), given its handlers' shapes;
   * undefined: not this one.
   */
  route?(relNoExt: string, shapes: readonly ShapeId[]): string | undefined;
  /**
   * How every handler of this entry hands work on: `any` whatever the platform's form (Supabase: `EdgeRuntime.waitUntil`),
   * or per form (Pages Router API routes: `waitUntil` from @vercel/functions where Next.js would use `after()`).
   */
  waitUntil?: { any?: WaitUntilVia } & Partial<Record<WaitUntilForm, WaitUntilVia>>;
  /**
   * Exports of this entry that run in the browser, not in the function (a route module's component, `clientLoader`):
   * every rule skips their code.
   */
  browserExports?: ReadonlySet<string>;
}

/**
 * A handler candidate from a registration call or class (`app.get('/', fn)`); it counts once the file is an entry,
 * and, when `inModule` says the registration is unmistakable (a router the file creates, a Fastify plugin's
 * instance, a `@Controller()` class), also in a module a function entry reaches (an Express router, a Hono sub-app).
 */
export interface Candidate {
  shape: ShapeId;
  name: string;
  node: FunctionNode;
  inModule?: boolean;
}

export type ScanFlag = 'listens' | 'deno-serve' | 'request-api' | 'uncached-fetch';

/** The project facts a module may read: dependencies, framework configs, Pages and Netlify settings. */
export type ScanProject = Pick<ProjectInfo, 'dependencies' | 'frameworkConfigs' | 'frameworkSettings'> &
  Partial<Pick<ProjectInfo, 'markers' | 'workerMain' | 'pagesProject' | 'netlifyDirs'>>;

/** What a module sees while the scanner looks at one file, and how it records what it finds. */
export interface ScanEnv {
  readonly sf: ts.SourceFile;
  readonly relPath: string;
  /** Absolute path without extension, to match serverless.yml / SAM handlers. */
  readonly modulePath: string;
  /** The platform decided before the scan (from configuration or the path). */
  readonly platform: Platform;
  readonly project: ScanProject;
  readonly configuredHandlers: readonly ConfiguredHandler[];
  /** The wrangler `main` is this file. */
  readonly isWorkerMain: boolean;
  /** Module-scope declarations and exports by name (`default`, `module.exports` included). */
  readonly locals: Map<string, ts.Node>;
  readonly exports: Map<string, ts.Node>;
  readonly useServer: boolean;
  /** The path convention whose path the file matches, whether or not its handlers were found there. */
  readonly pathMatch: EntryId | undefined;
  /** The entry matched so far, or 'none'. */
  readonly entry: EntryId | 'none';
  readonly handlerCount: number;
  /** Records a handler; false when `fn` is missing or already recorded. */
  add(shape: ShapeId, name: string, fn: FunctionNode | undefined, nameNode?: ts.Node): boolean;
  /** Marks the file as this entry, unless an earlier convention already did. */
  setEntry(entry: EntryId): void;
  /** A registration-call or class handler, counted when the file turns out to be an entry. */
  candidate(c: Candidate): void;
  readonly candidates: readonly Candidate[];
  /**
   * Facts other parts of the analysis read: a `.listen()` call, `Deno.serve()`; and a call of a request-time API
   * (`cookies()`, `headers()`, `fetch(…, { cache: 'no-store' })`) that makes a Next.js page render per request.
   */
  mark(flag: ScanFlag): void;
  marked(flag: ScanFlag): boolean;
  /** The function an export names, through wrappers (`withAuth(fn)`, `defineEventHandler(fn)`). */
  exportedFn(name: string): FunctionNode | undefined;
  /** The node to hover for an export's name. */
  nameNodeOf(name: string): ts.Node | undefined;
  /** The function a node is or names, through wrappers and local names. */
  unwrap(node: ts.Node | undefined): FunctionNode | undefined;
  /** Adds the methods named in `allowed` of an object literal (or a local naming one) as handlers; true if any. */
  objectMethods(expr: ts.Node | undefined, allowed: ReadonlySet<string>, shape: ShapeId, prefix: string): boolean;
}

/** One framework or handler shape family: one file in `conventions/frameworks/`, one line in the registry. */
export interface FrameworkModule {
  /** Stable id, the fixture folder name under test/fixtures/frameworks/. */
  id: string;
  label: string;
  /** How the framework is recognised in a project: package.json dependencies, config files, entry paths (docs too). */
  detect: {
    dependencies?: readonly string[];
    configFiles?: readonly string[];
    paths?: readonly string[];
    /**
     * Facts read from one of its `configFiles` as data, through the TypeScript AST and never executed (`astro:output=server`);
     * `project.ts` records them, nearest folder first, in `frameworkSettings`. Anything computed is left out.
     */
    settings?(sf: ts.SourceFile): readonly string[];
    /** Folders its build or dev server generates (`.svelte-kit`): a tsconfig `extends` into one is not a mistake when absent. */
    generatedDirs?: readonly string[];
  };
  shapes: readonly HandlerShape[];
  entries: readonly EntryConvention[];
  /**
   * A file type of the framework whose code is embedded in another language (Astro's `.astro` frontmatter): the
   * engine parses the script `extract` makes, and maps findings, fixes and hovers back into the file
   * (`analysis/embedded.ts`). The CLI, the workspace check and the editor then take files of that extension too.
   */
  embedded?: EmbeddedLanguage;
  /** Sees every call of the file (one loop over the tree index shared by all modules): registration calls. */
  visitCall?(call: ts.CallExpression, env: ScanEnv): void;
  /** Sees every class of the file: decorated controllers, Durable Objects. */
  visitClass?(cls: ts.ClassLikeDeclaration, env: ScanEnv): void;
  /** File-level detection after the path conventions, in registry order (exports named in configuration, …). */
  scanFile?(env: ScanEnv): void;
}

/** The kinds of configuration that mark a folder as a project deploying to a platform (`MarkerSpec.kind`). */
export type MarkerKind =
  | 'vercel.json'
  | '.vercel'
  | 'next.config'
  | 'netlify.toml'
  | 'wrangler'
  | 'serverless.yml'
  | 'sam-template'
  | 'cdk.json'
  | 'amplify'
  | 'supabase'
  | 'deno.json'
  | 'Dockerfile'
  | 'fly.toml'
  | 'Procfile'
  | 'render.yaml'
  | 'railway';

/** One folder as `project.ts` lists it walking up from a file, for a marker's `find`. */
export interface MarkerFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Whether the folder's listing has this name. */
  has(name: string): boolean;
  /** Whether a path relative to the folder is a folder. */
  isDirectory(relative: string): boolean;
  /** A configuration file of the folder, parsed as data (read once per run, never executed). */
  config(name: string): ParsedConfig | undefined;
}

/**
 * A configuration that marks a folder as a project deploying to the platform declaring it. `project.ts` looks for
 * the markers of every platform, in registry order, in each folder from a file up; the language server watches
 * their names.
 */
export interface MarkerSpec {
  kind: MarkerKind;
  /** The file or folder names that mark a folder, in order of preference (the first present is the marker). */
  names: readonly string[];
  /** The name found, when a name in the listing is not enough (a folder with functions in it, a YAML that is a SAM template). */
  find?(folder: MarkerFolder): string | undefined;
  /** How explanations name what was found ("a .vercel/ folder"); the file's name when absent. */
  describe?: string;
}

/** One platform: one file in `conventions/platforms/`, one line in the registry. */
export interface PlatformModule {
  id: Platform;
  label: string;
  /** The configurations that say a project deploys here, serverless ones first within a folder (`project.ts`). */
  markers: readonly MarkerSpec[];
  /** Functions run here (false for `long-running` and `unknown`'s servers). */
  serverless: boolean;
  runtimes: readonly Runtime[];
  /** How people name each runtime on this platform (status bar): "Node (Fluid)", "Edge (V8 isolate)". */
  runtimeLabels: Partial<Record<Runtime, string>>;
  /** The runtime of a file that declares none, given its entry; undefined lets the entry or the Node default decide. */
  defaultRuntime?(entry: EntryConvention | undefined, fileName: string): Decision<Runtime> | undefined;
  /** The platform's `waitUntil` form for a file of this framework. */
  waitUntil(framework: FrameworkModule | undefined): WaitUntilForm;
  /** Its limits (`shared/src/limits.ts`, each with a source and date), per runtime. */
  limits(runtime: Runtime): PlatformLimits | undefined;
}
