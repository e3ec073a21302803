import type { RouteRegistry } from '../openapi/registry.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerAttributeRoutes } from './attribute-routes.js';
import { registerFileRoutes } from './file-routes.js';
import { registerMessageRoutes } from './message-routes.js';
import { registerMetadataRoutes } from './metadata-routes.js';
import { registerRelationshipRoutes } from './relationship-routes.js';
import { registerRequestRoutes } from './request-routes.js';
import type { DomainRouteOptions } from './route-kit.js';
import { registerTemplateRoutes } from './template-routes.js';
import { registerTokenRoutes } from './token-routes.js';

/**
 * Registers the routes of the Enmeshed Connector API over the connector's account: the transport routes
 * (Account, Challenges, Relationships, RelationshipTemplates, Tokens, Messages, Files) and the consumption
 * routes (Attributes, Requests, IdentityMetadata, Announcements, BackboneNotifications). Within a resource, fixed
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
  registerAttributeRoutes(registry, options);
  registerRequestRoutes(registry, options);
  registerMetadataRoutes(registry, options);
}
