// Platform configuration files open in the editor (vercel.json, serverless.yml, SAM template.yaml, netlify.toml,
// wrangler.toml/json(c)) and serverless-lint.json: their unsaved text is what every service reads, their problems are
// their diagnostics, and an edit that changes their content makes the contexts of the JS/TS files they govern stale.
import type { ConfigProblem } from '../../../shared/src/types';
import { configKindOf, checkConfigFile } from '../config-checks';
import { basename, dirname, readText, type Host, type ReadResult } from '../analysis/host';
import type { LintService } from '../analysis/service';
import { CONFIG_FILE_NAME } from '../analysis/config';

/** Whether a file is configuration the server reads: our own serverless-lint.json or a platform config. */
export function isConfigDocument(path: string): boolean {
  return basename(path) === CONFIG_FILE_NAME || configKindOf(path) !== undefined;
}

/**
 * A host that answers reads of open configuration documents from their editor buffers and everything else from
 * the wrapped host. Only configuration is overlaid: open source files reach the services as text already.
 */
export class ConfigOverlayHost implements Host {
  private readonly open = new Map<string, string>();

  constructor(private readonly disk: Host) {}

  readFile(path: string): string | undefined {
    return this.open.get(path) ?? this.disk.readFile(path);
  }

  /** Through the disk's guarded door, unless the document is open (its buffer is what the editor shows). */
  read(path: string, maxBytes: number): ReadResult {
    const open = this.open.get(path);
    return open !== undefined ? { text: open } : readText(this.disk, path, maxBytes);
  }

  allows(path: string): boolean {
    return this.disk.allows?.(path) ?? true;
  }

  fileExists(path: string): boolean {
    return this.open.has(path) || this.disk.fileExists(path);
  }

  directoryExists(path: string): boolean {
    return this.disk.directoryExists(path);
  }

  readDirectory(path: string): string[] {
    return this.disk.readDirectory(path);
  }

  /** Records a configuration document's buffer text; true when this changes what the services read for it. */
  setOpen(path: string, text: string): boolean {
    const before = this.readFile(path);
    this.open.set(path, text);
    return before !== text;
  }

  /** The document closed: reads go to the disk again; true when the disk's text differs from the buffer's. */
  close(path: string): boolean {
    const buffer = this.open.get(path);
    if (buffer === undefined) return false;
    this.open.delete(path);
    return this.disk.readFile(path) !== buffer;
  }
}

/**
 * Problems of one open platform config document, with the plan and rule levels of the settings that govern it.
 * A `template.yaml` is checked only when the project walk recognises it as a SAM template, as the workspace check does.
 */
export function platformConfigProblems(service: LintService, path: string, text: string): ConfigProblem[] {
  const kind = configKindOf(path);
  if (!kind) return [];
  if (kind === 'sam' && !service.projects.markersIn(dirname(path)).some((m) => m.kind === 'sam-template' && basename(m.path) === basename(path))) return [];
  return checkConfigFile(path, text, service.settingsFor(path), service.projects.configs);
}
