/**
 * One consumption instance: the controllers of one identity over one context, wired in plain code.
 */
import { AttributesController } from './attributes/attributes-controller.js';
import type { ConsumptionContext } from './context.js';
import { IncomingRequestsController } from './requests/incoming-requests.js';
import { OutgoingRequestsController } from './requests/outgoing-requests.js';
import type { ProcessorRegistry } from './requests/processors.js';

/** The controllers of one identity. */
export interface Consumption {
  readonly context: ConsumptionContext;
  readonly attributes: AttributesController;
  readonly incomingRequests: IncomingRequestsController;
  readonly outgoingRequests: OutgoingRequestsController;
}

/** Options of a consumption instance. */
export interface ConsumptionOptions {
  /** Processors replacing built-in ones, by request item type. */
  processors?: Partial<ProcessorRegistry>;
}

/** Creates the controllers of one identity over a context. */
export function createConsumption(
  context: ConsumptionContext,
  options: ConsumptionOptions = {},
): Consumption {
  return {
    context,
    attributes: new AttributesController(context),
    incomingRequests: new IncomingRequestsController(context, options.processors),
    outgoingRequests: new OutgoingRequestsController(context, options.processors),
  };
}
