// Decides whether a Cloudflare Worker has Node.js compatibility, from its compatibility date and flags, the way
// workerd resolves them: either flag turns it on, and from compatibility date 2026-08-04 both `nodejs_compat` and
// `nodejs_compat_v2` are on by default, each with its own opt-out, so only `no_nodejs_compat` together with
// `no_nodejs_compat_v2` turns the Node.js APIs off (either feature provides the node: modules).

/**
 * From this compatibility date workerd enables `nodejs_compat` and `nodejs_compat_v2` by default
 * (https://developers.cloudflare.com/changelog/post/2026-08-04-nodejs-compat-default/, verified 2026-12-07; the same
 * resolution as `resolveNodejsCompat` in @cloudflare/workers-utils 0.33).
 */
export const NODEJS_COMPAT_DEFAULT_ON_DATE = '2026-08-04';

export interface NodejsCompat {
  on: boolean;
  /** Why, in words a user can check against their wrangler config. */
  reason: string;
}

/** `date` is the wrangler config's `compatibility_date` (YYYY-MM-DD) when it has one. */
export function resolveNodejsCompat(date: string | undefined, flags: readonly string[]): NodejsCompat {
  const explicit = flags.find((f) => f === 'nodejs_compat' || f === 'nodejs_compat_v2');
  if (explicit) return { on: true, reason: `"${explicit}" is in compatibility_flags` };
  const validDate = date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined;
  if (validDate && validDate >= NODEJS_COMPAT_DEFAULT_ON_DATE) {
    const v1Off = flags.includes('no_nodejs_compat');
    const v2Off = flags.includes('no_nodejs_compat_v2');
    if (v1Off && v2Off) return { on: false, reason: `"no_nodejs_compat" and "no_nodejs_compat_v2" turn off the default of compatibility date ${validDate}` };
    if (v1Off || v2Off) {
      const kept = v1Off ? 'nodejs_compat_v2' : 'nodejs_compat';
      return {
        on: true,
        reason: `compatibility date ${validDate} turns on both Node.js compatibility flags and only one is opted out, so ${kept} still provides the Node.js APIs (add both no_nodejs_compat and no_nodejs_compat_v2 to turn them off)`,
      };
    }
    return { on: true, reason: `compatibility date ${validDate} is on or after ${NODEJS_COMPAT_DEFAULT_ON_DATE}, when it became the default` };
  }
  if (validDate)
    return {
      on: false,
      reason: `no nodejs_compat flag, and compatibility date ${validDate} is before ${NODEJS_COMPAT_DEFAULT_ON_DATE}, when it became the default`,
    };
  return { on: false, reason: 'no nodejs_compat flag and no compatibility date' };
}
