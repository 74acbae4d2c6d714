// The fixture file format (the header and caret comments test/harness.ts documents), parsed without analysing
// anything: the harness checks fixtures with it and the fuzzer (scripts/fuzz-lib.ts) takes its seeds from it.
import type { Settings } from '../shared/src/settings';

export const PROJECT_ROOT = '/project';

export interface Expectation {
  ruleId: string;
  line: number;
  /** Exact columns when given by carets. */
  startCol?: number;
  endCol?: number;
  /** The finding's message id, when the annotation names one (`rule-id/messageId`). */
  messageId?: string;
  source: string;
}

/** `rule-id` or `rule-id/messageId`, as an annotation writes it. */
function annotated(text: string): { ruleId: string; messageId?: string } {
  const [ruleId, messageId] = text.split('/');
  return messageId ? { ruleId, messageId } : { ruleId };
}

/** A `// @message <rule-id> <text>` header: some finding of the rule says `text`. */
export interface MessageExpectation {
  ruleId: string;
  text: string;
  source: string;
}

export interface Fixture {
  name: string;
  path: string;
  text: string;
  files: Record<string, string>;
  overrides: Partial<Settings>;
  expectations: Expectation[];
  messages: MessageExpectation[];
  /** `// @expect-<field> value` headers: what the file's context must say (role, framework, handlers …). */
  context?: Record<string, string>;
}

// Python fixtures write the same comments with `#` instead of `//`.
const CARET_LINE = /^(\s*)(\/\/|#)(\s*)(\^+)\s+([\w-]+(?:\/\w+)?(?:\s*,\s*[\w-]+(?:\/\w+)?)*)\s*$/;
const TRAILING = /(?:\/\/|#)\s*expect:\s*([\w-]+(?:\/\w+)?(?:\s*,\s*[\w-]+(?:\/\w+)?)*)\s*$/;

export function parseFixture(name: string, text: string): Fixture {
  const files: Record<string, string> = {};
  const overrides: Partial<Settings> = {};
  let path: string | undefined;
  const expectations: Expectation[] = [];
  const messages: MessageExpectation[] = [];
  const context: Record<string, string> = {};
  const lines = text.split('\n');
  let lastCodeLine = -1;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const header = /^(?:\/\/|#)\s*@([\w-]+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (header) {
      const [, key, value, rest] = header;
      if (key.startsWith('expect-')) context[key.slice('expect-'.length)] = rest ? `${value} ${rest}` : value;
      else if (key === 'path') path = value;
      else if (key === 'platform') overrides.platform = value as Settings['platform'];
      else if (key === 'plan') overrides.plan = value;
      else if (key === 'file') files[value] = (rest ?? '').replace(/\\n/g, '\n');
      else if (key === 'message') messages.push({ ruleId: value, text: rest ?? '', source: `${name}:${i + 1}` });
      else if (key === 'rule') {
        const [id, level] = value.split('=');
        overrides.rules = { ...(overrides.rules ?? {}), [id]: level as 'off' };
      }
      return;
    }
    const caret = CARET_LINE.exec(line);
    if (caret && lastCodeLine >= 0) {
      const col = caret[1].length + caret[2].length + caret[3].length;
      for (const id of caret[5].split(/\s*,\s*/)) {
        expectations.push({ ...annotated(id), line: lastCodeLine, startCol: col, endCol: col + caret[4].length, source: `${name}:${i + 1}` });
      }
      return;
    }
    const trailing = TRAILING.exec(line);
    if (trailing) {
      for (const id of trailing[1].split(/\s*,\s*/)) expectations.push({ ...annotated(id), line: i, source: `${name}:${i + 1}` });
    }
    lastCodeLine = i;
  });
  if (!path) throw new Error(`${name}: a fixture needs a '// @path <project-relative path>' header`);
  return { name, path: `${PROJECT_ROOT}/${path}`, text, files, overrides, expectations, messages, context };
}
