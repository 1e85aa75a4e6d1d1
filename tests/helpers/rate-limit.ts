/**
 * Rate limits count in fixed windows aligned to the epoch (lib/core/rate-limit.ts). A test
 * that counts hits must not straddle a window boundary, or its counter restarts
 * half-way: when the next boundary is less than `marginMs` away, wait until it passes.
 * (The database and this process share the machine's clock.)
 */
export async function awayFromWindowEdge(windowSeconds: number, marginMs = 10_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const untilNextWindow = windowMs - (Date.now() % windowMs);
  if (untilNextWindow < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextWindow + 100));
}
