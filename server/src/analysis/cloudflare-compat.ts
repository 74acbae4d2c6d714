// Decides whether a Cloudflare Worker has Node.js compatibility, from its compatibility date and flags, the way
// workerd resolves them: the flag turns it on, and from compatibility date 2026-08-04 it is on by default unless
// the Worker opts out with `no_nodejs_compat`.

/**
 * From this compatibility date workerd enables `nodejs_compat` and `nodejs_compat_v2` by default
 * (https://developers.cloudflare.com/changelog/post/2026-08-04-nodejs-compat-default/, read 2026-11-22).
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
    if (flags.includes('no_nodejs_compat')) return { on: false, reason: `"no_nodejs_compat" turns off the default of compatibility date ${validDate}` };
    return { on: true, reason: `compatibility date ${validDate} is on or after ${NODEJS_COMPAT_DEFAULT_ON_DATE}, when it became the default` };
  }
  if (validDate) return { on: false, reason: `no nodejs_compat flag, and compatibility date ${validDate} is before ${NODEJS_COMPAT_DEFAULT_ON_DATE}, when it became the default` };
  return { on: false, reason: 'no nodejs_compat flag and no compatibility date' };
}
