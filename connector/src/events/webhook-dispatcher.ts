import type { Logger } from 'pino';
import type { ConnectorConfig } from '../config/schema.js';
import type { Counter } from '../metrics.js';
import type { DeliveryStore } from './delivery-store.js';
import type { DeliveryRow } from './entities.js';
import type { EventStore } from './event-store.js';
import { signatureHeader, signPayload } from './signature.js';
import { WakeSignal } from './wake.js';
import type { ResolvedWebhook } from './webhook-config.js';
import { postWebhook } from './webhook-sender.js';

type DeliverySettings = ConnectorConfig['modules']['webhooks']['delivery'];

/** What the dispatcher counts. */
export interface DispatcherMetrics {
  readonly attempts: Counter;
}

/**
 * Delivers queued webhook deliveries durably: one loop per webhook sends its pending deliveries strictly in
 * event order, one at a time; a failed attempt (no answer, timeout, non-2xx) is retried with exponential
 * backoff and jitter, and after `maxAttempts` the delivery becomes a dead letter and the queue moves on.
 * State lives in SQL, so a restart resumes where the last one stopped. Delivery is at least once: a crash
 * between the receiver's 2xx and the recorded success repeats that delivery, with the same event id.
 */
export class WebhookDispatcher {
  readonly #webhooks: readonly ResolvedWebhook[];
  readonly #deliveries: DeliveryStore;
  readonly #events: EventStore;
  readonly #identity: string;
  readonly #settings: DeliverySettings;
  readonly #skipTlsCheck: boolean;
  readonly #logger: Logger;
  readonly #metrics: DispatcherMetrics | undefined;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #signals = new Map<string, WakeSignal>();
  readonly #loops: Promise<void>[] = [];
  #closing = false;

  /** Prepares the loops; `start` runs them. */
  constructor(options: {
    webhooks: readonly ResolvedWebhook[];
    deliveries: DeliveryStore;
    events: EventStore;
    identity: string;
    settings: DeliverySettings;
    skipTlsCheck: boolean;
    logger: Logger;
    metrics?: DispatcherMetrics;
    clock?: () => number;
    random?: () => number;
  }) {
    this.#webhooks = options.webhooks;
    this.#deliveries = options.deliveries;
    this.#events = options.events;
    this.#identity = options.identity;
    this.#settings = options.settings;
    this.#skipTlsCheck = options.skipTlsCheck;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    for (const hook of this.#webhooks) this.#signals.set(hook.name, new WakeSignal());
  }

  /** Starts one delivery loop per webhook. */
  start(): void {
    for (const hook of this.#webhooks) this.#loops.push(this.#run(hook));
  }

  /** Wakes the loops (after an append or a requeue) so new work starts without waiting for the poll. */
  notify(): void {
    for (const signal of this.#signals.values()) signal.wake();
  }

  /** Stops starting attempts, lets the ones in flight finish and be recorded, then resolves. */
  async close(): Promise<void> {
    this.#closing = true;
    this.notify();
    await Promise.all(this.#loops);
  }

  /** The delay before attempt `attempts + 1`: exponential from `initialBackoffMs`, capped, half jittered. */
  backoff(attempts: number): number {
    const base = Math.min(
      this.#settings.maxBackoffMs,
      this.#settings.initialBackoffMs * 2 ** Math.min(attempts - 1, 40),
    );
    return Math.round(base / 2 + (this.#random() * base) / 2);
  }

  async #run(hook: ResolvedWebhook): Promise<void> {
    const signal = this.#signals.get(hook.name)!;
    while (!this.#closing) {
      let wait = this.#settings.pollIntervalMs;
      try {
        const head = await this.#deliveries.head(hook.name);
        if (head) {
          const due = head.nextAttemptAt - this.#clock();
          if (due <= 0) {
            await this.#attempt(hook, head);
            continue;
          }
          wait = Math.min(due, wait);
        }
      } catch (error) {
        this.#logger.error({ err: error, webhook: hook.name }, 'webhook delivery loop failed; retrying');
      }
      if (this.#closing) break;
      await signal.wait(wait);
    }
  }

  async #attempt(hook: ResolvedWebhook, delivery: DeliveryRow): Promise<void> {
    const event = await this.#events.byId(this.#identity, delivery.eventId);
    const attempts = delivery.attempts + 1;
    const body = `{"trigger":${JSON.stringify(delivery.namespace)},"data":${event?.data ?? 'null'}}`;
    const headers: Record<string, string> = {
      ...hook.headers,
      'X-Enmesh-Event-Id': delivery.eventId,
      'X-Enmesh-Event-Sequence': String(delivery.sequence),
      'X-Enmesh-Delivery-Id': delivery.id,
      'X-Enmesh-Delivery-Attempt': String(attempts),
    };
    if (hook.signingSecret) {
      headers[signatureHeader] = signPayload(hook.signingSecret, body, Math.floor(this.#clock() / 1000));
    }
    const outcome = await postWebhook(hook.url(delivery.namespace), body, headers, {
      timeoutMs: this.#settings.timeoutMs,
      maxResponseBytes: this.#settings.maxResponseBytes,
      rejectUnauthorized: !this.#skipTlsCheck,
    });
    const now = this.#clock();
    const log = { webhook: hook.name, eventId: delivery.eventId, sequence: delivery.sequence, attempts };
    if (outcome.ok) {
      await this.#deliveries.delivered(delivery.id, attempts, outcome.status ?? 0, now);
      this.#metrics?.attempts.inc({ webhook: hook.name, outcome: 'delivered' });
      this.#logger.debug({ ...log, status: outcome.status }, 'webhook delivered');
      return;
    }
    const dead = attempts >= this.#settings.maxAttempts;
    const error = outcome.error ?? `HTTP ${outcome.status}`;
    await this.#deliveries.failed(
      delivery.id,
      { attempts, status: outcome.status ?? null, error, nextAttemptAt: now + this.backoff(attempts), dead },
      now,
    );
    this.#metrics?.attempts.inc({ webhook: hook.name, outcome: dead ? 'dead' : 'failed' });
    if (dead) this.#logger.warn({ ...log, error }, 'webhook delivery moved to the dead letters');
    else this.#logger.info({ ...log, error }, 'webhook delivery failed; will retry');
  }
}
