import { ProtocolError } from '@enmesh/protocol';
import type { MessageDTO, RelationshipDTO, RelationshipTemplateDTO } from '@enmesh/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../kit/stack.js';
import { waitFor } from '../kit/wait.js';
import {
  inDays,
  removeTestRuntime,
  runtimeError,
  startTestRuntime,
  type TestRuntime,
} from './runtime-kit.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const mail = (to: string, subject: string) => ({
  '@type': 'Mail',
  to: [to],
  subject,
  body: `${subject} body`,
});
const status = (wanted: string) => (data: RelationshipDTO) => data.status === wanted;

describe('two runtimes over one backbone', () => {
  let stack: TestStack;
  let org: TestRuntime;
  let person: TestRuntime;
  const o = () => org.runtime.account.transport;
  const p = () => person.runtime.account.transport;

  beforeAll(async () => {
    stack = await startTestStack();
    [org, person] = await Promise.all([startTestRuntime(stack), startTestRuntime(stack)]);
  });

  afterAll(async () => {
    await Promise.all([org?.close(), person?.close()]);
    await Promise.all([org && removeTestRuntime(org), person && removeTestRuntime(person)]);
    await stack?.destroy();
  });

  it('template by token, request, accept, mails with files both ways, terminate, decompose — as Enmeshed DTOs', async () => {
    const orgInfo = o().account.getIdentityInfo();
    const personInfo = p().account.getIdentityInfo();
    expect((await o().account.getDeviceInfo()).isCurrent).toBe(true);

    // The organisation offers a template through a token.
    const offer = { '@type': 'ArbitraryRelationshipTemplateContent', value: { title: 'Join us' } };
    const template = await o().relationshipTemplates.createOwnRelationshipTemplate({
      content: offer,
      expiresAt: inDays(1),
      maxNumberOfAllocations: 5,
    });
    expect(template).toMatchObject({ isOwn: true, createdBy: orgInfo.address, content: offer });
    expect(template.reference.url).toContain('#');
    const token = await o().relationshipTemplates.createTokenForOwnRelationshipTemplate({
      templateId: template.id,
    });
    expect(token.content).toMatchObject({
      '@type': 'TokenContentRelationshipTemplate',
      templateId: template.id,
    });
    expect(await o().tokens.getToken({ id: token.id })).toEqual(token);

    // The person loads it by the token's reference and asks for a relationship.
    const loaded = await p().relationshipTemplates.loadPeerRelationshipTemplate({
      reference: token.reference.truncated,
    });
    expect(loaded).toMatchObject({
      id: template.id,
      isOwn: false,
      createdBy: orgInfo.address,
      content: offer,
    });
    const loadedEvent = await person.next('transport.peerRelationshipTemplateLoaded');
    expect((loadedEvent.data as RelationshipTemplateDTO).id).toBe(template.id);
    expect(await p().relationships.canCreateRelationship({ templateId: template.id })).toEqual({
      isSuccess: true,
    });
    const request = { '@type': 'ArbitraryRelationshipCreationContent', value: { name: 'Ada' } };
    const pending = await p().relationships.createRelationship({
      templateId: template.id,
      creationContent: request,
    });
    expect(pending).toMatchObject({
      templateId: template.id,
      status: 'Pending',
      peer: orgInfo.address,
      peerIdentity: orgInfo,
      creationContent: request,
    });
    expect(pending.auditLog).toMatchObject([
      { reason: 'Creation', newStatus: 'Pending', createdBy: personInfo.address },
    ]);

    // The organisation sees the request with its content, and accepts it.
    await org.next('transport.relationshipChanged', status('Pending'));
    const [incoming] = await o().relationships.getRelationships({ query: { status: 'Pending' } });
    expect(incoming).toMatchObject({ id: pending.id, peer: personInfo.address, peerIdentity: personInfo });
    expect(incoming?.creationContent).toEqual(request);
    const active = await o().relationships.acceptRelationship({ relationshipId: pending.id });
    expect(active.status).toBe('Active');
    expect(active.auditLog.map((entry) => entry.reason)).toEqual(['Creation', 'AcceptanceOfCreation']);
    const again = o().relationships.acceptRelationship({ relationshipId: pending.id });
    await expect(again).rejects.toSatisfy((error) =>
      ProtocolError.isProtocolError(error, 'error.relationships.wrongStatus'),
    );
    await person.next('transport.relationshipChanged', status('Active'));
    expect((await p().relationships.getRelationship({ id: pending.id })).status).toBe('Active');

    // Mails both ways, each with a file.
    const cv = await p().files.uploadOwnFile({
      content: bytes('curriculum vitae'),
      filename: 'cv.txt',
      mimetype: 'text/plain',
    });
    expect(cv).toMatchObject({ isOwn: true, filename: 'cv.txt', filesize: 16, owner: personInfo.address });
    expect(cv.ownershipToken).toBeDefined();
    const sent = await p().messages.sendMessage({
      recipients: [orgInfo.address],
      content: mail(orgInfo.address, 'Application'),
      attachments: [cv.id],
    });
    expect(sent).toMatchObject({ isOwn: true, createdBy: personInfo.address, attachments: [cv.id] });
    expect(sent.recipients).toEqual([{ address: orgInfo.address, relationshipId: pending.id }]);
    const received = await org.next('transport.messageReceived');
    const inbound = received.data as MessageDTO;
    expect(inbound).toMatchObject({
      id: sent.id,
      isOwn: false,
      createdBy: personInfo.address,
      content: mail(orgInfo.address, 'Application'),
    });
    expect(inbound.recipients[0]).toMatchObject({ address: orgInfo.address, relationshipId: pending.id });
    const withFiles = await o().messages.getMessage({ id: sent.id });
    expect(withFiles.attachments).toMatchObject([
      { id: cv.id, filename: 'cv.txt', isOwn: false, mimetype: 'text/plain' },
    ]);
    const download = await o().messages.downloadAttachment({ id: sent.id, attachmentId: cv.id });
    expect(new TextDecoder().decode(download.content)).toBe('curriculum vitae');

    const contract = await o().files.uploadOwnFile({
      content: bytes('contract'),
      filename: 'contract.pdf',
      mimetype: 'application/pdf',
      title: 'Contract',
    });
    const reply = await o().messages.sendMessage({
      recipients: [personInfo.address],
      content: mail(personInfo.address, 'Welcome'),
      attachments: [contract.id],
    });
    await person.next('transport.messageReceived', (data: MessageDTO) => data.id === reply.id);
    const replyFile = (await p().messages.getMessage({ id: reply.id })).attachments[0];
    expect(replyFile).toMatchObject({
      id: contract.id,
      filename: 'contract.pdf',
      title: 'contract.pdf',
      owner: orgInfo.address,
    });
    expect(replyFile?.ownershipToken).toBeUndefined();
    expect(new TextDecoder().decode((await p().files.downloadFile({ id: contract.id })).content)).toBe(
      'contract',
    );
    const read = await p().messages.markMessageAsRead({ id: reply.id });
    expect(read.wasReadAt).toBeDefined();
    expect(await p().messages.getMessages({ query: { wasRead: false } })).toEqual([]);
    expect((await p().messages.getMessages()).map((message) => message.id)).toEqual([sent.id, reply.id]);
    await org.next('transport.messageSent', (data: MessageDTO) => data.id === reply.id);
    await person.next('transport.messageSent', (data: MessageDTO) => data.id === sent.id);

    // Terminate, then the person decomposes.
    const terminated = await o().relationships.terminateRelationship({ relationshipId: pending.id });
    expect(terminated.status).toBe('Terminated');
    await person.next('transport.relationshipChanged', status('Terminated'));
    await p().relationships.decomposeRelationship({ relationshipId: pending.id });
    const gone = await runtimeError(p().relationships.getRelationship({ id: pending.id }));
    expect(gone.code).toBe('error.runtime.notFound');
    await person.next('transport.relationshipDecomposedBySelf');
    // What was exchanged over it is gone for the person (as in Enmeshed), not for the organisation.
    expect(await p().messages.getMessages()).toEqual([]);
    expect(await p().relationshipTemplates.getRelationshipTemplates()).toEqual([]);
    expect(await o().messages.getMessages()).toHaveLength(2);
    await org.next('transport.relationshipChanged', status('DeletionProposed'));
    expect((await o().relationships.getRelationship({ id: pending.id })).status).toBe('DeletionProposed');

    // Every step came as an event, in order, numbered without gaps, and stored as published.
    expect(org.events.map((event) => event.namespace)).toEqual([
      'transport.relationshipChanged',
      'transport.relationshipChanged',
      'transport.messageReceived',
      'transport.messageSent',
      'transport.relationshipChanged',
      'transport.relationshipChanged',
    ]);
    expect(person.events.map((event) => event.namespace)).toEqual([
      'transport.peerRelationshipTemplateLoaded',
      'transport.relationshipChanged',
      'transport.relationshipChanged',
      'transport.messageSent',
      'transport.messageReceived',
      'transport.messageWasReadAtChanged',
      'transport.relationshipChanged',
      'transport.relationshipDecomposedBySelf',
    ]);
    for (const side of [org, person]) {
      expect(side.events.map((event) => event.sequence)).toEqual(side.events.map((_, i) => i + 1));
      const stored = [];
      for await (const event of side.runtime.events.from(0)) {
        stored.push(event);
        if (stored.length === side.events.length) break;
      }
      expect(stored).toEqual(side.events);
    }
  });
  it('holds several accounts; an identity deletion reaches the peer as peerToBeDeleted, then peerDeletionCancelled', async () => {
    const second = await person.runtime.openAccount('second');
    expect(second.address).not.toBe(person.runtime.account.address);
    expect(person.runtime.accounts.map((account) => account.name)).toEqual(['default', 'second']);
    const ofSecond = () => person.events.filter((event) => event.eventTargetAddress === second.address);
    const secondSees = (namespace: string, match: (data: never) => boolean = () => true) =>
      waitFor(
        () => ofSecond().some((event) => event.namespace === namespace && match(event.data as never)),
        namespace,
      );

    const template = await o().relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'ArbitraryRelationshipTemplateContent', value: {} },
      expiresAt: inDays(1),
    });
    await second.transport.relationshipTemplates.loadPeerRelationshipTemplate({
      reference: template.reference.url,
    });
    const pending = await second.transport.relationships.createRelationship({
      templateId: template.id,
      creationContent: { '@type': 'ArbitraryRelationshipCreationContent', value: {} },
    });
    await org.next('transport.relationshipChanged', (data: RelationshipDTO) => data.id === pending.id);
    await o().relationships.acceptRelationship({ relationshipId: pending.id });
    await secondSees('transport.relationshipChanged', status('Active'));

    const started = await second.transport.account.initiateIdentityDeletionProcess();
    expect(started).toMatchObject({ status: 'Approved' });
    expect(started.gracePeriodEndsAt).toBeDefined();
    await secondSees(
      'transport.identityDeletionProcessStatusChanged',
      (data: { status: string }) => data.status === 'Approved',
    );
    const toBeDeleted = await org.next('transport.peerToBeDeleted');
    expect(toBeDeleted.data).toMatchObject({
      id: pending.id,
      peer: second.address,
      peerDeletionInfo: { deletionStatus: 'ToBeDeleted', deletionDate: started.gracePeriodEndsAt },
    });
    expect((await o().relationships.getRelationship({ id: pending.id })).peerDeletionInfo).toBeDefined();

    expect((await second.transport.account.cancelIdentityDeletionProcess()).status).toBe('Cancelled');
    await secondSees(
      'transport.identityDeletionProcessStatusChanged',
      (data: { status: string }) => data.status === 'Cancelled',
    );
    const cancelled = await org.next('transport.peerDeletionCancelled');
    expect((cancelled.data as RelationshipDTO).peerDeletionInfo).toBeUndefined();
    expect((await o().relationships.getRelationship({ id: pending.id })).peerDeletionInfo).toBeUndefined();

    // Each identity has its own gap-free numbering.
    expect(ofSecond().map((event) => event.sequence)).toEqual(ofSecond().map((_, i) => i + 1));
    expect(await person.runtime.events.lastSequence(second.address)).toBe(ofSecond().length);
  });
  it('shares templates, tokens and files by (password-protected) tokens; file ownership changes hands', async () => {
    const orgAddress = org.runtime.account.address;
    const personAddress = person.runtime.account.address;
    const pin = { password: '4711', passwordIsPin: true as const };
    const template = await o().relationshipTemplates.createOwnRelationshipTemplate({
      content: { '@type': 'ArbitraryRelationshipTemplateContent', value: { pin: true } },
      expiresAt: inDays(1),
      passwordProtection: pin,
    });
    expect(template.passwordProtection).toEqual(pin);
    const token = await o().relationshipTemplates.createTokenForOwnRelationshipTemplate({
      templateId: template.id,
      forIdentity: personAddress,
      passwordProtection: pin,
    });
    expect(token).toMatchObject({
      forIdentity: personAddress,
      passwordProtection: pin,
      expiresAt: template.expiresAt,
    });
    const load = (password?: string) =>
      p().relationshipTemplates.loadPeerRelationshipTemplate({
        reference: token.reference.url,
        ...(password === undefined ? {} : { password }),
      });
    expect(await load().catch((error: { code?: string }) => error.code)).toBe(
      'error.transport.passwordRequired',
    );
    expect(await load('0000').catch((error: { code?: string }) => error.code)).toBe(
      'error.tokens.wrongPassword',
    );
    const loaded = await load('4711');
    expect(loaded).toMatchObject({ id: template.id, isOwn: false, passwordProtection: pin });

    await o().relationshipTemplates.deleteRelationshipTemplate({ templateId: template.id });
    const deleted = await runtimeError(
      o().relationshipTemplates.getRelationshipTemplate({ id: template.id }),
    );
    expect(deleted.code).toBe('error.runtime.notFound');

    const note = await o().tokens.createOwnToken({ content: { hello: 'world' }, expiresAt: inDays(1) });
    const got = await p().tokens.loadPeerToken({ reference: note.reference.truncated });
    expect(got).toMatchObject({
      id: note.id,
      isOwn: false,
      createdBy: orgAddress,
      content: { hello: 'world' },
    });
    expect((await p().tokens.getTokens({ query: { isOwn: false } })).map((item) => item.id)).toContain(
      note.id,
    );
    const ephemeral = await p().tokens.loadPeerToken({ reference: note.reference.url, ephemeral: true });
    expect(ephemeral.isEphemeral).toBe(true);
    await o().tokens.deleteToken({ tokenId: note.id });
    expect((await o().tokens.getTokens()).map((item) => item.id)).not.toContain(note.id);

    const file = await p().files.uploadOwnFile({
      content: bytes('shared'),
      filename: 's.txt',
      mimetype: 'text/plain',
    });
    const fileToken = await p().files.createTokenForFile({ fileId: file.id });
    expect(fileToken.content).toMatchObject({ '@type': 'TokenContentFile', fileId: file.id });
    const seen = await o().files.getOrLoadFile({ reference: fileToken.reference.truncated });
    expect(seen).toMatchObject({
      id: file.id,
      isOwn: false,
      owner: personAddress,
      filename: 's.txt',
      filesize: 6,
    });
    expect(seen.ownershipToken).toBeUndefined();
    const regenerated = await p().files.regenerateFileOwnershipToken({ fileId: file.id });
    expect(regenerated.ownershipToken).toBeDefined();
    expect(regenerated.ownershipToken).not.toBe(file.ownershipToken);
    const claimed = await o().files.claimFileOwnership({
      fileId: file.id,
      ownershipToken: regenerated.ownershipToken ?? '',
    });
    expect(claimed).toMatchObject({ owner: orgAddress });
    expect(claimed.ownershipToken).toBeDefined();
    expect(new TextDecoder().decode((await o().files.downloadFile({ id: file.id })).content)).toBe('shared');
  });
});
