// Checks a configured function duration against the platform/plan maximum from shared/src/limits.ts.
// Pure and shared: the max-duration-exceeds-limit rule uses it for `export const maxDuration`, and config-file
// diagnostics (vercel.json, serverless.yml, SAM template.yaml, netlify.toml) use it for their timeouts.
import type { Platform, Runtime } from '../../../shared/src/types';
import { limitsFor, planLimits } from '../../../shared/src/limits';

export interface DurationCheck {
  /** True when the value is within the maximum, or when the maximum is unknown (nothing to say). */
  ok: boolean;
  /** The maximum that applies (seconds), when known. */
  max?: number;
  /** A full sentence for a diagnostic or hover, when `ok` is false. */
  message?: string;
  /** The documentation URL the maximum comes from. */
  source?: string;
  /**
   * Set when the value is within `max` but above the part the platform calls a beta (Vercel Pro/Enterprise above
   * 800 s, up to 1,800 s): it deploys, so it is no finding, but a hover can say so.
   */
  beta?: boolean;
}

export interface DurationOptions {
  /** The function is a background (asynchronous) function, which has its own maximum (Netlify: 15 min). */
  background?: boolean;
}

function planLabel(platform: Platform, runtime: Runtime, plan: string): string {
  const entry = limitsFor(platform, runtime);
  if (!entry) return plan;
  // Platforms with a single tier (Lambda's `standard`) have no plan worth naming.
  const planName = Object.keys(entry.plans).length > 1 ? ` ${plan[0].toUpperCase()}${plan.slice(1)} plan` : '';
  return `${entry.displayName}${planName}`;
}

/**
 * Checks `seconds` against the maximum duration of a platform, runtime and plan (falling back to the
 * platform's default plan). Unknown platforms, runtimes without a configurable duration (edge) and
 * non-finite values return `{ ok: true }`: the caller has nothing reliable to report.
 */
export function checkDuration(platform: Platform, runtime: Runtime, plan: string | undefined, seconds: number, options: DurationOptions = {}): DurationCheck {
  const found = planLimits(platform, runtime, plan);
  if (!found || !Number.isFinite(seconds)) return { ok: true };
  const limit = options.background && found.limits.backgroundMaxDuration ? found.limits.backgroundMaxDuration : found.limits.maxDuration;
  if (!limit) return { ok: true };
  const max = limit.value;
  const betaAbove = options.background ? undefined : found.limits.betaAbove;
  if (seconds <= max)
    return betaAbove && seconds > betaAbove.value ? { ok: true, max, source: limit.source, beta: true } : { ok: true, max, source: limit.source };
  const label = planLabel(platform, runtime, found.plan) + (options.background && found.limits.backgroundMaxDuration ? ' (background functions)' : '');
  // Vercel's build and CloudFormation refuse such values outright; elsewhere the function is cut off at the maximum.
  const consequence = platform === 'vercel' || platform === 'aws-lambda' ? 'so the deployment is rejected' : `so the function is stopped at ${max} s`;
  return { ok: false, max, source: limit.source, message: `${seconds} s exceeds the ${label} maximum of ${max} s, ${consequence}.` };
}
