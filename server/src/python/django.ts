// A Django project read as data, never run: the settings module `manage.py` names, the application Vercel serves from
// those settings (ASGI_APPLICATION, else WSGI_APPLICATION), the modules Django loads from settings strings, and the
// views its URLconfs route to. Django wires all of this through strings instead of imports, so neither the import
// reach nor a single file's facts can see it. What counts is data in `conventions/frameworks/python.ts` (DJANGO).
// Bounded loops, no recursion: settings follow one level of `from .base import *`, URLconfs are read breadth-first.
import { dirname, joinPath, relativeTo } from '../analysis/host';
import type { Host } from '../analysis/host';
import { DJANGO, type DjangoView } from '../conventions/frameworks/python';
import { callArgs, stringValue, type PyFacts } from './facts';
import { resolveImport } from './imports';

/** What was found of a Django project. */
export interface DjangoProject {
  /** The folder of `manage.py`: Django's modules are imported from here. */
  baseDir: string;
  manage: string;
  settingsModule?: string;
  settingsFile?: string;
  /** The module Vercel serves, its variable, and why (the setting that names it, or the fallback). */
  entry?: { file: string; variable: string; reason: string };
  /** Dotted module names Django imports from its settings (the settings module, ROOT_URLCONF, INSTALLED_APPS, MIDDLEWARE). */
  seeds: string[];
  /** The views the URLconfs route to, by the file that defines them. */
  views: Map<string, DjangoView[]>;
  /** The project's middleware classes (`MIDDLEWARE`), by the file that defines them. */
  middleware: Map<string, string[]>;
}

/** Reads one project file's facts: `undefined` when it is missing, unreadable or not Python. The caller frees the tree. */
export type FactsReader = <T>(file: string, use: (facts: PyFacts) => T) => T | undefined;

/** At most this many URLconf modules are read for one project. */
const MAX_URLCONFS = 100;

/** The file of a dotted module under `base` (`config.settings` → config/settings.py or config/settings/__init__.py). */
export function moduleFile(host: Host, base: string, dotted: string): string | undefined {
  return resolveImport(host, { level: 0, module: dotted }, joinPath(base, '__main__.py'), [base]);
}

/** Finds `manage.py` setting DJANGO_SETTINGS_MODULE in the root or a folder one level down (Vercel's search). */
function findManage(host: Host, root: string, readText: (file: string) => string | undefined): string | undefined {
  const dirs = [
    root,
    ...host
      .readDirectory(root)
      .filter((n) => !n.startsWith('.') && n !== 'node_modules' && n !== '__pycache__')
      .sort()
      .map((n) => joinPath(root, n)),
  ];
  for (const dir of dirs) {
    const manage = joinPath(dir, 'manage.py');
    if (host.fileExists(manage) && readText(manage)?.includes(DJANGO.settingsVariable)) return manage;
  }
  return undefined;
}

/** The settings module `manage.py` names: `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")` or an assignment. */
function settingsModuleOf(facts: PyFacts): string | undefined {
  for (const call of facts.calls) {
    const { positional } = callArgs(call);
    if (positional.length >= 2 && stringValue(positional[0]) === DJANGO.settingsVariable) {
      const value = stringValue(positional[1]);
      if (value) return value;
    }
  }
  for (const a of facts.ofType(facts.root, 'assignment')) {
    const left = a.childForFieldName('left');
    if (left?.type === 'subscript' && stringValue(left.childForFieldName('subscript')) === DJANGO.settingsVariable) {
      const value = stringValue(a.childForFieldName('right'));
      if (value) return value;
    }
  }
  return undefined;
}

type SettingValue = string | string[];

/** Module-level settings that are plain strings or lists/tuples of strings; computed values are left out (never run). */
function settingsOf(facts: PyFacts): { values: Map<string, SettingValue>; wildcards: Array<{ level: number; module: string }> } {
  const values = new Map<string, SettingValue>();
  for (const [name, { value }] of facts.moduleNames) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name) || !value) continue;
    const s = stringValue(value);
    if (s !== undefined) values.set(name, s);
    else if (value.type === 'list' || value.type === 'tuple') {
      const items = value.namedChildren.filter((c) => c && c.type !== 'comment').map((c) => stringValue(c));
      values.set(
        name,
        items.filter((i): i is string => i !== undefined),
      );
    }
  }
  const wildcards: Array<{ level: number; module: string }> = [];
  for (const st of facts.ofType(facts.root, 'import_from_statement')) {
    if (!facts.isModuleLevel(st) || !st.namedChildren.some((c) => c?.type === 'wildcard_import')) continue;
    const from = st.childForFieldName('module_name')?.text ?? '';
    const level = /^\.*/.exec(from)![0].length;
    if (from.slice(level)) wildcards.push({ level, module: from.slice(level) });
  }
  return { values, wildcards };
}

