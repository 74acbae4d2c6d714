// Helpers for the extension-host suite: open files of the workspace copy, and wait on editor events
// (diagnostics, documents) for a condition, never on a fixed delay.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'serverless-lint.serverless-lint';
export const SOURCE = 'serverless-lint';

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a copy of test-workspace/ as the workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export async function open(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Resolves with probe()'s first truthy value. The probe runs now, after every event given, and every
 * 250 ms (some state, like an extension's activation, has no event of its own). Fails after timeoutMs
 * with describe(), which should say what was seen instead.
 */
export function until<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  describe: () => string,
  events: vscode.Event<unknown>[] = [],
  timeoutMs = 90_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      fn();
    };
    const check = async () => {
      try {
        const value = await probe();
        if (value) finish(() => resolve(value));
      } catch (e) {
        finish(() => reject(e));
      }
    };
    const poll = setInterval(() => void check(), 250);
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`))), timeoutMs);
    for (const event of events) subscriptions.push(event(() => void check()));
    void check();
  });
}

export function lintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

const SEVERITY = { E: vscode.DiagnosticSeverity.Error, W: vscode.DiagnosticSeverity.Warning, I: vscode.DiagnosticSeverity.Information } as const;
export type Expected = [line: number, rule: string, severity: keyof typeof SEVERITY];

/** "17 no-request-state-in-module-scope E" per diagnostic (1-based lines, as in EXPECTED.md), sorted. */
export function summarize(diagnostics: readonly vscode.Diagnostic[]): string[] {
  const letter = (s: vscode.DiagnosticSeverity) => Object.entries(SEVERITY).find(([, v]) => v === s)?.[0] ?? 'H';
  return diagnostics.map((d) => `${d.range.start.line + 1} ${ruleOf(d)} ${letter(d.severity)}`).sort();
}

/** Waits until the file's serverless-lint diagnostics are exactly `expected` (EXPECTED.md: every other line stays silent). */
export async function expectFindings(relative: string, expected: Expected[]): Promise<vscode.Diagnostic[]> {
  const uri = workspaceUri(relative);
  const want = expected.map(([line, rule, sev]) => `${line} ${rule} ${sev}`).sort();
  return until(
    () => {
      const got = lintDiagnostics(uri);
      return JSON.stringify(summarize(got)) === JSON.stringify(want) ? got : undefined;
    },
    () => `${relative}: expected [${want.join(', ')}], have [${summarize(lintDiagnostics(uri)).join(', ')}]`,
    [vscode.languages.onDidChangeDiagnostics],
  );
}

/** The text of every hover at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

/** Position of the first occurrence of `word` on a 1-based line. */
export function positionOf(doc: vscode.TextDocument, line: number, word: string): vscode.Position {
  const text = doc.lineAt(line - 1).text;
  const column = text.indexOf(word);
  assert.ok(column >= 0, `line ${line} of ${doc.uri.path} has no "${word}": ${text}`);
  return new vscode.Position(line - 1, column + 1);
}

/** Discards unsaved edits of the active editor, so the next test sees the file as the workspace has it. */
export async function revert(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await until(
    () => !editor.document.isDirty,
    () => `${editor.document.uri.path} is still dirty after revert`,
  );
}
