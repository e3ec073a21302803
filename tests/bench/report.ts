import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured figure next to the baseline measured in the same run, and their ratio (value / baseline). */
export interface Figure {
  readonly benchmark: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baselineName: string;
  readonly baseline: number;
  readonly ratio: number;
  /** True for rates (more is better), false for latencies. */
  readonly higherIsBetter: boolean;
}

/** Builds a figure; the ratio is always value / baseline. */
export function figure(input: Omit<Figure, 'ratio'>): Figure {
  return { ...input, ratio: input.baseline > 0 ? input.value / input.baseline : Number.NaN };
}

/** The `p`-th percentile (0..100) of `samples` by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Operations per second of `count` operations done in `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.NaN;
}

/** Runs `fn` and returns how long it took, in milliseconds. */
export async function elapsedMs(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * Calls a synchronous `fn` repeatedly for about `budgetMs` (at most `maxOps` times, at least once), after a
 * short warm-up, and returns its rate in operations per second.
 */
export function syncRate(fn: () => unknown, budgetMs = 1000, maxOps = 1_000_000): number {
  const warmUntil = performance.now() + Math.min(100, budgetMs / 10);
  for (let i = 0; i < maxOps && performance.now() < warmUntil; i++) fn();
  const started = performance.now();
  const deadline = started + budgetMs;
  let ops = 0;
  do {
    fn();
    ops++;
  } while (ops < maxOps && performance.now() < deadline);
  return perSecond(ops, performance.now() - started);
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** Prints one figure: value, baseline and ratio on one line. */
export function printFigure(f: Figure): void {
  const line =
    `  ${f.name.padEnd(50)} ${format(f.value).padStart(12)} ${f.unit.padEnd(13)}` +
    `| ${f.baselineName}: ${format(f.baseline)} ${f.unit} | ratio ${f.ratio.toFixed(3)}`;
  console.log(line);
}

/** Prints a benchmark's heading. */
export function printHeading(title: string): void {
  console.log(`\n${title}`);
}

/** The repository's `bench-results/` directory (git-ignored). */
export const resultsDir = fileURLToPath(new URL('../../bench-results/', import.meta.url));

/**
 * Writes all figures, the machine's description and each benchmark's `details` (what a figure cannot
 * hold: sizes, targets met or missed) as JSON to `bench-results/<iso time>.json` and
 * `bench-results/latest.json`; returns the dated file's path.
 */
export async function writeResults(
  figures: readonly Figure[],
  startedAt: Date,
  durationMs: number,
  dir = resultsDir,
  details: Readonly<Record<string, unknown>> = {},
): Promise<string> {
  const machine = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
  };
  const results = { startedAt: startedAt.toISOString(), durationMs, machine, figures, details };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await mkdir(dir, { recursive: true });
  const dated = join(dir, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(dated, json);
  await writeFile(join(dir, 'latest.json'), json);
  return dated;
}
