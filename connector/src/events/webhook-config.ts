import { createHash } from 'node:crypto';
import type { WebhookTargetSettings } from '../config/events-schema.js';
import type { ConnectorConfig } from '../config/schema.js';
import { triggerMatches } from './event.js';

/** A webhook ready to deliver: its queue name, triggers and target. */
export interface ResolvedWebhook {
  /** Names the webhook's delivery queue; stable while the target URL and triggers stay the same. */
  readonly name: string;
  readonly triggers: readonly string[];
  readonly urlTemplate: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signingSecret: string | undefined;
  /** Tells whether an event name triggers this webhook. */
  matches(namespace: string): boolean;
  /** The target URL for an event name (`{{trigger}}` filled in). */
  url(namespace: string): string;
}

/**
 * Resolves `modules.webhooks` into webhooks: named or inline targets, the target's API key header merged
 * into its headers, the signing secret (the target's, else the module's). Without an explicit `name`, a
 * webhook is named by a hash of its URL template and triggers.
 */
export function resolveWebhooks(settings: ConnectorConfig['modules']['webhooks']): ResolvedWebhook[] {
  if (!settings.enabled) return [];
  return settings.webhooks.map((hook) => {
    const target: WebhookTargetSettings =
      typeof hook.target === 'string'
        ? settings.targets[hook.target]!
        : (hook.target as WebhookTargetSettings);
    const headers: Record<string, string> = { ...target.headers };
    if (target.authentication) headers[target.authentication.headerName] = target.authentication.apiKey;
    const name =
      hook.name ??
      `hook-${createHash('sha256')
        .update(JSON.stringify([target.url, [...hook.triggers].sort()]))
        .digest('hex')
        .slice(0, 16)}`;
    return {
      name,
      triggers: hook.triggers,
      urlTemplate: target.url,
      headers,
      signingSecret: target.signingSecret ?? settings.signingSecret,
      matches: (namespace) => hook.triggers.some((trigger) => triggerMatches(trigger, namespace)),
      url: (namespace) => target.url.replaceAll('{{trigger}}', encodeURIComponent(namespace)),
    };
  });
}
