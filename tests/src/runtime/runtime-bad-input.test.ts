import { CryptoError, ProtocolError } from '@enmesh/protocol';
import type { TransportServices } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import {
  inDays,
  removeTestRuntime,
  runtimeError,
  startTestRuntime,
  type TestRuntime,
} from './runtime-kit.js';

const unknownId = (prefix: string) => `${prefix}AAAAAAAAAAAAAAAAA`;

describe('bad input to the runtime services', () => {
  let stack: TestStack;
  let org: TestRuntime;
  const s = (): TransportServices => org.runtime.account.transport;
  /** A well-formed address (the runtime's own) where the input is checked before anything is sent. */
  const peer = () => org.runtime.account.address;

  beforeAll(async () => {
    stack = await startTestStack();
    org = await startTestRuntime(stack);
  });

  afterAll(async () => {
    await org?.close();
    if (org) await removeTestRuntime(org);
    await stack?.destroy();
  });

  /** Expects a validation error whose faults name exactly these paths. */
  async function invalid(call: () => Promise<unknown>, paths: string[]) {
    const error = await runtimeError(call());
    expect(error.code).toBe('error.runtime.validation');
    expect(error.faults.map((fault) => fault.path).sort()).toEqual([...paths].sort());
    expect(error.message).toContain(error.faults[0]?.path);
  }

  it('relationships: names the faulty field', async () => {
    const r = s().relationships;
    await invalid(() => r.getRelationship({ id: 'REL-1' }), ['$.id']);
    await invalid(() => r.getRelationships({ query: { status: 'Happy' as 'Active' } }), ['$.query.status']);
    await invalid(() => r.getRelationships({ query: { peer: ['nobody'] } }), ['$.query.peer[0]']);
    await invalid(() => r.getRelationships({ query: { color: 'red' } as object }), ['$.query.color']);
    await invalid(
      () => r.acceptRelationship({ relationshipId: 5 as unknown as string }),
      ['$.relationshipId'],
    );
    await invalid(() => r.terminateRelationship({} as { relationshipId: string }), ['$.relationshipId']);
    await invalid(
      () => r.createRelationship({ templateId: unknownId('RLT'), creationContent: { '@type': 'Mail' } }),
      ['$.creationContent["@type"]'],
    );
    await invalid(
      () =>
        r.createRelationship({
          templateId: unknownId('RLT'),
          creationContent: { '@type': 'ArbitraryRelationshipCreationContent' },
        }),
      ['$.creationContent.value'],
    );
    const missing = await runtimeError(r.getRelationship({ id: unknownId('REL') }));
    expect(missing.code).toBe('error.runtime.notFound');
    expect(await r.canCreateRelationship({ templateId: unknownId('RLT') })).toMatchObject({
      isSuccess: false,
      code: 'error.runtime.notFound',
    });
  });

  it('templates and tokens: names the faulty field', async () => {
    const t = s().relationshipTemplates;
    await invalid(
      () => t.createOwnRelationshipTemplate({ content: { '@type': 'Nonsense' }, expiresAt: 'tomorrow' }),
      ['$.expiresAt'],
    );
    await invalid(
      () =>
        t.createOwnRelationshipTemplate({
          content: { '@type': 'RelationshipTemplateContent' },
          expiresAt: inDays(1),
        }),
      ['$.content.onNewRelationship'],
    );
    await invalid(
      () =>
        t.createOwnRelationshipTemplate({
          content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
          expiresAt: inDays(-1),
          passwordProtection: { password: 'abc', passwordIsPin: true },
        }),
      ['$.expiresAt', '$.passwordProtection.password'],
    );
    await invalid(() => t.loadPeerRelationshipTemplate({ reference: '' }), ['$.reference']);
    await invalid(() => t.getRelationshipTemplate({ id: unknownId('TOK') }), ['$.id']);
    await invalid(
      () => t.createTokenForOwnRelationshipTemplate({ templateId: unknownId('RLT'), forIdentity: 'x' }),
      ['$.forIdentity'],
    );
    const k = s().tokens;
    await invalid(
      () => k.createOwnToken({ content: 'text' as unknown as Record<string, never>, expiresAt: inDays(1) }),
      ['$.content'],
    );
    await invalid(() => k.loadPeerToken({ reference: 42 as unknown as string }), ['$.reference']);
    await invalid(() => k.deleteToken({ tokenId: 'TOKshort' }), ['$.tokenId']);
    // A reference that does not decode is the crypto layer's error; it passes through with its code.
    const notAReference = await k
      .loadPeerToken({ reference: 'AAAAAAAAAAAAAAAA' })
      .catch((error: unknown) => error);
    expect(notAReference).toBeInstanceOf(CryptoError);
    expect((notAReference as CryptoError).code).toBe('error.crypto.invalidReference');
  });

  it('messages and files: names the faulty field', async () => {
    const m = s().messages;
    await invalid(
      () =>
        m.sendMessage({
          recipients: ['not-an-address'],
          content: { '@type': 'ArbitraryMessageContent', value: 1 },
        }),
      ['$.recipients[0]'],
    );
    await invalid(
      () =>
        m.sendMessage({
          recipients: [peer(), peer()],
          content: { '@type': 'ArbitraryMessageContent', value: 1 },
        }),
      ['$.recipients'],
    );
    await invalid(
      () =>
        m.sendMessage({ recipients: [peer()], content: { '@type': 'Mail', to: [], subject: 1, body: '' } }),
      ['$.content.to', '$.content.subject'],
    );
    await invalid(
      () =>
        m.sendMessage({
          recipients: [peer()],
          content: { '@type': 'ArbitraryMessageContent', value: 1 },
          attachments: [unknownId('FIL')],
        }),
      ['$.attachments[0]'],
    );
    await invalid(() => m.getMessages({ query: { isOwn: 'yes' as unknown as boolean } }), ['$.query.isOwn']);
    await invalid(
      () => m.downloadAttachment({ id: unknownId('MSG'), attachmentId: 'x' }),
      ['$.attachmentId'],
    );
    await invalid(() => m.markMessageAsRead({ id: '' }), ['$.id']);
    const f = s().files;
    await invalid(
      () => f.uploadOwnFile({ content: 'text' as unknown as Uint8Array, filename: '', mimetype: 'pdf' }),
      ['$.content', '$.filename', '$.mimetype'],
    );
    await invalid(
      () =>
        f.uploadOwnFile({ content: (async function* () {})(), filename: 'a.txt', mimetype: 'text/plain' }),
      ['$.size'],
    );
    await invalid(() => f.getFile({ id: unknownId('MSG') }), ['$.id']);
    await invalid(
      () => f.claimFileOwnership({ fileId: unknownId('FIL'), ownershipToken: '!' }),
      ['$.ownershipToken'],
    );
    await invalid(
      () => f.createTokenForFile({ fileId: unknownId('FIL'), expiresAt: '2020-01-01T00:00:00Z' }),
      ['$.expiresAt'],
    );
    expect((await runtimeError(f.getFile({ id: unknownId('FIL') }))).code).toBe('error.runtime.notFound');
  });

  it('backbone errors pass through with their codes', async () => {
    const template = await s().relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
      expiresAt: inDays(1),
    });
    // Loading one's own template is allowed; requesting a relationship with oneself is not.
    await s().relationshipTemplates.loadPeerRelationshipTemplate({ reference: template.reference.truncated });
    const self = await s().relationships.canCreateRelationship({ templateId: template.id });
    expect(self.isSuccess).toBe(false);
    const far = inDays(365 * 20);
    const error = await s()
      .tokens.createOwnToken({ content: {}, expiresAt: far })
      .catch((caught: unknown) => caught);
    expect(ProtocolError.isProtocolError(error, 'error.protocol.invalidExpiry')).toBe(true);
  });
});
