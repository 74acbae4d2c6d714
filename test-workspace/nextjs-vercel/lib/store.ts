// Fixed-window rate limiting for the public API routes.
// TODO(billing): move to Upstash once we are past the beta.

interface Window {
  count: number;
  resetAt: number;
}

const WINDOW_MS = 60_000;
const windows = new Map<string, Window>();

export function rateLimit(key: string, limit = 10): { ok: boolean; retryAfter: number } {
  const now = Date.now();
  const current = windows.get(key);
  const next: Window =
    !current || current.resetAt <= now
      ? { count: 1, resetAt: now + WINDOW_MS }
      : { count: current.count + 1, resetAt: current.resetAt };
  windows.set(key, next);
  return { ok: next.count <= limit, retryAfter: Math.ceil((next.resetAt - now) / 1000) };
}
