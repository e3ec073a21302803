/**
 * One consumption instance: the controllers of one identity over one context, wired in plain code.
 */
import { AttributesController } from './attributes/attributes-controller.js';
import type { ConsumptionContext } from './context.js';
import { type AutomationRule, Decider } from './decider/decider.js';
import { NotificationsController } from './notifications/notifications-controller.js';
import { IncomingRequestsController } from './requests/incoming-requests.js';
import { OutgoingRequestsController } from './requests/outgoing-requests.js';
import { defaultProcessors, type ProcessorRegistry } from './requests/processors.js';
import { IdentityMetadataController } from './settings/identity-metadata.js';
import { SettingsController } from './settings/settings.js';

/** The controllers of one identity. */
export interface Consumption {
  readonly context: ConsumptionContext;
  readonly attributes: AttributesController;
  readonly incomingRequests: IncomingRequestsController;
  readonly outgoingRequests: OutgoingRequestsController;
  readonly decider: Decider;
  readonly notifications: NotificationsController;
  readonly settings: SettingsController;
  readonly identityMetadata: IdentityMetadataController;
}

/** Options of a consumption instance. */
export interface ConsumptionOptions {
  /** Processors replacing built-in ones, by request item type. */
  processors?: Partial<ProcessorRegistry>;
  /** The decider's automation rules (none: every request waits for a person). */
  automationRules?: readonly AutomationRule[];
}

/** Creates the controllers of one identity over a context. */
export function createConsumption(
  context: ConsumptionContext,
  options: ConsumptionOptions = {},
): Consumption {
  const processors = { ...defaultProcessors, ...options.processors };
  return {
    context,
    attributes: new AttributesController(context),
    incomingRequests: new IncomingRequestsController(context, options.processors),
    outgoingRequests: new OutgoingRequestsController(context, options.processors),
    decider: new Decider(context, options.automationRules ?? [], processors),
    notifications: new NotificationsController(context),
    settings: new SettingsController(context),
    identityMetadata: new IdentityMetadataController(context),
  };
}
