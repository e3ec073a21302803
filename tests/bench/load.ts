/** What a run of repeated operations measured: wall time and each operation's latency, in ms. */
export interface LoadResult {
  readonly count: number;
  readonly ms: number;
  readonly latencies: number[];
}

/**
 * Runs `op` `count` times with at most `concurrency` at once and returns the wall time and latencies.
 * Fails (after the running operations settle) when any operation fails or `timeoutMs` passes.
 */
export async function runLoad(
  count: number,
  concurrency: number,
  op: (index: number) => Promise<unknown>,
  timeoutMs = 60_000,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + timeoutMs;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      if (performance.now() > deadline) throw new Error(`load of ${count} timed out after ${timeoutMs} ms`);
      const index = next++;
      const t0 = performance.now();
      try {
        await op(index);
      } catch (error) {
        failed = true;
        throw error;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, count) }, worker));
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected) throw rejected.reason;
  return { count, ms: performance.now() - started, latencies };
}
