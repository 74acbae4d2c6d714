// Structured JSON logs, shared by the middleware (edge) and the route handlers (Node.js).
type Level = 'debug' | 'info' | 'warn' | 'error';

export async function log(level: Level, message: string, fields: Record<string, unknown> = {}): Promise<void> {
  const entry: Record<string, unknown> = {
    level,
    message,
    time: new Date().toISOString(),
    region: process.env.VERCEL_REGION,
    ...fields,
  };
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { hostname } = await import('node:os');
    entry.host = hostname();
  }
  const line = JSON.stringify(entry);
  if (level === 'error') console.error(line);
  else console.log(line);
}
