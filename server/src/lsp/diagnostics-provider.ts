// Diagnostics of open documents to the editor: pulled (`textDocument/diagnostic`) when the client can, else published
// after the typing debounce; refreshed when contexts change; and the workspace check's diagnostics of closed files.
import { createHash } from 'node:crypto';
import { LSPErrorCodes, ResponseError, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ContextsChangedNotification } from '../../../shared/src/protocol';
import type { RuleFailure } from '../../../shared/src/types';
import { parseConfigFile } from '../analysis/config';
import { configKindOf } from '../config-checks';
import { codeCacheCheckpoint } from '../host/code-cache-checkpoint';
import { RULE_IDS } from '../rules';
import { platformConfigProblems } from './config-documents';
import type { ServerContext } from './context';
import { configProblemDiagnostic, toDiagnostic } from './diagnostics';
import { askClient, cancelled, documentUri, guardNotification, guardRequest, isObject, settle } from './guard';
import type { TypingClock } from './typing';
import type { WarmUpTrigger } from './warm-up-trigger';
import { CONFIG_FILE, SOURCE_FILE, uriToPath } from './workspace';

/** What the rest of the server asks of the diagnostics feature. */
export interface DiagnosticsProvider {
  /** A document's content changed (`opening`: the open itself, not debounced): push clients get an analysis. */
  changed(doc: TextDocument, opening: boolean): Promise<void>;
  /** A document opened: diagnostics a workspace check published while it was closed give way to pulled ones. */
  opened(uri: string): void;
  /** A document is closing: its pending analysis is cancelled and nothing keyed by its URI is kept. */
  forget(uri: string): void;
  /** A document closed: a push client's squiggles for it are cleared. */
  closed(uri: string): void;
  /** Re-analyze what is shown: the client pulls again (or the server re-publishes) and refreshes its status bar. */
  refresh(): void;
  /** Publishes diagnostics for a file that is not open (the workspace check). */
  publishClosed(uri: string, diagnostics: Diagnostic[]): void;
}

/**
 * A pull report's result id is its content: after a refresh (settings, configs, discovered entries) that changes
 * nothing for a document, the client is told `unchanged` and keeps its squiggles (and a hover open over one)
 * instead of replacing them with identical ones. Push clients get every re-analysis, as they always did.
 */
const reportKey = (items: Diagnostic[]) => createHash('sha1').update(JSON.stringify(items)).digest('base64');

/** Runs `fn` after `ms`; at once after this turn for 0 (`setTimeout(…, 0)` waits at least 1 ms, each keystroke). */
function later(fn: () => void, ms: number): () => void {
  if (ms > 0) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  }
  const i = setImmediate(fn);
  return () => clearImmediate(i);
}

