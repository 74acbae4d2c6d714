// Edits of open configuration documents (config-documents.ts): their buffer becomes what the services read, and a
// change of it makes every cached context stale, so the open files are re-analyzed after the typing debounce.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigDocument } from './config-documents';
import type { ServerContext } from './context';
import { guardNotification } from './guard';
import { uriToPath } from './workspace';

export class ConfigDocumentEdits {
  /** Pending invalidation after an edit of an open configuration document. */
  private timer: NodeJS.Timeout | undefined;

  /** `refreshAll` re-analyzes the open files once the services were invalidated. */
  constructor(
    private readonly ctx: ServerContext,
    private readonly refreshAll: () => void,
  ) {}

  /** A document opened or changed (`opening`: its first content, not debounced); JS/TS rules never run on config. */
  async changed(document: TextDocument, opening: boolean): Promise<void> {
    const { ctx } = this;
    const path = uriToPath(document.uri);
    if (!path || !isConfigDocument(path) || !ctx.registry.host.setOpen(path, document.getText())) return;
    const { debounceMs } = await ctx.settings.get(document.uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(
      guardNotification(ctx.log, 'the re-analysis after a configuration edit', () => {
        ctx.registry.invalidate();
        this.refreshAll();
      }),
      opening ? 0 : debounceMs,
    );
  }
}
