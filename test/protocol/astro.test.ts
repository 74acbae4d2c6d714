// Protocol test: an Astro page in the language server (the built dist/server.js): the frontmatter's diagnostics at the
// file's own positions, the runtime card on the fence, and "Disable RULE for this line", which silences the finding
// without touching the template.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startOnProject } from './lsp-client';

const PAGE = [
  '---',
  "import { PrismaClient } from '@prisma/client';",
  "import Layout from '../layouts/Layout.astro';",
  '',
  'const prisma = new PrismaClient();',
  'const posts = await prisma.post.findMany({ where: { authorId: Astro.locals.user.id } });',
  '---',
  '<Layout title="My posts">',
  '  <ul>{posts.map((p) => <li>{p.title}</li>)}</ul>',
  '</Layout>',
  '',
].join('\n');

test('an .astro page gets its frontmatter diagnostics, the runtime card and a disable comment', { timeout: 60_000 }, async (t) => {
  const client = await startOnProject(t, {
    'package.json': JSON.stringify({ dependencies: { astro: '^5.7.0', '@astrojs/vercel': '^8.1.0', '@prisma/client': '^6.6.0' } }),
    'astro.config.mjs':
      "import { defineConfig } from 'astro/config';\nimport vercel from '@astrojs/vercel';\n\nexport default defineConfig({ output: 'server', adapter: vercel() });\n",
  });
  const uri = client.open('src/pages/posts.astro', PAGE, 'astro');
  const found = await client.pullDiagnostics(uri);
  assert.deepEqual(
    found.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`),
    ['4:15 no-client-per-invocation'],
  );

  const hover = await client.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
  const card = (hover?.contents as MarkupContent | undefined)?.value ?? '';
  assert.match(card, /Astro page/);
  assert.match(card, /[Vv]ercel/);

  const actions = await client.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: found[0].range,
    context: { diagnostics: found },
  });
  const titles = actions.map((a) => a.title);
  const disable = actions.find((a) => a.title === 'Disable no-client-per-invocation for this line');
  assert.ok(disable?.edit, titles.join(' | '));
  client.applyWorkspaceEdit(disable.edit);
  assert.equal(client.doc(uri).getText(), PAGE.replace('const prisma = ', '// serverless-lint-disable-next-line no-client-per-invocation\nconst prisma = '));
  assert.deepEqual(
    (await client.pullDiagnostics(uri)).map((d) => d.code),
    [],
  );
});
