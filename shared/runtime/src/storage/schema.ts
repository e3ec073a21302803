/**
 * The runtime part of a database schema: a DataSource of the runtime holds these entities and migrations
 * (and those of the packages it composes, such as consumption).
 */
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { runtimeEntities } from './entities.js';
import { CreateRuntime1765200000000 } from './migrations/1765200000000-create-runtime.js';

/** The runtime's entities and migrations, in order. */
export const runtimeSchema: {
  readonly entities: readonly EntitySchema[];
  readonly migrations: readonly (new () => MigrationInterface)[];
} = {
  entities: runtimeEntities as EntitySchema[],
  migrations: [CreateRuntime1765200000000],
};
