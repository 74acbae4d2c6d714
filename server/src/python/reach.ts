// Which Python function entry reaches a module through its imports: the entries of the module's project (Vercel's
// zero-config entrypoints and api/ files, Services entrypoints, Lambda handlers named in configuration) are analyzed
// for their context and their imports followed, so a router or helper that `main.py` imports is function code
// (role function-module) whatever order the files are linted in. A Django entry also reaches the modules its settings
// name (Django imports them from strings). Which module Vercel serves per project (`entrypoint.ts`) is kept here too,
// with the files it read. Cached by content; trees are deleted at once.
import type { Host } from '../analysis/host';
import { dirname, joinPath, readText } from '../analysis/host';
import type { ProjectInfo } from '../analysis/project';
import type { Settings } from '../../../shared/src/settings';
import type { Platform } from '../../../shared/src/types';
import { hashOf } from '../graph/graph';
import { VERCEL_ENTRY_CANDIDATES } from '../conventions/frameworks/python';
import { computePythonContext, type VercelPythonConfig } from './context';
import type { FactsReader } from './django';
import { vercelPythonEntry, vercelPythonSubscribers, type VercelPythonEntry, type VercelPythonSubscriber } from './entrypoint';
import { PyFacts } from './facts';
import { importsOf, reachedFrom, type PyImport } from './imports';
import { parsePython } from './parser';

export interface ReachEnv {
  host: Host;
  workspaceRoot?: string;
  settingsFor(fileName: string): Settings;
  projectFor(dir: string): ProjectInfo;
  vercelConfigFor(project: ProjectInfo): VercelPythonConfig | undefined;
}

export class PythonReach {
  private readonly imports = new Map<string, { hash: string; imports: PyImport[] }>();
  private readonly entries = new Map<string, { hash: string; entry: boolean; platform: Platform; reached?: Set<string> }>();
  /** The module Vercel serves per project root, with every file the search read or looked for. */
  private readonly served = new Map<string, { entry: VercelPythonEntry | undefined; subscribers: VercelPythonSubscriber[]; files: Set<string> }>();

  constructor(private readonly env: ReachEnv) {}

  /** Bumped whenever what was read may be stale: part of the cache key of Python results. */
  version = 0;

  /** Forget what was read of a file (it changed or closed), and every entry's reach, which may have gone through it. */
  forget(fileName: string): void {
    let stale = false;
    for (const [root, { files }] of this.served) {
      if (!files.has(fileName)) continue;
      this.served.delete(root);
      stale = true;
    }
    if (!stale && !this.imports.has(fileName) && !this.entries.has(fileName)) return;
    this.imports.delete(fileName);
    this.entries.clear();
    this.version++;
  }

  /** The module Vercel serves for the Python project at `root` with zero configuration (`entrypoint.ts`), cached. */
  vercelEntryOf(root: string): VercelPythonEntry | undefined {
    const hit = this.served.get(root);
    if (hit) return hit.entry;
    const files = new Set<string>([joinPath(root, 'pyproject.toml'), ...VERCEL_ENTRY_CANDIDATES.map((c) => joinPath(root, c))]);
    const readText = (file: string) => {
      files.add(file);
      return this.read(file);
    };
    const read: FactsReader = (file, use) => {
      files.add(file);
      return this.withFacts(file, use);
    };
    const entry = vercelPythonEntry(this.env.host, root, readText, read);
    const subscribers = vercelPythonSubscribers(this.env.host, root, readText);
    this.served.set(root, { entry, subscribers, files });
    return entry;
  }

  /** The modules of the project at `root` that Vercel invokes with queue messages (pyproject's subscribers). */
  subscribersOf(root: string): VercelPythonSubscriber[] {
    this.vercelEntryOf(root);
    return this.served.get(root)?.subscribers ?? [];
  }

  /** A project file's facts for `use`; the tree is deleted at once. */
  private withFacts<T>(fileName: string, use: (facts: PyFacts) => T): T | undefined {
    const text = this.read(fileName);
    if (text === undefined) return undefined;
    const tree = parsePython(text);
    if ('error' in tree) return undefined;
    try {
      return use(new PyFacts(tree, text));
    } finally {
      tree.delete();
    }
  }

