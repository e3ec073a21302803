import { z } from 'zod';
import type { Counter, Metrics } from '../metrics.js';
import type { AnyRoute } from '../openapi/registry.js';

/** A named health check; it answers whether its service works. */
export type HealthChecks = Readonly<Record<string, () => Promise<boolean>>>;

/** Build information shown by `/Monitoring/Version`. */
export interface VersionInfo {
  readonly version: string;
  readonly build: string;
  readonly commit: string;
  /** When this build was made (ISO 8601); the Enmeshed API requires it. */
  readonly date: string;
}

const healthSchema = z.object({
  isHealthy: z.boolean(),
  services: z.record(z.string(), z.enum(['healthy', 'unhealthy'])),
});

const versionSchema = z.object({
  version: z.string(),
  build: z.string(),
  commit: z.string(),
  date: z.iso.datetime(),
});

const requestsSchema = z.object({
  since: z.iso.datetime(),
  requestCount: z.number(),
  requestCountByStatus: z.record(z.string(), z.number()),
  responseCountByStatus: z.record(z.string(), z.number()),
});

/** Runs every health check with a deadline; a check that throws or times out counts as unhealthy. */
export async function checkHealth(
  checks: HealthChecks,
  timeoutMs: number,
): Promise<z.output<typeof healthSchema>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        const ok = await Promise.race([check().catch(() => false), deadline]);
        return [name, ok ? 'healthy' : 'unhealthy'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return {
    isHealthy: entries.every(([, state]) => state === 'healthy'),
    services: Object.fromEntries(entries),
  };
}

/**
 * The monitoring routes of the Enmeshed Connector (`/health` open, `/Monitoring/Version`, `/Monitoring/Requests`,
 * `/Monitoring/Support`, with bare bodies as there) and `/metrics` in the Prometheus text format.
 */
export function monitoringRoutes(options: {
  health: HealthChecks;
  healthTimeoutMs: number;
  version: VersionInfo;
  since: Date;
  requests: Counter;
  metrics: Metrics;
  supportConfiguration: unknown;
  identityInfo?: { address: string; publicKey: string };
}): AnyRoute[] {
  const tags = ['Monitoring'];
  const health = () => checkHealth(options.health, options.healthTimeoutMs);
  return [
    {
      method: 'get',
      path: '/health',
      summary: 'Shows whether the connector and the services it needs work (HTTP 500 when not).',
      tags,
      scopes: [],
      public: true,
      envelope: false,
      result: healthSchema,
      handler: async ({ context }) => {
        const report = await health();
        return context.json(report, report.isHealthy ? 200 : 500);
      },
    },
    {
      method: 'get',
      path: '/Monitoring/Version',
      summary: 'Shows the connector version.',
      tags,
      scopes: ['monitoring:version'],
      envelope: false,
      result: versionSchema,
      handler: () => options.version,
    },
    {
      method: 'get',
      path: '/Monitoring/Requests',
      summary: 'Shows how many requests the connector answered, per status code.',
      tags,
      scopes: ['monitoring:requests'],
      envelope: false,
      result: requestsSchema,
      handler: () => {
        const byStatus: Record<string, number> = {};
        let total = 0;
        for (const { labels, value } of options.requests.values()) {
          const status = labels.status ?? 'unknown';
          byStatus[status] = (byStatus[status] ?? 0) + value;
          total += value;
        }
        // The Enmeshed API describes `requestCountByStatus` but requires `responseCountByStatus`: both are
        // answered, so that clients written against either read their field.
        return {
          since: options.since.toISOString(),
          requestCount: total,
          requestCountByStatus: byStatus,
          responseCountByStatus: byStatus,
        };
      },
    },
    {
      method: 'get',
      path: '/Monitoring/Support',
      summary: 'Shows support information: version, health and the configuration with secrets masked.',
      tags,
      scopes: ['monitoring:support'],
      envelope: false,
      result: z.object({
        version: versionSchema,
        health: healthSchema,
        configuration: z.unknown(),
        identityInfo: z.object({ address: z.string(), publicKey: z.string() }).optional(),
      }),
      handler: async () => ({
        version: options.version,
        health: await health(),
        configuration: options.supportConfiguration,
        ...(options.identityInfo ? { identityInfo: options.identityInfo } : {}),
      }),
    },
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics: requests and durations by route and status, webhook and event counters.',
      tags,
      scopes: ['monitoring:metrics'],
      produces: 'text/plain',
      result: z.string(),
      handler: ({ context }) =>
        context.body(options.metrics.render(), 200, {
          'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        }),
    },
  ];
}
