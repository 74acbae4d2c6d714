// Starts the warm-up (warm-up.ts) once per process, after the diagnostics of the first source file small enough for it.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WARM_UP_ENV } from '../../../shared/src/env';
import type { AnalysisResult } from '../../../shared/src/types';
import type { LintService } from '../analysis/service';
import type { ServerContext } from './context';
import { toDiagnostic } from './diagnostics';
import type { TypingClock } from './typing';
import { warmUp, WARM_UP_MAX_CHARS } from './warm-up';

export class WarmUpTrigger {
  /** Set once it started (or when it is turned off): it runs at most once per process. */
  private started = process.env[WARM_UP_ENV] === 'off';

  constructor(
    private readonly ctx: ServerContext,
    private readonly typing: TypingClock,
  ) {}

  /** A source document was just analyzed (`like` is its service): the first one that qualifies starts the warm-up. */
  offer(like: LintService, doc: TextDocument, path: string, result: AnalysisResult): void {
    if (this.started || result.skipped || doc.getText().length > WARM_UP_MAX_CHARS) return;
    this.started = true;
    const { ctx, typing } = this;
    const text = doc.getText();
    const handler = result.context.handlers[0]?.span;
    setImmediate(async () => {
      try {
        const r = await warmUp({
          service: () => ctx.registry.newService(path, like.settingsOverrides),
          path,
          text,
          handler,
          whenIdle: typing.whenIdle,
          activeSince: (t) => typing.activeSince(t),
          consume: (res, variant) => {
            const copy = TextDocument.create(doc.uri, doc.languageId, 0, variant);
            for (const f of res.findings) toDiagnostic(f, copy, path, ctx.textOf);
          },
        });
        ctx.connection.console.log(
          `Warm-up: ${r.edits} synthetic edits in ${r.ms} ms${r.stopped ? ` (stopped: ${r.stopped === 'typing' ? 'editing began' : 'time limit'})` : ''}.`,
        );
      } catch (e) {
        ctx.connection.console.error(`The warm-up failed (nothing else is affected): ${(e as Error).stack ?? String(e)}`);
      }
    });
  }
}
