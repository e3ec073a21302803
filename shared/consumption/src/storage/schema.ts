/**
 * The consumption part of a database schema: the runtime adds these entities and migrations to its
 * DataSource.
 */
import type { EntitySchema, MigrationInterface } from 'typeorm';
import { consumptionEntities } from './entities.js';
import { CreateConsumption1764160000000 } from './migrations/1764160000000-create-consumption.js';

/** The consumption entities and migrations, in order. */
export const consumptionSchema: {
  readonly entities: readonly EntitySchema[];
  readonly migrations: readonly (new () => MigrationInterface)[];
} = {
  entities: consumptionEntities as EntitySchema[],
  migrations: [CreateConsumption1764160000000],
};
