export { type ActorsDeps, type RunningActors, startActors } from './actors.js';
export { AdminError, setIdentityTier } from './admin.js';
export { openDatabase, type SchemaParts } from './database.js';
export { startHealthServer } from './health-server.js';
export { type DeletionStep, deletionSteps, runIdentityDeletions } from './identity-deletion-job.js';
export { createLogger } from './logger.js';
export { backboneSchema } from './schema.js';
export { loadStackSettings, SettingsError, type StackSettings } from './settings.js';
export { type RunningStack, type StackOptions, startStack } from './stack.js';