/** The file and variable a dotted `module.variable` setting names (`config.wsgi.application`). */
function applicationFile(host: Host, base: string, dotted: string): { file: string; variable: string } | undefined {
  const dot = dotted.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const file = moduleFile(host, base, dotted.slice(0, dot));
  return file ? { file, variable: dotted.slice(dot + 1) } : undefined;
}

/** A URL as Django joins it: the including URLconf's prefix, then the pattern. */
function joinRoute(prefix: string, route: string): string {
  return prefix + route;
}

/** The module and name an expression in a URLconf refers to: `views.index` with `from . import views`, or an imported `index`. */
function targetOf(host: Host, facts: PyFacts, file: string, base: string, dotted: string | undefined): { file: string; name: string } | undefined {
  if (!dotted) return undefined;
  const parts = dotted.split('.');
  const imported = facts.imports.get(parts[0]);
  if (imported === undefined) {
    // A view defined in the URLconf itself.
    return parts.length === 1 && facts.moduleNames.get(parts[0]) === undefined ? { file, name: parts[0] } : undefined;
  }
  const q = [imported, ...parts.slice(1)].join('.');
  const level = /^\.*/.exec(q)![0].length;
  const body = q.slice(level);
  const dot = body.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const module = resolveImport(host, { level, module: body.slice(0, dot) }, file, [base]);
  return module ? { file: module, name: body.slice(dot + 1) } : undefined;
}

/** The module a URLconf's `include(…)` names: a dotted string, or an imported module. */
function includedModule(
  host: Host,
  facts: PyFacts,
  file: string,
  base: string,
  arg: ReturnType<typeof callArgs>['positional'][number] | undefined,
): string | undefined {
  const s = stringValue(arg);
  if (s) return moduleFile(host, base, s);
  const dotted = facts.dotted(arg);
  const imported = dotted ? facts.imports.get(dotted.split('.')[0]) : undefined;
  if (!dotted || imported === undefined) return undefined;
  const q = [imported, ...dotted.split('.').slice(1)].join('.');
  const level = /^\.*/.exec(q)![0].length;
  return resolveImport(host, { level, module: q.slice(level) }, file, [base]);
}

/** Every `urls.py` in the project's app folders (two levels down at most): the URLconfs when ROOT_URLCONF cannot be read. */
function urlconfFiles(host: Host, base: string): string[] {
  const out: string[] = [];
  const dirs = [base];
  for (let depth = 0; depth < 2; depth++) {
    const next: string[] = [];
    for (const dir of dirs) {
      for (const name of host.readDirectory(dir).sort()) {
        if (name.startsWith('.') || name === 'node_modules' || name === '__pycache__') continue;
        const path = joinPath(dir, name);
        if (host.directoryExists(path)) {
          next.push(path);
          if (host.fileExists(joinPath(path, 'urls.py'))) out.push(joinPath(path, 'urls.py'));
        }
      }
    }
    dirs.splice(0, dirs.length, ...next);
  }
  return out;
}

/** The views the URLconfs route to, read breadth-first from the start URLconfs through `include(…)`. */
function routedViews(host: Host, base: string, start: string[], read: FactsReader, rest: string[] = []): Map<string, DjangoView[]> {
  const views = new Map<string, DjangoView[]>();
  const add = (target: { file: string; name: string } | undefined, kind: DjangoView['kind'], route: string) => {
    if (!target) return;
    const list = views.get(target.file) ?? [];
    if (!list.some((v) => v.name === target.name)) list.push({ name: target.name, kind, route: `/${route.replace(/^\//, '')}` });
    views.set(target.file, list);
  };
  const queue = start.map((file) => ({ file, prefix: '' }));
  const seen = new Set(start);
  // URLconfs no other one includes (only when ROOT_URLCONF cannot be read) come after, with no prefix.
  const others = [...rest];
  while ((queue.length || others.length) && seen.size <= MAX_URLCONFS) {
    if (!queue.length) {
      const next = others.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push({ file: next, prefix: '' });
    }
    const { file, prefix } = queue.shift()!;
    read(file, (facts) => {
      // DRF routers the URLconf creates: `router = DefaultRouter()`.
      const routers = new Set<string>();
      for (const [name, { value }] of facts.moduleNames) if (value?.type === 'call' && DJANGO.routerClasses.has(facts.callee(value) ?? '')) routers.add(name);
      for (const call of facts.calls) {
        const q = facts.callee(call) ?? '';
        const { positional, keyword } = callArgs(call);
        if (DJANGO.routeCalls.has(q)) {
          const route = joinRoute(prefix, stringValue(positional[0] ?? keyword.get('route')) ?? '');
          const view = positional[1] ?? keyword.get('view');
          if (view?.type !== 'call') {
            add(targetOf(host, facts, file, base, facts.dotted(view)), 'function', route);
            continue;
          }
          const callee = view.childForFieldName('function');
          if (DJANGO.includeCalls.has(facts.callee(view) ?? '')) {
            const included = includedModule(host, facts, file, base, callArgs(view).positional[0]);
            if (included && !seen.has(included)) {
              seen.add(included);
              queue.push({ file: included, prefix: route });
            }
          } else if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'as_view') {
            add(targetOf(host, facts, file, base, facts.dotted(callee.childForFieldName('object'))), 'class', route);
          }
        } else if (/\.register$/.test(facts.calleeName(call) ?? '') && routers.has((facts.calleeName(call) ?? '').split('.')[0])) {
          add(
            targetOf(host, facts, file, base, facts.dotted(positional[1] ?? keyword.get('viewset'))),
            'class',
            joinRoute(prefix, stringValue(positional[0]) ?? ''),
          );
        }
      }
    });
  }
  return views;
}

