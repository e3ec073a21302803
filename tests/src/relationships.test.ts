import { mailboxEntrySchema, type Relationship, randomBytes, toBase64Url } from '@enmesh/protocol';
import type { DeviceSession } from '@enmesh/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './kit/errors.js';
import { closeAll, createTestIdentity, type TestIdentity } from './kit/identities.js';
import { startTestStack, type TestDatabase, type TestStack } from './kit/stack.js';
import { collect } from './kit/wait.js';

const sealed = () => toBase64Url(randomBytes(200));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.each<TestDatabase>(['sqlite', 'postgres'])('the relationship lifecycle (%s)', (database) => {
  let test: TestStack;
  let templator: TestIdentity;
  let requestor: TestIdentity;
  let stranger: TestIdentity;
  const t = () => templator.devices[0]!.session;
  const r = () => requestor.devices[0]!.session;
  const x = () => stranger.devices[0]!.session;

  /** The templator publishes a template; `by` loads it and requests a relationship. */
  async function request(by: DeviceSession): Promise<Relationship> {
    const template = await t().call('createTemplate', { content: sealed(), expiresAt: inDays(1) });
    await by.call('loadTemplate', { id: template.id });
    return by.call('createRelationship', { templateId: template.id, creationContent: sealed() });
  }

  /** Expects a call to fail with `code` and the relationship to be exactly as before. */
  async function refused(call: () => Promise<unknown>, code: string, id: string, viewer = t()) {
    const before = await viewer.call('getRelationship', { id });
    expect(await errorCode(call())).toBe(code);
    expect(await viewer.call('getRelationship', { id })).toEqual(before);
  }

  beforeAll(async () => {
    test = await startTestStack({ database });
    [templator, requestor, stranger] = await Promise.all([
      createTestIdentity(test, 2),
      createTestIdentity(test, 2),
      createTestIdentity(test, 1),
    ]);
  });

  afterAll(async () => {
    await closeAll(templator, requestor, stranger);
    await test?.destroy();
  });

  it('explains why a relationship cannot be created, then creates it Pending and tells every device', async () => {
    const template = await t().call('createTemplate', { content: sealed(), expiresAt: inDays(1) });
    expect(await r().call('canCreateRelationship', { templateId: template.id })).toMatchObject({
      isSuccess: false,
      code: 'error.relationships.templateNotLoaded',
    });
    expect((await t().call('canCreateRelationship', { templateId: template.id })).code).toBe(
      'error.relationships.withSelf',
    );
    await r().call('loadTemplate', { id: template.id });
    expect(await r().call('canCreateRelationship', { templateId: template.id })).toEqual({ isSuccess: true });
    const creationContent = sealed();
    const created = await r().call('createRelationship', { templateId: template.id, creationContent });
    expect(created).toMatchObject({
      status: 'Pending',
      from: requestor.address,
      to: templator.address,
      creationContent,
      auditLog: [{ reason: 'Creation', newStatus: 'Pending', createdBy: requestor.address }],
    });
    expect(created.auditLog[0]?.createdByDevice).toBe(requestor.first.device.publicKey);
    expect(
      await errorCode(r().call('createRelationship', { templateId: template.id, creationContent })),
    ).toBe('error.relationships.alreadyExists');
    for (const identity of [templator, requestor]) {
      for (const { session } of identity.devices) {
        const mailbox = await session.mailbox({ cursor: 0 });
        const entries = await collect(mailbox, 2, 1000, (entry) => entry.ack());
        await mailbox.close();
        const events = entries.map((e) =>
          mailboxEntrySchema.parse(JSON.parse(new TextDecoder().decode(e.data))),
        );
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          '@type': 'RelationshipChanged',
          relationshipId: created.id,
          change: { reason: 'Creation' },
        });
      }
    }
  });

  it('lets only the right party make each transition, from the right state, and changes nothing otherwise', async () => {
    const rel = (await r().call('listRelationships', {})).relationships.find(
      (each) => each.status === 'Pending',
    )!;
    await refused(
      () => r().call('acceptRelationship', { id: rel.id }),
      'error.relationships.notAllowed',
      rel.id,
    );
    await refused(
      () => t().call('revokeRelationship', { id: rel.id }),
      'error.relationships.notAllowed',
      rel.id,
    );
    await refused(
      () => x().call('acceptRelationship', { id: rel.id }),
      'error.relationships.notFound',
      rel.id,
    );
    await refused(
      () => t().call('terminateRelationship', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
    );
    await refused(
      () => t().call('decomposeRelationship', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
    );
    await refused(
      () => t().call('requestReactivation', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
    );
    expect((await t().call('acceptRelationship', { id: rel.id })).status).toBe('Active');
    await refused(
      () => t().call('acceptRelationship', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
    );
    expect((await r().call('terminateRelationship', { id: rel.id })).status).toBe('Terminated');
    await refused(
      () => t().call('terminateRelationship', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
    );
  });

  it('reactivates a terminated relationship only on request and the other party’s acceptance', async () => {
    const rel = (await t().call('listRelationships', {})).relationships.find(
      (each) => each.status === 'Terminated',
    )!;
    await refused(
      () => r().call('acceptReactivation', { id: rel.id }),
      'error.relationships.reactivationNotRequested',
      rel.id,
    );
    const requested = await t().call('requestReactivation', { id: rel.id });
    expect(requested).toMatchObject({ status: 'Terminated', reactivationRequestedBy: templator.address });
    await refused(
      () => t().call('requestReactivation', { id: rel.id }),
      'error.relationships.reactivationAlreadyRequested',
      rel.id,
    );
    await refused(
      () => t().call('acceptReactivation', { id: rel.id }),
      'error.relationships.notAllowed',
      rel.id,
    );
    await refused(
      () => r().call('revokeReactivation', { id: rel.id }),
      'error.relationships.notAllowed',
      rel.id,
    );
    expect((await r().call('rejectReactivation', { id: rel.id })).reactivationRequestedBy).toBeUndefined();
    await r().call('requestReactivation', { id: rel.id });
    expect((await r().call('revokeReactivation', { id: rel.id })).reactivationRequestedBy).toBeUndefined();
    await r().call('requestReactivation', { id: rel.id });
    const active = await t().call('acceptReactivation', { id: rel.id });
    expect(active.status).toBe('Active');
    expect(active.auditLog.map((entry) => entry.reason)).toEqual([
      'Creation',
      'AcceptanceOfCreation',
      'Termination',
      'Reactivation',
      'RejectionOfReactivation',
      'Reactivation',
      'RevocationOfReactivation',
      'Reactivation',
      'AcceptanceOfReactivation',
    ]);
  });

  it('decomposes: gone for the first party, DeletionProposed for the peer, then gone for both', async () => {
    const rel = (await t().call('listRelationships', {})).relationships.find(
      (each) => each.from === requestor.address,
    )!;
    await t().call('terminateRelationship', { id: rel.id });
    await t().call('decomposeRelationship', { id: rel.id });
    expect(await errorCode(t().call('getRelationship', { id: rel.id }))).toBe('error.relationships.notFound');
    expect((await t().call('listRelationships', {})).relationships.map((each) => each.id)).not.toContain(
      rel.id,
    );
    const seen = await r().call('getRelationship', { id: rel.id });
    expect(seen.status).toBe('DeletionProposed');
    await refused(
      () => r().call('acceptReactivation', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
      r(),
    );
    await refused(
      () => r().call('requestReactivation', { id: rel.id }),
      'error.relationships.wrongStatus',
      rel.id,
      r(),
    );
    await r().call('decomposeRelationship', { id: rel.id });
    expect(await errorCode(r().call('getRelationship', { id: rel.id }))).toBe('error.relationships.notFound');
    // The pair is free again.
    expect((await request(r())).status).toBe('Pending');
  });

  it('rejects and revokes requests; neither blocks a new request', async () => {
    const first = await request(x());
    expect((await t().call('rejectRelationship', { id: first.id })).status).toBe('Rejected');
    const second = await request(x());
    expect((await x().call('revokeRelationship', { id: second.id })).status).toBe('Revoked');
    await x().call('decomposeRelationship', { id: second.id });
    expect((await t().call('getRelationship', { id: second.id })).status).toBe('DeletionProposed');
  });

  it('refuses an expired or unknown template', async () => {
    expect(
      await errorCode(
        r().call('createRelationship', { templateId: `RLT${'q'.repeat(20)}`, creationContent: sealed() }),
      ),
    ).toBe('error.templates.notFound');
  });
});
