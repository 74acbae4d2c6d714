// Hovers read the same analysis as the diagnostics: on a module that a function entry imports (role
// function-module, decided through the module graph), the hover's facts have that role too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { hoverAt } from '../server/src/lsp/hover';

const ROOT = '/project';
const ENTRY = `${ROOT}/app/api/cart/route.ts`;
const MODULE = `${ROOT}/lib/cart.ts`;
const ENTRY_TEXT = `import { addItem } from '../../../lib/cart';

export async function POST(request: Request) {
  const { id } = await request.json();
  return Response.json(addItem(id));
}
`;
const MODULE_TEXT = `let items: string[] = [];

export function addItem(id: string) {
  items.push(id);
  return items;
}
`;

test('a hover on a function module agrees with its diagnostics (same role, reachability included)', () => {
  const host = new MemoryHost({ [ENTRY]: ENTRY_TEXT, [MODULE]: MODULE_TEXT, [`${ROOT}/vercel.json`]: '{}' });
  const service = new LintService(host, { workspaceRoot: ROOT, rules: RULES });
  service.lint(ENTRY, ENTRY_TEXT);
  const result = service.lint(MODULE, MODULE_TEXT);
  assert.equal(result.context.role.value, 'function-module');

  const own = service.factsOf(MODULE, MODULE_TEXT);
  assert.ok(own);
  assert.equal(own.facts.context.role.value, result.context.role.value);
  assert.equal(own.facts.isFunctionCode, true);

  // The module-scope `let` is module state that outlives a request: the hover says so, as the rules do.
  const offset = MODULE_TEXT.indexOf('items.push') + 1;
  const hover = hoverAt(service, MODULE, MODULE_TEXT, offset);
  assert.ok(hover, 'a hover on the module-scope binding');
  assert.match(hover, /let/);
});
