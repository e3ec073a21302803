type Labels = Readonly<Record<string, string>>;

const labelKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))}"`)
    .join(',');

/** A monotonically increasing count per label set. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** The current values, per label set. */
  values(): ReadonlyArray<{ labels: Labels; value: number }>;
}

/** A distribution of observed values per label set, in cumulative buckets. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

interface Series<T> {
  labels: Labels;
  value: T;
}

interface Family {
  render(name: string): string[];
}

/**
 * A small Prometheus registry: counters, histograms and gauges read on demand, rendered in the text
 * exposition format. Each metric keeps at most `maxSeries` label sets; further sets are counted under
 * `overflow="true"` so a mistake cannot grow memory without bound.
 */
export class Metrics {
  readonly #families = new Map<string, { help: string; type: string; family: Family }>();
  readonly #maxSeries: number;

  /** Creates an empty registry. */
  constructor(options: { maxSeries?: number } = {}) {
    this.#maxSeries = options.maxSeries ?? 1000;
  }

  /** Registers a counter. */
  counter(name: string, help: string): Counter {
    const series = new Map<string, Series<number>>();
    const slot = this.#slot(series, () => 0);
    this.#families.set(name, {
      help,
      type: 'counter',
      family: { render: (n) => [...series.values()].map((s) => `${n}${braces(s.labels)} ${s.value}`) },
    });
    return {
      inc: (labels = {}, by = 1) => {
        const entry = slot(labels);
        entry.value += by;
      },
      values: () => [...series.values()].map((s) => ({ labels: s.labels, value: s.value })),
    };
  }

  /** Registers a histogram with the given upper bounds (seconds, bytes …). */
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    type H = { counts: number[]; sum: number; count: number };
    const series = new Map<string, Series<H>>();
    const slot = this.#slot(series, () => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
    this.#families.set(name, {
      help,
      type: 'histogram',
      family: {
        render: (n) =>
          [...series.values()].flatMap((s) => [
            ...buckets.map(
              (le, i) => `${n}_bucket${braces({ ...s.labels, le: String(le) })} ${s.value.counts[i]}`,
            ),
            `${n}_bucket${braces({ ...s.labels, le: '+Inf' })} ${s.value.count}`,
            `${n}_sum${braces(s.labels)} ${s.value.sum}`,
            `${n}_count${braces(s.labels)} ${s.value.count}`,
          ]),
      },
    });
    return {
      observe: (labels, value) => {
        const h = slot(labels).value;
        buckets.forEach((le, i) => {
          if (value <= le) h.counts[i] = (h.counts[i] ?? 0) + 1;
        });
        h.sum += value;
        h.count += 1;
      },
    };
  }

  /** Registers a gauge whose values are read when the metrics are rendered. */
  gauge(name: string, help: string, read: () => ReadonlyArray<{ labels?: Labels; value: number }>): void {
    this.#families.set(name, {
      help,
      type: 'gauge',
      family: { render: (n) => read().map((s) => `${n}${braces(s.labels ?? {})} ${s.value}`) },
    });
  }

  /** Renders every metric in the Prometheus text format (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    for (const [name, { help, type, family }] of this.#families) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...family.render(name));
    }
    return `${lines.join('\n')}\n`;
  }

  #slot<T>(series: Map<string, Series<T>>, initial: () => T): (labels: Labels) => Series<T> {
    return (labels) => {
      let key = labelKey(labels);
      let entry = series.get(key);
      if (!entry && series.size >= this.#maxSeries) {
        const overflow = { overflow: 'true' };
        key = labelKey(overflow);
        entry = series.get(key);
        labels = overflow;
      }
      if (!entry) {
        entry = { labels, value: initial() };
        series.set(key, entry);
      }
      return entry;
    };
  }
}

function braces(labels: Labels): string {
  const text = labelKey(labels);
  return text === '' ? '' : `{${text}}`;
}
