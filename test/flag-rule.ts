// A test rule shared by the engine and suppression tests: it reports every call to a function named `flag`, with a
// safe fix that renames it to `ok`.
import * as ts from 'typescript';
import { defineRule } from '../server/src/analysis/rule';

export const flagRule = defineRule({
  meta: {
    id: 'test-flag',
    severity: 'warning',
    category: 'platform',
    scope: 'any',
    summary: 'test',
    why: '',
    action: '',
    bad: [],
    good: [],
    fixes: [{ id: 'rename', title: 'Rename to ok', safety: 'safe', description: '' }],
    messages: { flagged: 'flagged', said: '{{text}}' },
    limits: [],
    references: [],
  },
  create: (ctx) => ({
    enter: {
      [ts.SyntaxKind.CallExpression]: (call) => {
        if (ts.isIdentifier(call.expression) && call.expression.text === 'flag') {
          ctx.report({
            node: call,
            messageId: 'flagged',
            fixes: [ctx.fix('rename', [{ span: { start: call.expression.getStart(), end: call.expression.getEnd() }, newText: 'ok' }])],
          });
        }
      },
    },
  }),
});
