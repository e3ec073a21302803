/** The inputs of the attribute use cases, and the helpers they share. */
import type { NotificationRow, Tx } from '@enmesh/consumption';
import type { IdentityAttribute, NotificationItem } from '@enmesh/content';
import { z } from 'zod';
import { validate, validateContent } from '../errors.js';
import { addressSchema, idOf } from './inputs.js';
import { querySchema } from './query-filter.js';

const deletionKeys = ['deletionInfo', 'deletionInfo.deletionStatus', 'deletionInfo.deletionDate'];
const contentKeys = [
  'content.@type',
  'content.tags',
  'content.key',
  'content.isTechnical',
  'content.confidentiality',
  'content.value.@type',
];
const attributeKeys = [
  '@type',
  'createdAt',
  ...contentKeys,
  'content.owner',
  'succeeds',
  'succeededBy',
  'sourceReference',
  'peer',
  'initialAttributePeer',
  'deletionInfo.deletionStatus',
  'deletionInfo.deletionDate',
];
const sharedKeys = ['@type', 'createdAt', ...contentKeys, 'sourceReference', ...deletionKeys];

const ownContent = z.strictObject({ value: z.unknown(), tags: z.array(z.string()).optional() });
const attributeId = idOf('ATT');
const listOptions = { onlyLatestVersions: z.boolean().optional(), hideTechnical: z.boolean().optional() };

/** The zod schemas of the attribute use cases' inputs. */
export const inputs = {
  content: z.strictObject({ content: ownContent }),
  id: z.strictObject({ id: attributeId }),
  attributeId: z.strictObject({ attributeId }),
  attributes: z.strictObject({ query: querySchema(attributeKeys).optional() }),
  own: z.strictObject({
    query: querySchema(['createdAt', 'content.tags', 'content.value.@type', ...deletionKeys]).optional(),
    onlyLatestVersions: z.boolean().optional(),
  }),
  shared: z.strictObject({ peer: addressSchema, query: querySchema(sharedKeys).optional(), ...listOptions }),
  peer: z.strictObject({
    peer: addressSchema,
    query: querySchema([...sharedKeys, 'initialAttributePeer']).optional(),
    ...listOptions,
  }),
  versionsShared: z.strictObject({
    attributeId,
    peer: addressSchema,
    onlyLatestVersions: z.boolean().optional(),
  }),
  succeed: z.strictObject({ predecessorId: attributeId, successorContent: ownContent }),
  notifyPeer: z.strictObject({ attributeId, peer: addressSchema }),
  query: z.strictObject({ query: z.record(z.string(), z.unknown()) }),
  relationshipQuery: z.strictObject({
    query: z.record(z.string(), z.unknown()),
    peer: addressSchema.optional(),
  }),
  iql: z.strictObject({ query: z.strictObject({ queryString: z.string() }) }),
};

/** The IdentityAttribute of an own content input. @throws RuntimeError `error.runtime.validation`. */
export function identityContent(owner: string, input: { value: unknown; tags?: string[] | undefined }) {
  const json = {
    '@type': 'IdentityAttribute',
    owner,
    value: input.value,
    ...(input.tags ? { tags: input.tags } : {}),
  };
  return validateContent(json, ['IdentityAttribute'], 'content') as IdentityAttribute;
}

/** A query input with its `@type` (added when absent). @throws RuntimeError `error.runtime.validation`. */
export function typedQuery<T>(input: unknown, type: string): T {
  const { query } = validate(inputs.query, input);
  return validateContent({ '@type': type, ...query }, [type as 'IQLQuery'], 'query') as T;
}

/** Records an own notification to send, as Open; returns its id. */
export async function recordOwnNotification(
  tx: Tx,
  peer: string,
  items: NotificationItem[],
): Promise<string> {
  const id = tx.newId('NOT');
  const row: NotificationRow = {
    identity: tx.address,
    id,
    isOwn: true,
    peer,
    createdAt: tx.now(),
    status: 'Open',
    content: JSON.stringify({ '@type': 'Notification', id, items }),
    sourceReference: null,
    errorCode: null,
  };
  await tx.manager.insert('ConsumptionNotification', row);
  return id;
}
