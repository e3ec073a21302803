import { Counter, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics every actor reports. One registry per process. */
export interface ActorMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'actor' | 'operation' | 'outcome'>;
  readonly duration: Histogram<'actor' | 'operation'>;
}

/** Creates the metric set on a fresh registry. */
export function createActorMetrics(): ActorMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'enmesh_actor_requests_total',
    help: 'Backbone requests handled, by actor, operation and outcome (ok or the error code).',
    labelNames: ['actor', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'enmesh_actor_request_duration_seconds',
    help: 'Time from receipt to reply of backbone requests.',
    labelNames: ['actor', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, requests, duration };
}
