// The Markdown the hovers and "Show Runtime Constraints" show: the runtime card and the max-duration plan table.
// Every limit comes from shared/src/limits.ts with its source and the date it was verified; nothing is hard-coded here.
import type { FileContext, Platform, Runtime } from '../../../shared/src/types';
import { formatLimit, limitsFor, type LimitValue, type PlanLimits } from '../../../shared/src/limits';

const PLATFORM_NAMES: Record<string, string> = {
  vercel: 'Vercel',
  netlify: 'Netlify',
  'aws-lambda': 'AWS Lambda',
  'cloudflare-workers': 'Cloudflare Workers',
  'deno-deploy': 'Deno Deploy',
  'long-running': 'Long-running server',
  unknown: 'Unknown platform',
};

export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform;
}

/** Escapes text for a Markdown table cell or paragraph. */
export function md(text: string): string {
  return text.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}

function sourceCell(v: LimitValue | undefined): string {
  if (!v) return '';
  return `[source](${v.source}) · verified ${v.verified}`;
}

function limitCell(v: LimitValue | undefined): string {
  if (!v) return 'n/a';
  return v.note ? `${formatLimit(v)} (${md(v.note)})` : formatLimit(v);
}

function durationCell(l: PlanLimits): string {
  if (l.defaultDuration && l.maxDuration) return `default ${formatLimit(l.defaultDuration)}, up to ${formatLimit(l.maxDuration)}`;
  if (l.maxDuration) return `up to ${formatLimit(l.maxDuration)}`;
  if (l.defaultDuration) return limitCell(l.defaultDuration);
  return 'n/a';
}

/** The runtime card: platform, runtime, plan and this function's limits. */
export function runtimeCard(ctx: FileContext, heading?: string): string {
  const out: string[] = [];
  const entry = limitsFor(ctx.platform.value, ctx.runtime.value);
  // The limits entries are named after Node.js; a Python function has the same limits on its platform's Python runtime.
  const title = entry && ctx.runtime.value === 'python' ? entry.displayName.replace('Node.js', 'Python') : entry?.displayName;
  out.push(`**${heading ? md(heading) + ' — ' : ''}${title ? md(title) : platformName(ctx.platform.value)}**`);
  out.push('');
  out.push(`- Platform: **${platformName(ctx.platform.value)}** — ${md(ctx.platform.reason)}`);
  out.push(`- Runtime: **${ctx.runtime.value === 'edge' ? 'Edge' : ctx.runtime.value === 'python' ? 'Python' : 'Node.js'}** — ${md(ctx.runtime.reason)}`);
  out.push(`- Plan: **${md(ctx.plan.value)}** — ${md(ctx.plan.reason)}`);
  out.push(`- Role: **${md(ctx.role.value)}** — ${md(ctx.role.reason)}`);
  if (!entry) {
    out.push('', 'No serverless platform limits apply: this code is not deployed as a function.');
    return out.join('\n');
  }
  const limits = entry.plans[ctx.plan.value] ?? entry.plans[entry.defaultPlan];
  out.push('', '| Limit | Value | Source |', '|---|---|---|');
  const rows: Array<[string, string, LimitValue | undefined]> = [
    ['Max duration', durationCell(limits), limits.maxDuration ?? limits.defaultDuration],
    ['CPU time', limitCell(limits.cpuTime), limits.cpuTime],
    ['Memory', limitCell(limits.memory), limits.memory],
    ['Request body', limitCell(limits.requestBody), limits.requestBody],
    ['Response body', limitCell(limits.responseBody), limits.responseBody],
    ['Bundle size', limitCell(limits.bundle), limits.bundle],
  ];
  for (const [name, value, v] of rows) if (v) out.push(`| ${name} | ${value} | ${sourceCell(v)} |`);
  out.push('');
  out.push(`**Filesystem:** ${md(entry.filesystem)}`, '');
  out.push(`**Concurrency:** ${md(entry.concurrency)}`, '');
  out.push(`**Connections:** ${md(entry.connections)}`, '');
  // Python has no waitUntil: the Node.js text (waitUntil, after()) would name APIs a Python function cannot call.
  const background =
    ctx.runtime.value === 'python'
      ? 'Python has no waitUntil: work not finished when the handler returns may be frozen with the instance. Finish it before returning, or hand it to a queue.'
      : entry.background;
  out.push(`**After the response:** ${md(background)}`, '');
  if (ctx.platform.value === 'cloudflare-workers')
    out.push(
      `**nodejs_compat:** ${ctx.nodejsCompat ? 'on (the Node builtins it provides are allowed)' : 'off'}${ctx.nodejsCompatReason ? ` — ${md(ctx.nodejsCompatReason)}` : ''}`,
      '',
    );
  out.push(`Docs: ${entry.docs.map((d) => `[${md(new URL(d).hostname + new URL(d).pathname)}](${d})`).join(' · ')}`);
  return out.join('\n');
}

