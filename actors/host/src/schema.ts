import { CreateFiles1764150000004, fileEntities } from '@enmesh/actor-files';
import {
  CreateIdentities1764144000000,
  IdentityStanding1764150000006,
  identityEntities,
} from '@enmesh/actor-identities';
import { CreateOutbox1764150000001, IndexOutboxMsgId1764150000005, OutboxEntity } from '@enmesh/actor-kit';
import {
  CreateMessages1764150000003,
  MessageSendCountsPublished1764150000007,
  messageEntities,
} from '@enmesh/actor-messages';
import { CreateRelationships1764150000002, relationshipEntities } from '@enmesh/actor-relationships';
import { CreateTokens1764150000000, tokenEntities } from '@enmesh/actor-tokens';
import type { SchemaParts } from './database.js';

/** The SQL schema of every actor this process can host. */
export const backboneSchema: SchemaParts = {
  entities: [
    ...identityEntities,
    ...tokenEntities,
    OutboxEntity,
    ...relationshipEntities,
    ...messageEntities,
    ...fileEntities,
  ],
  migrations: [
    CreateIdentities1764144000000,
    CreateTokens1764150000000,
    CreateOutbox1764150000001,
    CreateRelationships1764150000002,
    CreateMessages1764150000003,
    CreateFiles1764150000004,
    IndexOutboxMsgId1764150000005,
    IdentityStanding1764150000006,
    MessageSendCountsPublished1764150000007,
  ],
};
