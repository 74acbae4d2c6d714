'use client';

import { useEffect, useState } from 'react';

interface CounterProps {
  label: string;
  initial: number;
  refreshMs?: number;
}

// Keeps the team-size tile fresh while the dashboard is open.
export default function Counter({ label, initial, refreshMs = 15_000 }: CounterProps) {
  const [count, setCount] = useState(initial);

  useEffect(() => {
    const timer = setInterval(async () => {
      const res = await fetch('/api/users', { cache: 'no-store' });
      if (res.ok) setCount(((await res.json()) as unknown[]).length);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  return (
    <div className="rounded-lg border p-4">
      <p className="text-sm text-zinc-500">{label}</p>
      <p className="text-3xl font-semibold tabular-nums">{count.toLocaleString()}</p>
    </div>
  );
}