/** The plan table for `maxDuration` / timeout settings: every plan's default and maximum, the current plan marked. */
export function durationTable(ctx: FileContext): string {
  if (!limitsFor(ctx.platform.value, ctx.runtime.value))
    return `**Max duration** — no serverless platform was detected for this file (${md(ctx.platform.reason)}), so no plan limits apply.`;
  return durationTableFor(ctx.platform.value, ctx.runtime.value, ctx.plan.value);
}

/**
 * The max-duration plan table of a platform and runtime, `plan` marked as this project's. Shared by the hover on
 * `maxDuration` in code and the hovers on timeout settings in platform config files.
 */
export function durationTableFor(platform: Platform, runtime: Runtime, plan: string): string {
  const entry = limitsFor(platform, runtime);
  if (!entry) return `**Max duration** — ${platformName(platform)} has no serverless plan limits.`;
  const out = [`**Max duration on ${md(entry.displayName)}** (seconds)`, '', '| Plan | Default | Maximum | Source |', '|---|---|---|---|'];
  for (const [name, l] of Object.entries(entry.plans)) {
    const current = name === plan ? ' (this project)' : '';
    out.push(`| ${md(name)}${current} | ${limitCell(l.defaultDuration)} | ${limitCell(l.maxDuration)} | ${sourceCell(l.maxDuration ?? l.defaultDuration)} |`);
  }
  if (Object.values(entry.plans).every((l) => !l.maxDuration && !l.defaultDuration)) {
    out.push('', 'This runtime has no configurable wall-clock duration; CPU time per request is the limit that applies.');
  }
  return out.join('\n');
}

/** The plan table of one more limit (memory, CPU time) for a config setting, `plan` marked as this project's. */
export function limitTableFor(platform: Platform, runtime: Runtime, plan: string, limit: 'memory' | 'cpuTime'): string {
  const entry = limitsFor(platform, runtime);
  const title = limit === 'memory' ? 'Memory' : 'CPU time per request';
  if (!entry) return `**${title}** — ${platformName(platform)} has no serverless plan limits.`;
  const out = [`**${title} on ${md(entry.displayName)}**`, '', '| Plan | Limit | Source |', '|---|---|---|'];
  for (const [name, l] of Object.entries(entry.plans)) {
    const current = name === plan ? ' (this project)' : '';
    out.push(`| ${md(name)}${current} | ${limitCell(l[limit])} | ${sourceCell(l[limit])} |`);
  }
  return out.join('\n');
}

/** What runs after the response (`waitUntil`, `after`, `ctx.waitUntil`) and how long it may run. */
export function backgroundCard(ctx: FileContext, call: string): string {
  const entry = limitsFor(ctx.platform.value, ctx.runtime.value);
  const out = [`**\`${md(call)}\`** — work that keeps running after the response is sent`, ''];
  if (!entry) {
    out.push('No serverless platform was detected for this file; on a long-running server background work simply continues.');
    return out.join('\n');
  }
  const l = entry.plans[ctx.plan.value] ?? entry.plans[entry.defaultPlan];
  out.push(md(entry.background), '');
  const budget = l.maxDuration ?? l.defaultDuration ?? l.cpuTime;
  if (budget)
    out.push(
      `It shares the invocation's budget: ${budget === l.cpuTime ? 'CPU time' : 'max duration'} ${limitCell(budget)} on ${md(ctx.plan.value)} (${sourceCell(budget)}).`,
      '',
    );
  out.push('A promise not handed to it may be frozen or cut off as soon as the response is returned.');
  return out.join('\n');
}

/** Module-scope mutable state in function code: who shares it and when it is lost. */
export function moduleStateCard(ctx: FileContext, name: string, kind: string): string {
  const entry = limitsFor(ctx.platform.value, ctx.runtime.value);
  const out = [`**\`${md(name)}\`** — module-scope ${kind} in function code`, ''];
  out.push(`**Shared by:** ${entry ? md(entry.concurrency) : 'every request this process serves.'}`, '');
  out.push(
    '**Lost when:** the instance is recycled (cold start), or another instance serves the next request (scale-out, another region). Each instance has its own copy: nothing here is shared between instances.',
    '',
  );
  out.push('Keep per-request data in the handler; keep durable state in a database, cache or KV store.');
  return out.join('\n');
}