export function registerDiagnostics(ctx: ServerContext, typing: TypingClock, warmUp: WarmUpTrigger): DiagnosticsProvider {
  const { connection, documents, log, registry, client } = ctx;
  /** Pending push-mode analyses per document, as the function that cancels each (a timer, or an immediate). */
  const timers = new Map<string, () => void>();
  /** Files that got diagnostics from a workspace check while closed (cleared when they open in pull mode). */
  const pushedClosed = new Set<string>();
  /** Rule failures already logged, once per rule and file. */
  const loggedFailures = new Set<string>();

  const cancelPush = (uri: string) => {
    timers.get(uri)?.();
    timers.delete(uri);
  };

  function logFailures(failures: RuleFailure[]): void {
    for (const f of failures) {
      const key = `${f.ruleId}\0${f.fileName}`;
      if (loggedFailures.has(key)) continue;
      loggedFailures.add(key);
      connection.console.error(`Rule ${f.ruleId} failed on ${f.fileName} and was skipped for that file: ${f.error}${f.stack ? `\n${f.stack}` : ''}`);
    }
  }

  /** The diagnostics of one open document (a source file, or serverless-lint.json or a platform config with its problems). */
  async function diagnose(doc: TextDocument): Promise<Diagnostic[]> {
    const path = uriToPath(doc.uri);
    if (!path) return [];
    if (CONFIG_FILE.test(path)) {
      return parseConfigFile(path, doc.getText(), RULE_IDS).problems.map((p) => configProblemDiagnostic(p, doc));
    }
    if (configKindOf(path)) {
      const { service } = await ctx.serviceForUri(doc.uri, path);
      return platformConfigProblems(service, path, doc.getText()).map((p) => configProblemDiagnostic(p, doc));
    }
    if (!SOURCE_FILE.test(path)) return [];
    const { service } = await ctx.serviceForUri(doc.uri, path);
    if (service.isIgnored(path)) return [];
    const result = service.lint(path, doc.getText());
    codeCacheCheckpoint('soon');
    logFailures(result.failures);
    const diagnostics = result.findings.map((f) => toDiagnostic(f, doc, path, ctx.textOf));
    warmUp.offer(service, doc, path, result);
    return diagnostics;
  }

  /** Push model: analyze after the debounce and publish only if the document is still at the analyzed version. */
  function schedulePush(doc: TextDocument, debounceMs: number): void {
    cancelPush(doc.uri);
    const push = guardNotification(log, `analysis of ${doc.uri}`, async () => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (!current) return;
      const version = current.version;
      const graphBefore = registry.graphVersion();
      const diagnostics = await diagnose(current);
      if (documents.get(doc.uri)?.version !== version) return;
      connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      // Its imports changed: a module it imports may have gained or lost its function role. Pull clients re-pull on
      // their own (inter-file dependencies); here the other open documents are re-published (unchanged ones are cache hits).
      if (registry.graphVersion() !== graphBefore) {
        for (const other of documents.all()) if (other.uri !== doc.uri && !timers.has(other.uri)) schedulePush(other, 0);
      }
    });
    timers.set(
      doc.uri,
      later(() => push(undefined), debounceMs),
    );
  }

  connection.languages.diagnostics.on(
    guardRequest(log, 'textDocument/diagnostic', async (params: unknown, token) => {
      ctx.requireInitialized();
      const uri = documentUri(params);
      const previousResultId = isObject(params) && typeof params.previousResultId === 'string' ? params.previousResultId : undefined;
      const doc = documents.get(uri);
      if (!doc) return { kind: 'full', items: [] };
      const { debounceMs } = await ctx.settings.get(uri);
      // A cancellation wakes the wait at once: the client is answered now, not after the debounce.
      if (!(await settle(() => typing.typedAt(uri), debounceMs, token))) throw cancelled();
      const current = documents.get(uri);
      if (!current) return { kind: 'full', items: [] };
      const version = current.version;
      const items = await diagnose(current);
      // Results for a version the user has already typed past would flash stale squiggles: ask the client to pull again.
      if (documents.get(uri)?.version !== version) {
        throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed during analysis.', { retriggerRequest: true });
      }
      // The result id is the content: the client keeps what it shows when nothing changed (ranges included).
      const resultId = reportKey(items);
      if (previousResultId === resultId) return { kind: 'unchanged' as const, resultId };
      return { kind: 'full' as const, resultId, items };
    }),
  );

  return {
    async changed(doc, opening) {
      if (client.pullDiagnostics) return;
      const { debounceMs } = await ctx.settings.get(doc.uri);
      // Closed while its settings were asked for: nothing to analyze, and nothing may keep its text.
      if (documents.get(doc.uri) !== doc) return;
      schedulePush(doc, opening ? 0 : debounceMs);
    },
    opened(uri) {
      if (client.pullDiagnostics && pushedClosed.delete(uri)) askClient(log, 'cleared diagnostics', () => connection.sendDiagnostics({ uri, diagnostics: [] }));
    },
    forget(uri) {
      cancelPush(uri);
      pushedClosed.delete(uri);
    },
    closed(uri) {
      if (!client.pullDiagnostics) askClient(log, 'cleared diagnostics', () => connection.sendDiagnostics({ uri, diagnostics: [] }));
    },
    refresh() {
      askClient(log, 'a contexts-changed notification', () => connection.sendNotification(ContextsChangedNotification.type, {}));
      if (client.pullDiagnostics) {
        if (client.refreshSupport) askClient(log, 'a diagnostics refresh', () => connection.languages.diagnostics.refresh());
      } else {
        for (const doc of documents.all()) schedulePush(doc, 0);
      }
    },
    publishClosed(uri, diagnostics) {
      pushedClosed.add(uri);
      askClient(log, 'diagnostics of a closed file', () => connection.sendDiagnostics({ uri, diagnostics }));
    },
  };
}
