/**
 * Waits until `condition` holds, checking on every tick, or fails after `timeoutMs` with `what`.
 * Tests wait on events with deadlines, never on bare sleeps.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Collects entries from an async iterable until `count` arrived or `timeoutMs` passed; returns what came. */
export async function collect<T>(
  source: AsyncIterable<T>,
  count: number,
  timeoutMs: number,
  onItem: (item: T) => Promise<void> = async () => undefined,
): Promise<T[]> {
  const items: T[] = [];
  const iterator = source[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (items.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout' || next.done) break;
    items.push(next.value);
    await onItem(next.value);
  }
  return items;
}
