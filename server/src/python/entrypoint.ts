// Which module Vercel serves for a Python project deployed with zero configuration, decided the way Vercel's Python
// builder decides it (the search is described, with its source, in `conventions/frameworks/python.ts`): pyproject's
// `[tool.vercel] entrypoint`, else a Django project's application, else the first entrypoint candidate that defines an
// app, else pyproject's `[project.scripts] app`. Only one module wins per project, so a `wsgi.py` that re-exports the
// `app` of `app.py` for gunicorn is not a second function. Files are read as data; nothing is run.
import { joinPath, relativeTo } from '../analysis/host';
import type { Host } from '../analysis/host';
import { parseToml } from '../analysis/project';
import { definesWebApp, VERCEL_ENTRY_CANDIDATES, vercelAppName } from '../conventions/frameworks/python';
import { moduleFile, readDjangoProject, type DjangoProject, type FactsReader } from './django';
import { resolveImport } from './imports';

/** The module Vercel serves for one project root. */
export interface VercelPythonEntry {
  /** Absolute path of the module. */
  file: string;
  /** The object it serves (`app`, `application`, a class `handler`). */
  variable: string;
  /** How Vercel finds it, for the reasons `--explain` prints. */
  how: string;
  /** Whether the module builds a web app (or imports one from a project module that does), not only a name. */
  webApp: boolean;
  /** A Django project: its settings, the modules they load and the views its URLconfs route to. */
  django?: DjangoProject;
}

/** `module:variable` (pyproject's form) as a file of the project, or undefined when no such module exists. */
function moduleAttr(host: Host, root: string, value: unknown): { file: string; variable: string } | undefined {
  const m = typeof value === 'string' ? /^\s*([A-Za-z_][\w.]*)\s*:\s*([A-Za-z_]\w*)\s*$/.exec(value) : undefined;
  const file = m ? moduleFile(host, root, m[1]) : undefined;
  return file ? { file, variable: m![2] } : undefined;
}

/** Whether a module builds a web app itself, or imports its `app`/`application` from a project module that does (one hop). */
function webAppOf(host: Host, root: string, file: string, read: FactsReader): boolean {
  const hop = read(file, (facts) => {
    if (definesWebApp(facts)) return true;
    for (const name of ['app', 'application']) {
      const q = facts.imports.get(name);
      if (!q) continue;
      const level = /^\.*/.exec(q)![0].length;
      const body = q.slice(level);
      const module = body.slice(0, body.lastIndexOf('.'));
      const target = module ? resolveImport(host, { level, module }, file, [root]) : undefined;
      if (target) return target;
    }
    return false;
  });
  return typeof hop === 'string' ? read(hop, definesWebApp) === true : hop === true;
}

/** What the Python conventions read of a project's pyproject.toml. */
type Pyproject = { tool?: { vercel?: { entrypoint?: unknown; subscribers?: unknown } }; project?: { scripts?: Record<string, unknown> } };

function readPyproject(host: Host, root: string, readText: (file: string) => string | undefined): Pyproject | undefined {
  const path = joinPath(root, 'pyproject.toml');
  const text = host.fileExists(path) ? readText(path) : undefined;
  return text === undefined ? undefined : parseToml<Pyproject>(path, text).data;
}

/** A module Vercel invokes with Vercel Queues messages: one `[[tool.vercel.subscribers]]` of pyproject.toml. */
export interface VercelPythonSubscriber {
  /** Absolute path of the module. */
  file: string;
  /** How Vercel finds it, for the reasons `--explain` prints. */
  how: string;
}

/**
 * The queue subscribers of the Python project at `root`: each `[[tool.vercel.subscribers]]` `entrypoint` (`tasks`, or
 * `worker.run:app` for a Celery app on the Vercel Queues broker) names a module of the project that Vercel runs as a
 * function per message: https://vercel.com/docs/queues (verified 2026-12-07 on vercel/examples' python/queue-subscribers
 * and python/celery).
 */
export function vercelPythonSubscribers(host: Host, root: string, readText: (file: string) => string | undefined): VercelPythonSubscriber[] {
  const list = readPyproject(host, root, readText)?.tool?.vercel?.subscribers;
  if (!Array.isArray(list)) return [];
  const out: VercelPythonSubscriber[] = [];
  for (const s of list) {
    const entrypoint = s && typeof s === 'object' ? (s as { entrypoint?: unknown }).entrypoint : undefined;
    const m = typeof entrypoint === 'string' ? /^\s*([A-Za-z_][\w.]*)\s*(?::\s*[A-Za-z_]\w*\s*)?$/.exec(entrypoint) : undefined;
    const file = m ? moduleFile(host, root, m[1]) : undefined;
    if (file) out.push({ file, how: `pyproject.toml's [[tool.vercel.subscribers]] entrypoint '${(entrypoint as string).trim()}' names this module` });
  }
  return out;
}

/**
 * The module Vercel serves for the Python project at `root`, or undefined when it would find none. `readText` and
 * `read` go through the caller's guarded, size-capped reads.
 */
export function vercelPythonEntry(host: Host, root: string, readText: (file: string) => string | undefined, read: FactsReader): VercelPythonEntry | undefined {
  const rel = (file: string) => relativeTo(root, file) ?? file;
  const pyproject = readPyproject(host, root, readText);
  const configured = moduleAttr(host, root, pyproject?.tool?.vercel?.entrypoint);
  if (configured)
    return {
      ...configured,
      how: `pyproject.toml's [tool.vercel] entrypoint names ${rel(configured.file)}`,
      webApp: webAppOf(host, root, configured.file, read),
    };
  const django = readDjangoProject(host, root, readText, read);
  if (django) {
    // Vercel serves a Django project from its settings, whatever other entrypoint names the project has.
    if (!django.entry) return undefined;
    return {
      file: django.entry.file,
      variable: django.entry.variable,
      how: `${rel(django.manage)} makes this a Django project, and ${django.entry.reason} (the application Vercel serves)`,
      webApp: true,
      django,
    };
  }
  for (const candidate of VERCEL_ENTRY_CANDIDATES) {
    const file = joinPath(root, candidate);
    if (!host.fileExists(file)) continue;
    const variable = read(file, vercelAppName);
    if (variable)
      return {
        file,
        variable,
        how: `${candidate} is the first of Vercel's Python entrypoint names (app, index, server, main, wsgi, asgi at the root or in src/, app/, api/) that defines \`${variable}\``,
        webApp: webAppOf(host, root, file, read),
      };
  }
  const script = moduleAttr(host, root, pyproject?.project?.scripts?.app);
  if (script) return { ...script, how: `pyproject.toml's [project.scripts] app names ${rel(script.file)}`, webApp: webAppOf(host, root, script.file, read) };
  return undefined;
}
