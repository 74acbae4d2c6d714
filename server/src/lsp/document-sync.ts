// Opening, editing and closing documents: each event goes to the typing clock, configuration edits and diagnostics,
// in that order, and a close lets go of everything keyed by the document.
import type { ConfigDocumentEdits } from './config-edits';
import type { ServerContext } from './context';
import type { DiagnosticsProvider } from './diagnostics-provider';
import { guardNotification } from './guard';
import { forgetParsed } from './hover';
import type { TypingClock } from './typing';
import { uriToPath } from './workspace';

export interface DocumentSyncFeatures {
  typing: TypingClock;
  configEdits: ConfigDocumentEdits;
  diagnostics: DiagnosticsProvider;
  /** Contexts may have changed: re-analyze what is shown and rediscover entries. */
  refreshAll(): void;
}

export function registerDocumentSync(ctx: ServerContext, { typing, configEdits, diagnostics, refreshAll }: DocumentSyncFeatures): void {
  const { documents, log, registry } = ctx;

  // The document manager's events come from checked notifications (checkedDocumentSync in server.ts); each is guarded too.
  documents.onDidOpen(
    guardNotification(log, 'textDocument/didOpen', ({ document }) => {
      typing.opened(document.uri);
      diagnostics.opened(document.uri);
    }),
  );

  documents.onDidChangeContent(
    guardNotification(log, 'a document change', ({ document }) => {
      const opening = typing.changed(document.uri);
      guardNotification(log, 'a configuration document change', () => configEdits.changed(document, opening))(undefined);
      return diagnostics.changed(document, opening);
    }),
  );

  documents.onDidClose(
    guardNotification(log, 'textDocument/didClose', ({ document }) => {
      // Everything keyed by this URI goes, so a closed document's text (50 MB, say) is garbage now.
      diagnostics.forget(document.uri);
      typing.closed(document.uri);
      ctx.settings.forget(document.uri);
      const path = uriToPath(document.uri);
      if (path) {
        registry.forget(path);
        forgetParsed(path);
        if (registry.host.close(path)) {
          registry.invalidate();
          refreshAll();
        }
      }
      diagnostics.closed(document.uri);
    }),
  );
}
