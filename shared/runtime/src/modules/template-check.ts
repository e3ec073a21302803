/**
 * The check of a template's requests before the template is created: each must be valid as an outgoing
 * request (for the identity the template is for, when it names one), as Enmeshed checks them.
 */
import type { ValidationResult } from '@enmesh/consumption';
import type { Request } from '@enmesh/content';
import type { ConsumptionBridge } from '../account/consumption-bridge.js';
import { validationError } from '../errors.js';
import type { TemplateContentCheck } from '../services/templates-service.js';

/** The path (below the request) and result of the first failure in a result tree. */
function firstFailure(
  result: ValidationResult,
  path = '',
): { path: string; failure: ValidationResult } | undefined {
  for (const [index, item] of result.items.entries()) {
    const found = firstFailure(item, `${path}.items[${index}]`);
    if (found) return found;
  }
  return result.isSuccess ? undefined : { path, failure: result };
}

/** The template check of an account (nothing is checked where consumption is not enabled). */
export function templateContentCheck(bridge: ConsumptionBridge): TemplateContentCheck {
  return async (content, forIdentity) => {
    const template = content as {
      '@type'?: string;
      onNewRelationship?: Request;
      onExistingRelationship?: Request;
    };
    if (!bridge.enabled || template['@type'] !== 'RelationshipTemplateContent') return;
    for (const field of ['onNewRelationship', 'onExistingRelationship'] as const) {
      const request = template[field];
      if (!request) continue;
      const result = await bridge.write((c) =>
        c.outgoingRequests.canCreate({ content: request, ...(forIdentity ? { peer: forIdentity } : {}) }),
      );
      const found = firstFailure(result);
      if (!found) continue;
      throw validationError([
        {
          path: `$.content.${field}${found.path}`,
          message: `${found.failure.code ?? 'invalid'}: ${found.failure.message ?? 'cannot be sent'}`,
        },
      ]);
    }
  };
}
