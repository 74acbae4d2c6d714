// Answers the client's `serverless-lint/fileContext` request: an open file's decided context, for the status bar.
import { FileContextRequest, type FileContextSummary } from '../../../shared/src/protocol';
import type { ServerContext } from './context';
import { guardRequest, InvalidParams, isObject } from './guard';
import { SOURCE_FILE, uriToPath } from './workspace';

export function registerFileContext(ctx: ServerContext): void {
  ctx.connection.onRequest(
    FileContextRequest.type,
    guardRequest(ctx.log, FileContextRequest.method, async (params: unknown): Promise<FileContextSummary | null> => {
      ctx.requireInitialized();
      if (!isObject(params) || typeof params.uri !== 'string') throw new InvalidParams('uri must be a string');
      const uri = params.uri;
      const doc = ctx.documents.get(uri);
      const path = doc && uriToPath(uri);
      if (!doc || !path || !SOURCE_FILE.test(path)) return null;
      const { service } = await ctx.serviceForUri(uri, path);
      const { context: c, skipped } = service.lint(path, doc.getText());
      return {
        uri,
        platform: c.platform.value,
        runtime: c.runtime.value,
        role: c.role.value,
        plan: c.plan.value,
        framework: c.framework.value,
        handlerKinds: c.handlers.map((h) => h.kind),
        reasons: { platform: c.platform.reason, runtime: c.runtime.reason, role: c.role.reason, plan: c.plan.reason },
        skipped: service.isIgnored(path) ? 'the file matches an ignore glob' : skipped,
      };
    }),
  );
}