/**
 * Reads the Django project under `root`, if it is one: `manage.py` (in the root or one folder down) naming
 * DJANGO_SETTINGS_MODULE. `readText` and `read` go through the caller's guarded reads.
 */
export function readDjangoProject(host: Host, root: string, readText: (file: string) => string | undefined, read: FactsReader): DjangoProject | undefined {
  const manage = findManage(host, root, readText);
  if (!manage) return undefined;
  const baseDir = dirname(manage);
  const project: DjangoProject = { baseDir, manage, seeds: [], views: new Map(), middleware: new Map() };
  project.settingsModule = read(manage, settingsModuleOf);
  project.settingsFile = project.settingsModule ? moduleFile(host, baseDir, project.settingsModule) : undefined;
  const values = new Map<string, SettingValue>();
  if (project.settingsFile) {
    const own = read(project.settingsFile, settingsOf);
    // `from .base import *` first (one level), then the module's own assignments override.
    for (const w of own?.wildcards ?? []) {
      const file = resolveImport(host, w, project.settingsFile, [baseDir]);
      const inherited = file ? read(file, settingsOf) : undefined;
      for (const [k, v] of inherited?.values ?? []) values.set(k, v);
    }
    for (const [k, v] of own?.values ?? []) values.set(k, v);
    project.seeds.push(project.settingsModule!);
  }
  const settingsName = project.settingsModule ? project.settingsModule.replace(/\./g, '/') + '.py' : 'the settings';
  for (const key of DJANGO.applicationSettings) {
    const value = values.get(key);
    const app = typeof value === 'string' ? applicationFile(host, baseDir, value) : undefined;
    if (app) {
      project.entry = { ...app, reason: `${settingsName} sets ${key} = '${value}'` };
      break;
    }
  }
  if (!project.entry && project.settingsFile) {
    // Settings that cannot be read as data: the wsgi.py (else asgi.py) beside them, as `startproject` writes it.
    for (const name of ['wsgi.py', 'asgi.py']) {
      const file = joinPath(dirname(project.settingsFile), name);
      if (host.fileExists(file) && read(file, (f) => f.moduleNames.has('application'))) {
        project.entry = {
          file,
          variable: 'application',
          reason: `no ${DJANGO.applicationSettings.join(' or ')} could be read from ${settingsName}, so the project's ${name}`,
        };
        break;
      }
    }
  }
  for (const key of DJANGO.moduleSettings) {
    const value = values.get(key);
    for (const s of typeof value === 'string' ? [value] : (value ?? [])) project.seeds.push(s);
  }
  // `MIDDLEWARE` names classes (`shop.middleware.TimingMiddleware`): their module is imported at startup, and Django
  // makes one instance of each for the process, which every request then passes through.
  const middleware = values.get(DJANGO.middlewareSetting);
  for (const dotted of Array.isArray(middleware) ? middleware : []) {
    const dot = dotted.lastIndexOf('.');
    const file = dot > 0 ? moduleFile(host, baseDir, dotted.slice(0, dot)) : undefined;
    if (!file) continue;
    project.seeds.push(dotted.slice(0, dot));
    const classes = project.middleware.get(file) ?? [];
    classes.push(dotted.slice(dot + 1));
    project.middleware.set(file, classes);
  }
  const urlconf = values.get(DJANGO.urlconfSetting);
  const rootUrls = typeof urlconf === 'string' ? moduleFile(host, baseDir, urlconf) : undefined;
  if (rootUrls) project.views = routedViews(host, baseDir, [rootUrls], read);
  else {
    // Settings that cannot be read as data: the urls.py beside them (as `startproject` writes it) first, then every
    // app's urls.py, which Django may load too; each is a module of the function.
    const all = urlconfFiles(host, baseDir);
    const beside = project.settingsFile ? joinPath(dirname(project.settingsFile), 'urls.py') : undefined;
    const start = beside && all.includes(beside) ? [beside] : [];
    for (const file of all) project.seeds.push((relativeTo(baseDir, file) ?? '').replace(/\.py$/, '').replace(/\//g, '.'));
    project.views = routedViews(host, baseDir, start, read, all);
  }
  return project;
}
