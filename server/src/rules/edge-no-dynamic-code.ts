// PLACEHOLDER: not implemented yet. Replace this file with the real rule (see no-process-exit.ts for the shape).
import { defineRule } from '../analysis/rule';

export default defineRule({
  meta: {
    id: 'edge-no-dynamic-code',
    severity: 'error',
    category: 'edge',
    summary: 'PLACEHOLDER',
    why: '',
    action: '',
    bad: [],
    good: [],
    fixes: [],
    limits: [],
    references: [],
  },
  create: () => ({}),
});
