// The language server entry point: LSP wiring only. It makes the shared context (lsp/context.ts) and lets each
// feature of ./lsp register its handlers; analysis lives in ./analysis and knows nothing about LSP. Runs over IPC
// (VS Code) or stdio.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { registerCodeActions } from './lsp/code-actions';
import { registerCommands } from './lsp/commands';
import { ConfigDocumentEdits } from './lsp/config-edits';
import { createServerContext, uninitializedClient } from './lsp/context';
import { registerDiagnostics } from './lsp/diagnostics-provider';
import { EntryDiscovery } from './lsp/discovery';
import { registerDocumentSync } from './lsp/document-sync';
import { registerFileContext } from './lsp/file-context';
import { forgetParsed, registerHover } from './lsp/hover';
import { registerLifecycle } from './lsp/lifecycle';
import { TypingClock } from './lsp/typing';
import { WarmUpTrigger } from './lsp/warm-up-trigger';
import { isCheckWorker, startCheckWorker } from './lsp/check-worker';
import { keepHeapNearLiveSet } from './host/heap';
import { checkedDocumentSync, connectionLog, installLastResort, messageGate, type GuardLog } from './lsp/guard';
import { VERSION } from './version';
// The bundle is also the entry of the workspace-check worker process (lsp/check-worker.ts): one file to ship.
if (isCheckWorker()) startCheckWorker();
else startServer();

function startServer(): void {
  keepHeapNearLiveSet();
  if (process.argv.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  if (!process.argv.some((a) => a === '--stdio' || a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.stderr.write('Usage: serverless-lint-language-server --stdio\n(VS Code starts it with --node-ipc; other editors use --stdio.)\n');
    process.exit(2);
  }

  // Before `initialize`, document notifications are dropped and requests refused: the gate reads the client state.
  const client = uninitializedClient();
  // The gate's warnings go through the connection, which exists once the gate is made: it is looked up late.
  const gateLog: GuardLog = { error: (m) => log.error(m), warn: (m) => log.warn(m) };
  const connection = createConnection(ProposedFeatures.all, { messageStrategy: messageGate(() => client.initialized, gateLog) });
  const log = connectionLog(connection);
  // A bug in one feature is logged and the server goes on (lsp/guard.ts); each feature's handlers are guarded first.
  installLastResort(log);
  const ctx = createServerContext(connection, log, client);

  // The editor state, each piece in its own module; the features below are given the pieces they use.
  const typing = new TypingClock();
  const diagnostics = registerDiagnostics(ctx, typing, new WarmUpTrigger(ctx, typing));
  const discovery = new EntryDiscovery(ctx, typing, () => diagnostics.refresh());
  /** Settings or configuration changed: the client pulls again (or we re-publish), and entries are found again. */
  const refreshAll = () => {
    forgetParsed();
    diagnostics.refresh();
    discovery.schedule();
  };
  const configEdits = new ConfigDocumentEdits(ctx, refreshAll);

  registerLifecycle(ctx, { version: VERSION, refreshAll, startDiscovery: () => discovery.schedule() });
  registerDocumentSync(ctx, { typing, configEdits, diagnostics, refreshAll });
  registerCodeActions(ctx);
  registerHover(ctx);
  registerCommands(ctx, {
    publishClosed: (uri, items) => diagnostics.publishClosed(uri, items),
    // Bundled, this file is dist/server.js and can start itself as the worker; run from sources it checks in-process.
    workerScript: __filename.endsWith('.js') ? __filename : undefined,
  });
  registerFileContext(ctx);

  ctx.documents.listen(checkedDocumentSync(connection, log, () => client.initialized));
  connection.listen();
}
