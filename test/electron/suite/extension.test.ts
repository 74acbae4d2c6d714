// The extension as VS Code itself runs it, checked through the `vscode` API from inside the extension host:
// activation, the findings test-workspace/EXPECTED.md lists, quick fixes, hovers and every "Serverless" command.
// The runner opens a throwaway copy of test-workspace/, so applied fixes and settings never touch the repository.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, expectFindings, hoverText, lintDiagnostics, open, positionOf, revert, ruleOf, until, workspaceUri } from './util';

const USERS = 'nextjs-vercel/app/api/users/route.ts';
const OG = 'nextjs-vercel/app/api/og/route.ts';
const LOGIN = 'nextjs-vercel/app/api/auth/login/route.ts';
const REPORT = 'nextjs-vercel/app/api/report/route.ts';
const GEO = 'netlify-functions/netlify/edge-functions/geo.ts';

suite('Serverless Lint in the VS Code extension host', () => {
  test('activates when a TypeScript file opens and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded from --extensionDevelopmentPath`);
    await open(USERS);
    await until(
      () => extension.isActive,
      () => `${EXTENSION_ID} is not active`,
      [vscode.extensions.onDidChange],
    );
    const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 6, `contributes the Serverless commands: ${contributed.join(', ')}`);
    const registered = await until(
      async () => {
        const all = new Set(await vscode.commands.getCommands(true));
        return contributed.every((c) => all.has(c)) ? all : undefined;
      },
      () => 'not every contributed command is registered yet',
    );
    for (const c of contributed) assert.ok(registered.has(c), c);
  });

  test('reports the findings EXPECTED.md lists, with rule ids, severities and documentation links', async () => {
    await open(USERS);
    const users = await expectFindings(USERS, [
      [17, 'no-request-state-in-module-scope', 'E'],
      [38, 'no-floating-promise-in-handler', 'E'],
    ]);
    for (const d of users) {
      assert.ok(typeof d.code === 'object' && d.code.target, 'code carries the rule documentation link');
      assert.match(d.code.target.toString(), new RegExp(`docs/rules/${ruleOf(d)}\\.md$`));
    }
    await open(OG);
    await expectFindings(OG, [
      [1, 'edge-no-node-builtin', 'E'],
      [7, 'prefer-node-runtime', 'I'],
      [20, 'edge-no-node-global', 'E'],
    ]);
    await open('express-vercel/api/index.ts');
    await expectFindings('express-vercel/api/index.ts', [
      [8, 'no-large-upload-in-function', 'W'],
      [33, 'no-work-after-response', 'E'],
      [37, 'no-fs-write-outside-tmp', 'E'],
      [41, 'no-server-listen-in-function', 'W'],
      [43, 'no-websocket-server', 'E'],
    ]);
    await open('lambda-serverless/src/handlers/getOrder.ts');
    await expectFindings('lambda-serverless/src/handlers/getOrder.ts', [
      [9, 'no-process-exit', 'E'],
      [17, 'no-client-per-invocation', 'W'],
    ]);
    await open('cloudflare-worker/src/index.ts');
    await expectFindings('cloudflare-worker/src/index.ts', [
      [14, 'workers-io-across-requests', 'E'],
      [21, 'no-request-state-in-module-scope', 'E'],
      [34, 'workers-io-across-requests', 'E'],
      [44, 'edge-connection-outlives-request', 'E'],
    ]);
    // A long-running server is not function code: nothing at all.
    await open('long-running-server/src/server.ts');
    await expectFindings('long-running-server/src/server.ts', []);
  });

  test('offers the quick fix, suppressions and documentation; the fix applies and the finding goes away', async () => {
    const editor = await open(LOGIN);
    const [native] = (
      await expectFindings(LOGIN, [
        [1, 'edge-no-native-module', 'E'],
        [8, 'prefer-node-runtime', 'I'],
      ])
    ).filter((d) => ruleOf(d) === 'edge-no-native-module');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, native.range)) ?? [];
    const titles = actions.map((a) => a.title);
    for (const title of [
      "Replace 'bcrypt' with 'bcryptjs'",
      'Disable edge-no-native-module for this line',
      'Disable edge-no-native-module for this file',
      'Show documentation for edge-no-native-module',
    ]) {
      assert.ok(titles.includes(title), `"${title}" is offered; got: ${titles.join(' | ')}`);
    }
    const fix = actions.find((a) => a.title === "Replace 'bcrypt' with 'bcryptjs'");
    assert.ok(fix?.edit, 'the fix carries its edit (computed with the diagnostic, not by a second analysis)');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    assert.equal(editor.document.lineAt(0).text, "import bcrypt from 'bcryptjs';");
    await expectFindings(LOGIN, [[8, 'prefer-node-runtime', 'I']]);
    await revert(editor);
    await expectFindings(LOGIN, [
      [1, 'edge-no-native-module', 'E'],
      [8, 'prefer-node-runtime', 'I'],
    ]);
  });

  test('source.fixAll.serverless-lint applies the safe fix', async () => {
    const editor = await open(GEO);
    await expectFindings(GEO, [[15, 'edge-no-node-global', 'E']]);
    const before = editor.document.getText();
    const whole = editor.document.validateRange(new vscode.Range(0, 0, editor.document.lineCount, 0));
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        whole,
        'source.fixAll.serverless-lint',
      )) ?? [];
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.serverless-lint');
    assert.ok(fixAll?.edit, `a fix-all action; got ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    // The safe fix of edge-no-node-global: import Buffer where Netlify's Deno runtime has it, and nothing else.
    const lines = before.split('\n');
    assert.equal(editor.document.getText(), [lines[0], "import { Buffer } from 'node:buffer';", ...lines.slice(1)].join('\n'));
    await expectFindings(GEO, []);
    await revert(editor);
  });

  test('hovers: the diagnostic rationale with its doc link, the runtime card, the maxDuration plan table', async () => {
    const users = await open(USERS);
    const [state] = (
      await expectFindings(USERS, [
        [17, 'no-request-state-in-module-scope', 'E'],
        [38, 'no-floating-promise-in-handler', 'E'],
      ])
    ).filter((d) => ruleOf(d) === 'no-request-state-in-module-scope');
    const rationale = await hoverText(users.document.uri, state.range.start.translate(0, 1));
    assert.match(rationale, /no-request-state-in-module-scope/);
    assert.match(rationale, /A module-scope variable is shared by all of them/);
    assert.match(rationale, /docs\/rules\/no-request-state-in-module-scope\.md/);

    const og = await open(OG);
    await expectFindings(OG, [
      [1, 'edge-no-node-builtin', 'E'],
      [7, 'prefer-node-runtime', 'I'],
      [20, 'edge-no-node-global', 'E'],
    ]);
    // Markdown emphasis stripped: the card bolds its values ("Platform: **Vercel**").
    const card = (await hoverText(og.document.uri, positionOf(og.document, 7, 'runtime'))).replace(/\*\*/g, '');
    for (const part of [/Platform: Vercel/, /Runtime: Edge/, /Plan: pro/i, /Max duration/, /Filesystem:/, /verified \d{4}-\d{2}-\d{2}/]) {
      assert.match(card, part, card.slice(0, 800));
    }

    const report = await open(REPORT);
    const table = await until(
      async () => {
        const text = await hoverText(report.document.uri, positionOf(report.document, 5, 'maxDuration'));
        return /Max duration on Vercel/.test(text) ? text : undefined;
      },
      () => 'no maxDuration hover yet',
    );
    assert.match(table, /hobby[\s\S]*pro/i);
    assert.match(table, /pro \(this project\)/, table);
  });

  test('Show Runtime Constraints for This File returns and opens the card as a document', async () => {
    await open(OG);
    const opened = until(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'serverless-lint-report'),
      () => `open documents: ${vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(', ')}`,
      [vscode.workspace.onDidOpenTextDocument],
    );
    const result = await vscode.commands.executeCommand<{ title: string; markdown: string }>('serverless-lint.showRuntimeConstraints');
    assert.ok(result, 'the command returns the card');
    assert.match(result.markdown, /Max duration/);
    assert.match(result.markdown, /Edge/);
    const doc = await opened;
    assert.match(doc.getText(), /Max duration/);
  });

  test('Check Workspace Architecture reports every project and fills diagnostics for files never opened', async () => {
    const result = await vscode.commands.executeCommand<{ markdown: string; filesAnalyzed: number; problems: number; cancelled: boolean }>(
      'serverless-lint.checkWorkspace',
    );
    assert.ok(result, 'the command returns its report');
    assert.equal(result.cancelled, false);
    assert.ok(result.filesAnalyzed >= 20, `analyzed ${result.filesAnalyzed} files`);
    assert.ok(result.problems >= 40, `found ${result.problems} problems`);
    for (const project of ['nextjs-vercel', 'express-vercel', 'lambda-serverless', 'cloudflare-worker', 'netlify-functions']) {
      assert.match(result.markdown, new RegExp(project), `the report covers ${project}`);
    }
    // stats.mts was never opened: its findings come from the workspace check.
    const stats = workspaceUri('netlify-functions/netlify/functions/stats.mts');
    await until(
      () => lintDiagnostics(stats).filter((d) => ruleOf(d) === 'no-module-state-persistence').length === 2,
      () =>
        `stats.mts: ${lintDiagnostics(stats)
          .map((d) => `${d.range.start.line + 1} ${ruleOf(d)}`)
          .join(', ')}`,
      [vscode.languages.onDidChangeDiagnostics],
    );
  });

  test('Fix All Auto-fixable Problems applies the safe fix and leaves unsafe ones', async () => {
    const editor = await open(GEO);
    await expectFindings(GEO, [[15, 'edge-no-node-global', 'E']]);
    await vscode.commands.executeCommand('serverless-lint.fixAll');
    await until(
      () => editor.document.lineAt(1).text === "import { Buffer } from 'node:buffer';",
      () => `line 2: ${editor.document.lineAt(1).text}`,
      [vscode.workspace.onDidChangeTextDocument],
    );
    await revert(editor);

    // Every fix offered in users/route.ts is unsafe (moving state, adding await): Fix All changes nothing.
    const users = await open(USERS);
    await expectFindings(USERS, [
      [17, 'no-request-state-in-module-scope', 'E'],
      [38, 'no-floating-promise-in-handler', 'E'],
    ]);
    const text = users.document.getText();
    const result = await vscode.commands.executeCommand<{ applied: boolean }>('serverless-lint.fixAll');
    assert.equal(result?.applied, false);
    assert.equal(users.document.getText(), text);
  });

  test('Select Target Platform and Plan writes the workspace settings; the plan changes the diagnostics', async () => {
    const config = () => vscode.workspace.getConfiguration('serverlessLint');
    // The command waits on quick picks; accepting the first item ("Auto-detect") is all the API can do without a keyboard.
    let done = false;
    const command = Promise.resolve(vscode.commands.executeCommand('serverless-lint.selectPlatformAndPlan')).finally(() => {
      done = true;
    });
    await until(
      async () => {
        if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return done;
      },
      () => 'the platform quick pick was never accepted',
    );
    await command;
    assert.equal(config().inspect('platform')?.workspaceValue, 'auto');

    // 3600 s: above the plan maximum on every plan, and the message names the plan's own maximum (1,800 s on Pro, the
    // default plan; 300 s on Hobby).
    await open(REPORT);
    const messageOnLine5 = () => lintDiagnostics(workspaceUri(REPORT)).find((d) => ruleOf(d) === 'max-duration-exceeds-limit')?.message ?? '';
    await until(
      () => /maximum of 1800 s/.test(messageOnLine5()),
      () => `message ${messageOnLine5()}`,
      [vscode.languages.onDidChangeDiagnostics],
    );
    await config().update('plan', 'hobby', vscode.ConfigurationTarget.Workspace);
    try {
      await until(
        () => /maximum of 300 s/.test(messageOnLine5()),
        () => `message ${messageOnLine5()} on Hobby`,
        [vscode.languages.onDidChangeDiagnostics],
      );
    } finally {
      await config().update('plan', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('platform', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until(
      () => /maximum of 1800 s/.test(messageOnLine5()),
      () => `message ${messageOnLine5()} after reset`,
      [vscode.languages.onDidChangeDiagnostics],
    );
  });

  test('Restart Server and Show Output: a file opened after the restart still gets its diagnostics', async () => {
    await vscode.commands.executeCommand('serverless-lint.showOutput');
    await vscode.commands.executeCommand('serverless-lint.restartServer');
    // A file the workspace check never saw, so its diagnostics can only come from the restarted server.
    const relative = 'nextjs-vercel/app/api/after-restart/route.ts';
    await vscode.workspace.fs.writeFile(
      workspaceUri(relative),
      new TextEncoder().encode(
        "export async function GET(request: Request) {\n  if (!request.headers.get('x-key')) process.exit(1);\n  return Response.json({ ok: true });\n}\n",
      ),
    );
    await open(relative);
    await until(
      () => lintDiagnostics(workspaceUri(relative)).some((d) => ruleOf(d) === 'no-process-exit' && d.range.start.line === 1),
      () =>
        `after-restart/route.ts: ${lintDiagnostics(workspaceUri(relative))
          .map((d) => `${d.range.start.line + 1} ${ruleOf(d)}`)
          .join(', ')}`,
      [vscode.languages.onDidChangeDiagnostics],
    );
  });
});