  /** The function entry whose imports reach the module, if any: the first by name, or with `subscribers` a queue subscriber first. */
  entryReaching(fileName: string, project: ProjectInfo, prefer?: 'subscribers'): { file: string; platform: Platform } | undefined {
    const roots = this.roots(project);
    const candidates = new Set<string>();
    const subscribers = new Set<string>();
    for (const root of roots) {
      for (const f of VERCEL_ENTRY_CANDIDATES) candidates.add(joinPath(root, f));
      const served = this.vercelEntryOf(root)?.file;
      if (served) candidates.add(served);
      for (const s of this.subscribersOf(root)) {
        candidates.add(s.file);
        subscribers.add(s.file);
      }
      const api = joinPath(root, 'api');
      if (this.env.host.directoryExists(api))
        for (const name of this.env.host.readDirectory(api)) if (name.endsWith('.py')) candidates.add(joinPath(api, name));
      for (const [, s] of Object.entries(this.env.vercelConfigFor(project)?.services ?? {})) {
        if (!s || typeof s.root !== 'string') continue;
        const serviceRoot = joinPath(root, s.root.replace(/^\.?\//, '').replace(/\/$/, ''));
        if (typeof s.entrypoint === 'string') candidates.add(`${joinPath(serviceRoot, s.entrypoint.split(':')[0].replace(/\./g, '/'))}.py`);
        else for (const f of VERCEL_ENTRY_CANDIDATES) candidates.add(joinPath(serviceRoot, f));
      }
    }
    for (const h of project.configuredHandlers) {
      if (h.runtime && !/^python/i.test(h.runtime)) continue;
      const slash = h.modulePath.lastIndexOf('/');
      candidates.add(`${h.modulePath.slice(0, slash + 1)}${h.modulePath.slice(slash + 1).replace(/\./g, '/')}.py`);
    }
    candidates.delete(fileName);
    const order = [...candidates].sort();
    if (prefer === 'subscribers') order.sort((a, b) => Number(subscribers.has(b)) - Number(subscribers.has(a)));
    for (const candidate of order) {
      if (!this.env.host.fileExists(candidate)) continue;
      const info = this.entryInfo(candidate, roots);
      if (info?.entry && info.reached?.has(fileName)) return { file: candidate, platform: info.platform };
    }
    return undefined;
  }

  /** Folders absolute imports resolve from: the Python project root and the platform configuration's folder. */
  private roots(project: ProjectInfo): string[] {
    const out = new Set<string>();
    if (project.pythonRoot) out.add(project.pythonRoot);
    const marker = project.markers[0];
    if (marker) out.add(marker.dir);
    if (!out.size && this.env.workspaceRoot) out.add(this.env.workspaceRoot);
    return [...out];
  }

  private read(fileName: string): string | undefined {
    return readText(this.env.host, fileName, this.env.settingsFor(fileName).maxFileSize).text;
  }

  private entryInfo(fileName: string, roots: readonly string[]): { entry: boolean; platform: Platform; reached?: Set<string> } | undefined {
    const text = this.read(fileName);
    if (text === undefined) return undefined;
    const hash = hashOf(text);
    const hit = this.entries.get(fileName);
    if (hit && hit.hash === hash) return hit;
    const tree = parsePython(text);
    if ('error' in tree) return undefined;
    let entry: boolean;
    let platform: Platform;
    try {
      const facts = new PyFacts(tree, text);
      const project = this.env.projectFor(dirname(fileName));
      const context = computePythonContext({
        fileName,
        facts,
        project,
        settings: this.env.settingsFor(fileName),
        workspaceRoot: this.env.workspaceRoot,
        vercelConfig: this.env.vercelConfigFor(project),
        vercelEntry: (root) => this.vercelEntryOf(root),
        vercelSubscribers: (root) => this.subscribersOf(root),
      });
      entry = context.role.value === 'function-entry';
      platform = context.platform.value;
      this.imports.set(fileName, { hash, imports: importsOf(facts) });
    } finally {
      tree.delete();
    }
    // Django imports the modules its settings name (ROOT_URLCONF, INSTALLED_APPS, MIDDLEWARE) from strings: for the
    // project's served module, they count as its imports, resolved from manage.py's folder.
    const django = entry ? roots.map((r) => this.vercelEntryOf(r)).find((v) => v?.file === fileName)?.django : undefined;
    const seeds: PyImport[] = (django?.seeds ?? []).flatMap((s) => s.split('.').map((_, i, parts) => ({ level: 0, module: parts.slice(0, i + 1).join('.') })));
    const importsFrom = (f: string) => (f === fileName && seeds.length ? [...(this.importsOf(f) ?? []), ...seeds] : this.importsOf(f));
    const from = django ? [...roots, django.baseDir] : roots;
    const info = { hash, entry, platform, reached: entry ? reachedFrom(this.env.host, fileName, from, importsFrom) : undefined };
    this.entries.set(fileName, info);
    return info;
  }

  private importsOf(fileName: string): PyImport[] | undefined {
    const text = this.read(fileName);
    if (text === undefined) return undefined;
    const hash = hashOf(text);
    const hit = this.imports.get(fileName);
    if (hit && hit.hash === hash) return hit.imports;
    const tree = parsePython(text);
    if ('error' in tree) return undefined;
    try {
      const imports = importsOf(new PyFacts(tree, text));
      this.imports.set(fileName, { hash, imports });
      return imports;
    } finally {
      tree.delete();
    }
  }
}
