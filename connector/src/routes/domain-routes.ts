import type { RouteRegistry } from '../openapi/registry.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerFileRoutes } from './file-routes.js';
import { registerMessageRoutes } from './message-routes.js';
import { registerRelationshipRoutes } from './relationship-routes.js';
import type { DomainRouteOptions } from './route-kit.js';
import { registerTemplateRoutes } from './template-routes.js';
import { registerTokenRoutes } from './token-routes.js';

/**
 * Registers the transport routes of the Enmeshed Connector API over the connector's account: Account,
 * Challenges, Relationships, RelationshipTemplates, Tokens, Messages and Files. Within a resource, fixed
 * paths (`/Files/Own`) are registered before parameterised ones (`/Files/{idOrReference}`), which the
 * router tries in registration order.
 */
export function registerDomainRoutes(registry: RouteRegistry, options: DomainRouteOptions): void {
  registerAccountRoutes(registry, options);
  registerRelationshipRoutes(registry, options);
  registerTemplateRoutes(registry, options);
  registerTokenRoutes(registry, options);
  registerMessageRoutes(registry, options);
  registerFileRoutes(registry, options);
}
